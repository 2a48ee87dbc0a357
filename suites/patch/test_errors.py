"""PATCH failures (RFC 7644 §3.5.2, §3.12): status codes and scimType keywords."""

from __future__ import annotations

import pytest

from simulator.scim import urns
from simulator.scim.paths import user_path
from suites.client import ScimClient
from suites.expect import expect_status
from suites.factory import Factory
from suites.patch.ops import expect_error, patch_body
from suites.target import Target

UNKNOWN_ID = "scimcert-no-such-user-0d8c2a1e"


@pytest.mark.check("PATCH-ERR-PATH-001", level="MUST", refs=["RFC7644 §3.5.2", "RFC7644 §3.12"])
def test_unknown_attribute_path(target: Target, client: ScimClient, factory: Factory) -> None:
    """A path to an attribute the schema does not define fails with 400 (invalidPath or noTarget).

    RFC 7644 §3.5.2: "An operation that is not compatible with an attribute's mutability or
    schema SHALL return the appropriate HTTP response status code and a JSON detail error
    response". Table 9: invalidPath, "The "path" attribute was invalid or malformed", and
    noTarget, "The specified "path" did not yield an attribute ... that could be operated on",
    both fit; scimType itself is OPTIONAL (§3.12), so a missing one is accepted.
    """
    target.require("patch")
    path = user_path(factory.user()["id"])
    op = {"op": "replace", "path": "scimcertNoSuchAttribute", "value": "x"}
    reply = client.patch(path, patch_body(op))
    expect_error(reply, 400, ("invalidPath", "noTarget"), required=False)


@pytest.mark.check("PATCH-ERR-NOTARGET-001", level="MUST", refs=["RFC7644 §3.5.2.2"],
                   caught_by=["patch-requires-path", "error-body-not-scim"])
def test_remove_without_path(target: Target, client: ScimClient, factory: Factory) -> None:
    """remove without a path fails with 400 and scimType noTarget.

    RFC 7644 §3.5.2.2: "If "path" is unspecified, the operation fails with HTTP status code 400
    and a "scimType" error code of "noTarget"."
    """
    target.require("patch")
    path = user_path(factory.user()["id"])
    reply = client.patch(path, patch_body({"op": "remove"}))
    expect_error(reply, 400, ("noTarget",), required=True)


@pytest.mark.check("PATCH-ERR-NOTARGET-002", level="MUST", refs=["RFC7644 §3.5.2.3"],
                   caught_by=["member-filter-path-unsupported", "error-body-not-scim"])
def test_replace_filter_matching_nothing(target: Target, client: ScimClient,
                                         factory: Factory) -> None:
    """replace through a value filter that matches no value fails with 400 and scimType noTarget.

    RFC 7644 §3.5.2.3: "If the target location is a multi-valued attribute for which a value
    selection filter ("valuePath") has been supplied and no record match was made, the service
    provider SHALL indicate failure by returning HTTP status code 400 and a "scimType" error
    code of "noTarget"." The sub-attribute replaced is display, or value where the target's User
    schema in /Schemas defines no emails.display (a path to it could fail as invalidPath). A 400
    invalidFilter skips: Table 9 lets a provider decline a path filter whose "attribute and
    filter comparison combination is not supported" (PATCH (Path Filter)), and then no match
    was attempted. (The filter is on value, not type: Entra's replace through
    emails[type eq "work"] makes some servers add a missing typed value on purpose.)
    """
    target.require("patch")
    target.require_attributes("User", "emails.value")
    sub = "display" if target.defines("User", "emails.display") else "value"
    path = user_path(factory.user()["id"])  # the factory's user has one email, of type "work"
    op = {"op": "replace", "path": f'emails[value eq "nobody@scimcert.invalid"].{sub}',
          "value": "Nobody"}
    reply = client.patch(path, patch_body(op))
    if reply.status == 400 and isinstance(reply.json, dict) and reply.json.get("scimType") == "invalidFilter":
        pytest.skip(f"the target declines the path filter {op['path']!r} (400 invalidFilter), which "
                    "RFC 7644 §3.12 Table 9 allows; a match that found nothing cannot be judged")
    expect_error(reply, 400, ("noTarget",), required=True)


@pytest.mark.check("PATCH-ERR-MUT-001", level="MUST", refs=["RFC7644 §3.5.2", "RFC7643 §3.1"])
def test_replace_id(target: Target, client: ScimClient, factory: Factory) -> None:
    """replace of "id" with another value fails with 400 (scimType mutability when given).

    RFC 7644 §3.5.2: "a client MUST NOT modify an attribute that has mutability "readOnly" ...
    An operation that is not compatible with an attribute's mutability or schema SHALL return
    the appropriate HTTP response status code and a JSON detail error response"; RFC 7643 §3.1
    makes "id" readOnly.
    """
    target.require("patch")
    path = user_path(factory.user()["id"])
    op = {"op": "replace", "path": "id", "value": "scimcert-hijacked-id"}
    expect_error(client.patch(path, patch_body(op)), 400, ("mutability",), required=False)


