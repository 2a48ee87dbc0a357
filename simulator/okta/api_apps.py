"""/api/v1/apps: install, connection, features, user and group assignment (okta-admin-api.md §4–§8)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from simulator.okta.api_http import body_object, flag, no_content, org, reply
from simulator.okta.api_paging import Limits, paginate
from simulator.okta.api_render import (
    app_json,
    app_user_json,
    connection_json,
    feature_json,
    link,
    with_provisioning,
)
from simulator.okta.service import Happened, invalid, not_found
from simulator.okta.service_lifecycle import LifecycleActions
from simulator.okta.store import AppGroupRec

bp = Blueprint("okta_apps", __name__)


@bp.post("/apps")
def install() -> Response:
    body = body_object()
    name, label = body.get("name"), body.get("label")
    mode = str(body.get("signOnMode") or "SAML_2_0")
    app = org().apps.install(
        str(name) if name else None, str(label) if label else None, mode, flag("activate", True)
    )
    return reply(app_json(app))


# Page sizes of okta-admin-api.md §6–§8: /apps lists everything unless asked (limit -1).
APPS = Limits(default=-1, maximum=200, all_by_default=True)
APP_USERS = Limits(default=50, maximum=500)
APP_GROUPS = Limits(default=20, maximum=200)


@bp.get("/apps")
def list_apps() -> Response:
    apps, q = org().svc.store.apps(), request.args.get("q")
    if q:
        apps = [a for a in apps if a.name.startswith(q) or a.instance.label.lower().startswith(q.lower())]
    page, links = paginate(apps, lambda a: (a.created, a.id), APPS)
    return reply([app_json(a) for a in page], headers=links)


@bp.get("/apps/<app_id>")
def get_app(app_id: str) -> Response:
    return reply(app_json(org().svc.app(app_id)))


@bp.post("/apps/<app_id>/lifecycle/<op>")
def app_lifecycle(app_id: str, op: str) -> Response:
    """§4.4: 200 `{}`; an INACTIVE app keeps its assignments but provisions nothing."""
    if op not in ("activate", "deactivate"):
        raise not_found(op, "Operation")
    LifecycleActions(org().svc).set_app_status(app_id, op == "activate")
    return reply({})


@bp.delete("/apps/<app_id>")
def delete_app(app_id: str) -> Response:
    """§4.4: 204 for an INACTIVE app; nothing reaches the target."""
    LifecycleActions(org().svc).delete_app(app_id)
    return no_content(Happened())


@bp.get("/apps/<app_id>/connections/default")
def get_connection(app_id: str) -> Response:
    return reply(connection_json(org().svc.app(app_id)))


@bp.post("/apps/<app_id>/connections/default")
def set_connection(app_id: str) -> Response:
    app, happened = org().apps.set_connection(app_id, body_object(), flag("activate", False))
    return reply(with_provisioning(connection_json(app), happened))


@bp.post("/apps/<app_id>/connections/default/lifecycle/<op>")
def connection_lifecycle(app_id: str, op: str) -> Response:
    if op not in ("activate", "deactivate"):
        raise not_found(op, "Operation")
    _, happened = org().apps.set_connection_status(app_id, op == "activate")
    return no_content(happened)


@bp.post("/apps/<app_id>/connections/default/test")
def test_connector(app_id: str) -> Response:
    """'Test Connector Configuration' (scimcert endpoint: Okta has no public API for it)."""
    happened = org().apps.test_connector(app_id)
    outcome = happened.runs[-1].outcome
    body = {"status": outcome.status, "errorSummary": outcome.error}
    return reply(with_provisioning(body, happened))


@bp.get("/apps/<app_id>/features")
def list_features(app_id: str) -> Response:
    app = org().svc.app(app_id)
    if app.connection != "ENABLED":
        raise invalid("feature", "Provisioning is not enabled for the app instance.")
    return reply([feature_json(app)])


@bp.get("/apps/<app_id>/features/<name>")
def get_feature(app_id: str, name: str) -> Response:
    if name != "USER_PROVISIONING":
        raise not_found(name, "Feature")
    return reply(feature_json(org().svc.app(app_id)))


@bp.put("/apps/<app_id>/features/<name>")
def put_feature(app_id: str, name: str) -> Response:
    if name != "USER_PROVISIONING":
        raise not_found(name, "Feature")
    body = body_object()
    caps = body.get("capabilities", body)  # the spec sends the capabilities object itself
    return reply(feature_json(org().apps.set_features(app_id, caps)))


def _login(user_id: str) -> str:
    return str(org().svc.user(user_id).profile.get("login", ""))


@bp.post("/apps/<app_id>/users")
def assign_user(app_id: str) -> Response:
    body = body_object()
    user_id = body.get("id")
    if not isinstance(user_id, str) or not user_id:
        raise invalid("id", "id: The field cannot be left blank")
    creds = body.get("credentials") if isinstance(body.get("credentials"), dict) else {}
    name = creds.get("userName") if isinstance(creds, dict) else None
    profile = body.get("profile") if isinstance(body.get("profile"), dict) else {}
    svc = org().svc
    rec, happened = svc.assign(app_id, svc.user(user_id).id, name=name, profile=profile)
    return reply(with_provisioning(app_user_json(rec, _login(rec.user_id)), happened))


@bp.get("/apps/<app_id>/users")
def list_app_users(app_id: str) -> Response:
    svc = org().svc
    svc.app(app_id)
    recs = [r for r in svc.store.app_users(app_id=app_id) if r.status != "DEPROVISIONED"]
    page, links = paginate(recs, lambda r: (r.created, r.user_id), APP_USERS)
    return reply([app_user_json(r, _login(r.user_id)) for r in page], headers=links)


@bp.get("/apps/<app_id>/users/<user_id>")
def get_app_user(app_id: str, user_id: str) -> Response:
    rec = org().svc.store.app_user(app_id, user_id)
    if rec is None or rec.status == "DEPROVISIONED":
        raise not_found(user_id, "AppUser")
    return reply(app_user_json(rec, _login(user_id)))


@bp.delete("/apps/<app_id>/users/<user_id>")
def unassign_user(app_id: str, user_id: str) -> Response:
    return no_content(org().svc.unassign(app_id, user_id))


def _app_group_json(rec: AppGroupRec) -> dict[str, Any]:
    return {"id": rec.group_id, "priority": rec.priority, "lastUpdated": rec.created, "profile": {},
            "_links": {"app": link(f"/apps/{rec.app_id}"), "group": link(f"/groups/{rec.group_id}"),
                       "self": link(f"/apps/{rec.app_id}/groups/{rec.group_id}")}}  # fmt: skip


def _app_group(app_id: str, group_id: str) -> AppGroupRec:
    found = next((r for r in org().svc.store.app_groups(app_id) if r.group_id == group_id), None)
    if found is None:
        raise not_found(group_id, "ApplicationGroupAssignment")
    return found


@bp.put("/apps/<app_id>/groups/<group_id>")
def assign_group(app_id: str, group_id: str) -> Response:
    body = body_object()
    priority = body.get("priority", 0)
    if not isinstance(priority, int):
        raise invalid("priority", "priority: must be an integer")
    happened = org().groups.assign_group(app_id, group_id, priority)
    return reply(with_provisioning(_app_group_json(_app_group(app_id, group_id)), happened))


@bp.get("/apps/<app_id>/groups")
def list_app_groups(app_id: str) -> Response:
    svc = org().svc
    svc.app(app_id)
    page, links = paginate(svc.store.app_groups(app_id), lambda r: (r.created, r.group_id), APP_GROUPS)
    return reply([_app_group_json(r) for r in page], headers=links)


@bp.get("/apps/<app_id>/groups/<group_id>")
def get_app_group(app_id: str, group_id: str) -> Response:
    org().svc.app(app_id)
    return reply(_app_group_json(_app_group(app_id, group_id)))


@bp.delete("/apps/<app_id>/groups/<group_id>")
def unassign_group(app_id: str, group_id: str) -> Response:
    return no_content(org().groups.unassign_group(app_id, group_id))
