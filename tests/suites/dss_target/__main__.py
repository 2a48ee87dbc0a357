"""Create the tables and the superuser, serve: python -m tests.suites.dss_target PORT TOKEN DB."""

from tests.suites.django_glue import serve
from tests.suites.dss_target import SERVICE_ACCOUNT

serve("tests.suites.dss_target.settings", {"username": SERVICE_ACCOUNT, "email": "scim-admin@example.com",
                                           "is_staff": True, "is_superuser": True})
