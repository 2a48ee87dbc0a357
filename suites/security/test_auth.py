"""Requests without valid credentials are refused (RFC 7644 §2, §3.12; RFC 9110 §15.5.2)."""

from __future__ import annotations

import json
import secrets
from typing import Any

import pytest

from simulator.scim import urns
from simulator.scim.paths import user_path
from suites.client import Reply, ScimClient
from suites.config import RunConfig
from suites.expect import describe, expect, expect_equal, expect_object, expect_schema, expect_status, ids_of
from suites.factory import Factory
from suites.filter.query import string
from suites.ledger import Ledger
from suites.security.probes import (
    NON_TOKEN,
    NONE,
    Credentials,
    expect_refused,
    listed_in,
    malformed,
    require_auth,
    resource_paths,
    send,
    wrong,
)
from suites.target import Target

AUTH_REFS = ["RFC7644 §2", "RFC7644 §3.12", "RFC9110 §15.5.2", "RFC9110 §15.5.4"]


def expect_status_member(body: dict[str, Any], reply: Reply) -> None:
    """The Error's status is the response's status as a string ("401"; a number is shown as one)."""
    __tracebackhide__ = True
    status, wanted = body.get("status"), str(reply.status)
    expect(status == wanted, f'status "{wanted}" (a JSON string)', f"status {json.dumps(status)}", reply)


@pytest.mark.check("SEC-AUTH-001", level="MUST", refs=AUTH_REFS, readonly=True,
                   caught_by=["auth-not-enforced"])
def test_no_credentials_get_401(client: ScimClient, target: Target, scim_config: RunConfig) -> None:
    """Every resource endpoint refuses a request without credentials (401, or 403).

    A target given credentials for this run has said it needs them; serving the request anyway
    exposes the directory. RFC 7644 §3.12 names 401 (Unauthorized) "Authorization failure. The
    authorization header is invalid or missing." under "Implementers SHOULD handle the
    identified HTTP status codes as described below", and RFC 9110 §15.5.4 allows 403, so either
    refusal passes here; SEC-AUTH-009 rates 401 itself.
    """
    require_auth(scim_config.auth)
    for path in resource_paths(client, target):
        expect_refused(send(client, "GET", path, NONE), NONE)


@pytest.mark.check("SEC-AUTH-002", level="MUST", refs=[*AUTH_REFS, "RFC6750 §3.1"], readonly=True,
                   caught_by=["auth-not-enforced"])
def test_wrong_credentials_get_401(client: ScimClient, target: Target, scim_config: RunConfig) -> None:
    """Wrong credentials, and the right ones with junk appended, are refused on every resource endpoint.

    RFC 7644 §3.12: 401 "Authorization failure. The authorization header is invalid or missing."
    RFC 6750 §3.1 invalid_token: "The resource server SHOULD respond with the HTTP 401
    (Unauthorized) status code." Both are SHOULDs, so 403 passes too (SEC-AUTH-009 rates 401);
    serving the request does not. A token accepted with junk appended is compared by prefix.
    """
    require_auth(scim_config.auth)
    paths = resource_paths(client, target)
    for creds in wrong(scim_config.auth):
        for path in paths:
            expect_refused(send(client, "GET", path, creds), creds)


@pytest.mark.check("SEC-AUTH-003", level="MUST", refs=[*AUTH_REFS, "RFC6750 §3.1"], readonly=True,
                   caught_by=["auth-not-enforced"])
def test_malformed_authorization_is_refused(client: ScimClient, target: Target,
                                            scim_config: RunConfig) -> None:
    """A malformed Authorization header ('Bearer' alone, 'Basic garbage', 'non-token') is refused.

    RFC 7644 §3.12: 401 "The authorization header is invalid or missing." RFC 6750 §3.1 allows
    400 for a malformed request (invalid_request: "The resource server SHOULD respond with the
    HTTP 400 (Bad Request) status code"), so 400 passes too, as does 403 (RFC 9110 §15.5.4);
    anything served does not.
    """
    require_auth(scim_config.auth)
    paths = resource_paths(client, target)
    for creds in malformed(scim_config.auth):
        for path in paths:
            expect_refused(send(client, "GET", path, creds), creds, 401, 403, 400)


def _named(resources: list[dict[str, Any]], user_name: str) -> list[str]:
    """Ids of the listed users that carry user_name: a filter the target ignores lists others too."""
    return ids_of(r for r in resources if str(r.get("userName", "")).casefold() == user_name.casefold())


