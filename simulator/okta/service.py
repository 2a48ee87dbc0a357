"""Admin actions on the simulated org (no Flask): change state, run the engine's plans, record.

Every action runs under one store transaction (admin calls are serialised, so concurrent
calls cannot interleave half-done changes), drives its plans synchronously through the
injected Transport, logs each SCIM exchange, turns failures into tasks and returns what
happened. App, connection, schema and push actions live in service_apps.py.
"""

from __future__ import annotations

import random
import sqlite3
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from simulator.okta import engine
from simulator.okta.mapping import app_profile, user_name
from simulator.okta.model import GROUP_PREFIX, USER_PREFIX, AppInstance, new_id
from simulator.okta.plan import Plan
from simulator.okta.store import AppRec, AppUserRec, GroupRec, LogRec, OrgStore, TaskRec, UserRec, now
from simulator.okta.transport import Run, Transport

REQUIRED_PROFILE = ("login", "email", "firstName", "lastName")  # okta-admin-api.md §2.2 [D]


class OrgError(Exception):
    """A refused admin call: the HTTP status and Okta's errorCode/errorSummary/errorCauses."""

    def __init__(self, status: int, code: str, summary: str, causes: tuple[str, ...] = ()) -> None:
        super().__init__(summary)
        self.status, self.code, self.summary, self.causes = status, code, summary, causes


def not_found(key: str, kind: str) -> OrgError:
    return OrgError(404, "E0000007", f"Not found: Resource not found: {key} ({kind})")


def invalid(field_name: str, *causes: str) -> OrgError:
    return OrgError(400, "E0000001", f"Api validation failed: {field_name}", causes)


@dataclass
class Happened:
    """The SCIM runs an admin call caused, and the tasks its failures left."""

    runs: list[Run] = field(default_factory=list)
    tasks: list[TaskRec] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "provisioning": [
                {
                    **run.outcome.to_json(),
                    "exchanges": [{"step": e.request.step, "request": e.request_line} for e in run.exchanges],
                }
                for run in self.runs
            ],
            "tasks": [t.id for t in self.tasks],
        }


_EVENTS = (  # step-id prefix -> System Log eventType (okta-admin-api.md §12)
    ("assign.lookup", "application.provision.user.verify_exists"),
    ("assign.", "application.provision.user.push"),
    ("update.", "application.provision.user.push_profile"),
    ("deactivate.", "application.provision.user.deactivate"),
    ("reactivate.", "application.provision.user.reactivate"),
    ("password.", "application.provision.user.password"),
    ("group.push.lookup", "application.provision.group.verify_exists"),
    ("group.push.create", "application.provision.group.add"),
    ("group.unlink.", "application.provision.group.remove"),
    ("group.rename", "application.provision.group.update"),
    ("group.push-now", "application.provision.group_push.push_memberships"),
    ("group.", "application.provision.group_membership.update"),
    ("import.", "application.provision.user.sync"),
    ("connect.", "application.provision.connection.test"),  # scimcert's own [I]
)


def user_target(u: UserRec) -> dict[str, str]:
    name = f"{u.profile.get('firstName', '')} {u.profile.get('lastName', '')}".strip()
    return {"id": u.id, "type": "User", "alternateId": str(u.profile.get("login", "")), "displayName": name}


def group_target(g: GroupRec) -> dict[str, str]:
    return {"id": g.id, "type": "UserGroup", "alternateId": "unknown", "displayName": g.name}


def app_target(a: AppRec) -> dict[str, str]:
    label = a.instance.label
    return {"id": a.id, "type": "AppInstance", "alternateId": label, "displayName": label}


def assignable(user: UserRec) -> bool:
    """Can the person get an app assignment? Not once deactivated (DEPROVISIONED)."""
    return user.status != "DEPROVISIONED"


def event_type(step: str) -> str:
    return next((event for prefix, event in _EVENTS if step.startswith(prefix)), "application.provision")


