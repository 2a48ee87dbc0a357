"""Create the tables and the staff service account, serve: python -m tests.suites.mitol_target PORT TOKEN DB.

One thread: with several, SQLite's writer lock failed concurrent DELETEs with 500 in its views."""

from tests.suites.django_glue import serve
from tests.suites.mitol_target import SERVICE_ACCOUNT

serve("tests.suites.mitol_target.settings", {"username": SERVICE_ACCOUNT, "email": "scim-service@example.com",
                                             "first_name": "SCIM", "last_name": "Service", "is_staff": True},
      threads=False)
