"""What a flow's engine steps send (FlowPlans): each action's plan, built from the flow's users and
groups, and the ids the target gives them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from simulator.okta import engine
from simulator.okta.flowdata import FlowError, render
from simulator.okta.flowstate import FlowState
from simulator.okta.model import AppUser, OktaGroup, OktaUser
from simulator.okta.plan import Outcome, Plan


class FlowPlans(FlowState):
    """Builds the engine plan of each action, and keeps the target's ids of users and groups."""

    def _plan(self, action: Mapping[str, Any]) -> Plan:
        name, app = action["plan"], self.app
        if name in ("test_connection", "import_users", "import_groups"):
            plan: Plan = getattr(engine, name)(app)
            return plan
        if "user" in action:
            alias = action["user"]
            if name == "assign_user":
                return engine.assign_user(app, self._user(alias), None, rng=self.rng)
            if name == "update_profile":
                changed = {**self._user(alias).profile, **render(action["profile"], self.variables, self.rng)}
                self.users[alias] = replace(self._user(alias), profile=changed)
                return engine.update_profile(app, self.users[alias], self._app_user(alias))
            return getattr(engine, name)(app, self._user(alias), self._app_user(alias))  # type: ignore[no-any-return]
        alias = action["group"]
        group = self.groups[alias]
        if name == "push_group":
            return engine.push_group(app, group, self._members(action.get("members", ())))
        gid = self._var(f"{alias}.id")
        if name == "update_members":
            removed = [self._var(f"{a}.id") for a in action.get("remove", ())]
            return engine.update_members(app, gid, self._members(action.get("add", ())), removed)
        if name == "push_now":
            return engine.push_now(app, gid, self._members(action.get("members", ())))
        if name == "rename_group":
            self._name_group(alias, render(action["name"], self.variables, self.rng), group.id)
            return engine.rename_group(app, gid, self.groups[alias].name)
        return engine.unlink_group(app, gid, bool(action.get("delete", True)), name=group.name)

    def _adopt(self, action: Mapping[str, Any], outcome: Outcome) -> None:
        """Keep what the org state would keep: the target's ids of users and groups."""
        alias = action.get("user") or action.get("group")
        if alias and outcome.scim_id:
            self.variables[f"{alias}.id"] = outcome.scim_id

    def _name_group(self, alias: str, name: str, okta_id: str) -> None:
        """Run-prefixed and suffixed, so flows run side by side never share a displayName."""
        full = f"{self.prefix}{name} {self.rng.randrange(10**6):06d}"
        self.groups[alias] = OktaGroup(okta_id, full)
        self.variables[f"{alias}.name"] = full

    def _user(self, alias: str) -> OktaUser:
        if alias not in self.users:
            raise FlowError(f"user {alias!r} is not declared in the flow")
        return self.users[alias]

    def _app_user(self, alias: str) -> AppUser:
        return AppUser(self._user(alias).id, scim_id=self._var(f"{alias}.id"))

    def _var(self, name: str) -> str:
        if name not in self.variables:
            raise FlowError(f"{name} is not known yet (an earlier step must set it)")
        return str(self.variables[name])

    def _members(self, aliases: Sequence[str]) -> list[engine.Member]:
        return [engine.Member(self._var(f"{a}.id"), self._user(a).login) for a in aliases]
