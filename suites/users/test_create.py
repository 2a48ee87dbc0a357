"""POST /Users (RFC 7644 §3.3)."""

from __future__ import annotations

import pytest

from simulator.scim import urns
from suites.expect import expect, expect_equal, expect_header, expect_object, expect_schema, expect_status
from suites.factory import Factory


@pytest.mark.check("USR-CREATE-001", level="MUST", refs=["RFC7644 §3.3"], okta=True,
                   caught_by=["created-returns-200"])
def test_create_returns_201(factory: Factory) -> None:
    """Creating a user answers 201 Created.

    RFC 7644 §3.3: "When the service provider successfully creates the new resource, an HTTP
    response SHALL be returned with HTTP status code 201 (Created)."
    """
    reply = factory.post_user(factory.user_body())
    expect_status(reply, 201)


@pytest.mark.check("USR-CREATE-002", level="MUST", refs=["RFC7644 §3.3", "RFC7643 §3.1"],
                   caught_by=["no-location-header", "location-mismatch"])
def test_create_location_header_is_meta_location(factory: Factory) -> None:
    """The 201 carries a Location header equal to meta.location.

    RFC 7644 §3.3: "the response body SHOULD contain the service provider's representation of
    the newly created resource. The URI of the created resource SHALL be included in the HTTP
    Location header and in the representation's meta.location attribute."
    """
    reply = factory.post_user(factory.user_body())
    body = expect_object(expect_status(reply, 200, 201))
    location = expect_header(reply, "Location")
    expect_equal(location, (body.get("meta") or {}).get("location"), "meta.location", reply)


@pytest.mark.check("USR-CREATE-003", level="MUST", refs=["RFC7643 §4.1"], okta=True)
def test_create_response_is_a_valid_user(factory: Factory) -> None:
    """The created user is a valid User resource with a non-empty id.

    RFC 7643 §3.1: "id ... MUST be included in every representation of the resource";
    Okta stores the returned id and fails with "Create new user returned empty user" otherwise.
    """
    reply = factory.post_user(factory.user_body())
    body = expect_object(expect_status(reply, 200, 201))
    expect_schema(body, "user", reply)
    expect(urns.CORE_USER in body.get("schemas", []), f"schemas containing {urns.CORE_USER}",
           body.get("schemas"), reply)
