"""Group actions: membership, rename, group assignment to apps, and group push mappings (§8)."""

from __future__ import annotations

import uuid
from dataclasses import replace

from simulator.okta import engine
from simulator.okta.model import OktaGroup
from simulator.okta.service import (
    Happened,
    OrgError,
    OrgService,
    assignable,
    group_target,
    invalid,
    not_found,
    user_target,
)
from simulator.okta.store import AppRec, GroupRec, PushRec, now


class GroupActions:
    """Actions whose SCIM side is group push or group-based assignment."""

    def __init__(self, svc: OrgService) -> None:
        self.svc = svc
        self.store = svc.store

    def update_group(self, group_id: str, name: str, description: str) -> tuple[GroupRec, Happened]:
        """PUT /groups/{id}: a new name renames every pushed copy (§8.4)."""
        happened = Happened()
        with self.store.transaction():
            group = self.svc.group(group_id)
            if not name:
                raise invalid("name", "name: The field cannot be left blank")
            if any(g.id != group_id and g.name.casefold() == name.casefold() for g in self.store.groups()):
                raise invalid(
                    "name", "name: An object with this field already exists in the current organization"
                )
            renamed = name != group.name
            group = replace(group, name=name, description=description, updated=now())
            self.store.put_group(group)
            for push in self.store.pushes(group_id=group_id):
                if not renamed or push.status != "ACTIVE" or not push.target_scim_id:
                    continue
                app = self.svc.app(push.app_id)
                if app.instance.push.rename_groups:
                    plan = engine.rename_group(app.instance, push.target_scim_id, name)
                    self._record(push, self.svc.execute(app, plan, group_id, happened).outcome, name)
        return group, happened

    def add_member(self, group_id: str, user_id: str) -> Happened:
        """PUT /groups/{gid}/users/{uid}: assign to the group's apps, then add to pushed groups."""
        happened = Happened()
        with self.store.transaction():
            group, user = self.svc.group(group_id), self.svc.user(user_id)
            if not self.store.add_member(group_id, user_id):
                return happened
            self.svc.audit("group.user_membership.add", "Add user to group membership",
                           user_target(user), group_target(group))
            for app_id in self.store.apps_of_group(group_id) if assignable(user) else ():
                self.svc._assign(self.svc.app(app_id), user, "GROUP", None, {}, happened)
            for push, app in self._active_pushes(group_id):
                member = self.svc.member_of(app, user_id)
                if member is not None and push.target_scim_id:
                    plan = engine.update_members(
                        app.instance, push.target_scim_id, [member], [], name=group.name
                    )
                    self._record(push, self.svc.execute(app, plan, group_id, happened).outcome)
        return happened

    def remove_member(self, group_id: str, user_id: str) -> Happened:
        """DELETE /groups/{gid}/users/{uid}: remove from pushed groups, unassign if nothing else covers."""
        happened = Happened()
        with self.store.transaction():
            group, user = self.svc.group(group_id), self.svc.user(user_id)
            if not self.store.remove_member(group_id, user_id):
                return happened
            self.svc.audit("group.user_membership.remove", "Remove user from group membership",
                           user_target(user), group_target(group))
            for push, app in self._active_pushes(group_id):
                member = self.svc.member_of(app, user_id)
                if member is not None and push.target_scim_id:
                    plan = engine.update_members(
                        app.instance, push.target_scim_id, [], [member.value], name=group.name
                    )
                    self._record(push, self.svc.execute(app, plan, group_id, happened).outcome)
            for app_id in self.store.apps_of_group(group_id):
                rec = self.store.app_user(app_id, user_id)
                if rec and rec.status != "DEPROVISIONED" and not self.svc.still_covered(app_id, user_id):
                    self.svc._deprovision(self.svc.app(app_id), user, rec, happened, "SYNCHRONIZED")
        return happened

    def assign_group(self, app_id: str, group_id: str, priority: int) -> Happened:
        """PUT /apps/{id}/groups/{gid}: every member gets an app user with scope GROUP (§8 admin)."""
        happened = Happened()
        with self.store.transaction():
            app, _ = self.svc.app(app_id), self.svc.group(group_id)
            self.store.assign_app_group(app_id, group_id, priority)
            for user in map(self.svc.user, self.store.member_ids(group_id)):
                if assignable(user):  # a deactivated member gets no app user (§2.6)
                    self.svc._assign(app, user, "GROUP", None, {}, happened)
        return happened

    def unassign_group(self, app_id: str, group_id: str) -> Happened:
        happened = Happened()
        with self.store.transaction():
            app = self.svc.app(app_id)
            if not self.store.unassign_app_group(app_id, group_id):
                raise not_found(group_id, "ApplicationGroupAssignment")
            for user_id in self.store.member_ids(group_id):
                rec = self.store.app_user(app_id, user_id)
                if rec and rec.status != "DEPROVISIONED" and not self.svc.still_covered(app_id, user_id):
                    self.svc._deprovision(app, self.svc.user(user_id), rec, happened, "SYNCHRONIZED")
        return happened

    # ---- push mappings --------------------------------------------------------------------------

    def _active_pushes(self, group_id: str) -> list[tuple[PushRec, AppRec]]:
        found = []
        for push in self.store.pushes(group_id=group_id):
            app = self.svc.app(push.app_id)
            if push.status == "ACTIVE" and self.svc.provisioning(app):
                found.append((push, app))
        return found

    def _members(self, app: AppRec, group_id: str) -> list[engine.Member]:
        """Members Okta pushes: only those assigned (and provisioned) to the app (§8.1)."""
        found = (self.svc.member_of(app, uid) for uid in self.store.member_ids(group_id))
        return [m for m in found if m is not None]

    def _record(self, push: PushRec, outcome: engine.Outcome, name: str | None = None) -> PushRec:
        status = "ACTIVE" if outcome.ok else "ERROR"
        push = replace(
            push, status=status, error=outcome.error, updated=now(), last_push=now(),
            target_scim_id=outcome.scim_id or push.target_scim_id, target_name=name or push.target_name,
        )  # fmt: skip
        self.store.put_push(push)
        return push

    def create_push(
        self, app_id: str, group_id: str, status: str, name: str | None, target: str | None
    ) -> tuple[PushRec, Happened]:
        """POST …/group-push/mappings: ACTIVE pushes now — create by name, or link an existing id."""
        happened = Happened()
        if (name is None) == (target is None):
            raise invalid("targetGroupName", "Exactly one of targetGroupName and targetGroupId is required")
        if status not in ("ACTIVE", "INACTIVE"):
            raise invalid("status", "status: must be ACTIVE or INACTIVE")
        with self.store.transaction():
            app, group = self.svc.app(app_id), self.svc.group(group_id)
            if any(p.app_id == app_id for p in self.store.pushes(group_id=group_id)):
                raise invalid("sourceGroupId", "sourceGroupId: the group is already pushed to this app")
            stamp = now()
            push = PushRec(
                "gPm" + uuid.uuid4().hex[:17], app_id, group_id, target, name or group.name,
                status, None, stamp, stamp, None,
            )  # fmt: skip
            self.store.put_push(push)
            if status == "ACTIVE":
                push = self._push(app, push, happened)
        return push, happened

    def _push(self, app: AppRec, push: PushRec, happened: Happened) -> PushRec:
        if not self.svc.provisioning(app):
            raise invalid("status", "Provisioning is not enabled for the app instance.")
        members = self._members(app, push.source_group_id)
        if push.target_scim_id:
            plan = engine.push_now(app.instance, push.target_scim_id, members, name=push.target_name)
        else:
            plan = engine.push_group(app.instance, OktaGroup(push.source_group_id, push.target_name), members)
        return self._record(push, self.svc.execute(app, plan, push.source_group_id, happened).outcome)

    def push(self, app_id: str, mapping_id: str) -> PushRec:
        push = self.store.push(mapping_id)
        if push is None or push.app_id != app_id:
            raise not_found(mapping_id, "GroupPushMapping")
        return push

    def set_status(self, app_id: str, mapping_id: str, status: str) -> tuple[PushRec, Happened]:
        """PATCH a mapping: INACTIVE pauses (no traffic); back to ACTIVE replaces all members (§8.3)."""
        happened = Happened()
        if status not in ("ACTIVE", "INACTIVE"):
            raise invalid("status", "status: must be ACTIVE or INACTIVE")
        with self.store.transaction():
            push, app = self.push(app_id, mapping_id), self.svc.app(app_id)
            if status == "INACTIVE":
                push = replace(push, status="INACTIVE", updated=now())
                self.store.put_push(push)
            elif push.status != "ACTIVE":
                push = self._push(app, replace(push, status="ACTIVE"), happened)
        return push, happened

    def push_now(self, app_id: str, mapping_id: str) -> tuple[PushRec, Happened]:
        """'Push Now' (scimcert endpoint; Okta has no API for the button): full member replace."""
        happened = Happened()
        with self.store.transaction():
            push, app = self.push(app_id, mapping_id), self.svc.app(app_id)
            if push.status == "INACTIVE":
                raise invalid("status", "The mapping is INACTIVE")
            push = self._push(app, push, happened)
        return push, happened

    def delete_push(self, app_id: str, mapping_id: str, delete_target: bool | None) -> Happened:
        """DELETE a mapping (must be INACTIVE); deleteTargetGroup=true sends DELETE /Groups/{id} (§8.5)."""
        happened = Happened()
        if delete_target is None:
            raise OrgError(
                400, "E0000028", "The request is missing a required parameter.", ("deleteTargetGroup",)
            )
        with self.store.transaction():
            push, app = self.push(app_id, mapping_id), self.svc.app(app_id)
            if push.status == "ACTIVE":
                raise invalid("status", "status: the mapping must be INACTIVE before it is deleted")
            if push.target_scim_id and self.svc.provisioning(app):
                plan = engine.unlink_group(
                    app.instance, push.target_scim_id, delete_target, name=push.target_name
                )
                self.svc.execute(app, plan, push.source_group_id, happened)
            self.store.delete_push(mapping_id)
        return happened
