"""Settings of the mitol-django-scim target: the package's own SCIM settings, and the port, token and
database file the test passes in the environment."""

import os

# mitol-common's settings reader requires it although it has a default (250, for mitol's Keycloak sync)
os.environ.setdefault("MITOL_SCIM_KEYCLOAK_BULK_OPERATIONS_COUNT", "250")

from mitol.scim.settings.scim import *  # noqa: F403 (the package's SCIM_SERVICE_PROVIDER and more)
from mitol.scim.settings.scim import SCIM_SERVICE_PROVIDER as MITOL_SERVICE_PROVIDER

from tests.suites.django_glue import PORT, sqlite
from tests.suites.mitol_target import SERVICE_ACCOUNT

SECRET_KEY = "scimcert-mitol-target-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
USE_TZ = True
ROOT_URLCONF = "tests.suites.mitol_target.urls"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django_scim",
    "mitol.common.apps.CommonApp",
    "mitol.scim.apps.ScimApp",
    "tests.suites.mitol_target",
]
MIDDLEWARE = ["tests.suites.django_glue.BearerTokenMiddleware"]
TARGET_ACCOUNT = SERVICE_ACCOUNT
AUTH_USER_MODEL = "mitol_target.User"
DATABASES = sqlite()
# a fast hasher: the suites set passwords on many users
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True  # mitol-common's tasks, should any run: in the request, no broker
SITE_BASE_URL = f"http://127.0.0.1:{os.environ[PORT]}/"
SCIM_SERVICE_PROVIDER = {
    **MITOL_SERVICE_PROVIDER,
    "SCHEME": "http",
    "NETLOC": f"127.0.0.1:{os.environ[PORT]}",
    "GROUP_MODEL": "tests.suites.mitol_target.models.Group",
}
