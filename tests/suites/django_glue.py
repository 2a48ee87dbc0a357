"""What the three Django targets share: `python -m tests.suites.<project> PORT TOKEN DB` start-up,
a throwaway SQLite database, and bearer-token authentication.

Every package leaves authentication to the project. django-scim2's own check (SCIMAuthCheckMiddleware,
applied to every SCIM view) answers 401 when request.user is not authenticated; django-scim2-server's
views answer 401 unless its access check (by default: an authenticated superuser) admits the
request; mitol-django-scim admits active staff. The one token maps to the project's service
account (TARGET_ACCOUNT in its settings), anything else to nobody. Settings modules import this
before Django is set up, so no model is imported at the top.
"""

from __future__ import annotations

import hmac
import os
import sys
from collections.abc import Callable
from typing import Any

import django
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest, HttpResponse

PORT = "SCIMCERT_TARGET_PORT"  # the environment serve() hands the settings module
TOKEN = "SCIMCERT_TARGET_TOKEN"
DB = "SCIMCERT_TARGET_DB"


def serve(settings_module: str, account: dict[str, Any], *, threads: bool = True) -> None:
    """Create the tables in a fresh SQLite file (migrations, and syncdb for an app without them),
    the service account (create_user's keyword arguments), and serve on 127.0.0.1:PORT."""
    port, token, db = sys.argv[1:]
    os.environ.update({"DJANGO_SETTINGS_MODULE": settings_module, PORT: port, TOKEN: token, DB: db})
    django.setup()
    call_command("migrate", run_syncdb=True, verbosity=0)
    get_user_model().objects.create_user(**account)
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=threads,
                 skip_checks=True)


def sqlite() -> dict[str, Any]:
    """DATABASES for the file serve() was given."""
    return {"default": {
        "ENGINE": "django.db.backends.sqlite3", "NAME": os.environ[DB],
        "OPTIONS": {
            # a throwaway database: no fsync per commit (most of a run's time on a slow disk)
            "init_command": "PRAGMA synchronous=OFF; PRAGMA journal_mode=MEMORY;",
            # concurrent writers (the Okta suite's crowd) wait for the write lock: a deferred
            # transaction's upgrade to it fails at once with "database is locked"
            "transaction_mode": "IMMEDIATE", "timeout": 30,
        },
    }}


class BearerTokenMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.expected = os.environ[TOKEN].encode()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.contrib.auth.models import AnonymousUser  # noqa: PLC0415 (a model: after setup)

        # RFC 9110 §11.1: the authentication scheme is a case-insensitive token
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(token.encode(), self.expected):
            request.user = get_user_model().objects.get(username=settings.TARGET_ACCOUNT)
        else:
            request.user = AnonymousUser()
        return self.get_response(request)
