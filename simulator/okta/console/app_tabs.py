"""The app's Assignments, Push Groups and Import tabs."""

from __future__ import annotations

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
    stash,
    unstash,
)
from simulator.okta.service import Happened, OrgError, assignable

bp = Blueprint("app_tabs", __name__, url_prefix="/apps/<app_id>")

PUSH_STATUS = {"ACTIVE": "Active", "INACTIVE": "Inactive", "ERROR": "Error"}


def _back(tab: str, app_id: str) -> Response:
    return redirect(url_for(f"console.app_tabs.{tab}", app_id=app_id))


def _attempt(action: Any, *args: Any, done: str = "") -> None:
    """Run one org action; flash what it sent, or why it was refused."""
    try:
        result = action(*args)
    except OrgError as exc:
        flash_error(problem(exc))
        return
    happened = result if isinstance(result, Happened) else result[1]
    if done and not happened.tasks:
        flash_ok(done)
    report(happened)


# ---- Assignments ------------------------------------------------------------------------------


@bp.get("/assignments")
def assignments(app_id: str) -> Any:
    svc = services().svc
    app = svc.app(app_id)
    recs = [r for r in svc.store.app_users(app_id=app.id) if r.status != "DEPROVISIONED"]
    people = [(svc.user(r.user_id), r) for r in recs]
    assigned_ids = {r.user_id for r in recs}
    group_ids = svc.store.app_group_ids(app.id)
    groups = [svc.group(g) for g in group_ids]
    return page(
        "app_assignments.html", app=app, tab="assignments", people=people, groups=groups,
        free_people=[u for u in svc.store.users() if u.id not in assigned_ids and assignable(u)],
        free_groups=[g for g in svc.store.groups() if g.id not in set(group_ids)],
    )  # fmt: skip


@bp.post("/assignments/people")
def assign_person(app_id: str) -> Response:
    user_id, svc = field("user_id"), services().svc
    if not user_id:
        flash_error("Choose a person to assign.")
    else:
        login = svc.user(user_id).profile.get("login")
        _attempt(lambda: svc.assign(app_id, svc.user(user_id).id), done=f"Assigned {login}.")
    return _back("assignments", app_id)


@bp.post("/assignments/people/<user_id>/remove")
def unassign_person(app_id: str, user_id: str) -> Response:
    svc = services().svc
    login = svc.user(user_id).profile.get("login")
    _attempt(svc.unassign, app_id, user_id, done=f"Unassigned {login}.")
    return _back("assignments", app_id)


@bp.post("/assignments/groups")
def assign_group(app_id: str) -> Response:
    group_id, found = field("group_id"), services()
    if not group_id:
        flash_error("Choose a group to assign.")
    else:
        name = found.svc.group(group_id).name
        _attempt(found.groups.assign_group, app_id, group_id, 0, done=f"Assigned group {name}.")
    return _back("assignments", app_id)


@bp.post("/assignments/groups/<group_id>/remove")
def unassign_group(app_id: str, group_id: str) -> Response:
    found = services()
    name = found.svc.group(group_id).name
    _attempt(found.groups.unassign_group, app_id, group_id, done=f"Unassigned group {name}.")
    return _back("assignments", app_id)


# ---- Push Groups ------------------------------------------------------------------------------


@bp.get("/push")
def push(app_id: str) -> Any:
    svc = services().svc
    app = svc.app(app_id)
    pushes = svc.store.pushes(app_id=app.id)
    rows = [(svc.group(p.source_group_id), p) for p in pushes]
    pushed = {p.source_group_id for p in pushes}
    free = [g for g in svc.store.groups() if g.id not in pushed]
    return page("app_push.html", app=app, tab="push", rows=rows, free_groups=free, status_text=PUSH_STATUS)


@bp.post("/push")
def push_group(app_id: str) -> Response:
    found = services()
    group_id, target = field("group_id"), field("target_group_id")
    if not group_id:
        flash_error("Choose a group to push.")
        return _back("push", app_id)
    group = found.svc.group(group_id)
    name = None if target else group.name
    _attempt(found.groups.create_push, app_id, group.id, "ACTIVE", name, target or None)
    return _back("push", app_id)


@bp.post("/push/<mapping_id>/<op>")
def push_action(app_id: str, mapping_id: str, op: str) -> Response:
    groups = services().groups
    if op == "push-now":
        _attempt(groups.push_now, app_id, mapping_id, done="Push Now done.")
    elif op in ("activate", "deactivate"):
        status = "ACTIVE" if op == "activate" else "INACTIVE"
        _attempt(groups.set_status, app_id, mapping_id, status, done=f"Group push is now {status}.")
    elif op == "unlink":
        _unlink(app_id, mapping_id, bool(request.form.get("delete_target")))
    else:
        flash_error(f"Unknown action {op}.")
    return _back("push", app_id)


def _unlink(app_id: str, mapping_id: str, delete_target: bool) -> None:
    """Okta's 'Unlink pushed group': deactivate the mapping, then delete it (and maybe the target)."""
    groups = services().groups
    try:
        if groups.push(app_id, mapping_id).status == "ACTIVE":
            groups.set_status(app_id, mapping_id, "INACTIVE")
        happened = groups.delete_push(app_id, mapping_id, delete_target)
    except OrgError as exc:
        flash_error(problem(exc))
        return
    flash_ok(
        "Unlinked; the group was deleted in the app."
        if delete_target
        else "Unlinked; the group stays in the app."
    )
    report(happened)


# ---- Import -----------------------------------------------------------------------------------


@bp.get("/import")
def import_tab(app_id: str) -> Any:
    app = services().svc.app(app_id)
    return page("app_import.html", app=app, tab="import", summary=unstash(f"import.{app.id}"))


@bp.post("/import/<kind>")
def import_now(app_id: str, kind: str) -> Response:
    if kind not in ("users", "groups"):
        flash_error(f"Unknown import {kind}.")
        return _back("import_tab", app_id)
    try:
        happened = services().apps.import_now(app_id, kind)
    except OrgError as exc:
        flash_error(problem(exc))
        return _back("import_tab", app_id)
    outcome = happened.runs[-1].outcome
    if outcome.ok and outcome.summary is not None:
        s = outcome.summary
        stash(f"import.{app_id}", {"kind": kind, "scanned": s.scanned, "new": s.new, "updated": s.updated,
                                   "unchanged": s.unchanged, "removed": s.removed,
                                   "inactive": s.skipped_inactive, "pages": s.pages})  # fmt: skip
    report(happened)
    return _back("import_tab", app_id)