class OrgService:
    """The org's admin actions; `transport` is injectable (fake sessions, a fake clock)."""

    def __init__(self, store: OrgStore, transport: Transport | None = None, seed: int | None = None,
                 *, exact_links: bool = False) -> None:
        self.store = store
        self.transport = transport or Transport()
        self.rng = random.Random(seed) if seed is not None else random.SystemRandom()
        self.exact_links = exact_links  # every app links exact lookup hits only (AppInstance.exact_links)

    # ---- System Log ----------------------------------------------------------------------------

    def audit(self, event: str, message: str, *targets: dict[str, str]) -> None:
        """Log an admin action the way Okta's System Log does (okta-admin-api.md §12): its event
        type, display message and targets; no SCIM step, no exchange. The display messages are
        Okta's as seen in its System Log [I]."""
        self.store.add_log(LogRec(0, str(uuid.uuid4()), now(), event, "SUCCESS", None, message,
                                  None, None, None, None, tuple(targets)))  # fmt: skip

    # ---- running plans -------------------------------------------------------------------------

    def execute(self, app: AppRec, plan: Plan, object_id: str, happened: Happened) -> Run:
        """Run a plan, log every exchange, and leave a task when it failed."""
        run = self.transport.run(plan)
        for ex in run.exchanges:
            ok = 200 <= ex.response.status < 300 or (
                ex.request.step.endswith("lookup") and ex.response.status == 404
            )
            self.store.add_log(
                LogRec(
                    0, str(uuid.uuid4()), now(), event_type(ex.request.step),
                    "SUCCESS" if ok else "FAILURE", None if ok else f"HTTP {ex.response.status}",
                    ex.request_line, app.id, object_id, ex.request.step, ex.to_json(),
                )
            )  # fmt: skip
        if not run.outcome.ok:
            task = TaskRec(
                "tsk" + uuid.uuid4().hex[:17], app.id, object_id, run.outcome.action,
                run.outcome.error or "", run.outcome.failed_step, "OPEN", now(),
            )  # fmt: skip
            self.store.add_task(task)
            happened.tasks.append(task)
        if object_id.startswith(USER_PREFIX):
            self._record_sync(app.id, object_id, run.outcome.ok)
        happened.runs.append(run)
        return run

    def _record_sync(self, app_id: str, user_id: str, ok: bool) -> None:
        """A provisioned app user's syncState follows its last push: ERROR while the target missed
        one (okta-admin-api.md §7 [I]), SYNCHRONIZED again once a push (or its retry) went through.
        Assignment and (de)activation set the state of the records they write themselves."""
        rec = self.store.app_user(app_id, user_id)
        state = "SYNCHRONIZED" if ok else "ERROR"
        if rec is not None and rec.status == "PROVISIONED" and rec.sync_state != state:
            self.store.put_app_user(replace(rec, sync_state=state, updated=now()))

    # ---- lookups ------------------------------------------------------------------------------

    def user(self, key: str) -> UserRec:
        found = self.store.user(key)
        if found is None:
            raise not_found(key, "User")
        return found

    def group(self, group_id: str) -> GroupRec:
        found = self.store.group(group_id)
        if found is None:
            raise not_found(group_id, "UserGroup")
        return found

    def app(self, app_id: str) -> AppRec:
        found = self.store.app(app_id)
        if found is None:
            raise not_found(app_id, "AppInstance")
        if self.exact_links:
            return replace(found, instance=replace(found.instance, exact_links=True))
        return found

    def provisioning(self, app: AppRec) -> bool:
        """Does the app send SCIM requests? Only an ACTIVE app with an enabled connection does."""
        return app.status == "ACTIVE" and app.connection == "ENABLED" and bool(app.instance.base_url)

    # ---- people -------------------------------------------------------------------------------

    def create_user(self, profile: Mapping[str, Any], *, activate: bool, has_password: bool) -> UserRec:
        missing = [k for k in REQUIRED_PROFILE if not profile.get(k)]
        if missing:
            raise invalid(missing[0], f"{missing[0]}: The field cannot be left blank")
        status = ("ACTIVE" if has_password else "PROVISIONED") if activate else "STAGED"
        stamp = now()
        rec = UserRec(new_id(USER_PREFIX, self.rng), dict(profile), status, stamp, stamp)
        with self.store.transaction():
            if self.store.user(str(profile["login"])) is not None:
                raise invalid(
                    "login", "login: An object with this field already exists in the current organization"
                )
            try:
                self.store.put_user(rec)
            except sqlite3.IntegrityError as exc:
                raise invalid(
                    "login", "login: An object with this field already exists in the current organization"
                ) from exc
            self.audit("user.lifecycle.create", "Create Okta user", user_target(rec))
            if activate:
                self.audit("user.lifecycle.activate", "Activate Okta user", user_target(rec))
        return rec

    def update_user(
        self, user_id: str, profile: Mapping[str, Any], *, partial: bool
    ) -> tuple[UserRec, Happened]:
        """POST (partial) or PUT (full) profile update; pushes changed app profiles (§5)."""
        happened = Happened()
        with self.store.transaction():
            before = self.user(user_id)
            merged = {**before.profile, **profile} if partial else dict(profile)
            missing = [k for k in REQUIRED_PROFILE if not merged.get(k)]
            if missing:
                raise invalid(missing[0], f"{missing[0]}: The field cannot be left blank")
            clash = self.store.user(str(merged["login"]))
            if clash is not None and clash.id != before.id:
                raise invalid(
                    "login", "login: An object with this field already exists in the current organization"
                )
            after = replace(before, profile=merged, updated=now())
            self.store.put_user(after)
            if after.profile != before.profile:
                self.audit("user.account.update_profile", "Update user profile for Okta", user_target(after))
            for au in self.store.app_users(user_id=user_id):
                app = self.app(au.app_id)
                if au.status != "PROVISIONED" or not au.scim_id or not self.provisioning(app):
                    continue
                inst = app.instance
                current = self._reapply_mappings(au, inst)
                if app_profile(inst, before.okta, au.model) == app_profile(inst, after.okta, current.model):
                    continue  # Okta pushes only when a mapped app attribute changed
                self.execute(app, engine.update_profile(inst, after.okta, current.model), user_id, happened)
        return after, happened

    def _reapply_mappings(self, au: AppUserRec, inst: AppInstance) -> AppUserRec:
        """A profile change re-applies the "create and update" mappings over values the
        assignment set (okta-admin-api.md §7: mappings first, then the body's values — at
        assignment); Okta's CRUD test relies on it to see its new first name pushed."""
        stale = {k for k in au.profile if (m := inst.mappings.get(k)) is not None and m.push}
        if not stale:
            return au
        kept = replace(au, profile={k: v for k, v in au.profile.items() if k not in stale}, updated=now())
        self.store.put_app_user(kept)
        return kept

    def set_user_status(self, user_id: str, active: bool) -> tuple[UserRec, Happened]:
        """lifecycle/activate and /deactivate (okta-admin-api.md §2.6).

        Deactivation deprovisions every app user; activation of a DEPROVISIONED user
        re-assigns what the deactivation removed [I: Okta needs the admin to re-assign
        direct assignments; the simulator does it so the reactivate PATCH is reachable].
        """
        happened = Happened()
        with self.store.transaction():
            user = self.user(user_id)
            allowed = user.status in ("STAGED", "DEPROVISIONED") if active else user.status != "DEPROVISIONED"
            if not allowed:
                raise OrgError(403, "E0000038", "This operation is not allowed in the user's current status.")
            user = replace(user, status="ACTIVE" if active else "DEPROVISIONED", updated=now())
            self.store.put_user(user)
            verb = "activate" if active else "deactivate"
            self.audit(f"user.lifecycle.{verb}", f"{verb.capitalize()} Okta user", user_target(user))
            for au in self.store.app_users(user_id=user_id):
                if active and au.status == "DEPROVISIONED" and au.sync_state == "DISABLED":
                    app = self.app(au.app_id)
                    self.audit("application.user_membership.add", "Add user to application membership",
                               user_target(user), app_target(app))
                    self._reactivate(app, user, au, happened)
                elif not active and au.status != "DEPROVISIONED":
                    self._deprovision(self.app(au.app_id), user, au, happened, "DISABLED")
            if active:
                self._assign_through_groups(user, happened)
        return user, happened

    def _assign_through_groups(self, user: UserRec, happened: Happened) -> None:
        """Give an activated person the apps its groups were assigned while it could hold none."""
        apps = (a for g in self.store.groups_of(user.id) for a in self.store.apps_of_group(g))
        for app_id in dict.fromkeys(apps):
            rec = self.store.app_user(app_id, user.id)
            if rec is None or rec.status == "DEPROVISIONED":
                self._assign(self.app(app_id), user, "GROUP", None, {}, happened)

    # ---- assignments ----------------------------------------------------------------------------

    def assign(
        self, app_id: str, user_id: str, *, scope: str = "USER", name: str | None = None,
        profile: Mapping[str, Any] | None = None,
    ) -> tuple[AppUserRec, Happened]:  # fmt: skip
        """Assign a user to an app (directly or through a group); provisions it (§4, §6.2).

        A deactivated (DEPROVISIONED) person cannot be assigned: Okta's console offers only
        active people, and provisioning one would create an active account in the target for
        somebody Okta has deactivated [I: refused like the other wrong-status calls, §2.6].
        """
        happened = Happened()
        with self.store.transaction():
            app, user = self.app(app_id), self.user(user_id)
            if not assignable(user):
                raise OrgError(403, "E0000038", "This operation is not allowed in the user's current status.",
                               (f"{user.okta.display_name} is deactivated; activate the user first.",))
            rec = self._assign(app, user, scope, name, dict(profile or {}), happened)
        return rec, happened

    def _assign(
        self,
        app: AppRec,
        user: UserRec,
        scope: str,
        name: str | None,
        profile: dict[str, Any],
        happened: Happened,
    ) -> AppUserRec:
        current = self.store.app_user(app.id, user.id)
        if current is not None and current.status != "DEPROVISIONED":
            if scope == "USER" and current.scope != "USER":
                current = replace(current, scope="USER", updated=now())
                self.store.put_app_user(current)
            return current
        self.audit("application.user_membership.add", "Add user to application membership",
                   user_target(user), app_target(app))
        if current is not None and current.scim_id:
            rec = replace(current, scope=scope, updated=now())
            return self._reactivate(app, user, rec, happened)
        stamp = now()
        rec = AppUserRec(app.id, user.id, scope, None, name, profile, "STAGED", "SYNCHRONIZED", stamp, stamp)
        if self.provisioning(app) and app.instance.actions.create_users:
            plan = engine.assign_user(app.instance, user.okta, rec.model, rng=self.rng)
            outcome = self.execute(app, plan, user.id, happened).outcome
            if outcome.ok and outcome.scim_id:
                rec = replace(rec, scim_id=outcome.scim_id, status="PROVISIONED")
            elif not outcome.ok:
                rec = replace(rec, sync_state="ERROR")
        self.store.put_app_user(rec)
        return rec

    def _reactivate(self, app: AppRec, user: UserRec, rec: AppUserRec, happened: Happened) -> AppUserRec:
        ok = True
        if self.provisioning(app) and app.instance.actions.deactivate_users:
            plan = engine.reactivate(app.instance, user.okta, rec.model)
            ok = self.execute(app, plan, user.id, happened).outcome.ok
        rec = replace(rec, status="PROVISIONED", sync_state="SYNCHRONIZED" if ok else "ERROR", updated=now())
        self.store.put_app_user(rec)
        return rec

    def _deprovision(
        self, app: AppRec, user: UserRec, rec: AppUserRec, happened: Happened, sync: str
    ) -> None:
        self.audit("application.user_membership.remove", "Remove user from application membership",
                   user_target(user), app_target(app))
        if rec.scim_id and self.provisioning(app) and app.instance.actions.deactivate_users:
            self.execute(app, engine.deactivate(app.instance, user.okta, rec.model), user.id, happened)
        self.store.put_app_user(replace(rec, status="DEPROVISIONED", sync_state=sync, updated=now()))

    def unassign(self, app_id: str, user_id: str) -> Happened:
        """DELETE /apps/{id}/users/{uid}: deactivate in the target (§6.1), never DELETE.

        While an assigned group grants the user the app, Okta refuses (403 E0000046) and sends
        nothing: the user keeps the app through the group.
        """
        happened = Happened()
        with self.store.transaction():
            app, user = self.app(app_id), self.user(user_id)
            rec = self.store.app_user(app_id, user_id)
            if rec is None or rec.status == "DEPROVISIONED":
                raise not_found(user_id, "AppUser")
            if self.granted_by_group(app_id, user_id):
                raise OrgError(403, "E0000046", "Deactivate application for user forbidden.", (
                    "The application cannot be unassigned from the user while their group "
                    "memberships grant them access",
                ))  # fmt: skip
            self._deprovision(app, user, rec, happened, "SYNCHRONIZED")
        return happened

    def granted_by_group(self, app_id: str, user_id: str) -> bool:
        """Is the user in a group assigned to the app?"""
        assigned = set(self.store.app_group_ids(app_id))
        return any(g in assigned for g in self.store.groups_of(user_id))

    def still_covered(self, app_id: str, user_id: str) -> bool:
        """Is the user assigned directly, or through another assigned group it belongs to?"""
        rec = self.store.app_user(app_id, user_id)
        if rec is not None and rec.scope == "USER":
            return True
        return self.granted_by_group(app_id, user_id)

    def member_of(self, app: AppRec, user_id: str) -> engine.Member | None:
        """The group member Okta pushes for a user: its SCIM id and app userName, once provisioned."""
        rec = self.store.app_user(app.id, user_id)
        if rec is None or rec.status != "PROVISIONED" or not rec.scim_id:
            return None
        return engine.Member(rec.scim_id, user_name(app.instance, self.user(user_id).okta, rec.model))

    # ---- groups ----------------------------------------------------------------------------------

    def create_group(self, name: str, description: str) -> GroupRec:
        if not name:
            raise invalid("name", "name: The field cannot be left blank")
        with self.store.transaction():
            if any(g.name.casefold() == name.casefold() for g in self.store.groups()):
                raise invalid(
                    "name", "name: An object with this field already exists in the current organization"
                )
            stamp = now()
            rec = GroupRec(new_id(GROUP_PREFIX, self.rng), name, description, stamp, stamp)
            self.store.put_group(rec)
            self.audit("group.lifecycle.create", "Create Okta group", group_target(rec))
        return rec
