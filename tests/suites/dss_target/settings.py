"""Settings of the django-scim2-server target; the test passes token and database file in the environment."""

import os

from tests.suites.dss_target import SERVICE_ACCOUNT

SECRET_KEY = "scimcert-dss-target-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
USE_TZ = True
ROOT_URLCONF = "tests.suites.dss_target.urls"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django_scim2_server"]
MIDDLEWARE = ["tests.suites.django_bearer.BearerTokenMiddleware"]
TARGET_TOKEN = os.environ["DSS_TARGET_TOKEN"]
TARGET_ACCOUNT = SERVICE_ACCOUNT
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["DSS_TARGET_DB"],
        # IMMEDIATE: runserver's threads write concurrently (the Okta suite's crowd), and a deferred
        # transaction's upgrade to a write lock fails at once with "database is locked"
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20,
                    # a throwaway database: no fsync per commit
                    "init_command": "PRAGMA synchronous=OFF; PRAGMA journal_mode=MEMORY;"},
    },
}
# a fast hasher: the suites set passwords on many users
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
