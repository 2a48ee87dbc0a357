"""Create the tables and the service account, serve: python -m tests.suites.django_target PORT TOKEN DB."""

from tests.suites.django_glue import serve
from tests.suites.django_target import SERVICE_ACCOUNT

serve("tests.suites.django_target.settings", {"username": SERVICE_ACCOUNT,
                                              "email": "scim-service@example.com",
                                              "first_name": "SCIM", "last_name": "Service"})
