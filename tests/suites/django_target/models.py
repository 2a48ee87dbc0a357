"""User and Group carrying django-scim2's SCIM columns, as django-scim2's own tests define them.

Its default adapters read scim_id, scim_external_id and scim_groups, which django.contrib.auth's
own User and Group lack; the mixins add them.
"""

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django_scim.models import AbstractSCIMGroupMixin, AbstractSCIMUserMixin, SCIMServiceProviderConfig


class Group(AbstractSCIMGroupMixin):
    name = models.CharField("name", max_length=150, unique=True)


class User(AbstractSCIMUserMixin, AbstractUser):
    # django-scim2's default adapters read a user's groups from scim_groups, a group's members
    # from user_set
    scim_groups = models.ManyToManyField(Group, related_name="user_set", blank=True)


class ServiceProviderConfig(SCIMServiceProviderConfig):
    """Its default says filtering is unsupported "until it does" and is meant to be overridden
    with what the project implements: filters.py makes filtering work, so advertise it."""

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "filter": {"supported": True, "maxResults": 50}}
