"""Create the tables, the service account, serve: python -m tests.suites.mitol_target PORT TOKEN DB."""

import os
import sys

import django
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.suites.mitol_target import SERVICE_ACCOUNT


def main(port: str, token: str, db: str) -> None:
    os.environ.update(DJANGO_SETTINGS_MODULE="tests.suites.mitol_target.settings",
                      MITOL_TARGET_PORT=port, MITOL_TARGET_TOKEN=token, MITOL_TARGET_DB=db)
    django.setup()
    call_command("migrate", run_syncdb=True, verbosity=0)
    get_user_model().objects.create_user(SERVICE_ACCOUNT, email="scim-service@example.com",
                                         first_name="SCIM", last_name="Service", is_staff=True)
    # One thread: SQLite's writer lock fails concurrent DELETEs with 500 in its views otherwise.
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=False,
                 skip_checks=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
