"""PUT /Groups/{id} (RFC 7644 §3.5.1)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from simulator.scim import urns
from simulator.scim.paths import group_path
from suites.client import ScimClient
from suites.expect import expect, expect_equal, expect_status
from suites.factory import Factory
from suites.groups.helpers import attribute, member_values, read_members, unassigned
from suites.target import Target


def okta_put_body(factory: Factory, group: dict[str, Any], users: list[dict[str, Any]]) -> dict[str, Any]:
    """The body of Okta's AIW group push: id echoed, members as {value, display}, no type (with the
    group's data of the extensions the target requires: RFC 7643 §6)."""
    return factory.replacing(group, {
        "schemas": [urns.CORE_GROUP], "id": group["id"], "displayName": group["displayName"],
        "members": [{"value": u["id"], "display": u["userName"]} for u in users]}, "Group")


@pytest.mark.check("GRP-REPLACE-001", level="MUST", refs=["RFC7644 §3.5.1"], okta=True,
                   caught_by=["members-require-type", "put-rejects-readonly-echo"])
def test_put_replaces_the_member_list(factory: Factory, client: ScimClient, target: Target) -> None:
    """PUT with members replaces the member list: the old member goes, the new one stays.

    RFC 7644 §3.5.1: "readWrite, writeOnly  Any values provided SHALL replace the existing
    attribute values." Okta's AIW apps push group membership this way, echoing the group's id.
    The PUT may answer 204: §3.5.1's "returns a 200 OK" has no RFC 2119 keyword.
    """
    old, new = factory.user(), factory.user()
    group = factory.group([old["id"]])
    reply = client.put(group_path(group["id"]), okta_put_body(factory, group, [new]))
    expect_status(reply, 200, 204)
    stored = expect_status(read_members(client, target, group["id"]), 200)
    expect_equal(member_values(stored.body), [new["id"]], "the members' values after PUT", stored)


@pytest.mark.check("GRP-REPLACE-002", level="MUST", refs=["RFC7644 §3.5.1"], okta=True,
                   caught_by=["members-require-type", "put-rejects-readonly-echo", "put-keeps-omitted"])
def test_put_with_empty_members_empties_the_group(factory: Factory, client: ScimClient,
                                                  target: Target) -> None:
    """PUT with "members": [] removes every member.

    RFC 7644 §3.5.1: "Clients that want to override a server's defaults MAY specify "null" for
    a single-valued attribute, or an empty array "[]" for a multi-valued attribute, to clear
    all values." Okta's AIW apps PUT an emptied group with "members": [].
    """
    group = factory.group([factory.user()["id"]])
    reply = client.put(group_path(group["id"]), okta_put_body(factory, group, []))
    expect_status(reply, 200, 204)
    stored = expect_status(read_members(client, target, group["id"]), 200)
    expect_equal(member_values(stored.body), [], "the members' values after PUT", stored)


@pytest.mark.check("GRP-REPLACE-003", level="MAY", refs=["RFC7644 §3.5.1"],
                   caught_by=["members-require-type", "put-keeps-omitted"])
def test_put_clears_omitted_attributes(factory: Factory, client: ScimClient, target: Target) -> None:
    """PUT without members and externalId leaves the group with neither.

    RFC 7644 §3.5.1: "HTTP PUT is used to replace a resource's attributes." and "Attributes
    whose mutability is "readWrite" that are omitted from the request body MAY be assumed to be
    not asserted by the client.  The service provider MAY assume that any existing values are
    to be cleared, or the service provider MAY assign a default value". Keeping the old values
    is neither choice, but the RFC's words are MAY (as for USR-REPLACE-002). Only what the
    target's Group schema lets a client leave out (writable, not required) is left out; the
    other is sent as read.
    """
    omitted = [k for k in ("members", "externalId") if target.clearable("Group", k)]
    if not omitted:
        pytest.skip("the target's Group schema lets a client leave out neither members nor externalId")
    group = factory.group([factory.user()["id"]], externalId=str(uuid.uuid4()))
    body: dict[str, Any] = {"schemas": [urns.CORE_GROUP], "displayName": group["displayName"]}
    body.update({k: group[k] for k in ("members", "externalId") if k not in omitted and k in group})
    body = factory.replacing(group, body, "Group")
    expect_status(client.put(group_path(group["id"]), body), 200, 204)
    reply = expect_status(client.get(group_path(group["id"])), 200)
    kept = {k: attribute(reply.body, k) for k in omitted if not unassigned(reply.body, k)}
    expect(not kept, f"{' and '.join(omitted)} cleared (absent, null or [])", f"kept {kept}", reply)
