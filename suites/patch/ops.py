"""PatchOp bodies, the read-back after a PATCH, and error expectations the PATCH checks share."""

from __future__ import annotations

from typing import Any

from simulator.scim import urns
from suites.client import Reply, ScimClient
from suites.expect import describe, expect, expect_object, expect_status, fail
from suites.factory import Factory

# A PATCH succeeds with 200 and the resource, or 204 and no body (RFC 7644 §3.5.2).
PATCH_OK = (200, 204)


def patch_body(*operations: dict[str, Any]) -> dict[str, Any]:
    """A PatchOp request carrying operations in order."""
    return {"schemas": [urns.PATCH_OP], "Operations": list(operations)}


def patch_ok(client: ScimClient, path: str, *operations: dict[str, Any], **kw: Any) -> Reply:
    """PATCH path with operations; the server must accept it (200 or 204)."""
    __tracebackhide__ = True
    return expect_status(client.patch(path, patch_body(*operations), **kw), *PATCH_OK)


def read_back(client: ScimClient, path: str) -> tuple[Reply, dict[str, Any]]:
    """GET the resource after a PATCH: the state the server actually kept, and the reply that
    showed it (the evidence of a failure that judges it).

    A group read without members is read again asking for them: a server may declare members
    "returned": "request" (RFC 7643 §7), and then only shows them when asked.
    """
    __tracebackhide__ = True
    reply = expect_status(client.get(path), 200)
    body = expect_object(reply)
    if path.startswith("/Groups/") and not body.get("members"):
        again = client.get(path, params={"attributes": "members"})
        if again.status == 200 and isinstance(again.json, dict) and again.json.get("members"):
            return again, {**body, "members": again.json["members"]}
    return reply, body


def precondition(reply: Reply, what: str, *codes: int) -> Reply:
    """A setup request that must succeed before the check can say anything."""
    __tracebackhide__ = True
    if reply.status not in codes:
        fail(f"(precondition) {what}", describe(reply), reply)
    return reply


def typed_group(factory: Factory, user_ids: list[str]) -> dict[str, Any]:
    """A created group whose members carry type "User" (where the target's Group schema defines
    members.type): setup never depends on typeless members."""
    __tracebackhide__ = True
    body = factory.group_body()
    body["members"] = [typed_member(factory, uid) for uid in user_ids]
    reply = factory.post_group(factory.with_required(body, "Group"))
    precondition(reply, "POST /Groups creates the group with its members", 200, 201)
    return reply.body


def typed_member(factory: Factory, user_id: str) -> dict[str, Any]:
    """A user as a member: its value, and type "User" where the target's Group schema defines it."""
    return {"value": user_id, **({"type": "User"} if factory.defines("members.type", "Group") else {})}


def users(factory: Factory, count: int) -> list[dict[str, Any]]:
    return [factory.user() for _ in range(count)]


def member_ids(group: dict[str, Any]) -> list[str]:
    """Sorted member values of a group representation (absent or null members = none)."""
    members = group.get("members") or []
    return sorted(str(m.get("value")) for m in members if isinstance(m, dict))


def email_pairs(user: dict[str, Any]) -> list[tuple[Any, Any]]:
    """(type, value) of each of a user's emails, sorted; an untyped one has type None."""
    emails = user.get("emails")
    found = [(e.get("type"), e.get("value")) for e in emails if isinstance(e, dict)] if isinstance(
        emails, list) else []
    return sorted(found, key=repr)


def expect_error(reply: Reply, status: int, scim_types: tuple[str, ...], *, required: bool) -> None:
    """status, and a scimType among scim_types: always when required, else whenever one is given.

    RFC 7644 §3.12 makes scimType OPTIONAL; only where §3.5.2 names the keyword is it required.
    """
    __tracebackhide__ = True
    expect_status(reply, status)
    body = reply.json if isinstance(reply.json, dict) else {}
    given = body.get("scimType")
    if given is None and not required:
        return
    wanted = " or ".join(f'"{t}"' for t in scim_types)
    expect(given in scim_types, f"a SCIM Error with scimType {wanted}", describe(reply), reply)