@pytest.mark.check("SEC-AUTH-004", level="MUST", refs=AUTH_REFS, caught_by=["auth-not-enforced"])
def test_unauthenticated_create_creates_nothing(client: ScimClient, factory: Factory, target: Target,
                                                 ledger: Ledger, scim_config: RunConfig) -> None:
    """POST /Users without valid credentials is refused (401, or 403) and creates no user.

    RFC 7644 §3.12: 401 "Authorization failure. The authorization header is invalid or missing."
    (a SHOULD, so 403 passes too). Whether anything was created is asked afterwards with the
    run's own credentials.
    """
    require_auth(scim_config.auth)
    for creds in (NONE, wrong(scim_config.auth)[0]):
        body = factory.user_body()
        reply = send(client, "POST", "/Users", creds, json_body=body)
        created = ids_of([reply.body]) if reply.status in (200, 201) else []
        if target.supports("filter"):
            found = client.get("/Users", params={"filter": f"userName eq {string(body['userName'])}"})
            created += _named(listed_in(found.json), body["userName"])
        for rid in dict.fromkeys(created):
            if not ledger.owns("User", rid):
                ledger.add("User", rid, body["userName"])
        expect(not created, f"no user created by a POST with {creds.label}",
               f"user {created[0] if created else ''} was created", reply)
        expect_refused(reply, creds)


@pytest.mark.check("SEC-AUTH-005", level="MUST", refs=[*AUTH_REFS, "RFC7644 §3.5.1", "RFC7644 §3.6"],
                   caught_by=["auth-not-enforced"])
def test_unauthenticated_put_and_delete_change_nothing(client: ScimClient, factory: Factory,
                                                       scim_config: RunConfig) -> None:
    """PUT and DELETE of an existing user without valid credentials are refused and change nothing.

    RFC 7644 §3.12: 401 "Authorization failure. The authorization header is invalid or missing."
    (a SHOULD, so 403 passes too). The user is read back with the run's own credentials afterwards.
    """
    require_auth(scim_config.auth)
    user = factory.user()
    path = user_path(user["id"])
    replacement = factory.user_body(userName=user["userName"], displayName="scimcert intruder")
    for creds in (NONE, wrong(scim_config.auth)[0]):
        expect_refused(send(client, "PUT", path, creds, json_body=replacement), creds)
        expect_refused(send(client, "DELETE", path, creds), creds)
    after = expect_status(client.get(path), 200)
    expect_equal(after.body.get("displayName"), user.get("displayName"), "displayName", after)


@pytest.mark.check("SEC-AUTH-006", level="MUST", refs=["RFC7644 §3.12"], readonly=True,
                   caught_by=["auth-not-enforced", "error-status-int", "error-body-not-scim"])
def test_401_carries_a_scim_error(client: ScimClient, scim_config: RunConfig) -> None:
    """A refusal (401, or 403) carries a SCIM Error body with the Error URN and status as a string.

    RFC 7644 §3.12: "implementers MUST return the errors in the body of the response in a JSON
    format"; status is "The HTTP status code ... expressed as a JSON string. REQUIRED."
    """
    require_auth(scim_config.auth)
    for creds in (NONE, wrong(scim_config.auth)[0]):
        reply = send(client, "GET", "/Users", creds)
        expect_refused(reply, creds)
        body = expect_object(reply)
        expect_schema(body, "error", reply)
        expect_status_member(body, reply)


@pytest.mark.check("SEC-AUTH-007", level="MAY", refs=["RFC7644 §3.12", "Okta SPEC test step 11"],
                   okta=True, readonly=True,
                   caught_by=["auth-not-enforced", "auth-refused-403", "error-status-int",
                              "error-body-not-scim"])
def test_okta_spec_step_11(client: ScimClient, scim_config: RunConfig) -> None:
    """'Authorization: non-token' gets a 401 Error with a detail and status "401" (Okta SPEC step 11).

    Okta's SPEC test step 11 repeats step 9's lookup with this header and asserts 401, a
    non-empty detail, status "401" and the Error URN. RFC 7644 §3.12 makes detail "OPTIONAL", so
    the level is MAY; status ("REQUIRED", a string) and the URN are MUSTs checked by SEC-AUTH-006.
    """
    require_auth(scim_config.auth)
    name = f"{scim_config.prefix}Runscope{secrets.randbelow(1000):03d}@atko.com".upper()
    reply = send(client, "GET", "/Users", NON_TOKEN, params={"filter": f"userName eq {string(name)}"})
    expect_refused(reply, NON_TOKEN, 401)
    body = expect_object(reply)
    detail = body.get("detail")
    expect(isinstance(detail, str) and detail.strip() != "", "a non-empty detail", body, reply)
    expect_status_member(body, reply)
    expect(urns.ERROR in (body.get("schemas") or []), f"schemas containing {urns.ERROR}",
           body.get("schemas"), reply)


