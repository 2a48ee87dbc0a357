"""The simulator's web console: server-rendered pages over the same org services as the admin API.

`init_console(app, admin_token)` mounts it at /console (sign in once per session with the
admin token; every form carries a CSRF token). Pages call OrgService, AppActions,
GroupActions and SyncActions — never a second implementation of an action.
"""

from __future__ import annotations

import os
import secrets

from flask import Flask
from werkzeug.wrappers import Response

from simulator.okta.console import app_tabs, apps, auth, groups, logs, people, profile, verify, web
from simulator.okta.console.auth import ConsoleSettings

PREFIX = "/console"
SECRET_ENV = "SCIMCERT_CONSOLE_SECRET"

for _child in (people.bp, groups.bp, apps.bp, app_tabs.bp, verify.bp, profile.bp, logs.bp):
    web.bp.register_blueprint(_child)


def is_console_path(path: str) -> bool:
    """The root (which redirects to the console) and everything under /console."""
    return path in ("/", PREFIX) or path.startswith(PREFIX + "/")


def init_console(app: Flask, admin_token: str, secret: str | None = None) -> None:
    """Mount the console; the session secret is `secret`, $SCIMCERT_CONSOLE_SECRET, or random."""
    app.secret_key = secret or os.environ.get(SECRET_ENV) or secrets.token_hex(32)
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    app.extensions["okta_console"] = ConsoleSettings(admin_token)
    app.register_blueprint(web.bp, url_prefix=PREFIX)


def error_page(status: int, title: str, message: str) -> Response:
    """An HTML error page in the console's layout (no traceback, ever)."""
    return web.error_page(status, title, message)


__all__ = ["PREFIX", "auth", "error_page", "init_console", "is_console_path"]
