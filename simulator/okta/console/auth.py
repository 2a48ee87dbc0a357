"""Console sign-in with the admin token, the session guard, CSRF checks, and the dashboard."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from flask import current_app, redirect, request, session, url_for
from werkzeug.wrappers import Response

from simulator.okta.console.web import (
    CSRF_FIELD,
    FORM_EXPIRED,
    bp,
    csrf_token,
    error_page,
    field,
    flash_error,
    flash_ok,
    page,
    services,
)

_OPEN_ENDPOINTS = frozenset({"console.static", "console.login"})
_SESSION_KEY = "admin"


@dataclass(frozen=True, slots=True)
class ConsoleSettings:
    """What the console needs besides the org: the admin token it signs in with."""

    admin_token: str


def _settings() -> ConsoleSettings:
    found: ConsoleSettings = current_app.extensions["okta_console"]
    return found


def _marker() -> str:
    """Proof of sign-in kept in the signed session; it stops working when the admin token changes."""
    key = str(current_app.secret_key).encode()
    return hmac.new(key, _settings().admin_token.encode(), hashlib.sha256).hexdigest()


def signed_in() -> bool:
    given = session.get(_SESSION_KEY)
    return isinstance(given, str) and hmac.compare_digest(given, _marker())


def _csrf_ok() -> bool:
    expected = session.get(CSRF_FIELD)
    given = request.form.get(CSRF_FIELD, "")
    return isinstance(expected, str) and hmac.compare_digest(given.encode(), expected.encode())


def _safe_next(target: str | None) -> str:
    """Only console paths: never an open redirect to another site."""
    if target and target.startswith("/console") and not target.startswith("//"):
        return target
    return url_for("console.dashboard")


@bp.before_request
def _guard() -> Response | None:
    if request.endpoint == "console.static":
        return None
    if request.endpoint not in _OPEN_ENDPOINTS and not signed_in():
        wanted = request.path + (f"?{request.query_string.decode()}" if request.query_string else "")
        return redirect(url_for("console.login", next=wanted if request.method == "GET" else None))
    if request.method == "POST" and not _csrf_ok():
        return error_page(400, "Form expired", FORM_EXPIRED)
    return None


@bp.app_context_processor
def _globals() -> dict[str, Any]:
    return {"csrf_token": csrf_token, "signed_in": signed_in}


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    target = request.values.get("next")
    if request.method == "GET":
        return page("login.html", next=target)
    token = field("token")
    if not token or not hmac.compare_digest(token.encode(), _settings().admin_token.encode()):
        flash_error("Invalid admin token")
        return page("login.html", 401, next=target)
    session.clear()
    session[_SESSION_KEY] = _marker()
    csrf_token()
    return redirect(_safe_next(target))


@bp.route("/logout", methods=["GET", "POST"])
def logout() -> Response:
    session.clear()
    flash_ok("Signed out.")
    return redirect(url_for("console.login"))


@bp.get("/")
def dashboard() -> Any:
    store = services().svc.store
    counts = {
        "people": len(store.users()),
        "groups": len(store.groups()),
        "apps": len(store.apps()),
        "open_tasks": sum(1 for t in store.tasks() if t.status == "OPEN"),
    }
    return page("dashboard.html", counts=counts)
