"""Assigning people to apps (okta-admin-api.md §4, §6): assign, reactivate, deprovision, unassign,
and whether a group still grants a person an app."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from simulator.okta import engine
from simulator.okta.mapping import user_name
from simulator.okta.service_core import (
    Happened,
    OrgCore,
    OrgError,
    app_target,
    assignable,
    not_found,
    user_target,
)
from simulator.okta.store import AppRec, AppUserRec, UserRec, now


class OrgAssignments(OrgCore):
    """App assignments of people, directly or through a group; OrgService builds on them."""

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
