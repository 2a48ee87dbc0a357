"""Settings of the django-scim2 target; the test passes port, token and database file in the environment."""

import os

from tests.suites.django_glue import PORT, sqlite
from tests.suites.django_target import SERVICE_ACCOUNT

SECRET_KEY = "scimcert-django-target-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
USE_TZ = True
ROOT_URLCONF = "tests.suites.django_target.urls"
WSGI_APPLICATION = "tests.suites.django_target.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django_scim",
    "tests.suites.django_target",
]
MIDDLEWARE = ["tests.suites.django_glue.BearerTokenMiddleware"]
TARGET_ACCOUNT = SERVICE_ACCOUNT
AUTH_USER_MODEL = "django_target.User"
DATABASES = sqlite()
# a fast hasher: the suites set passwords on many users
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

SCIM_SERVICE_PROVIDER = {
    "SCHEME": "http",
    "NETLOC": f"127.0.0.1:{os.environ[PORT]}",
    "AUTHENTICATION_SCHEMES": [
        {"type": "oauthbearertoken", "name": "OAuth Bearer Token",
         "description": "Authentication scheme using the OAuth Bearer Token Standard"},
    ],
    "GROUP_MODEL": "tests.suites.django_target.models.Group",
    "USER_FILTER_PARSER": "tests.suites.django_target.filters.UserFilterQuery",
    "GROUP_FILTER_PARSER": "tests.suites.django_target.filters.GroupFilterQuery",
    "SERVICE_PROVIDER_CONFIG_MODEL": "tests.suites.django_target.models.ServiceProviderConfig",
}
