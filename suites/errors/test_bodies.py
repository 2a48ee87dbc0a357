"""Error response bodies (RFC 7644 §3.12) and Okta's SPEC-test view of them."""

from __future__ import annotations

import json

import pytest

from simulator.scim import urns
from simulator.scim.paths import user_path
from suites.client import ScimClient
from suites.errors.provoke import malformed_post, unknown_user
from suites.expect import describe, expect, expect_equal, expect_object, expect_schema, expect_status, fail
from suites.factory import Factory

SCIM_TYPES = ("invalidFilter", "tooMany", "uniqueness", "mutability", "invalidSyntax", "invalidPath",
              "noTarget", "invalidValue", "invalidVers", "sensitive")  # RFC 7644 §3.12, Table 9
OKTA_MISSING_IDS = ("010101001010101011001010101011", "00919288221112222")  # SPEC test steps 4, 12


@pytest.mark.check("ERR-BODY-001", level="MUST", refs=["RFC7644 §3.12"], readonly=True,
                   caught_by=["error-status-int", "error-body-not-scim"])
def test_not_found_body_is_scim_error(client: ScimClient) -> None:
    """The error answering an unknown user id carries a valid SCIM Error body.

    RFC 7644 §3.12: "In addition to returning an HTTP response code, implementers MUST return the
    errors in the body of the response in a JSON format"; "status  The HTTP status code ...
    expressed as a JSON string. REQUIRED." That the code is 404 is Table 8's SHOULD, judged by
    USR-GET-002 and ERR-OKTA-001; here any error status will do.
    """
    reply = unknown_user(client)
    if reply.status is None or reply.status < 400:
        fail("an error status for an unknown user id", describe(reply), reply)
    expect_schema(expect_object(reply), "error", reply)


@pytest.mark.check("ERR-BODY-002", level="MUST", refs=["RFC7644 §3.12"],
                   caught_by=["error-status-int", "error-body-not-scim"])
def test_malformed_body_error_is_scim_error(client: ScimClient) -> None:
    """A request with malformed JSON is refused with a valid SCIM Error body.

    RFC 7644 §3.12: "implementers MUST return the errors in the body of the response in a JSON
    format, using the attributes described below." (The status code is ERR-SYNTAX-001's matter.)
    """
    reply = malformed_post(client)
    if reply.status is None or reply.status < 400:
        fail("an error status for a malformed body", describe(reply), reply)
    expect_schema(expect_object(reply), "error", reply)


@pytest.mark.check("ERR-BODY-003", level="MUST", refs=["RFC7644 §3.3", "RFC7644 §3.12"],
                   caught_by=["duplicate-username-allowed", "error-status-int", "error-body-not-scim"])
def test_conflict_body_is_scim_error(factory: Factory) -> None:
    """A 409 for a duplicate userName carries a valid SCIM Error body.

    RFC 7644 §3.3: "If the service provider determines that the creation of the requested
    resource conflicts with existing resources (e.g., a "User" resource with a duplicate
    "userName"), the service provider MUST return HTTP status code 409 (Conflict)".
    """
    user = factory.user()
    reply = expect_status(factory.post_user(factory.taken_name_body(user["userName"])), 409)
    expect_schema(expect_object(reply), "error", reply)


@pytest.mark.check("ERR-STATUS-001", level="MUST", refs=["RFC7644 §3.12"],
                   caught_by=["error-body-not-scim"])
def test_body_status_equals_http_status(client: ScimClient) -> None:
    """The error body's status is the response's HTTP status code.

    RFC 7644 §3.12: "status  The HTTP status code (see Section 6 of [RFC7231]) expressed as a JSON
    string. REQUIRED." (Whether it is a string is ERR-BODY-001's matter; here only the value.)
    """
    for reply in (unknown_user(client), malformed_post(client)):
        if reply.status is None or reply.status < 400:
            fail("an error status", describe(reply), reply)
        body = expect_object(reply)
        expect_equal(str(body.get("status")), str(reply.status), "the body's status", reply)


@pytest.mark.check("ERR-SCIMTYPE-001", level="MUST", refs=["RFC7644 §3.12"])
def test_scim_types_are_rfc_keywords(client: ScimClient) -> None:
    """scimType, when an error carries one, is a keyword of RFC 7644 Table 9.

    RFC 7644 §3.12: "scimType  A SCIM detail error keyword.  See Table 9.  OPTIONAL." Table 9
    lists invalidFilter, tooMany, uniqueness, mutability, invalidSyntax, invalidPath, noTarget,
    invalidValue, invalidVers and sensitive.
    """
    bad_filter = client.get("/Users", params={"filter": 'userName eq "x" and ('})
    for reply in (unknown_user(client), malformed_post(client), bad_filter):
        scim_type = reply.body.get("scimType")
        expect(scim_type is None or scim_type in SCIM_TYPES, "scimType absent or a Table 9 keyword",
               f"scimType {scim_type!r}", reply)


@pytest.mark.check("ERR-OKTA-001", level="SHOULD", refs=["RFC7644 §3.12", "Okta SPEC test 4, 12"],
                   okta=True, readonly=True, caught_by=["error-status-int", "error-body-not-scim"])
@pytest.mark.parametrize("missing_id", OKTA_MISSING_IDS, ids=["step4", "step12"])
def test_okta_spec_not_found_shape(client: ScimClient, missing_id: str) -> None:
    """GET /Users/<id that does not exist> answers 404, Error URN, status "404" and a detail.

    Okta's SPEC test (okta-scim.md §11.1 steps 4 and 12) asserts all four. RFC 7644 §3.12 makes
    the Error URN and status REQUIRED but detail OPTIONAL, and Table 8's 404 a SHOULD, so the
    level is SHOULD; Okta shows the detail to admins and fails its test without it.
    """
    reply = expect_status(client.get(user_path(missing_id)), 404)
    body = expect_object(reply)
    expect(urns.ERROR in (body.get("schemas") or []), f"schemas containing {urns.ERROR}",
           body.get("schemas"), reply)
    status = body.get("status")
    expect(status == "404", 'status "404" (a JSON string)', f"status {json.dumps(status)}", reply)
    expect(isinstance(body.get("detail"), str) and bool(body["detail"].strip()), "a non-empty detail",
           body.get("detail"), reply)
