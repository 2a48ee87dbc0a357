"""Verify: read a user or group back from the target over SCIM, side by side with what Okta sent."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from simulator.okta import errors
from simulator.okta.console.compare import Row, compare, sent_user
from simulator.okta.console.web import flash_error, page, problem, services, sync
from simulator.okta.service import OrgError
from simulator.okta.store import AppRec
from simulator.scim import urns

bp = Blueprint("verify", __name__, url_prefix="/apps/<app_id>/verify")


def _read(app: AppRec, endpoint: str, scim_id: str) -> dict[str, Any] | None:
    """The resource from the target, or None with the failure flashed."""
    try:
        response = sync().read_back(app.id, endpoint, scim_id)
    except OrgError as exc:
        flash_error(problem(exc))
        return None
    body = response.json_object()
    if response.status != 200 or body is None:
        status = f"HTTP {response.status}" if response.status else "No response"
        flash_error(f"GET /{endpoint}/{scim_id} failed ({status}): {errors.remote_reason(response)}")
        return None
    return body


def _page(app: AppRec, kind: str, name: str, scim_id: str | None, rows: list[Row]) -> Any:
    differences = sum(1 for r in rows if r.differs)
    return page(
        "verify.html", app=app, tab="verify", kind=kind, name=name, scim_id=scim_id, rows=rows,
        differences=differences,
    )  # fmt: skip


@bp.get("/user/<user_id>")
def verify_user(app_id: str, user_id: str) -> Any:
    svc = services().svc
    app, user = svc.app(app_id), svc.user(user_id)
    rec = svc.store.app_user(app.id, user.id)
    name = str(user.profile.get("login"))
    if rec is None or not rec.scim_id:
        flash_error(f"{name} has not been created in {app.instance.label} yet, so there is nothing to read.")
        return _page(app, "user", name, None, [])
    exchanges = [e.exchange for e in svc.store.logs_of(app.id, user.id) if e.exchange]
    sent = sent_user(exchanges) or {}
    received = _read(app, "Users", rec.scim_id)
    return _page(app, "user", name, rec.scim_id, compare(sent, received) if received is not None else [])


@bp.get("/group/<group_id>")
def verify_group(app_id: str, group_id: str) -> Any:
    svc = services().svc
    app, group = svc.app(app_id), svc.group(group_id)
    push = next((p for p in svc.store.pushes(app.id, group.id)), None)
    if push is None or not push.target_scim_id:
        flash_error(
            f"{group.name} has not been pushed to {app.instance.label} yet, so there is nothing to read."
        )
        return _page(app, "group", group.name, None, [])
    members = [m for m in (svc.member_of(app, uid) for uid in svc.store.member_ids(group.id)) if m]
    sent = {
        "schemas": [urns.CORE_GROUP],
        "displayName": push.target_name,
        "members": [{"value": m.value} for m in members],
    }
    received = _read(app, "Groups", push.target_scim_id)
    return _page(app, "group", group.name, push.target_scim_id, compare(sent, received) if received else [])
