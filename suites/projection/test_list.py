"""attributes and excludedAttributes on list queries (RFC 7644 §3.4.2.5)."""

from __future__ import annotations

import pytest

from suites.client import ScimClient
from suites.expect import expect, expect_object, expect_status
from suites.factory import Factory
from suites.projection.shape import always_returned, expect_absent, expect_present, projected
from suites.target import Target


@pytest.mark.check("PROJ-LIST-001", level="MUST", refs=["RFC7644 §3.4.2.5", "RFC7644 §3.9"],
                   caught_by=["attributes-ignored"])
def test_list_applies_attributes_to_every_resource(factory: Factory, client: ScimClient,
                                                   target: Target) -> None:
    """GET /Users?attributes=userName returns every listed user with only id and userName.

    RFC 7644 §3.4.2.5: the parameters "control which attributes SHALL be returned with a
    returned resource. SCIM clients MAY use one of these two OPTIONAL parameters, which MUST
    be supported by SCIM service providers".
    """
    factory.user()
    reply = client.get("/Users", params={"attributes": "userName", "count": 10})
    found = expect_object(expect_status(reply, 200)).get("Resources") or []
    expect(bool(found), "at least one listed user", "no Resources", reply)
    keep = always_returned(target, "User")
    for resource in found:
        expect_present(resource, ("id", "userName"), reply)
        expect_absent(resource, ("displayName", "emails", "name"), reply, keep)


@pytest.mark.check("PROJ-LIST-002", level="MUST", refs=["RFC7644 §3.4.2.5", "RFC7643 §4.2"],
                   caught_by=["excluded-attributes-ignored", "startindex-zero-based"])
def test_list_excludes_group_members(factory: Factory, client: ScimClient, target: Target) -> None:
    """GET /Groups?excludedAttributes=members lists the group without its members.

    RFC 7644 §3.4.2.5: excludedAttributes names "resource attributes to be removed from the
    default set of attributes to return". Microsoft Entra lists groups this way.
    """
    target.require("filter")
    target.require_resource("Group")
    body = factory.group_body([factory.user()["id"]])
    body["members"][0]["type"] = "User"  # some servers insist on it; this check is not about that
    group = projected(factory.post_group(body), 201, 200)
    reply = client.get("/Groups", params={"excludedAttributes": "members",
                                          "filter": f'displayName eq "{group["displayName"]}"'})
    found = expect_object(expect_status(reply, 200)).get("Resources") or []
    expect(bool(found), f"the group {group['displayName']!r} listed", "no Resources", reply)
    for resource in found:
        expect_present(resource, ("id", "displayName"), reply)
        expect_absent(resource, ("members",), reply, always_returned(target, "Group"))
