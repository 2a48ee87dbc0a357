"""Shared pieces of the console's views: the parent blueprint, services, forms, flash messages."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, flash, render_template, request, session
from werkzeug.wrappers import Response

from simulator.okta.api_http import Org, org
from simulator.okta.service import Happened, OrgError
from simulator.okta.service_sync import SyncActions

bp = Blueprint(
    "console", __name__, template_folder="templates", static_folder="static", static_url_path="/static"
)

CSRF_FIELD = "csrf_token"
FORM_EXPIRED = "The form expired; reload the page and try again."

# Outcome.action -> what the admin reads when it worked
_DONE = {
    "assign_user": "User provisioned",
    "update_profile": "Profile pushed",
    "deactivate": "User deactivated in the app",
    "reactivate": "User reactivated in the app",
    "push_password": "Password pushed",
    "push_group": "Group pushed",
    "update_members": "Group memberships pushed",
    "push_now": "Group pushed (Push Now)",
    "rename_group": "Pushed group renamed",
    "unlink_group": "Pushed group unlinked",
    "import_users": "Users imported",
    "import_groups": "Groups imported",
    "test_connection": "Connection verified",
}
_SHOWN_LINES = 4  # request lines quoted in one flash message


def services() -> Org:
    return org()


def sync() -> SyncActions:
    found = services()
    return SyncActions(found.svc, found.apps, found.groups)


def csrf_token() -> str:
    """The session's CSRF token, created on first use."""
    token = session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[CSRF_FIELD] = token
    return token


def field(name: str) -> str:
    """A form value, stripped."""
    return str(request.form.get(name, "")).strip()


def page(template: str, status: int = 200, **values: Any) -> tuple[str, int]:
    return render_template(f"console/{template}", **values), status


def error_page(status: int, title: str, message: str) -> Response:
    body = render_template("console/error.html", title=title, message=message)
    return Response(body, status=status, mimetype="text/html")


def problem(exc: OrgError) -> str:
    """An OrgError as one readable sentence: its causes, else its summary."""
    return "; ".join(exc.causes) if exc.causes else exc.summary


def flash_error(message: str) -> None:
    flash(message, "error")


def flash_ok(message: str) -> None:
    flash(message, "ok")


def flash_task(message: str) -> None:
    """A failure shown like an Okta task, with a link to the Tasks page."""
    flash(message, "task")


def report(happened: Happened) -> None:
    """Flash what an action sent to the target; each failure the way Okta shows a failed task."""
    for run in happened.runs:
        outcome = run.outcome
        if not outcome.ok:
            continue  # its task is flashed below
        if outcome.skipped:
            flash_ok(f"Nothing sent to the target: {outcome.skipped}.")
            continue
        lines = [e.request_line for e in run.exchanges]
        more = f" and {len(lines) - _SHOWN_LINES} more" if len(lines) > _SHOWN_LINES else ""
        sent = "; ".join(lines[:_SHOWN_LINES]) + more
        done = _DONE.get(outcome.action, outcome.action.replace("_", " "))
        flash_ok(f"{done}: {sent}" if sent else done)
    for task in happened.tasks:
        flash_task(task.error)


def stash(key: str, value: Any) -> None:
    """Keep a small result for the next page view (post/redirect/get)."""
    session[f"stash.{key}"] = value


def unstash(key: str) -> Any:
    return session.pop(f"stash.{key}", None)
