"""POST /Groups (RFC 7644 §3.3, RFC 7643 §4.2)."""

from __future__ import annotations

import uuid

import pytest

from suites.client import ScimClient
from suites.expect import (
    expect,
    expect_equal,
    expect_object,
    expect_schema,
    expect_status,
    expect_valid,
)
from suites.factory import Factory
from suites.groups.helpers import member_values, read_members
from suites.schemas import resource_json_schema
from suites.target import Target


@pytest.mark.check("GRP-CREATE-001", level="MUST", refs=["RFC7644 §3.3", "RFC7643 §3.1"], okta=True,
                   caught_by=["created-returns-200"])
def test_create_empty_group_returns_201_with_id(factory: Factory) -> None:
    """Creating a group with Okta's push body (members: []) answers 201 Created with an id.

    RFC 7644 §3.3: "When the service provider successfully creates the new resource, an HTTP
    response SHALL be returned with HTTP status code 201 (Created)." RFC 7643 §3.1: "Each
    representation of the resource MUST include a non-empty "id" value." Okta's group push
    sends {"schemas":[Group],"displayName":…,"members":[]} and keeps the returned id.
    """
    reply = factory.post_group(factory.group_body())
    body = expect_object(expect_status(reply, 201))
    gid = body.get("id")
    expect(isinstance(gid, str) and gid != "", "a non-empty string id", body, reply)


@pytest.mark.check("GRP-CREATE-002", level="MUST", refs=["RFC7643 §4.2", "RFC7644 §3.3"])
def test_create_response_is_a_valid_group(factory: Factory) -> None:
    """The created group is a valid Group resource carrying the displayName that was sent.

    RFC 7643 §4.2: "displayName  A human-readable name for the Group.  REQUIRED."
    RFC 7644 §3.3: "the response body SHOULD contain the service provider's representation of
    the newly created resource."
    """
    sent = factory.group_body()
    reply = factory.post_group(sent)
    body = expect_object(expect_status(reply, 200, 201))
    expect_schema(body, "group", reply)
    expect_equal(body.get("displayName"), sent["displayName"], "displayName", reply)


@pytest.mark.check("GRP-CREATE-003", level="MUST", refs=["RFC7643 §3.1"],
                   caught_by=["meta-missing"])
def test_create_meta_resource_type_is_group(factory: Factory) -> None:
    """The created group carries meta.resourceType "Group".

    RFC 7643 §3.1: "When accepted by a service provider (e.g., after a SCIM create), the
    attributes "id" and "meta" (and its associated sub-attributes) MUST be assigned values by
    the service provider." Okta's documented push response carries meta.resourceType "Group".
    """
    reply = factory.post_group(factory.group_body())
    body = expect_object(expect_status(reply, 200, 201))
    meta = body.get("meta")
    resource_type = meta.get("resourceType") if isinstance(meta, dict) else None
    expect(resource_type == "Group", 'meta.resourceType "Group"', f"meta: {meta!r}", reply)


@pytest.mark.check("GRP-CREATE-004", level="MUST", refs=["RFC7643 §7", "RFC7643 §2.3"])
def test_create_matches_the_targets_own_group_schema(factory: Factory, target: Target) -> None:
    """The created group conforms to the Group schema the target itself publishes in /Schemas.

    RFC 7643 §7 defines each attribute's "type" ("The attribute's data type"), "multiValued"
    ("the attribute's plurality") and "required"; a group that contradicts the definitions its
    own server publishes misleads every client that discovers the schema.
    """
    rs = target.resource_schema("Group")
    if rs is None:
        pytest.skip("the target's /Schemas does not define the core Group schema")
    reply = factory.post_group(factory.group_body())
    body = expect_object(expect_status(reply, 200, 201))
    expect_valid(body, resource_json_schema(rs), "the Group schema the target publishes", reply)


@pytest.mark.check("GRP-CREATE-005", level="MUST", refs=["RFC7643 §4.2", "RFC7644 §3.3"],
                   caught_by=["members-require-type"])
def test_create_with_members_stores_them(factory: Factory, client: ScimClient, target: Target) -> None:
    """A group created with members lists each of them by its value (the member's id).

    RFC 7643 §4.2: "members  A list of members of the Group. ... The "value" sub-attribute
    contains the value of an "id" attribute of a SCIM resource". The members are sent as Okta
    sends them: {"value": id} with no "type" (okta-scim.md §8.3).
    """
    first, second = factory.user(), factory.user()
    reply = factory.post_group(factory.group_body([first["id"], second["id"]]))
    gid = expect_object(expect_status(reply, 200, 201)).get("id")
    stored = expect_status(read_members(client, target, str(gid)), 200)
    expect_equal(member_values(stored.body), sorted([first["id"], second["id"]]),
                 "the members' values (sorted)", stored)


@pytest.mark.check("GRP-CREATE-006", level="SHOULD", refs=["RFC7643 §4.2", "RFC7644 §3.12"])
def test_create_with_unknown_member_is_rejected(factory: Factory) -> None:
    """A member whose value is not the id of any resource is rejected with 400 (or 404).

    RFC 7643 §4.2: members' "value" "contains the value of an "id" attribute of a SCIM
    resource"; RFC 7644 §3.12 lists 400 invalidValue ("the value specified was not compatible
    with ... resource schema") and 404 ("Specified resource (e.g., User) ... does not exist").
    No sentence requires rejecting a dangling member, hence SHOULD.
    """
    missing = f"scimcert-missing-{uuid.uuid4()}"
    reply = factory.post_group(factory.group_body([missing]))
    expect_status(reply, 400, 404)


@pytest.mark.check("GRP-CREATE-007", level="MUST", refs=["RFC7643 §8.7.1", "RFC7644 §3.3", "RFC7644 §3.12"],
                   caught_by=["group-name-conflict-500"])
def test_create_with_a_taken_display_name_is_201_or_409(factory: Factory) -> None:
    """A second group with a displayName already in use is created (201) or refused with 409.

    RFC 7643 §8.7.1 declares Group displayName "uniqueness": "none", so a server may keep two
    groups of one name. One that does not is bound by RFC 7644 §3.3: "If the service provider
    determines that the creation of the requested resource conflicts with existing resources
    ..., the service provider MUST return HTTP status code 409 (Conflict) with a "scimType"
    error code of "uniqueness"" — not a 400, and never a 500 from a unique index. (A 200 for the
    creation is accepted here: GRP-CREATE-001 judges the status of a create.)
    """
    name = factory.group()["displayName"]
    again = expect_status(factory.post_group(factory.group_body(displayName=name)), 201, 200, 409)
    if again.status == 409:
        expect_equal(again.body.get("scimType"), "uniqueness", "scimType", again)
