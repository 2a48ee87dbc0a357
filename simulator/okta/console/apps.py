"""Applications: list, catalog, General tab, and the Provisioning tab (Integration and To App)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, redirect, request, url_for
from werkzeug.wrappers import Response

from simulator.okta.console.web import field, flash_error, flash_ok, flash_task, page, problem, services
from simulator.okta.service import Happened, OrgError
from simulator.okta.service_apps import CATALOG
from simulator.okta.store import AppRec
from simulator.okta.wire import BasicAuth, BearerAuth, HeaderAuth

bp = Blueprint("apps", __name__, url_prefix="/apps")

TO_APP = (  # checkbox id -> (capability path in the USER_PROVISIONING feature, label)
    ("create", ("create", "lifecycleCreate"), "Create Users"),
    ("update", ("update", "profile"), "Update User Attributes"),
    ("deactivate", ("update", "lifecycleDeactivate"), "Deactivate Users"),
    ("password", ("update", "password"), "Sync Password"),
)
AIW_NOTE = "App Integration Wizard SCIM app: GET + PUT for every change"


@bp.get("")
def list_apps() -> Any:
    return page("apps.html", apps=services().svc.store.apps())


@bp.route("/catalog", methods=["GET", "POST"])
def catalog() -> Any:
    entries = [(key, label) for key, (label, _) in CATALOG.items()]
    if request.method == "GET":
        return page("catalog.html", entries=entries, aiw_note=AIW_NOTE, form={})
    key = field("app")
    name, label = (None, field("label")) if key == "aiw" else (key, None)
    if key == "aiw" and not label:
        flash_error("Enter an app name (label) for the App Integration Wizard app.")
        return page("catalog.html", 400, entries=entries, aiw_note=AIW_NOTE, form=request.form)
    try:
        app = services().apps.install(name, label, "SAML_2_0", True)
    except OrgError as exc:
        flash_error(problem(exc))
        return page("catalog.html", 400, entries=entries, aiw_note=AIW_NOTE, form=request.form)
    flash_ok(f"Added {app.instance.label}. Next: enter the SCIM base URL and token, then test and save.")
    return redirect(url_for("console.apps.provisioning", app_id=app.id))


@bp.get("/<app_id>")
def app_home(app_id: str) -> Response:
    return redirect(url_for("console.apps.general", app_id=app_id))


@bp.get("/<app_id>/general")
def general(app_id: str) -> Any:
    return page("app_general.html", app=services().svc.app(app_id), tab="general")


# ---- Provisioning tab -------------------------------------------------------------------------


def _stored_form(app: AppRec) -> dict[str, str]:
    """The Integration form of the saved settings; secrets are never written into the page."""
    auth = app.instance.auth
    return {
        "base_url": app.instance.base_url,
        "auth_scheme": "BASIC" if isinstance(auth, BasicAuth) else "TOKEN",
        "username": auth.username if isinstance(auth, BasicAuth) else "",
    }


def _saved_secrets(app: AppRec) -> dict[str, bool]:
    """Which secret fields have a saved value (shown as a hint, never as the value)."""
    auth = app.instance.auth
    if isinstance(auth, BasicAuth):
        return {"token": False, "password": bool(auth.password)}
    return {"token": bool(auth.token), "password": False}


def _provisioning_page(app: AppRec, form: Any, status: int = 200, result: Any = None) -> Any:
    actions = app.instance.actions
    checked = {
        "create": actions.create_users,
        "update": actions.update_attributes,
        "deactivate": actions.deactivate_users,
        "password": actions.sync_password,
    }
    return page(
        "app_provisioning.html", status, app=app, tab="provisioning", form=form, result=result,
        saved=_saved_secrets(app), to_app=TO_APP, checked=checked,
    )  # fmt: skip


@bp.get("/<app_id>/provisioning")
def provisioning(app_id: str) -> Any:
    app = services().svc.app(app_id)
    return _provisioning_page(app, _stored_form(app))


class IntegrationProblem(ValueError):
    """Integration settings the console refuses before any request is sent."""


def _connection_body(app: AppRec) -> dict[str, Any]:
    """The admin API's connection body from the form; blank secrets keep the saved ones."""
    base = field("base_url")
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        shown = base or "(empty)"
        raise IntegrationProblem(
            f"SCIM connector base URL {shown} is not valid: use http:// or https:// with a host, "
            "e.g. http://127.0.0.1:8080/scim/v2"
        )
    scheme, auth = field("auth_scheme") or "TOKEN", app.instance.auth
    if scheme == "BASIC":
        username, password = field("username"), field("password")
        if not password and isinstance(auth, BasicAuth) and auth.username == username:
            password = auth.password
        if not username or not password:
            raise IntegrationProblem("Basic authentication needs a username and a password.")
        return {
            "baseUrl": base,
            "profile": {"authScheme": "BASIC", "username": username, "password": password},
        }
    if scheme != "TOKEN":
        raise IntegrationProblem("Authentication mode must be HTTP Header (token) or Basic Auth.")
    token = field("token")
    if not token and isinstance(auth, BearerAuth | HeaderAuth):
        token = auth.token
    if not token:
        raise IntegrationProblem("Enter the API token (the bearer token of your SCIM server).")
    return {"baseUrl": base, "profile": {"authScheme": "TOKEN", "token": token}}


def _typed() -> dict[str, str]:
    return {k: field(k) for k in ("base_url", "auth_scheme", "username")}


@bp.post("/<app_id>/provisioning/integration")
def save_integration(app_id: str) -> Any:
    found = services()
    app = found.svc.app(app_id)
    try:
        body = _connection_body(app)
        if request.form.get("action") == "test":
            happened = found.apps.test_settings(app.id, body)
            return _provisioning_page(app, _typed(), result=_result(app, happened))
        app, happened = found.apps.set_connection(app.id, body, activate=True)
    except IntegrationProblem as exc:
        flash_error(str(exc))
        return _provisioning_page(app, _typed(), 400)
    except OrgError as exc:
        if exc.causes and exc.causes[0].startswith("Error authenticating"):
            flash_task(problem(exc))
            flash_error("The settings were saved, but provisioning stays off until the test passes.")
        else:
            flash_error(problem(exc))
        return _provisioning_page(found.svc.app(app_id), _typed(), 400)
    flash_ok(f"{app.instance.label} was verified successfully! Provisioning to the app is enabled.")
    return redirect(url_for("console.apps.provisioning", app_id=app.id))


def _result(app: AppRec, happened: Happened) -> dict[str, Any]:
    outcome = happened.runs[-1].outcome
    if outcome.ok:
        text = f"{app.instance.label} was verified successfully!"
    else:
        text = outcome.error or "The connection test failed."
    return {"ok": outcome.ok, "text": text, "lines": [e.request_line for e in happened.runs[-1].exchanges]}


@bp.post("/<app_id>/provisioning/to-app")
def save_to_app(app_id: str) -> Response:
    caps: dict[str, dict[str, Any]] = {"create": {}, "update": {}}
    for box, (group, key), _ in TO_APP:
        caps[group][key] = {"status": "ENABLED" if request.form.get(box) else "DISABLED"}
    try:
        services().apps.set_features(app_id, caps)
    except OrgError as exc:
        flash_error(f"{problem(exc)} Save the Integration settings first.")
    else:
        flash_ok("To App settings saved.")
    return redirect(url_for("console.apps.provisioning", app_id=app_id) + "#to-app")
