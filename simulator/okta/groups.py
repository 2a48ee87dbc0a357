"""Group push plans (okta-scim.md §8): create or link, membership, Push Now, rename, unlink."""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from typing import Any

from simulator.okta import errors, payloads, wire
from simulator.okta.errors import GroupTask
from simulator.okta.model import AppInstance, Flavour, OktaGroup
from simulator.okta.payloads import Member
from simulator.okta.plan import Outcome, Plan, created_id, foreign_hit, read_lookup, request, skipped
from simulator.okta.wire import ScimRequest, ScimResponse

GroupFail = Callable[[GroupTask, str, ScimResponse], Outcome]
Steps = Generator[ScimRequest, ScimResponse, Outcome | None]
Rebuild = Callable[[dict[str, Any]], tuple[str, list[Member]]]


def _failer(action: str, group: str) -> GroupFail:
    def fail(task: GroupTask, step: str, response: ScimResponse) -> Outcome:
        text = errors.group_task_error(task, group, errors.remote_reason(response))
        return Outcome(action, ok=False, error=text, failed_step=step)

    return fail


def _members(members: Sequence[Member | tuple[str, str | None]]) -> list[Member]:
    return [Member(*m) for m in members]


def _current_members(group: dict[str, Any]) -> list[Member]:
    """Members of a GET /Groups/{id} body as (value, display)."""
    listed = group.get("members") or []
    return [
        Member(str(m["value"]), m.get("display"))
        for m in listed
        if isinstance(m, dict) and m.get("value") is not None
    ]


def _aiw_put(app: AppInstance, step: str, scim_id: str, rebuild: Rebuild, fail: GroupFail) -> Steps:
    """AIW: GET /Groups/{id}, then PUT the full group (§8.1, §8.3, §8.4)."""
    path = wire.resource_path("Groups", scim_id)
    response = yield request(app, f"{step}.get", "GET", path)
    current = response.json_object()
    if response.status != 200 or current is None:
        return fail(GroupTask.UPDATE, f"{step}.get", response)
    name, members = rebuild(current)
    body = payloads.group_put_body(scim_id, name, members, app.quirks)
    response = yield request(app, f"{step}.put", "PUT", path, body=body)
    return None if response.ok else fail(GroupTask.MEMBERS, f"{step}.put", response)


def _oin_patches(
    app: AppInstance,
    scim_id: str,
    steps: list[tuple[str, dict[str, Any]]],
    rename: tuple[str, str] | None,
    fail: GroupFail,
) -> Steps:
    """Send membership PATCHes, with the rename PATCH (step id, name) before or after them."""
    tasks = [(step, body, GroupTask.MEMBERS) for step, body in steps]
    if rename is not None and app.push.rename_groups:
        item = (rename[0], payloads.rename_patch(scim_id, rename[1]), GroupTask.UPDATE)
        tasks = [item, *tasks] if app.push.rename_order == "before" else [*tasks, item]
    path = wire.resource_path("Groups", scim_id)
    for step, body, task in tasks:
        response = yield request(app, step, "PATCH", path, body=body)
        if not response.ok:
            return fail(task, step, response)
    return None


def push_group(
    app: AppInstance, group: OktaGroup, members: Sequence[Member | tuple[str, str | None]]
) -> Plan:
    """Push Groups (§8.1): lookup by displayName, POST with members [], then add the members.

    OIN adds members by PATCH in batches; AIW does GET + PUT with the full list. On a lookup
    hit Okta links the existing group and keeps its members (§8.2); with `app.exact_links` a hit
    of another displayName is not linked: the outcome fails, nothing more is sent.
    """
    action = "push_group"
    if not app.actions.push_groups:
        return (yield from skipped(action, "Push Groups is disabled"))
    wanted, fail = _members(members), _failer(action, group.name)
    scim_id: str | None = None
    if app.quirks.group_lookup_before_create:
        query = wire.lookup_query("displayName", group.name, app.quirks.space_encoding)
        response = yield request(app, "group.push.lookup", "GET", "/Groups", query=query)
        verdict, found = read_lookup(response, "displayName", group.name)
        if verdict == "error":
            return fail(GroupTask.LOOKUP, "group.push.lookup", response)
        refused = _refused(app, found, group.name)
        if refused is not None:
            return Outcome(action, ok=False, error=refused, failed_step="group.push.lookup")
        scim_id = str(found["id"]) if found else None
    linked = scim_id is not None
    if scim_id is None:
        body = payloads.group_create_body(group.name)
        response = yield request(app, "group.push.create", "POST", "/Groups", body=body)
        scim_id = created_id(response)
        if scim_id is None:
            return _create_failed(action, group.name, response, fail)
    failed = yield from _add_members(app, scim_id, group.name, wanted, linked, fail)
    return failed or Outcome(action, ok=True, scim_id=scim_id, linked=linked)


def _refused(app: AppInstance, found: dict[str, Any] | None, name: str) -> str | None:
    """Why a lookup hit is not linked: another displayName, where the app links exact hits only."""
    if found is None or not app.exact_links:
        return None
    return foreign_hit(found, "displayName", name, "add its members to — that group")


