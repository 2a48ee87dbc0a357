"""POST /Users (RFC 7644 §3.3)."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from simulator.scim import urns
from simulator.scim.paths import user_path
from suites.client import ScimClient
from suites.expect import (
    describe,
    expect,
    expect_equal,
    expect_header,
    expect_object,
    expect_schema,
    expect_status,
    expect_valid,
)
from suites.factory import Factory
from suites.schemas import resource_json_schema
from suites.target import Target
from suites.users.common import (
    PASSWORD,
    created_id,
    echo_problems,
    kept_problems,
    leaked_password,
    meta_of,
    parse_time,
    scim_type,
)


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
                   caught_by=["location-mismatch", "meta-missing", "no-location-header"],
                   evidence={"location-mismatch": r"Expected: meta\.location",
                             "no-location-header": r"Received: no Location header"})
def test_create_location_header_is_meta_location(factory: Factory) -> None:
    """The 201 carries a Location header equal to meta.location.

    RFC 7644 §3.3: "The URI of the created resource SHALL include, in the HTTP "Location"
    header and the HTTP body, a JSON representation [RFC7159] with the attribute
    "meta.location"." Both are compared resolved against the request URL: RFC 7231 §7.1.2 lets
    Location be a relative reference.
    """
    reply = factory.post_user(factory.user_body())
    body = expect_object(expect_status(reply, 200, 201))
    location = expect_header(reply, "Location")
    meta_location = meta_of(body).get("location")
    base = reply.exchange.url
    expect_equal(urljoin(base, location),
                 urljoin(base, meta_location) if isinstance(meta_location, str) else meta_location,
                 "meta.location (resolved against the request URL)", reply)


@pytest.mark.check("USR-CREATE-003", level="MUST", refs=["RFC7644 §3.3", "RFC7643 §3.1", "RFC7643 §4.1"],
                   okta=True)
def test_create_response_is_a_valid_user(factory: Factory) -> None:
    """The created user comes back as a valid User resource with a non-empty id.

    RFC 7643 §3.1: id "MUST be included in every representation of the resource"; RFC 7644
    §3.3 says the body SHOULD carry the representation, and Okta requires it: it stores the
    returned id and fails with "Create new user returned empty user" otherwise.
    """
    reply = factory.post_user(factory.user_body())
    body = expect_object(expect_status(reply, 200, 201))
    expect_schema(body, "user", reply)


@pytest.mark.check("USR-CREATE-004", level="MUST", refs=["RFC7643 §3", "RFC7643 §7", "RFC7644 §4"])
def test_create_response_matches_the_targets_own_user_schema(factory: Factory, target: Target) -> None:
    """The created user is valid against the User schema the target publishes in /Schemas.

    RFC 7643 §3: "schemas" contains "URIs that are used to indicate the namespaces of the SCIM
    schemas that define the attributes present in the current JSON structure"; a resource that
    contradicts its own advertised definition misleads every client that reads /Schemas.
    """
    declared = target.resource_schema("User")
    if declared is None:
        pytest.skip("/Schemas has no usable User schema definition (the discovery checks report it)")
    reply = factory.post_user(factory.user_body())
    body = expect_object(expect_status(reply, 200, 201))
    expect_valid(body, resource_json_schema(declared),
                 "the User schema the target itself advertises in /Schemas", reply)


@pytest.mark.check("USR-CREATE-005", level="SHOULD", refs=["RFC7644 §3.3"], okta=True)
def test_create_response_echoes_the_values_sent(factory: Factory) -> None:
    """The created user carries the userName, name and active sent (what Okta reads back).

    RFC 7644 §3.3: "The response body SHOULD contain the service provider's representation of
    the newly created resource" ("the server is free to alter and/or ignore POSTed content").
    Okta's SPEC test step 6 asserts userName, name and active equal to what it sent; the other
    values sent are USR-CREATE-014's.
    """
    body = factory.user_body()
    reply = factory.post_user(body)
    got = expect_object(expect_status(reply, 200, 201))
    problems = echo_problems(body, got)
    expect(not problems, "the created user to carry the values that were sent", "; ".join(problems), reply)


@pytest.mark.check("USR-CREATE-006", level="MUST", refs=["RFC7643 §4.1.1", "RFC7643 §7"],
                   caught_by=["password-returned"])
def test_create_never_returns_the_password(factory: Factory, client: ScimClient) -> None:
    """A password sent on create is returned neither by the POST nor by a later GET.

    RFC 7643 §4.1.1: "The cleartext value or the hashed value of a password SHALL NOT be
    returnable by a service provider." Okta always sends a placeholder password on create.
    """
    reply = factory.post_user(factory.user_body(password=PASSWORD))
    body = expect_object(expect_status(reply, 200, 201))
    expect(leaked_password(body) is None, "no password attribute in the response", body, reply)
    again = expect_status(client.get(user_path(created_id(body))), 200)
    expect(leaked_password(again.body) is None, "no password attribute in the response", again.body, again)


@pytest.mark.check("USR-CREATE-007", level="MUST", refs=["RFC7643 §3.1"], caught_by=["meta-missing"])
def test_create_response_has_meta(factory: Factory) -> None:
    """The created user has meta.resourceType "User" and meta.created equal to meta.lastModified.

    RFC 7643 §3.1: all "meta" sub-attributes "are assigned by the service provider" and returned
    by default; lastModified: "If this resource has never been modified since its initial
    creation, the value MUST be the same as the value of "created"."
    """
    reply = factory.post_user(factory.user_body())
    meta = meta_of(expect_object(expect_status(reply, 200, 201)))
    expect_equal(meta.get("resourceType"), "User", "meta.resourceType", reply)
    created, modified = parse_time(meta.get("created")), parse_time(meta.get("lastModified"))
    expect(created is not None and modified is not None,
           "meta.created and meta.lastModified as xsd:dateTime values", meta, reply)
    expect(created == modified, "meta.lastModified equal to meta.created for a user never modified",
           meta, reply)


@pytest.mark.check("USR-CREATE-008", level="MUST", refs=["RFC7644 §3.14"], caught_by=["no-etag"])
def test_create_sends_an_etag(factory: Factory, target: Target) -> None:
    """With etag supported, the 201 carries an ETag header.

    RFC 7644 §3.14: "When supported, SCIM ETags MUST be specified as an HTTP header and SHOULD
    be specified within the "version" attribute contained in the resource's "meta" attribute."
    (That meta.version equals the header is a SHOULD, judged by the etag suite.)
    """
    target.require("etag")
    reply = expect_status(factory.post_user(factory.user_body()), 200, 201)
    expect_header(reply, "ETag")


@pytest.mark.check("USR-CREATE-009", level="MUST", refs=["RFC7644 §3.3", "RFC7643 §4.1"], okta=True,
                   caught_by=["duplicate-username-allowed", "error-body-not-scim"])
def test_create_duplicate_username_is_409_uniqueness(factory: Factory) -> None:
    """Posting a user with a taken userName answers 409 with scimType "uniqueness" (Okta SPEC
    step 8, which posts the very same user again: OKTA-SPEC-008).

    RFC 7644 §3.3: "If the service provider determines that the creation of the requested
    resource conflicts with existing resources (e.g., a "User" resource with a duplicate
    "userName"), the service provider MUST return HTTP status code 409 (Conflict) with a
    "scimType" error code of "uniqueness"". The second user has an email of its own: a 409 for
    a taken email (which a server may also refuse) says nothing of userName.
    """
    body = factory.user_body()
    factory.user(**body)
    again = expect_status(factory.post_user(factory.taken_name_body(body["userName"])), 409)
    expect_equal(scim_type(again), "uniqueness", "scimType", again)


@pytest.mark.check("USR-CREATE-010", level="MUST", refs=["RFC7643 §4.1", "RFC7643 §8.7.1", "RFC7644 §3.3"],
                   caught_by=["duplicate-username-allowed", "error-body-not-scim", "username-case-sensitive"])
def test_create_username_differing_only_in_case_is_409(factory: Factory) -> None:
    """A userName that differs from an existing one only in case is a duplicate: 409 uniqueness.

    RFC 7643 §4.1: userName "MUST be unique across the service provider's entire set of Users",
    and §8.7.1 declares it "caseExact": false, so 'ALICE@X' and 'alice@x' are one value. Not
    okta: Okta's SPEC test step 9 sends an upper-cased userName but only requires a 200, and its
    suites enforce neither behaviour (okta-scim.md §10).
    """
    body = factory.user_body()
    factory.user(**body)
    variant = body["userName"].upper()  # the second user's email is its own, as in USR-CREATE-009
    again = expect_status(factory.post_user(factory.taken_name_body(variant)), 409)
    expect_equal(scim_type(again), "uniqueness", "scimType", again)


@pytest.mark.check("USR-CREATE-011", level="MUST", refs=["RFC7643 §4.1", "RFC7644 §3.12"])
def test_create_without_username_is_400(factory: Factory) -> None:
    """A user without userName is rejected with 400 (scimType "invalidValue" when one is given).

    RFC 7643 §4.1: "Each User MUST include a non-empty userName value ... REQUIRED."
    RFC 7644 §3.12: 400 when a request "violates schema"; invalidValue: "A required value was
    missing".
    """
    body = factory.user_body()
    del body["userName"]
    reply = expect_status(factory.post_user(body), 400)
    if scim_type(reply) is not None:
        expect_equal(scim_type(reply), "invalidValue", "scimType", reply)


@pytest.mark.check("USR-CREATE-012", level="SHOULD", refs=["RFC7644 §3.12"])
def test_create_malformed_json_is_400_invalid_syntax(client: ScimClient, factory: Factory) -> None:
    """A create whose body is not valid JSON is answered 400 (scimType "invalidSyntax" if given).

    RFC 7644 §3.12 (whose status table implementers "SHOULD" follow): 400 "Request is
    unparsable, syntactically incorrect, or violates schema"; invalidSyntax: "The request body
    message structure was invalid or did not conform to the request schema." scimType itself is
    OPTIONAL.
    """
    broken = f'{{"schemas": ["{urns.CORE_USER}"], "userName": "{factory.user_name()}"'
    reply = client.request("POST", "/Users", data=broken,
                           headers={"Content-Type": f"{urns.SCIM_MEDIA_TYPE}; charset=utf-8"})
    expect_status(reply, 400)
    if scim_type(reply) is not None:
        expect_equal(scim_type(reply), "invalidSyntax", "scimType", reply)


@pytest.mark.check("USR-CREATE-013", level="SHOULD", refs=["RFC7644 §3.8", "RFC7644 §3.3"], okta=True)
def test_create_accepts_application_json_okta_spec_step6(factory: Factory) -> None:
    """A create posted as Content-Type application/json works (Okta SPEC test step 6).

    RFC 7644 §3.8: "Servers MUST accept requests and be able to return JSON-structured
    responses using UTF-8 encoding" and "SHOULD support the header "Accept: application/json"";
    Okta's SPEC test posts its realistic user with Content-Type application/json and asserts
    201 (USR-CREATE-001 checks that), a non-empty id, the core schema, and userName, name and
    active as sent.
    """
    body = {k: v for k, v in factory.user_body().items() if k not in ("locale", "externalId")}
    reply = factory.post_user(body, headers={"Content-Type": "application/json",
                                             "Accept": f"{urns.SCIM_MEDIA_TYPE}; charset=utf-8"})
    got = expect_object(expect_status(reply, 200, 201))
    expect(isinstance(got.get("id"), str) and got["id"] != "", "a non-empty id", describe(reply), reply)
    expect(urns.CORE_USER in got.get("schemas", []), f"schemas containing {urns.CORE_USER}",
           got.get("schemas"), reply)
    problems = echo_problems(body, got)
    expect(not problems, "the created user to carry the values that were sent", "; ".join(problems), reply)


@pytest.mark.check("USR-CREATE-014", level="MAY", refs=["RFC7644 §3.3"])
def test_create_response_keeps_the_other_values_sent(factory: Factory, target: Target) -> None:
    """The created user carries the emails (value, type, primary) and externalId sent.

    As far as the target's User schema in /Schemas defines them as writable: a server without
    emails.type, or with a readOnly externalId, keeps none.

    RFC 7644 §3.3: "Since the server is free to alter and/or ignore POSTed content, returning the
    full representation can be useful to the client" — keeping these values is the server's
    choice, hence MAY. Not okta: Okta's SPEC test asserts only userName, name and active of the
    created user (USR-CREATE-005), and Okta reads no email type or externalId back.
    """
    body = factory.user_body()
    reply = factory.post_user(body)
    got = expect_object(expect_status(reply, 200, 201))
    problems = kept_problems(body, got, lambda path: target.writable("User", path))
    expect(not problems, "the created user to keep the emails and externalId sent", "; ".join(problems),
           reply)
