"""Migrate, create the superuser, serve: python -m tests.suites.dss_target PORT TOKEN DB."""

import os
import sys

import django
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.suites.dss_target import SERVICE_ACCOUNT


def main(port: str, token: str, db: str) -> None:
    os.environ.update(DJANGO_SETTINGS_MODULE="tests.suites.dss_target.settings",
                      DSS_TARGET_TOKEN=token, DSS_TARGET_DB=db)
    django.setup()
    call_command("migrate", verbosity=0)
    get_user_model().objects.create_superuser(SERVICE_ACCOUNT, email="scim-admin@example.com")
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True,
                 skip_checks=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
