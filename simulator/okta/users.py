"""User plans: connection test, assign (lookup → create or link), profile push, status, password."""

from __future__ import annotations

import random
from collections.abc import Callable, Generator
from typing import Any

from simulator.okta import errors, payloads, wire
from simulator.okta.errors import UserTask
from simulator.okta.mapping import app_profile, pushed_on_update, user_name
from simulator.okta.model import AppInstance, AppUser, Flavour, OktaUser, placeholder_password
from simulator.okta.plan import Outcome, Plan, created_id, foreign_hit, read_lookup, request, skipped
from simulator.okta.wire import ScimRequest, ScimResponse

_RNG = random.SystemRandom()

Fail = Callable[[str, ScimResponse], Outcome]
Build = Callable[[dict[str, Any]], dict[str, Any]]


def _failer(action: str, task: UserTask, app: AppInstance, user: OktaUser, login: str) -> Fail:
    def fail(step: str, response: ScimResponse) -> Outcome:
        reason = errors.remote_reason(response)
        text = errors.user_task_error(task, user.display_name, login, app.label, reason)
        return Outcome(action, ok=False, error=text, failed_step=step)

    return fail


def _scim_id(app_user: AppUser | None, action: str) -> str:
    if app_user is None or not app_user.scim_id:
        raise ValueError(f"{action}: the app user has no SCIM id yet (assign it first)")
    return app_user.scim_id


def _put_over_get(
    app: AppInstance, step: str, scim_id: str, build: Build, fail: Fail
) -> Generator[ScimRequest, ScimResponse, Outcome | None]:
    """GET the user, PUT build(GET body) back (§5.1); None when both succeeded."""
    path = wire.resource_path("Users", scim_id)
    response = yield request(app, f"{step}.get", "GET", path)
    current = response.json_object()
    if response.status != 200 or current is None:
        return fail(f"{step}.get", response)
    response = yield request(app, f"{step}.put", "PUT", path, body=build(current))
    return None if response.ok else fail(f"{step}.put", response)


def test_connection(app: AppInstance) -> Plan:
    """'Test API Credentials' (§2): GET /Users?startIndex=1&count=2, then maybe /Groups."""
    action = "test_connection"
    targets = [("connect.users", "Users", 2)]
    mode = app.quirks.connection_test_groups
    groups_on = app.actions.push_groups or app.actions.import_groups
    if mode == "always" or (mode == "auto" and groups_on):
        targets.append(("connect.groups", "Groups", 100))
    for step, endpoint, count in targets:
        query = wire.page_query(1, count)
        response = yield request(app, step, "GET", f"/{endpoint}", query=query)
        body = response.json_object()
        if response.status != 200:
            text = errors.connection_error(errors.remote_reason(response))
            return Outcome(action, ok=False, error=text, failed_step=step)
        if body is None or not isinstance(body.get("Resources"), list):
            # [D] S22: empty body, null, a bare [], HTML or no Resources all fail the test.
            text = errors.NO_RESULTS.format(what=endpoint.lower())
            return Outcome(action, ok=False, error=text, failed_step=step)
    return Outcome(action, ok=True)


def assign_user(
    app: AppInstance,
    user: OktaUser,
    app_user: AppUser | None = None,
    *,
    password: str | None = None,
    rng: random.Random | None = None,
) -> Plan:
    """Assignment (§4): lookup by userName; miss → POST (§4.2a), hit → GET + PUT link (§4.2b).

    With `app.exact_links` a hit of another userName is not linked: the outcome fails, nothing more
    is sent.

    `password` is what Sync Password pushes; otherwise a random 8-character placeholder.
    """
    action = "assign_user"
    if not app.actions.create_users:
        return (yield from skipped(action, "Create Users is disabled"))
    login = user_name(app, user, app_user)
    fail = _failer(action, UserTask.CREATE, app, user, login)
    query = wire.lookup_query("userName", login, app.quirks.space_encoding)
    response = yield request(app, "assign.lookup", "GET", "/Users", query=query)
    verdict, found = read_lookup(response, "userName", login)
    if verdict == "error":
        return fail("assign.lookup", response)
    profile = app_profile(app, user, app_user)
    if found is not None:
        refused = foreign_hit(found, "userName", login, "overwrite — that user") if app.exact_links else None
        if refused is not None:
            return Outcome(action, ok=False, error=refused, failed_step="assign.lookup")
        return (yield from _link(app, str(found["id"]), profile, fail))
    secret = password or placeholder_password(rng or _RNG)
    body = payloads.create_user_body(app, profile, external_id=user.id, password=secret)
    response = yield request(app, "assign.create", "POST", "/Users", body=body)
    new_id = created_id(response)
    if new_id is not None:
        return Outcome(action, ok=True, scim_id=new_id)
    if response.ok and (response.body is not None or not response.text.strip()):
        text = errors.user_task_error(UserTask.CREATE, user.display_name, login, app.label, errors.EMPTY_USER)
        return Outcome(action, ok=False, error=text, failed_step="assign.create")
    return fail("assign.create", response)


