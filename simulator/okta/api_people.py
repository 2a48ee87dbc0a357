"""/api/v1/users and /api/v1/groups (okta-admin-api.md §2, §3)."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, request

from simulator.okta.api_http import body_object, flag, no_content, org, reply
from simulator.okta.api_render import group_json, user_json, with_provisioning
from simulator.okta.service import Happened, invalid

bp = Blueprint("okta_people", __name__)

_FILTER = re.compile(r'^\s*(profile\.login|profile\.email|id|status)\s+eq\s+"([^"]*)"\s*$', re.I)


def _profile(body: dict[str, Any]) -> dict[str, Any]:
    profile = body.get("profile")
    if not isinstance(profile, dict):
        raise invalid("profile", "profile: The field cannot be left blank")
    return profile


@bp.post("/users")
def create_user() -> Response:
    body = body_object()
    creds = body.get("credentials")
    has_password = isinstance(creds, dict) and isinstance(creds.get("password"), dict)
    svc = org().svc
    user = svc.create_user(_profile(body), activate=flag("activate", True), has_password=has_password)
    for group_id in body.get("groupIds") or []:
        org().groups.add_member(str(group_id), user.id)
    return reply(user_json(user))


@bp.get("/users")
def list_users() -> Response:
    users = org().svc.store.users()
    flt, q = request.args.get("filter") or request.args.get("search"), request.args.get("q")
    if flt:
        match = _FILTER.match(flt)
        if not match:
            raise invalid("filter", f"filter: unsupported expression {flt}")
        attr, value = match.group(1).lower(), match.group(2)

        def pick(u: Any) -> Any:
            return u.id if attr == "id" else u.status if attr == "status" else u.profile.get(attr[8:])

        users = [u for u in users if str(pick(u)).casefold() == value.casefold()]
    else:
        users = [u for u in users if u.status != "DEPROVISIONED"]
    if q:
        keys = ("firstName", "lastName", "email", "login")
        users = [
            u for u in users if any(str(u.profile.get(k, "")).lower().startswith(q.lower()) for k in keys)
        ]
    limit = int(request.args.get("limit") or 200)
    return reply([user_json(u) for u in users[:limit]])


@bp.get("/users/<user_id>")
def get_user(user_id: str) -> Response:
    return reply(user_json(org().svc.user(user_id)))


@bp.route("/users/<user_id>", methods=["POST", "PUT"])
def update_user(user_id: str) -> Response:
    body = body_object()
    svc = org().svc
    profile = _profile(body) if request.method == "PUT" or "profile" in body else {}
    user, happened = svc.update_user(svc.user(user_id).id, profile, partial=request.method == "POST")
    return reply(with_provisioning(user_json(user), happened))


@bp.post("/users/<user_id>/lifecycle/<op>")
def lifecycle(user_id: str, op: str) -> Response:
    svc = org().svc
    if op not in ("activate", "deactivate"):
        raise invalid("op", f"lifecycle operation {op} is not supported by the simulator")
    user, happened = svc.set_user_status(svc.user(user_id).id, op == "activate")
    body: dict[str, Any] = {}
    if op == "activate" and not flag("sendEmail", True):
        body = {"activationUrl": f"{request.host_url}welcome/{user.id}", "activationToken": user.id[-10:]}
    return reply(with_provisioning(body, happened))


@bp.post("/groups")
def create_group() -> Response:
    profile = _profile(body_object())
    group = org().svc.create_group(str(profile.get("name") or ""), str(profile.get("description") or ""))
    return reply(group_json(group))


@bp.get("/groups")
def list_groups() -> Response:
    groups, q = org().svc.store.groups(), request.args.get("q")
    if q:
        groups = [g for g in groups if g.name.lower().startswith(q.lower())]
    return reply([group_json(g) for g in groups])


@bp.get("/groups/<group_id>")
def get_group(group_id: str) -> Response:
    return reply(group_json(org().svc.group(group_id)))


@bp.put("/groups/<group_id>")
def replace_group(group_id: str) -> Response:
    profile = _profile(body_object())
    name, description = str(profile.get("name") or ""), str(profile.get("description") or "")
    group, happened = org().groups.update_group(group_id, name, description)
    return reply(with_provisioning(group_json(group), happened))


@bp.get("/groups/<group_id>/users")
def group_users(group_id: str) -> Response:
    svc = org().svc
    svc.group(group_id)
    return reply([user_json(svc.user(uid)) for uid in svc.store.member_ids(group_id)])


@bp.put("/groups/<group_id>/users/<user_id>")
def add_member(group_id: str, user_id: str) -> Response:
    happened = org().groups.add_member(group_id, org().svc.user(user_id).id)
    return _done(happened)


@bp.delete("/groups/<group_id>/users/<user_id>")
def remove_member(group_id: str, user_id: str) -> Response:
    happened = org().groups.remove_member(group_id, org().svc.user(user_id).id)
    return _done(happened)


def _done(happened: Happened) -> Response:
    """204 as Okta answers; what was sent to the target rides in a header (scimcert's addition)."""
    return no_content(happened)
