"""GET /Groups/{id} and GET /Groups?filter=… (RFC 7644 §3.4)."""

from __future__ import annotations

import pytest

from simulator.scim.paths import group_path
from suites.client import ScimClient
from suites.expect import expect, expect_equal, expect_object, expect_status, ids_of
from suites.factory import Factory
from suites.filter.query import string
from suites.groups.helpers import attribute, members_returned, unassigned
from suites.target import Target


@pytest.mark.check("GRP-READ-001", level="MUST", refs=["RFC7644 §3.4.1"], okta=True)
def test_get_group_by_id(factory: Factory, client: ScimClient) -> None:
    """GET /Groups/{id} answers 200 with the group: same id and displayName.

    RFC 7644 §3.4.1: "If the resource exists, the server responds with HTTP status code 200
    (OK) and includes the result in the body of the response." Okta reads a pushed group by id
    to check it still exists.
    """
    group = factory.group()
    reply = client.get(group_path(group["id"]))
    body = expect_object(expect_status(reply, 200))
    expect_equal(body.get("id"), group["id"], "id", reply)
    expect_equal(body.get("displayName"), group["displayName"], "displayName", reply)


@pytest.mark.check("GRP-READ-002", level="MUST", refs=["RFC7644 §3.4.2.2"], okta=True,
                   caught_by=["filter-ignored", "startindex-zero-based"])
def test_filter_display_name_eq_finds_the_group(factory: Factory, client: ScimClient,
                                                 target: Target) -> None:
    """Okta's lookup `displayName eq "…"` returns exactly the group with that name.

    RFC 7644 §3.4.2.2: "eq  equal  The attribute and operator values must be identical for a
    match." and "only those resources matching the filter expression SHALL be returned". Okta
    looks a group up this way (startIndex=1, count=100) before pushing it.
    """
    target.require("filter")
    group = factory.group()
    factory.group()  # a second group, so a server that ignores the filter shows itself
    params = {"filter": f"displayName eq {string(group['displayName'])}", "startIndex": 1, "count": 100}
    reply = client.get("/Groups", params=params)
    body = expect_object(expect_status(reply, 200))
    expect_equal(ids_of(body.get("Resources") or []), [group["id"]], "the ids in Resources", reply)


@pytest.mark.check("GRP-READ-003", level="MUST", refs=["RFC7643 §7", "RFC7643 §8.7.1"],
                   caught_by=["startindex-zero-based"])
def test_filter_display_name_ignores_case(factory: Factory, client: ScimClient, target: Target) -> None:
    """A displayName filter in another letter case finds the group (caseExact is false).

    RFC 7643 §7: "caseExact  A Boolean value that specifies whether or not a string attribute
    is case sensitive.  The server SHALL use case sensitivity when evaluating filters." RFC 7643
    §8.7.1 declares Group displayName "caseExact" : false. Skipped when the target declares it
    case-exact.
    """
    target.require("filter")
    rs = target.resource_schema("Group")
    declared = rs.core.attribute("displayName") if rs is not None else None
    if declared is not None and declared.case_exact:
        pytest.skip("the target declares Group displayName caseExact: true")
    name = factory.group()["displayName"]
    other_case = name.upper() if name.upper() != name else name.lower()
    reply = client.get("/Groups", params={"filter": f"displayName eq {string(other_case)}"})
    body = expect_object(expect_status(reply, 200))
    found = [r.get("displayName") for r in body.get("Resources") or [] if isinstance(r, dict)]
    expect(name in found, f"a group named {name!r} among Resources", f"displayNames {found}", reply)


@pytest.mark.check("GRP-READ-004", level="MUST", refs=["RFC7644 §3.9", "RFC7644 §3.4.2.5"],
                   caught_by=["excluded-attributes-ignored", "members-require-type"])
def test_get_group_excluding_members(factory: Factory, client: ScimClient, target: Target) -> None:
    """GET /Groups/{id}?excludedAttributes=members leaves out members and keeps the rest.

    RFC 7644 §3.9: "excludedAttributes  When specified, each resource returned MUST contain the
    minimum set of resource attributes.  Additionally, the default set of attributes minus
    those attributes listed in "excludedAttributes" is returned." Microsoft Entra reads groups
    this way.
    """
    if members_returned(target) == "always":
        pytest.skip('the target declares Group members returned: "always"')
    group = factory.group([factory.user()["id"]])
    reply = client.get(group_path(group["id"]), params={"excludedAttributes": "members"})
    body = expect_object(expect_status(reply, 200))
    expect(unassigned(body, "members"), "no members", f"members: {attribute(body, 'members')}", reply)
    expect_equal(body.get("id"), group["id"], "id", reply)
    expect_equal(body.get("displayName"), group["displayName"], "displayName", reply)


@pytest.mark.check("GRP-READ-005", level="MUST", refs=["RFC7644 §3.4.2.5", "RFC7644 §3.9"],
                   caught_by=["excluded-attributes-ignored", "members-require-type",
                              "startindex-zero-based"])
def test_filtered_list_excluding_members(factory: Factory, client: ScimClient, target: Target) -> None:
    """A filtered list with excludedAttributes=members returns the group without members.

    RFC 7644 §3.4.2.5: "excludedAttributes  A multi-valued list of strings indicating the names
    of resource attributes to be removed from the default set of attributes to return." Entra
    looks groups up with GET /Groups?excludedAttributes=members&filter=displayName eq "…".
    """
    target.require("filter")
    if members_returned(target) == "always":
        pytest.skip('the target declares Group members returned: "always"')
    group = factory.group([factory.user()["id"]])
    params = {"excludedAttributes": "members", "filter": f"displayName eq {string(group['displayName'])}"}
    reply = client.get("/Groups", params=params)
    resources = expect_object(expect_status(reply, 200)).get("Resources") or []
    ours = [r for r in resources if isinstance(r, dict) and r.get("id") == group["id"]]
    expect(bool(ours), f"the group {group['id']} among Resources", f"ids {ids_of(resources)}", reply)
    expect(unassigned(ours[0], "members"), "the group without members",
           f"members: {attribute(ours[0], 'members')}", reply)
