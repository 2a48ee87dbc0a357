"""Media type, unknown endpoints and methods, malformed JSON and /Me (RFC 7644 §3.1, §3.8, §3.11, §3.12)."""

from __future__ import annotations

import uuid

import pytest

from simulator.scim import urns
from suites.client import ScimClient
from suites.errors.provoke import malformed_post, unknown_user
from suites.expect import expect, expect_header, expect_object, expect_schema, expect_status

MEDIA_REFS = ["RFC7644 §3.1", "RFC7644 §3.8", "RFC7644 §8.1"]


@pytest.mark.check("ERR-MEDIA-001", level="SHOULD", refs=MEDIA_REFS, readonly=True,
                   caught_by=["content-type-json"])
def test_success_content_type_is_scim_json(client: ScimClient) -> None:
    """Successful JSON responses are labelled Content-Type: application/scim+json.

    RFC 7644 §3.1: "To identify this content, SCIM uses a media type of "application/scim+json"";
    §3.8: "Service providers MUST support the "Accept" header "Accept: application/scim+json""
    (scimcert sends it) and "The format defaults to "application/scim+json" if no format is
    specified." §8.1 notes "Older versions of SCIM are known to informally use
    "application/json"" and Okta does not check the media type, hence SHOULD.
    """
    for path in ("/ServiceProviderConfig", "/Users"):
        reply = expect_status(client.get(path, params={"count": "1"} if path == "/Users" else None), 200)
        expect_header(reply, "Content-Type", startswith=urns.SCIM_MEDIA_TYPE)


@pytest.mark.check("ERR-MEDIA-002", level="SHOULD", refs=[*MEDIA_REFS, "RFC7644 §3.12"], readonly=True,
                   caught_by=["content-type-json", "error-body-not-scim"])
def test_error_content_type_is_scim_json(client: ScimClient) -> None:
    """Error responses are labelled Content-Type: application/scim+json too.

    RFC 7644 §3.12: error bodies are SCIM messages ("Error responses are identified using the
    following "schema" URI"), so §3.1's "SCIM uses a media type of "application/scim+json""
    applies to them as to any other SCIM body; SHOULD for the reasons of ERR-MEDIA-001.
    """
    reply = expect_status(unknown_user(client), 404)
    expect_header(reply, "Content-Type", startswith=urns.SCIM_MEDIA_TYPE)


@pytest.mark.check("ERR-ENDPOINT-001", level="SHOULD", refs=["RFC7644 §3.12"], readonly=True,
                   caught_by=["error-status-int", "error-body-not-scim"])
def test_unknown_endpoint_is_404_scim_error(client: ScimClient) -> None:
    """GET of an endpoint the server does not have answers 404 with a SCIM Error.

    RFC 7644 §3.12, Table 8: 404 Not Found — "Specified resource (e.g., User) or endpoint does not
    exist"; "Implementers SHOULD handle the identified HTTP status codes as described below";
    "implementers MUST return the errors in the body of the response in a JSON format".
    """
    reply = expect_status(client.get("/ScimcertNoSuchEndpoint"), 404)
    expect_schema(expect_object(reply), "error", reply)


@pytest.mark.check("ERR-METHOD-001", level="SHOULD", refs=["RFC7644 §3.12", "RFC7231 §6.5.5"],
                   caught_by=["error-status-int", "error-body-not-scim"])
def test_unsupported_method_is_refused_with_scim_error(client: ScimClient) -> None:
    """DELETE /ServiceProviderConfig is refused with 405 or 501 and a SCIM Error.

    RFC 7644 §3.12, Table 8: 501 Not Implemented — "Service provider does not support the request
    operation"; RFC 7231 §6.5.5: 405 — "the method received in the request-line is known by the
    origin server but not supported by the target resource". A discovery endpoint is used
    rather than a collection so that a server that wrongly accepts the method loses nothing.
    """
    reply = expect_status(client.delete("/ServiceProviderConfig"), 405, 501)
    expect_schema(expect_object(reply), "error", reply)


@pytest.mark.check("ERR-SYNTAX-001", level="SHOULD", refs=["RFC7644 §3.12"])
def test_malformed_json_is_400_invalid_syntax(client: ScimClient) -> None:
    """POST /Users with malformed JSON answers 400, with scimType invalidSyntax if it has one.

    RFC 7644 §3.12, Table 8: 400 Bad Request — "Request is unparsable, syntactically incorrect, or
    violates schema"; Table 9: invalidSyntax — "The request body message structure was invalid or
    did not conform to the request schema." scimType itself is OPTIONAL.
    """
    reply = expect_status(malformed_post(client), 400)
    scim_type = reply.body.get("scimType")
    expect(scim_type in (None, "invalidSyntax"), "scimType invalidSyntax (or none)",
           f"scimType {scim_type!r}", reply)


@pytest.mark.check("ERR-ME-001", level="SHOULD", refs=["RFC7644 §3.11"], readonly=True)
def test_me_is_501_or_served(client: ScimClient) -> None:
    """GET /Me answers 501, a 308 redirect, or 200 with the authenticated subject's resource.

    RFC 7644 §3.11: "A service provider that does NOT support this feature SHOULD respond with
    HTTP status code 501 (Not Implemented)"; it "MAY choose to redirect the client using HTTP
    status code 308 (Permanent Redirect)" or "MAY process the SCIM request directly".
    /Me is an alias of "the User or other resource associated with the currently authenticated
    subject", and the run's credentials may be a client's with none: a 404 from a target that
    serves /Me (OPTIONS /Me lists GET, OPTIONS on a made-up path does not) is that answer, not
    a missing feature, and is skipped.
    """
    reply = client.get("/Me")
    made_up = f"/scimcert-{uuid.uuid4().hex[:12]}"
    if reply.status == 404 and _allows_get(client, "/Me") and not _allows_get(client, made_up):
        pytest.skip("GET /Me answers 404 though the target serves /Me (OPTIONS /Me lists GET): the "
                    "run's credentials have no resource of their own for /Me to alias")
    expect_status(reply, 200, 308, 501)
    if reply.status == 200:
        expect_object(reply)


def _allows_get(client: ScimClient, path: str) -> bool:
    """Whether OPTIONS path answers 2xx with an Allow header that lists GET (RFC 9110 §10.2.1)."""
    reply = client.request("OPTIONS", path)
    allow = reply.headers.get("Allow", "") if reply.status is not None and 200 <= reply.status < 300 else ""
    return "GET" in {m.strip().upper() for m in allow.split(",")}
