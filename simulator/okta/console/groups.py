"""Groups: list, add, edit name and description, members."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, request, url_for
from werkzeug.wrappers import Response

from simulator.okta.console.web import field, flash_error, flash_ok, page, problem, report, services
from simulator.okta.service import OrgError
from simulator.okta.store import GroupRec

bp = Blueprint("groups", __name__, url_prefix="/groups")


@bp.get("")
def list_groups() -> Any:
    store = services().svc.store
    rows = [(g, len(store.member_ids(g.id))) for g in store.groups()]
    return page("groups.html", groups=rows)


@bp.route("/new", methods=["GET", "POST"])
def new_group() -> Any:
    if request.method == "GET":
        return page("group_new.html", form={})
    name, description = field("name"), field("description")
    if not name:
        flash_error("Name is required.")
        return page("group_new.html", 400, form=request.form)
    try:
        group = services().svc.create_group(name, description)
    except OrgError as exc:
        flash_error(_duplicate(exc, name))
        return page("group_new.html", 400, form=request.form)
    flash_ok(f"Added group {group.name}.")
    return redirect(url_for("console.groups.group", group_id=group.id))


@bp.route("/<group_id>", methods=["GET", "POST"])
def group(group_id: str) -> Any:
    found = services()
    rec = found.svc.group(group_id)
    if request.method == "GET":
        return _group_page(rec, {"name": rec.name, "description": rec.description})
    name, description = field("name"), field("description")
    if not name:
        flash_error("Name is required.")
        return _group_page(rec, request.form, 400)
    try:
        rec, happened = found.groups.update_group(rec.id, name, description)
    except OrgError as exc:  # the service refuses a name another group has, as create does
        flash_error(_duplicate(exc, name))
        return _group_page(rec, request.form, 400)
    flash_ok(f"Saved group {rec.name}.")
    report(happened)
    return redirect(url_for("console.groups.group", group_id=rec.id))


@bp.post("/<group_id>/members")
def add_member(group_id: str) -> Response:
    found = services()
    user_id = field("user_id")
    if not user_id:
        flash_error("Choose a person to add.")
    else:
        try:
            happened = found.groups.add_member(group_id, found.svc.user(user_id).id)
        except OrgError as exc:
            flash_error(problem(exc))
        else:
            flash_ok(f"Added {found.svc.user(user_id).profile.get('login')} to the group.")
            report(happened)
    return redirect(url_for("console.groups.group", group_id=group_id))


@bp.post("/<group_id>/members/<user_id>/remove")
def remove_member(group_id: str, user_id: str) -> Response:
    found = services()
    try:
        happened = found.groups.remove_member(group_id, found.svc.user(user_id).id)
    except OrgError as exc:
        flash_error(problem(exc))
    else:
        flash_ok(f"Removed {found.svc.user(user_id).profile.get('login')} from the group.")
        report(happened)
    return redirect(url_for("console.groups.group", group_id=group_id))


def _group_page(rec: GroupRec, form: Any, status: int = 200) -> Any:
    svc = services().svc
    member_ids = svc.store.member_ids(rec.id)
    members = [svc.user(uid) for uid in member_ids]
    others = [u for u in svc.store.users() if u.id not in set(member_ids)]
    apps = {a.id: a for a in svc.store.apps()}
    assigned = [apps[a] for a in svc.store.apps_of_group(rec.id) if a in apps]
    pushed = [(apps[p.app_id], p) for p in svc.store.pushes(group_id=rec.id) if p.app_id in apps]
    return page(
        "group.html", status, group=rec, form=form, members=members, others=others,
        assigned=assigned, pushed=pushed,
    )  # fmt: skip


def _duplicate(exc: OrgError, name: str) -> str:
    if any("already exists" in c for c in exc.causes):
        return f"A group named {name} already exists."
    return problem(exc)
