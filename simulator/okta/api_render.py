"""Okta JSON shapes of org records (okta-admin-api.md §2–§12)."""

from __future__ import annotations

from typing import Any

from flask import request

from simulator.okta.model import AppInstance
from simulator.okta.service import Happened
from simulator.okta.store import AppRec, AppUserRec, GroupRec, LogRec, PushRec, TaskRec, UserRec


def base() -> str:
    return request.host_url.rstrip("/") + "/api/v1"


def link(path: str) -> dict[str, str]:
    return {"href": base() + path}


def with_provisioning(body: dict[str, Any], happened: Happened) -> dict[str, Any]:
    """Add what the call sent to the target under `_scimcert` (clients ignore unknown keys, §1.2)."""
    if happened.runs or happened.tasks:
        body["_scimcert"] = happened.to_json()
    return body


def user_json(u: UserRec, password_changed: str | None = None) -> dict[str, Any]:
    """A User; with a password set, `credentials.password` is `{}` (the value is never returned)."""
    creds: dict[str, Any] = {"provider": {"type": "OKTA", "name": "OKTA"}}
    if password_changed is not None:
        creds = {"password": {}, **creds}
    return {
        "id": u.id,
        "status": u.status,
        "created": u.created,
        "activated": u.created if u.status == "ACTIVE" else None,
        "statusChanged": u.updated,
        "lastLogin": None,
        "lastUpdated": u.updated,
        "passwordChanged": password_changed,
        "type": {"id": "oty1scimcertdefault0"},
        "profile": u.profile,
        "credentials": creds,
        "_links": {"self": link(f"/users/{u.id}")},
    }


def group_json(g: GroupRec) -> dict[str, Any]:
    return {
        "id": g.id,
        "created": g.created,
        "lastUpdated": g.updated,
        "lastMembershipUpdated": g.updated,
        "objectClass": ["okta:user_group"],
        "type": "OKTA_GROUP",
        "profile": {"name": g.name, "description": g.description},
        "_links": {"users": link(f"/groups/{g.id}/users"), "apps": link(f"/groups/{g.id}/apps")},
    }


def _features(inst: AppInstance, enabled: bool) -> list[str]:
    if not enabled:
        return []
    a = inst.actions
    table = [
        (a.create_users, "PUSH_NEW_USERS"), (a.update_attributes, "PUSH_PROFILE_UPDATES"),
        (a.deactivate_users, "PUSH_USER_DEACTIVATION"), (a.deactivate_users, "REACTIVATE_USERS"),
        (a.sync_password, "PUSH_PASSWORD_UPDATES"), (a.push_groups, "GROUP_PUSH"),
        (a.import_users, "IMPORT_NEW_USERS"), (True, "SCIM_PROVISIONING"),
    ]  # fmt: skip
    return [name for on, name in table if on]


def app_json(a: AppRec) -> dict[str, Any]:
    inst = a.instance
    op = "deactivate" if a.status == "ACTIVE" else "activate"
    return {
        "id": a.id,
        "name": a.name,
        "label": inst.label,
        "status": a.status,
        "created": a.created,
        "lastUpdated": a.updated,
        "signOnMode": a.sign_on_mode,
        "features": _features(inst, a.connection == "ENABLED"),
        "accessibility": {"selfService": False, "errorRedirectUrl": None, "loginRedirectUrl": None},
        "visibility": {"autoSubmitToolbar": False, "hide": {"iOS": False, "web": False},
                       "appLinks": {f"{a.name}_login": True}},
        "credentials": {"userNameTemplate": {"template": "${source.login}", "type": "BUILT_IN"}},
        "settings": {"app": {}, "scimcert": {"flavour": inst.flavour.value}},
        "_links": {"users": link(f"/apps/{a.id}/users"), "groups": link(f"/apps/{a.id}/groups"),
                   "self": link(f"/apps/{a.id}"), op: link(f"/apps/{a.id}/lifecycle/{op}")},
    }  # fmt: skip


def connection_json(a: AppRec) -> dict[str, Any]:
    scheme = "BASIC" if a.instance.auth.kind == "basic" else "TOKEN"
    op = "deactivate" if a.connection == "ENABLED" else "activate"
    return {
        "authScheme": scheme,
        "status": a.connection,
        "baseUrl": a.instance.base_url,
        "profile": {"authScheme": scheme},
        "_links": {"self": link(f"/apps/{a.id}/connections/default"),
                   op: link(f"/apps/{a.id}/connections/default/lifecycle/{op}")},
    }  # fmt: skip


