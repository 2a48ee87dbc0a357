"""Migrate, create the service account, serve: python -m tests.suites.django_target PORT TOKEN DB."""

import os
import sys

import django
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.suites.django_target import SERVICE_ACCOUNT


def main(port: str, token: str, db: str) -> None:
    os.environ.update(DJANGO_SETTINGS_MODULE="tests.suites.django_target.settings",
                      DJANGO_TARGET_PORT=port, DJANGO_TARGET_TOKEN=token, DJANGO_TARGET_DB=db)
    django.setup()
    call_command("migrate", run_syncdb=True, verbosity=0)
    get_user_model().objects.create_user(SERVICE_ACCOUNT, email="scim-service@example.com",
                                         first_name="SCIM", last_name="Service")
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True,
                 skip_checks=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