@pytest.mark.check("SEC-AUTH-008", level="MUST", refs=["RFC9110 §15.5.2", "RFC6750 §3", "RFC7644 §2"],
                   readonly=True, caught_by=["auth-not-enforced", "auth-refused-403"])
def test_401_has_www_authenticate(client: ScimClient, scim_config: RunConfig) -> None:
    """A 401, and any refusal of a bearer token, carries a WWW-Authenticate header with a challenge.

    RFC 9110 §15.5.2: "The server generating a 401 response MUST send a WWW-Authenticate header
    field (Section 11.6.1) containing at least one challenge applicable to the target resource."
    RFC 6750 §3: "If the protected resource request does not include authentication credentials
    or does not contain an access token that enables access to the protected resource, the
    resource server MUST include the HTTP "WWW-Authenticate" response header field", whatever
    the status. A 403 to Basic or header credentials is not judged. RFC 7644 §2 builds on the
    standard HTTP authentication schemes.
    """
    require_auth(scim_config.auth)
    judged = 0
    for creds in (NONE, wrong(scim_config.auth)[0]):
        reply = send(client, "GET", "/Users", creds)
        expect_refused(reply, creds)
        if reply.status != 401 and scim_config.auth.kind != "bearer":
            continue
        judged += 1
        challenge = reply.headers.get("WWW-Authenticate", "")
        expect(challenge.strip() != "", "a WWW-Authenticate header with a challenge",
               f"WWW-Authenticate: {challenge or '(absent)'}", reply)
    if not judged:
        pytest.skip("the target refuses these credentials with 403, which needs no challenge")


@pytest.mark.check("SEC-AUTH-009", level="SHOULD", refs=["RFC7644 §3.12", "RFC6750 §3.1", "RFC9110 §15.5.2"],
                   readonly=True, caught_by=["auth-not-enforced", "auth-refused-403"])
def test_refusals_are_401(client: ScimClient, scim_config: RunConfig) -> None:
    """Missing and wrong credentials are refused with 401 Unauthorized, not 403.

    RFC 7644 §3.12: "Implementers SHOULD handle the identified HTTP status codes as described
    below", 401: "Authorization failure. The authorization header is invalid or missing." RFC
    6750 §3.1 invalid_token: "The resource server SHOULD respond with the HTTP 401
    (Unauthorized) status code." Not okta here: Okta sends only the configured credentials, but
    its SPEC test step 11 asserts 401 (OKTA-SPEC-011, SEC-AUTH-007).
    """
    require_auth(scim_config.auth)
    for creds in (NONE, wrong(scim_config.auth)[0]):
        expect_refused(send(client, "GET", "/Users", creds), creds, 401)


@pytest.mark.check("SEC-AUTH-010", level="SHOULD", refs=["RFC9110 §11.1", "RFC6750 §2.1", "RFC5234 §2.3"],
                   readonly=True, caught_by=["auth-scheme-case-sensitive"])
def test_the_auth_scheme_is_case_insensitive(client: ScimClient, scim_config: RunConfig) -> None:
    """The configured credentials with the scheme in lower case ('bearer', 'basic') are accepted.

    RFC 9110 §11.1: "It uses a case-insensitive token to identify the authentication scheme";
    RFC 6750 §2.1 gives the header as the ABNF b64token after "Bearer", and RFC 5234 §2.3:
    "ABNF strings are case insensitive". No requirement keyword, hence SHOULD; a server that
    compares the prefix "Bearer " exactly refuses clients that send "bearer". A --header run
    is judged when its header is an Authorization with a scheme ("Authorization: SSWS …"), and
    skipped otherwise.
    """
    name, value = next(iter(scim_config.auth.headers().items()), ("", ""))
    scheme, _, credentials = value.partition(" ")
    if name.lower() != "authorization" or not scheme or not credentials.strip():
        pytest.skip("the run's credentials are no Authorization header with a scheme")
    creds = Credentials(f"the configured credentials as 'Authorization: {scheme.lower()} …'",
                        (("Authorization", f"{scheme.lower()} {credentials}"),))
    reply = send(client, "GET", "/Users", creds, params={"count": 1})
    expect(reply.status == 200, f"200, as with 'Authorization: {scheme} …'", describe(reply), reply)
