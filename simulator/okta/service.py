"""Admin actions on the simulated org (no Flask): change state, run the engine's plans, record.

Every action runs under one store transaction (admin calls are serialised, so concurrent
calls cannot interleave half-done changes), drives its plans synchronously through the
injected Transport, logs each SCIM exchange, turns failures into tasks and returns what
happened. OrgService here holds the people actions and group creation; it builds on
service_assign.py (app assignments) and service_core.py (plan runs, log, lookups). App,
connection, schema and import actions live in service_apps.py; membership and push in
service_groups.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from simulator.okta import engine
from simulator.okta.mapping import app_profile
from simulator.okta.model import GROUP_PREFIX, USER_PREFIX, AppInstance, new_id
from simulator.okta.service_assign import OrgAssignments
from simulator.okta.service_core import (
    Happened,
    OrgError,
    app_target,
    assignable,
    event_type,
    group_target,
    invalid,
    not_found,
    user_target,
)
from simulator.okta.store import AppUserRec, GroupRec, UserRec, now

__all__ = [
    "REQUIRED_PROFILE",
    "Happened",
    "OrgError",
    "OrgService",
    "app_target",
    "assignable",
    "event_type",
    "group_target",
    "invalid",
    "not_found",
    "user_target",
]

REQUIRED_PROFILE = ("login", "email", "firstName", "lastName")  # okta-admin-api.md §2.2 [D]


class OrgService(OrgAssignments):
    """The org's admin actions; `transport` is injectable (fake sessions, a fake clock)."""

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
