"""Lifecycle actions: suspend/unsuspend and delete a person, delete a group, (de)activate and
delete an app.

okta-admin-api.md §2.6, §2.7, §3.2 and §4.4; what reaches the SCIM target follows okta-scim.md
§6.3 (never DELETE a user), §6.4 (nothing on suspend) and §8 (group-based assignment).
"""

from __future__ import annotations

from dataclasses import replace

from simulator.okta.service import Happened, OrgError, OrgService, app_target, group_target, user_target
from simulator.okta.service_groups import GroupActions
from simulator.okta.store import AppRec, UserRec, now

_WRONG_STATUS = "This operation is not allowed in the user's current status."


def _wrong_status() -> OrgError:
    return OrgError(403, "E0000038", _WRONG_STATUS)  # okta-admin-api.md §2.6 [D] A3


class LifecycleActions:
    """State changes whose SCIM side is nothing, or an existing deactivate/unassign."""

    def __init__(self, svc: OrgService) -> None:
        self.svc = svc
        self.store = svc.store

    def suspend(self, user_id: str, suspended: bool) -> UserRec:
        """lifecycle/suspend (ACTIVE → SUSPENDED) and /unsuspend (back): assignments kept, no SCIM."""
        with self.store.transaction():
            user = self.svc.user(user_id)
            if user.status != ("ACTIVE" if suspended else "SUSPENDED"):
                raise _wrong_status()
            user = replace(user, status="SUSPENDED" if suspended else "ACTIVE", updated=now())
            self.store.put_user(user)
            verb = "suspend" if suspended else "unsuspend"
            self.svc.audit(f"user.lifecycle.{verb}", f"{verb.capitalize()} Okta user", user_target(user))
        return user

    def delete_user(self, user_id: str) -> Happened:
        """DELETE /users/{id}: deactivate (deprovisioning app users) unless DEPROVISIONED, else delete.

        The delete itself sends nothing to the target (okta-scim.md §6.3).
        """
        with self.store.transaction():
            user = self.svc.user(user_id)
            if user.status != "DEPROVISIONED":
                return self.svc.set_user_status(user.id, False)[1]
            self.store.delete_user(user.id)
            self.svc.audit("user.lifecycle.delete.completed", "Delete Okta user completed", user_target(user))
        return Happened()

    def delete_group(self, group_id: str) -> Happened:
        """DELETE /groups/{id}: drop its push mappings and app assignments, then the group.

        Members lose the group-based assignment, so those no other assignment covers are
        deprovisioned as on unassignment (okta-admin-api.md §8). Pushed target groups are left
        in place: neither §3 nor okta-scim.md §8.5 says Okta deletes them [I].
        """
        happened = Happened()
        groups = GroupActions(self.svc)
        with self.store.transaction():
            group = self.svc.group(group_id)
            for push in self.store.pushes(group_id=group.id):
                self.store.delete_push(push.id)
            for app_id in self.store.apps_of_group(group.id):
                done = groups.unassign_group(app_id, group.id)
                happened.runs.extend(done.runs)
                happened.tasks.extend(done.tasks)
            self.store.delete_group(group.id)
            self.svc.audit("group.lifecycle.delete", "Delete Okta group", group_target(group))
        return happened

    def delete_app(self, app_id: str) -> None:
        """DELETE /apps/{id}: only an INACTIVE app (§4.4); sends nothing to the target.

        Its assignments, push mappings, tasks and import state go with it; people, groups and
        the System Log stay. An ACTIVE app answers 403 E0000056 "Delete application forbidden."
        (Okta's error for this case [I]).
        """
        with self.store.transaction():
            app = self.svc.app(app_id)
            if app.status != "INACTIVE":
                raise OrgError(403, "E0000056", "Delete application forbidden.",
                               ("The application must be deactivated before it is deleted.",))
            self.store.delete_app(app.id)
            self.svc.audit("application.lifecycle.delete", "Delete application", app_target(app))

    def set_app_status(self, app_id: str, active: bool) -> AppRec:
        """apps/{id}/lifecycle/activate|deactivate: an INACTIVE app provisions nothing (§4.4).

        Both are idempotent: activating an ACTIVE app (or the reverse) changes nothing [I].
        """
        with self.store.transaction():
            app = self.svc.app(app_id)
            status = "ACTIVE" if active else "INACTIVE"
            if app.status != status:
                app = replace(app, status=status, updated=now())
                self.store.put_app(app)
                verb = "activate" if active else "deactivate"
                self.svc.audit(f"application.lifecycle.{verb}", f"{verb.capitalize()} application",
                               app_target(app))
        return app
