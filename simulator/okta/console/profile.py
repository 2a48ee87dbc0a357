"""Profile Editor: app user attributes with external name and namespace, and their mappings."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, redirect, request, url_for
from werkzeug.wrappers import Response

from simulator.okta.console.web import (
    field,
    flash_error,
    flash_ok,
    page,
    problem,
    report,
    services,
    sync,
)
from simulator.okta.payloads import parse_external_name
from simulator.okta.service import OrgError
from simulator.okta.service_apps import BASE_NAMES
from simulator.okta.store import AppRec
from simulator.scim import urns

bp = Blueprint("profile", __name__, url_prefix="/profile-editor")

TYPES = ("string", "boolean", "integer", "number")
NAMESPACES = (urns.CORE_USER, urns.ENTERPRISE_USER)
_VARIABLE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
OKTA_ATTRIBUTES = ("login", "email", "firstName", "lastName", "title", "department", "costCenter",
                   "employeeNumber", "managerId", "locale", "mobilePhone")  # fmt: skip


@bp.get("")
def index() -> Any:
    return page("profile_index.html", apps=services().svc.store.apps())


@bp.get("/<app_id>")
def app_profile(app_id: str) -> Any:
    app = services().svc.app(app_id)
    return page("profile_app.html", app=app, base_names=BASE_NAMES)


@bp.post("/<app_id>/attributes/<name>/remove")
def remove_attribute(app_id: str, name: str) -> Response:
    try:
        services().apps.update_schema(app_id, {name: None})
    except OrgError as exc:
        flash_error(problem(exc))
    else:
        flash_ok(f"Removed attribute {name}.")
    return redirect(url_for("console.profile.app_profile", app_id=app_id))


class AttributeProblem(ValueError):
    """An Add Attribute form the console refuses (the message is shown as is)."""


def _attribute_property(app: AppRec) -> tuple[str, dict[str, Any]]:
    """(variable name, schema property) from the Add Attribute form."""
    title, name = field("display_name"), field("variable_name")
    external, namespace, kind = field("external_name") or name, field("external_namespace"), field("type")
    if not title:
        raise AttributeProblem("Display name is required.")
    if not _VARIABLE.match(name):
        raise AttributeProblem("Variable name must start with a letter and use only letters, digits and _.")
    if app.instance.attribute(name) is not None:
        raise AttributeProblem(f"An attribute with variable name {name} already exists.")
    try:
        parse_external_name(external)
    except ValueError as exc:
        raise AttributeProblem(f"External name: {exc}") from exc
    if namespace and not urns.is_urn(namespace):
        raise AttributeProblem(f"External namespace {namespace} is not a URN (urn:…).")
    if kind not in TYPES:
        raise AttributeProblem(f"Data type must be one of {', '.join(TYPES)}.")
    prop = {"title": title, "type": kind, "externalName": external, "externalNamespace": namespace or None}
    return name, prop


@bp.route("/<app_id>/add", methods=["GET", "POST"])
def add_attribute(app_id: str) -> Any:
    found = services()
    app = found.svc.app(app_id)
    if request.method == "GET":
        return page("profile_add.html", app=app, form={"type": "string"}, types=TYPES, namespaces=NAMESPACES)
    try:
        name, prop = _attribute_property(app)
        found.apps.update_schema(app.id, {name: prop})
    except (AttributeProblem, OrgError) as exc:
        flash_error(problem(exc) if isinstance(exc, OrgError) else str(exc))
        return page("profile_add.html", 400, app=app, form=request.form, types=TYPES, namespaces=NAMESPACES)
    flash_ok(f"Added attribute {name}. Map a value to it under Mappings so Okta sends it.")
    if not prop["externalNamespace"]:
        flash_error(f"{name} has no external namespace: Okta will not send it.")
    return redirect(url_for("console.profile.app_profile", app_id=app.id))


@bp.route("/<app_id>/mappings", methods=["GET", "POST"])
def mappings(app_id: str) -> Any:
    found = services()
    app = found.svc.app(app_id)
    if request.method == "GET":
        return _mappings_page(app, _stored(app))
    typed = {a.name: field(f"map-{a.name}") for a in app.instance.attributes if a.name != "userName"}
    changes: dict[str, Any] = {}
    for name, expression in typed.items():
        current = app.instance.mappings.get(name)
        push = request.form.get(f"push-{name}", "PUSH") == "PUSH"
        if not expression:
            if current is not None:
                changes[name] = {"expression": None, "pushStatus": None}
        elif current is None or (current.expression, current.push) != (expression, push):
            changes[name] = {"expression": expression, "pushStatus": "PUSH" if push else "DONT_PUSH"}
    if not changes:
        flash_ok("No mapping changed.")
        return redirect(url_for("console.profile.mappings", app_id=app.id))
    try:
        found.apps.set_mapping(app.id, changes)
    except OrgError as exc:
        flash_error(problem(exc))
        return _mappings_page(app, typed, 400)
    flash_ok(f"Saved {len(changes)} mapping change(s): {', '.join(changes)}.")
    if request.form.get("apply_now"):
        report(sync().apply_mappings(app.id))
    return redirect(url_for("console.profile.mappings", app_id=app.id))


def _stored(app: AppRec) -> dict[str, str]:
    return {name: m.expression for name, m in app.instance.mappings.items()}


def _mappings_page(app: AppRec, values: dict[str, str], status: int = 200) -> Any:
    pushes = {name: m.push for name, m in app.instance.mappings.items()}
    return page(
        "mappings.html", status, app=app, values=values, pushes=pushes, okta_attributes=OKTA_ATTRIBUTES
    )