@pytest.mark.check("PATCH-ERR-MUT-002", level="MUST", refs=["RFC7644 §3.5.2", "RFC7643 §3.1"])
def test_replace_meta(target: Target, client: ScimClient, factory: Factory) -> None:
    """replace of "meta.created" fails with 400 (scimType mutability when given).

    RFC 7644 §3.5.2: "a client MUST NOT modify an attribute that has mutability "readOnly""
    and such an operation "SHALL return the appropriate HTTP response status code and a JSON
    detail error response"; RFC 7643 §3.1: "All "meta" sub-attributes are assigned by the
    service provider (have a "mutability" of "readOnly")".
    """
    target.require("patch")
    path = user_path(factory.user()["id"])
    op = {"op": "replace", "path": "meta.created", "value": "2001-01-01T00:00:00Z"}
    expect_error(client.patch(path, patch_body(op)), 400, ("mutability",), required=False)


@pytest.mark.check("PATCH-ERR-UNIQUE-001", level="MUST",
                   refs=["RFC7643 §4.1", "RFC7644 §3.5.2", "RFC7644 §3.12"],
                   caught_by=["duplicate-username-allowed"])
def test_replace_username_with_a_taken_one(target: Target, client: ScimClient, factory: Factory) -> None:
    """replace of userName with another user's userName is refused (409, or 400 "uniqueness").

    RFC 7643 §4.1: userName "MUST be unique across the service provider's entire set of Users".
    RFC 7644 §3.12 lists "uniqueness" for PATCH ("One or more of the attribute values are already
    in use or are reserved") and 409 Conflict; either status is accepted, as for PUT
    (USR-REPLACE-007). Skipped where the target's /Schemas makes userName immutable or readOnly.
    """
    target.require("patch")
    rs = target.resource_schema("User")
    found = rs.resolve(None, "userName") if rs else None
    if found is not None and found.leaf.mutability in ("immutable", "readOnly"):
        pytest.skip(f"the target's User schema declares userName {found.leaf.mutability}")
    taken = factory.user()["userName"]
    path = user_path(factory.user()["id"])
    op = {"op": "replace", "path": "userName", "value": taken}
    reply = expect_status(client.patch(path, patch_body(op)), 409, 400)
    if reply.status == 400:
        expect_error(reply, 400, ("uniqueness",), required=True)
    else:
        expect_error(reply, 409, ("uniqueness",), required=False)


@pytest.mark.check("PATCH-ERR-VALUE-001", level="MUST", refs=["RFC7644 §3.5.2", "RFC7644 §3.12"])
def test_value_of_wrong_type(target: Target, client: ScimClient, factory: Factory) -> None:
    """A JSON object as the value of a string attribute fails with 400 (invalidValue when given).

    RFC 7644 §3.5.2: an operation "not compatible with an attribute's ... schema SHALL return
    the appropriate HTTP response status code and a JSON detail error response"; Table 9
    invalidValue: "the value specified was not compatible with the operation or attribute type".
    The attribute is title, or displayName or name.givenName where the target's User schema in
    /Schemas defines no title: a path to an undefined one fails as invalidPath (PATCH-ERR-PATH-001).
    """
    target.require("patch")
    attr = target.pick_attribute("User", "title", "displayName", "name.givenName")
    path = user_path(factory.user()["id"])
    op = {"op": "replace", "path": attr, "value": {"text": "Engineer", "level": 3}}
    expect_error(client.patch(path, patch_body(op)), 400, ("invalidValue",), required=False)


@pytest.mark.check("PATCH-ERR-SCHEMAS-001", level="MAY",
                   refs=["RFC7644 §3.5.2", "RFC7644 §3.12"])
def test_body_without_patchop_urn(target: Target, client: ScimClient, factory: Factory) -> None:
    """A body whose "schemas" lacks the PatchOp URN is refused with 400.

    RFC 7644 §3.5.2: "The body of each request MUST contain the "schemas" attribute with the URI
    value of "urn:ietf:params:scim:api:messages:2.0:PatchOp"." That binds the client; the RFC
    does not say the server must or should refuse such a body (Table 9's invalidSyntax, "did not
    conform to the request schema", fits but lists no PATCH), so refusing it is a MAY and any
    scimType is accepted.
    """
    target.require("patch")
    path = user_path(factory.user()["id"])
    body = {"schemas": [urns.CORE_USER],
            "Operations": [{"op": "replace", "path": "title", "value": "X"}]}
    expect_status(client.patch(path, body), 400)


@pytest.mark.check("PATCH-ERR-404-001", level="SHOULD", refs=["RFC7644 §3.12"])
def test_unknown_resource(target: Target, client: ScimClient) -> None:
    """PATCH of a user that does not exist answers 404.

    RFC 7644 §3.12: 404 Not Found, "Specified resource (e.g., User) or endpoint does not exist",
    in the table that "Implementers SHOULD handle", hence SHOULD (§3.6's MUST 404 is for a
    resource that was deleted).
    """
    target.require("patch")
    op = {"op": "replace", "path": "active", "value": False}
    expect_status(client.patch(user_path(UNKNOWN_ID), patch_body(op)), 404)
