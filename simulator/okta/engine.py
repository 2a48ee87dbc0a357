"""The Okta provisioning engine: admin actions in, ordered SCIM request plans out (no I/O).

Each action returns a Plan — a generator that yields ScimRequest values and receives the
matching ScimResponse through `.send()`, branching on it (lookup hit or miss, ids, 409,
404); its return value is an Outcome (ok, SCIM id, Okta's task text, import summary).
Every request carries a stable step id ("assign.lookup", "group.push.add-members.2").

    outcome = drive(assign_user(app, user, None), send)   # any send(request) -> response
    run = Transport().run(assign_user(app, user, None))    # over HTTP (transport.py)

Rules for callers (the org-state / admin-API layer):
- a plan needing the target's id (update, status, password) raises ValueError at its
  first next() when `app_user.scim_id` is None — provision first;
- a switched-off action (Create Users, Deactivate Users, …) sends nothing and returns an
  Outcome with `skipped` set; a failed request returns ok=False with Okta's task text
  (errors.py) and the failing step id, never an exception;
- the caller stores Outcome.scim_id as the app user's / pushed group's external id,
  and feeds Outcome.resources/summary of an import back as `known` next time;
- uncertain Okta behaviours are settings on AppInstance.quirks / .push (model.py).

The plans never DELETE a user (okta-scim.md §6.3). Users and connection test live in
users.py, group push in groups.py, imports in imports.py; this module is the one to import.
"""

from __future__ import annotations

from simulator.okta.groups import push_group, push_now, rename_group, unlink_group, update_members
from simulator.okta.imports import import_groups, import_users
from simulator.okta.payloads import Member
from simulator.okta.plan import ImportSummary, Outcome, Plan, Send, drive
from simulator.okta.users import (
    assign_user,
    deactivate,
    push_password,
    reactivate,
    test_connection,
    update_profile,
)

__all__ = [
    "ImportSummary",
    "Member",
    "Outcome",
    "Plan",
    "Send",
    "assign_user",
    "deactivate",
    "drive",
    "import_groups",
    "import_users",
    "push_group",
    "push_now",
    "push_password",
    "reactivate",
    "rename_group",
    "test_connection",
    "unlink_group",
    "update_members",
    "update_profile",
]
