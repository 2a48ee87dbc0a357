"""Group membership as members and as the User's read-only groups (RFC 7643 §4.1.2, §4.2)."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from simulator.scim.paths import user_path
from suites.client import ScimClient
from suites.expect import describe, expect, expect_status, fail
from suites.factory import Factory
from suites.groups.helpers import attribute, member_values, members, read_members
from suites.target import Target


def _points_at(ref: object, collection: str, rid: str) -> bool:
    """A $ref whose path ends in /<collection>/<id> (absolute or relative URI), the id
    percent-encoded as a path segment (RFC 3986 §3.3) or, from a lax server, written as it is."""
    if not isinstance(ref, str):
        return False
    tail = f"/{collection}/{rid}"
    return unquote(ref.split("?", 1)[0].rstrip("/")).endswith(tail) or ref.rstrip("/").endswith(tail)


@pytest.mark.check("GRP-MEMBERSHIP-001", level="MUST", refs=["RFC7643 §4.2", "RFC7643 §2.4"],
                   caught_by=["members-require-type"])
def test_member_entries_identify_the_user(factory: Factory, client: ScimClient, target: Target) -> None:
    """A user member carries its id as value; $ref and type, when present, name that User.

    RFC 7643 §4.2: "The "value" sub-attribute contains the value of an "id" attribute of a SCIM
    resource, and the "$ref" sub-attribute must be the URI of a SCIM resource such as a "User",
    or a "Group"." with "type" canonical values "User" and "Group" (§8.7.1).
    """
    uid = factory.user()["id"]
    reply = expect_status(read_members(client, target, factory.group([uid])["id"]), 200)
    entry = next((m for m in members(reply.body) if attribute(m, "value") == uid), None)
    if entry is None:
        fail(f"a member with value {uid}", f"members {member_values(reply.body)}", reply)
    ref, kind = attribute(entry, "$ref"), attribute(entry, "type")
    expect(ref is None or _points_at(ref, "Users", uid), f"$ref ending in /Users/{uid}", entry, reply)
    expect(kind is None or str(kind).casefold() == "user", 'type "User"', entry, reply)


@pytest.mark.check("GRP-MEMBERSHIP-002", level="SHOULD", refs=["RFC7643 §4.1.2"],
                   caught_by=["groups-not-derived", "members-require-type"])
def test_user_groups_lists_the_group(factory: Factory, client: ScimClient, target: Target) -> None:
    """A member's read-only groups attribute lists the group by its id.

    RFC 7643 §4.1.2: "groups  A list of groups to which the user belongs, either through direct
    membership, through nested groups, or dynamically calculated. ... If the SCIM service
    provider exposes a "Group" resource, the "value" sub-attribute MUST be the "id"". No
    sentence obliges a server to fill groups, hence SHOULD; skipped when the target's User
    schema has no groups attribute.
    """
    rs = target.resource_schema("User")
    if rs is not None and rs.core.attribute("groups") is None:
        pytest.skip("the target's User schema declares no groups attribute")
    uid = factory.user()["id"]
    gid = factory.group([uid])["id"]
    reply = expect_status(client.get(user_path(uid)), 200)
    groups = [g for g in attribute(reply.body, "groups") or [] if isinstance(g, dict)]
    entry = next((g for g in groups if attribute(g, "value") == gid), None)
    if entry is None:
        group = read_members(client, target, gid)
        if group.status == 200 and uid not in member_values(group.body):  # not a member at all
            fail("(precondition) the group created with the user lists it as a member "
                 "(GRP-CREATE-005 judges that)", describe(group), group)
        fail(f"groups containing value {gid}", f"groups: {groups}", reply)
    ref = attribute(entry, "$ref")
    expect(ref is None or _points_at(ref, "Groups", gid), f"$ref ending in /Groups/{gid}", entry, reply)


@pytest.mark.check("GRP-MEMBERSHIP-003", level="SHOULD", refs=["RFC7644 §3.6", "RFC7643 §4.2"],
                   caught_by=["delete-keeps-memberships", "members-require-type"])
def test_deleted_user_leaves_its_groups(factory: Factory, client: ScimClient, target: Target) -> None:
    """Deleting a user removes it from the members of its groups.

    RFC 7644 §3.6: a deleted resource "MUST return a 404 (Not Found) error code for all
    operations associated with the previously deleted resource" and RFC 7643 §4.2 members'
    "value" "contains the value of an "id" attribute of a SCIM resource"; a member pointing at
    a deleted user dangles. No sentence names membership cleanup, hence SHOULD.
    """
    uid = factory.user()["id"]
    gid = factory.group([uid, factory.user()["id"]])["id"]
    deleted = client.delete(user_path(uid))
    if deleted.status not in (200, 204):
        fail("(precondition) DELETE of a user this run created succeeds", describe(deleted), deleted)
    reply = expect_status(read_members(client, target, gid), 200)
    expect(uid not in member_values(reply.body), f"members without the deleted user {uid}",
           f"members {member_values(reply.body)}", reply)