def _link(app: AppInstance, scim_id: str, profile: dict[str, Any], fail: Fail) -> Plan:
    """§4.2b: the lookup found the user: GET it and PUT Okta's profile over it, active."""

    def build(current: dict[str, Any]) -> dict[str, Any]:
        return payloads.merged_user_body(app, current, profile, pushed=None, active=True)

    failed = yield from _put_over_get(app, "assign.link", scim_id, build, fail)
    return failed or Outcome("assign_user", ok=True, scim_id=scim_id, linked=True)


def update_profile(
    app: AppInstance, user: OktaUser, app_user: AppUser | None, *, password: str | None = None
) -> Plan:
    """Profile push (§5.1): GET, then PUT the GET body with Okta's attributes overwritten.

    `password` goes into the PUT only when given (the 2018 capture had it, current docs don't).
    """
    action = "update_profile"
    if not app.actions.update_attributes:
        return (yield from skipped(action, "Update User Attributes is disabled"))
    scim_id = _scim_id(app_user, action)
    login = user_name(app, user, app_user)
    profile = app_profile(app, user, app_user)
    pushed = pushed_on_update(app, app_user)

    def build(current: dict[str, Any]) -> dict[str, Any]:
        return payloads.merged_user_body(app, current, profile, pushed=pushed, password=password)

    fail = _failer(action, UserTask.PROFILE, app, user, login)
    failed = yield from _put_over_get(app, "update", scim_id, build, fail)
    return failed or Outcome(action, ok=True, scim_id=scim_id)


def _set_status(
    app: AppInstance, user: OktaUser, app_user: AppUser | None, active: bool, lookup: bool
) -> Plan:
    """§6.1/§6.2: OIN PATCH without path; AIW GET + PUT with `active` changed."""
    action, task = ("reactivate", UserTask.REACTIVATE) if active else ("deactivate", UserTask.DEACTIVATE)
    if not app.actions.deactivate_users:
        return (yield from skipped(action, "Deactivate Users is disabled"))
    scim_id = _scim_id(app_user, action)
    login = user_name(app, user, app_user)
    fail = _failer(action, task, app, user, login)
    if lookup:
        query = wire.lookup_query("userName", login, app.quirks.space_encoding)
        response = yield request(app, f"{action}.lookup", "GET", "/Users", query=query)
        if read_lookup(response, "userName", login)[0] == "error":
            return fail(f"{action}.lookup", response)
    if app.flavour is Flavour.AIW:

        def build(current: dict[str, Any]) -> dict[str, Any]:
            return payloads.merged_user_body(app, current, {}, pushed=(), active=active)

        failed = yield from _put_over_get(app, action, scim_id, build, fail)
        return failed or Outcome(action, ok=True, scim_id=scim_id)
    path = wire.resource_path("Users", scim_id)
    body = payloads.active_patch(active)
    response = yield request(app, f"{action}.patch", "PATCH", path, body=body)
    return Outcome(action, ok=True, scim_id=scim_id) if response.ok else fail(f"{action}.patch", response)


def deactivate(app: AppInstance, user: OktaUser, app_user: AppUser | None) -> Plan:
    """Unassignment or Okta deactivation (§6.1). Okta never DELETEs a user (§6.3)."""
    return _set_status(app, user, app_user, active=False, lookup=False)


def reactivate(app: AppInstance, user: OktaUser, app_user: AppUser | None) -> Plan:
    """Re-assignment after reactivation (§6.2); a lookup first per Quirks.lookup_before_reactivate."""
    return _set_status(app, user, app_user, True, app.quirks.lookup_before_reactivate)


def push_password(app: AppInstance, user: OktaUser, app_user: AppUser | None, password: str) -> Plan:
    """Password sync (§7): OIN PATCH value {password} [I]; AIW GET + PUT with password."""
    action = "push_password"
    if not app.actions.sync_password:
        return (yield from skipped(action, "Sync Password is disabled"))
    scim_id = _scim_id(app_user, action)
    fail = _failer(action, UserTask.PASSWORD, app, user, user_name(app, user, app_user))
    if app.flavour is Flavour.AIW:

        def build(current: dict[str, Any]) -> dict[str, Any]:
            return payloads.merged_user_body(app, current, {}, pushed=(), password=password)

        failed = yield from _put_over_get(app, "password", scim_id, build, fail)
        return failed or Outcome(action, ok=True, scim_id=scim_id)
    path = wire.resource_path("Users", scim_id)
    response = yield request(app, "password.patch", "PATCH", path, body=payloads.password_patch(password))
    return Outcome(action, ok=True, scim_id=scim_id) if response.ok else fail("password.patch", response)
