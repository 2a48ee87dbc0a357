"""People: list, add, edit profile (pushed to assigned apps), deactivate and activate."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, redirect, request, url_for
from werkzeug.wrappers import Response

from simulator.okta.console.web import field, flash_error, flash_ok, page, problem, report, services
from simulator.okta.service import OrgError
from simulator.okta.store import UserRec

bp = Blueprint("people", __name__, url_prefix="/people")

FIELDS = (
    ("login", "Username (login)"),
    ("email", "Primary email"),
    ("firstName", "First name"),
    ("lastName", "Last name"),
    ("title", "Title"),
    ("department", "Department"),
)
_NAMES = frozenset(name for name, _ in FIELDS)
_ATTRIBUTE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class FormProblem(ValueError):
    """Input the console refuses before calling the org (the message is shown as is)."""


def extra_text(profile: dict[str, Any]) -> str:
    """Profile attributes beyond the form's fields, one `name = value` per line."""
    lines = []
    for name, value in profile.items():
        if name in _NAMES or value is None:
            continue
        lines.append(f"{name} = {value if isinstance(value, str) else json.dumps(value)}")
    return "\n".join(lines)


def parse_extra(text: str) -> dict[str, str]:
    """`name = value` lines into attributes; blank lines and `#` comments are skipped."""
    found: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        name = name.strip()
        if not sep or not _ATTRIBUTE.match(name):
            raise FormProblem(
                f"Other attributes, line {number}: write name = value (e.g. costCenter = CC-42)"
            )
        if name in _NAMES:
            raise FormProblem(f"Other attributes, line {number}: set {name} in its own field above")
        if name in found:
            raise FormProblem(f"Other attributes, line {number}: {name} is given twice")
        if value.strip():
            found[name] = value.strip()
    return found


def profile_from_form() -> dict[str, Any]:
    """The Okta profile the form describes; raises FormProblem with a message for the admin."""
    profile: dict[str, Any] = {name: field(name) for name, _ in FIELDS if field(name)}
    for name, label in FIELDS[:4]:
        if name not in profile:
            raise FormProblem(f"{label} is required.")
    if "@" not in profile["email"]:
        raise FormProblem(f"Primary email: {profile['email']} is not an email address.")
    profile.update(parse_extra(field("extra")))
    return profile


@bp.get("")
def list_people() -> Any:
    return page("people.html", people=services().svc.store.users())


@bp.route("/new", methods=["GET", "POST"])
def new_person() -> Any:
    form = _form_values(None)
    if not _submitted():
        return page("person.html", person=None, form=form, fields=FIELDS)
    try:
        user = services().svc.create_user(profile_from_form(), activate=True, has_password=False)
    except (FormProblem, OrgError) as exc:
        flash_error(_message(exc))
        return page("person.html", 400, person=None, form=form, fields=FIELDS)
    flash_ok(f"Added {user.profile['login']}.")
    return redirect(url_for("console.people.edit_person", user_id=user.id))


@bp.route("/<user_id>", methods=["GET", "POST"])
def edit_person(user_id: str) -> Any:
    svc = services().svc
    user = svc.user(user_id)
    form = _form_values(user)
    if _submitted():
        try:
            user, happened = svc.update_user(user.id, profile_from_form(), partial=False)
        except (FormProblem, OrgError) as exc:
            flash_error(_message(exc))
            return _edit_page(user, form, 400)
        flash_ok(f"Saved {user.profile['login']}.")
        report(happened)
        return redirect(url_for("console.people.edit_person", user_id=user.id))
    return _edit_page(user, form, 200)


@bp.post("/<user_id>/<op>")
def lifecycle(user_id: str, op: str) -> Response:
    if op not in ("activate", "deactivate"):
        flash_error(f"Unknown action {op}.")
        return redirect(url_for("console.people.edit_person", user_id=user_id))
    svc = services().svc
    try:
        user, happened = svc.set_user_status(svc.user(user_id).id, op == "activate")
    except OrgError as exc:
        flash_error(problem(exc))
    else:
        flash_ok(f"{user.profile.get('login')} is now {user.status}.")
        report(happened)
    return redirect(url_for("console.people.edit_person", user_id=user_id))


def _edit_page(user: UserRec, form: dict[str, str], status: int) -> Any:
    store = services().svc.store
    apps = {a.id: a for a in store.apps()}
    rows = [(apps[au.app_id], au) for au in store.app_users(user_id=user.id) if au.app_id in apps]
    return page("person.html", status, person=user, form=form, fields=FIELDS, assignments=rows)


def _submitted() -> bool:
    return request.method == "POST"


def _form_values(user: UserRec | None) -> dict[str, str]:
    """What the form shows: what was typed (after a refusal), else the stored profile."""
    if request.method == "POST":
        return {name: str(request.form.get(name, "")) for name in (*_NAMES, "extra")}
    profile = user.profile if user else {}
    values = {name: str(profile.get(name) or "") for name in _NAMES}
    values["extra"] = extra_text(profile)
    return values


def _message(exc: Exception) -> str:
    return problem(exc) if isinstance(exc, OrgError) else str(exc)
