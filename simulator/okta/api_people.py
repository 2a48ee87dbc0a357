"""/api/v1/users and /api/v1/groups (okta-admin-api.md §2, §3)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from simulator.okta.api_http import body_object, expression, flag, no_content, org, reply
from simulator.okta.api_paging import Limits, paginate
from simulator.okta.api_render import group_json, user_json, with_provisioning
from simulator.okta.service import Happened, invalid
from simulator.okta.service_lifecycle import LifecycleActions
from simulator.okta.service_passwords import PasswordActions, password_value
from simulator.okta.store import GroupRec, UserRec

bp = Blueprint("okta_people", __name__)

# Page sizes of okta-admin-api.md §2.4 and §3; a `q` search has one page only.
USERS = Limits(default=200, maximum=200)
USERS_Q = Limits(default=10, maximum=200)
GROUPS = Limits(default=10000, maximum=10000)
GROUPS_Q = Limits(default=300, maximum=10000)
MEMBERS = Limits(default=1000, maximum=1000)


def _by_created(rec: UserRec | GroupRec) -> tuple[str, str]:
    return (rec.created, rec.id)


def _profile(body: dict[str, Any]) -> dict[str, Any]:
    profile = body.get("profile")
    if not isinstance(profile, dict):
        raise invalid("profile", "profile: The field cannot be left blank")
    return profile


def _user_json(user: UserRec) -> dict[str, Any]:
    return user_json(user, PasswordActions(org().svc).changed(user.id))


def _group_ids(body: dict[str, Any]) -> list[str]:
    """`groupIds` of a new user: a list of group ids (okta-admin-api.md §2.2)."""
    ids = body.get("groupIds") or []
    if not isinstance(ids, list) or not all(isinstance(i, str) and i for i in ids):
        raise invalid("groupIds", "groupIds: must be a list of group ids")
    return ids


@bp.post("/users")
def create_user() -> Response:
    """§2.2; all or nothing: an unknown group in `groupIds` is a 404 and no user is made."""
    body = body_object()
    password = password_value(body.get("credentials"))
    found, happened = org(), Happened()
    with found.svc.store.transaction():
        group_ids = [found.svc.group(g).id for g in _group_ids(body)]
        user = found.svc.create_user(
            _profile(body), activate=flag("activate", True), has_password=password is not None
        )
        if password is not None:
            PasswordActions(found.svc).remember(user.id, password)
        for group_id in group_ids:
            done = found.groups.add_member(group_id, user.id)
            happened.runs.extend(done.runs)
            happened.tasks.extend(done.tasks)
    return reply(with_provisioning(_user_json(user), happened))


@bp.get("/users")
def list_users() -> Response:
    users = org().svc.store.users()
    keep, q = expression("filter") or expression("search"), request.args.get("q")
    if keep is not None:  # an expression may ask for DEPROVISIONED users too (status eq …)
        users = [u for u in users if keep(_user_json(u))]
    else:
        users = [u for u in users if u.status != "DEPROVISIONED"]
    if q:  # a quick search: first page only, 10 by default (§2.4)
        keys = ("firstName", "lastName", "email", "login")
        users = [
            u for u in users if any(str(u.profile.get(k, "")).lower().startswith(q.lower()) for k in keys)
        ]
        return reply([_user_json(u) for u in paginate(users, _by_created, USERS_Q)[0]])
    page, links = paginate(users, _by_created, USERS)
    return reply([_user_json(u) for u in page], headers=links)


@bp.get("/users/<user_id>")
def get_user(user_id: str) -> Response:
    return reply(_user_json(org().svc.user(user_id)))


@bp.route("/users/<user_id>", methods=["POST", "PUT"])
def update_user(user_id: str) -> Response:
    """Partial (POST) or full (PUT) update; `credentials.password.value` sets the password (§2.5)."""
    body = body_object()
    svc = org().svc
    password = password_value(body.get("credentials"))
    profile = _profile(body) if request.method == "PUT" or "profile" in body else {}
    user, happened = PasswordActions(svc).update_user(
        svc.user(user_id).id, profile, partial=request.method == "POST", password=password
    )
    return reply(with_provisioning(_user_json(user), happened))


@bp.post("/users/<user_id>/credentials/change_password")
def change_password(user_id: str) -> Response:
    """The user's own change: oldPassword must match; the new one is synced like an admin set."""
    body = body_object()
    old, new = password_value(body, "oldPassword"), password_value(body, "newPassword")
    if old is None or new is None:
        missing = "oldPassword" if old is None else "newPassword"
        raise invalid(missing, f"{missing}: The field cannot be left blank")
    svc = org().svc
    _, happened = PasswordActions(svc).change_password(svc.user(user_id).id, old, new)
    creds = {"password": {}, "provider": {"type": "OKTA", "name": "OKTA"}}
    return reply(with_provisioning(creds, happened))


@bp.delete("/users/<user_id>")
def delete_user(user_id: str) -> Response:
    """§2.7: the first DELETE of a user that is not DEPROVISIONED deactivates it, the next deletes."""
    return no_content(LifecycleActions(org().svc).delete_user(user_id))


@bp.post("/users/<user_id>/lifecycle/<op>")
def lifecycle(user_id: str, op: str) -> Response:
    svc = org().svc
    if op in ("suspend", "unsuspend"):
        LifecycleActions(svc).suspend(svc.user(user_id).id, op == "suspend")
        return reply({})
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
    keep = expression("filter") or expression("search")  # e.g. type eq "OKTA_GROUP" (§3)
    if keep is not None:
        groups = [g for g in groups if keep(group_json(g))]
    if q:  # a quick search: first page only, 300 by default (§3)
        groups = [g for g in groups if g.name.lower().startswith(q.lower())]
        return reply([group_json(g) for g in paginate(groups, _by_created, GROUPS_Q)[0]])
    page, links = paginate(groups, _by_created, GROUPS)
    return reply([group_json(g) for g in page], headers=links)


@bp.get("/groups/<group_id>")
def get_group(group_id: str) -> Response:
    return reply(group_json(org().svc.group(group_id)))


@bp.put("/groups/<group_id>")
def replace_group(group_id: str) -> Response:
    profile = _profile(body_object())
    name, description = str(profile.get("name") or ""), str(profile.get("description") or "")
    group, happened = org().groups.update_group(group_id, name, description)
    return reply(with_provisioning(group_json(group), happened))


@bp.delete("/groups/<group_id>")
def delete_group(group_id: str) -> Response:
    return no_content(LifecycleActions(org().svc).delete_group(group_id))


@bp.get("/groups/<group_id>/users")
def group_users(group_id: str) -> Response:
    svc = org().svc
    svc.group(group_id)
    members = [svc.user(uid) for uid in svc.store.member_ids(group_id)]
    page, links = paginate(members, lambda u: (u.id,), MEMBERS)
    return reply([_user_json(u) for u in page], headers=links)


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