def feature_json(a: AppRec) -> dict[str, Any]:
    act = a.instance.actions

    def st(on: bool) -> dict[str, str]:
        return {"status": "ENABLED" if on else "DISABLED"}

    return {
        "name": "USER_PROVISIONING",
        "status": "ENABLED" if a.connection == "ENABLED" else "DISABLED",
        "description": "User provisioning settings from Okta to a downstream app",
        "capabilities": {
            "create": {"lifecycleCreate": st(act.create_users)},
            "update": {
                "profile": st(act.update_attributes),
                "lifecycleDeactivate": st(act.deactivate_users),
                "password": {**st(act.sync_password), "seed": "RANDOM", "change": "KEEP_EXISTING"},
            },
        },
        "_links": {"self": link(f"/apps/{a.id}/features/USER_PROVISIONING")},
    }


def app_user_json(au: AppUserRec, login: str) -> dict[str, Any]:
    return {
        "id": au.user_id,
        "externalId": au.scim_id,
        "created": au.created,
        "lastUpdated": au.updated,
        "scope": au.scope,
        "status": au.status,
        "statusChanged": au.updated,
        "syncState": au.sync_state,
        "lastSync": au.updated,
        "credentials": {"userName": au.user_name or login},
        "profile": au.profile,
        "_links": {"app": link(f"/apps/{au.app_id}"), "user": link(f"/users/{au.user_id}")},
    }


def push_json(p: PushRec) -> dict[str, Any]:
    return {
        "id": p.id,
        "sourceGroupId": p.source_group_id,
        "targetGroupId": p.target_scim_id,
        "status": p.status,
        "errorSummary": p.error,
        "created": p.created,
        "lastUpdated": p.updated,
        "lastPush": p.last_push,
        "_links": {"app": link(f"/apps/{p.app_id}"), "sourceGroup": link(f"/groups/{p.source_group_id}")},
    }


def task_json(t: TaskRec) -> dict[str, Any]:
    """A Tasks-page entry; `retryAt` (UTC) is when Okta retries a task a 429 paused, `attempts` the
    requests made for its step so far (okta-scim.md §10)."""
    return {"id": t.id, "appId": t.app_id, "objectId": t.object_id, "action": t.action,
            "errorSummary": t.error, "failedStep": t.failed_step, "status": t.status,
            "created": t.created, "attempts": t.attempts, "retryAt": t.retry_at}  # fmt: skip


_ADMIN = {"id": "scimcert-admin", "type": "User", "alternateId": "admin", "displayName": "API token owner"}
_OKTA = {"id": "scimcert", "type": "SystemPrincipal", "displayName": "Okta System"}


def log_json(e: LogRec) -> dict[str, Any]:
    """A LogEvent (§12): an admin action's event, or one SCIM exchange of provisioning (whose
    debugData carries the step and the redacted exchange, scimcert's extension)."""
    debug: dict[str, Any] = {"seq": e.seq}
    if e.step is not None:
        debug.update(step=e.step, exchange=e.exchange)
    return {
        "uuid": e.uuid,
        "published": e.published,
        "eventType": e.event_type,
        "version": "0",
        "severity": "INFO" if e.result == "SUCCESS" else "WARN",
        "displayMessage": e.message,
        "outcome": {"result": e.result, "reason": e.reason},
        "actor": _OKTA if e.step is not None else _ADMIN,
        "target": log_targets(e),
        "transaction": {"type": "JOB", "id": e.step} if e.step is not None else {"type": "WEB", "id": e.uuid},
        "debugContext": {"debugData": debug},
    }


def log_targets(e: LogRec) -> list[dict[str, str]]:
    if e.targets is not None:
        return [dict(t) for t in e.targets]
    target = [{"id": e.app_id, "type": "AppInstance"}] if e.app_id else []
    if e.object_id and e.object_id != e.app_id:
        kind = "User" if e.object_id.startswith("00u") else "UserGroup"
        target.append({"id": e.object_id, "type": kind})
    return target