def _add_members(
    app: AppInstance, scim_id: str, name: str, wanted: list[Member], linked: bool, fail: GroupFail
) -> Steps:
    """After create or link: OIN PATCH adds in batches; AIW GET + PUT (a linked group keeps its members)."""
    if app.flavour is Flavour.AIW:

        def rebuild(current: dict[str, Any]) -> tuple[str, list[Member]]:
            kept = _current_members(current) if linked else []
            known = {m.value for m in kept}
            return name, kept + [m for m in wanted if m.value not in known]

        return (yield from _aiw_put(app, "group.push", scim_id, rebuild, fail))
    bodies = payloads.membership_patches(wanted, (), app.push.batch_size)
    steps = [(f"group.push.add-members.{i}", b) for i, b in enumerate(bodies, 1)]
    return (yield from _oin_patches(app, scim_id, steps, None, fail))


def _create_failed(action: str, name: str, response: ScimResponse, fail: GroupFail) -> Outcome:
    if response.ok and (response.body is not None or not response.text.strip()):
        text = errors.group_task_error(GroupTask.CREATE, name, errors.EMPTY_GROUP)
        return Outcome(action, ok=False, error=text, failed_step="group.push.create")
    return fail(GroupTask.CREATE, "group.push.create", response)


def update_members(
    app: AppInstance,
    group_scim_id: str,
    added: Sequence[Member | tuple[str, str | None]],
    removed: Sequence[str],
    *,
    name: str | None = None,
) -> Plan:
    """Membership change (§8.3); with `name`, the rename PATCH goes alongside (§8.4)."""
    action = "update_members"
    if not added and not removed:
        return (yield from skipped(action, "no membership change"))
    adds, fail = _members(added), _failer(action, name or group_scim_id)
    if app.flavour is Flavour.AIW:
        gone = set(removed)

        def rebuild(current: dict[str, Any]) -> tuple[str, list[Member]]:
            kept = [m for m in _current_members(current) if m.value not in gone]
            known = {m.value for m in kept}
            label = name or str(current.get("displayName", ""))
            return label, kept + [m for m in adds if m.value not in known]

        failed = yield from _aiw_put(app, "group.members", group_scim_id, rebuild, fail)
    else:
        bodies = payloads.membership_patches(adds, removed, app.push.batch_size)
        steps = [(f"group.members.patch.{i}", b) for i, b in enumerate(bodies, 1)]
        rename = ("group.members.rename", name) if name is not None else None
        failed = yield from _oin_patches(app, group_scim_id, steps, rename, fail)
    return failed or Outcome(action, ok=True, scim_id=group_scim_id)


def push_now(
    app: AppInstance,
    group_scim_id: str,
    members: Sequence[Member | tuple[str, str | None]],
    *,
    name: str | None = None,
) -> Plan:
    """'Push Now' / re-activated push (§8.3): replace `members` with the full list, even []."""
    action = "push_now"
    wanted, fail = _members(members), _failer(action, name or group_scim_id)
    if app.flavour is Flavour.AIW:

        def rebuild(current: dict[str, Any]) -> tuple[str, list[Member]]:
            return name or str(current.get("displayName", "")), wanted

        failed = yield from _aiw_put(app, "group.push-now", group_scim_id, rebuild, fail)
    else:
        steps = [("group.push-now.replace", payloads.replace_members_patch(wanted))]
        rename = ("group.push-now.rename", name) if name is not None else None
        failed = yield from _oin_patches(app, group_scim_id, steps, rename, fail)
    return failed or Outcome(action, ok=True, scim_id=group_scim_id)


def rename_group(app: AppInstance, group_scim_id: str, new_name: str) -> Plan:
    """Rename (§8.4): OIN no-path replace {id, displayName}; AIW GET + PUT with the new name."""
    action = "rename_group"
    fail = _failer(action, new_name)
    if app.flavour is Flavour.AIW:

        def rebuild(current: dict[str, Any]) -> tuple[str, list[Member]]:
            return new_name, _current_members(current)

        failed = yield from _aiw_put(app, "group.rename", group_scim_id, rebuild, fail)
        return failed or Outcome(action, ok=True, scim_id=group_scim_id)
    path = wire.resource_path("Groups", group_scim_id)
    body = payloads.rename_patch(group_scim_id, new_name)
    response = yield request(app, "group.rename.patch", "PATCH", path, body=body)
    if not response.ok:
        return fail(GroupTask.UPDATE, "group.rename.patch", response)
    return Outcome(action, ok=True, scim_id=group_scim_id)


def unlink_group(app: AppInstance, group_scim_id: str, delete: bool, *, name: str | None = None) -> Plan:
    """Unlink pushed group (§8.5): 'Delete the group in the target app' → DELETE, else nothing."""
    action = "unlink_group"
    if not delete:
        return (yield from skipped(action, "Leave the group in the target app"))
    path = wire.resource_path("Groups", group_scim_id)
    response = yield request(app, "group.unlink.delete", "DELETE", path)
    if not response.ok:
        fail = _failer(action, name or group_scim_id)
        return fail(GroupTask.DELETE, "group.unlink.delete", response)
    return Outcome(action, ok=True, scim_id=group_scim_id)
