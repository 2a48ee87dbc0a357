"""What mitol.scim.adapters.UserAdapter reads and writes: scim_id, scim_external_id and
scim_username (django-scim2's mixin), global_id (unique, NULL when unset), created_on and
updated_on (mitol-common's TimestampedModel). The package ships no Group support; this Group
model only lets django-scim2's default /Groups endpoint, which its URLs include unchanged, answer."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django_scim.models import AbstractSCIMGroupMixin, AbstractSCIMUserMixin
from mitol.common.models import TimestampedModel


class Group(AbstractSCIMGroupMixin):
    name = models.CharField("name", max_length=150, unique=True)


class User(AbstractSCIMUserMixin, TimestampedModel, AbstractUser):
    global_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    scim_groups = models.ManyToManyField(Group, related_name="user_set", blank=True)
    objects = UserManager()
