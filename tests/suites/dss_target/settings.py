"""Settings of the django-scim2-server target (port, token and database file: tests.suites.django_glue)."""


from tests.suites.django_glue import sqlite
from tests.suites.dss_target import SERVICE_ACCOUNT

SECRET_KEY = "scimcert-dss-target-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
USE_TZ = True
ROOT_URLCONF = "tests.suites.dss_target.urls"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django_scim2_server"]
MIDDLEWARE = ["tests.suites.django_glue.BearerTokenMiddleware"]
TARGET_ACCOUNT = SERVICE_ACCOUNT
DATABASES = sqlite()
# a fast hasher: the suites set passwords on many users
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
