"""Okta's "SCIM 2.0 SPEC Test" (okta-scim.md §11.1), one check per step, from fixtures/okta/spec-test.json."""

from __future__ import annotations

import pytest

from suites.config import RunConfig
from suites.okta.support import OktaSender, flow_step

FLOW = "spec-test"


@pytest.mark.check("OKTA-SPEC-001", level="MUST", refs=["RFC7644 §3.4.2", "Okta SPEC Test 1"], okta=True,
                   caught_by=["created-returns-200", "list-counts-as-strings"])
def test_spec_01_users_endpoint(okta: OktaSender, scim_config: RunConfig) -> None:
    """Required: Test Users endpoint.

    GET /Users?count=1&startIndex=1 answers 200 with a ListResponse whose counters are numbers
    and whose first user has id, name, userName, active and an email. RFC 7644 §3.4.2: "Responses
    MUST be identified using the following URI: urn:ietf:params:scim:api:messages:2.0:ListResponse".
    """
    flow_step(FLOW, "1", okta, scim_config)


@pytest.mark.check("OKTA-SPEC-002", level="MUST", refs=["RFC7644 §3.4.1", "Okta SPEC Test 2"], okta=True,
                   caught_by=["created-returns-200", "list-counts-as-strings"])
def test_spec_02_get_user_by_id(okta: OktaSender, scim_config: RunConfig) -> None:
    """Required: Get Users/{{id}}.

    The first listed user is readable by id with the same id. RFC 7644 §3.4.1: "clients send GET
    requests to the resource endpoint, e.g., "/Users/{id}"".
    """
    flow_step(FLOW, "2", okta, scim_config)


@pytest.mark.check("OKTA-SPEC-003", level="MUST", refs=["RFC7644 §3.4.2", "Okta SPEC Test 3"], okta=True,
                   readonly=True,
                   caught_by=[
                       "empty-result-not-listresponse", "filter-ignored", "filter-unsupported-ignored",
                       "filter-miss-404",
                       "list-counts-as-strings"
                   ])
def test_spec_03_invalid_user_by_username(okta: OktaSender, scim_config: RunConfig) -> None:
    """Required: Test invalid User by username.

    A userName filter that matches nothing answers 200 with totalResults 0. RFC 7644 §3.4.2: "A
    query that does not return any matches SHALL return success" with "totalResults" 0. (Okta's
    provisioning also tolerates a 404 here, §4.1; its SPEC test does not.)
    """
    flow_step(FLOW, "3", okta, scim_config)


@pytest.mark.check("OKTA-SPEC-004", level="MUST", refs=["RFC7644 §3.12", "Okta SPEC Test 4"], okta=True,
                   readonly=True,
                   caught_by=["error-body-not-scim"])
def test_spec_04_invalid_user_by_id(okta: OktaSender, scim_config: RunConfig) -> None:
    """Required: Test invalid User by ID.

    GET /Users/<unknown id> answers 404 with a SCIM Error carrying detail. RFC 7644 §3.12: "404
    (NOT FOUND) Specified resource ... does not exist".
    """
    flow_step(FLOW, "4", okta, scim_config)


@pytest.mark.check("OKTA-SPEC-005", level="MUST", refs=["RFC7644 §3.4.2", "Okta SPEC Test 5"], okta=True,
                   readonly=True,
                   caught_by=[
                       "empty-result-not-listresponse", "filter-ignored", "filter-unsupported-ignored",
                       "filter-miss-404",
                       "list-counts-as-strings"
                   ])
def test_spec_05_random_user_does_not_exist(okta: OktaSender, scim_config: RunConfig) -> None:
    """Required: Make sure random user doesn't exist.

    RFC 7644 §3.4.2: "A query that does not return any matches SHALL return success".
    """
    flow_step(FLOW, "5", okta, scim_config)


@pytest.mark.check("OKTA-SPEC-006", level="MUST", refs=["RFC7644 §3.3", "Okta SPEC Test 6"], okta=True,
                   caught_by=["created-returns-200"])
def test_spec_06_create_user(okta: OktaSender, scim_config: RunConfig) -> None:
    """Required: Create Okta user with realistic values.

    RFC 7644 §3.3: "When the service provider successfully creates the new resource, an HTTP
    response SHALL be returned with HTTP status code 201 (Created)."
    """
    flow_step(FLOW, "6", okta, scim_config)


@pytest.mark.check("OKTA-SPEC-007", level="MUST", refs=["RFC7644 §3.4.1", "Okta SPEC Test 7"], okta=True,
                   caught_by=["created-returns-200"])
def test_spec_07_verify_user_created(okta: OktaSender, scim_config: RunConfig) -> None:
    """Required: Verify that user was created.

    RFC 7644 §3.4.1: the created user is retrievable at /Users/{id} with the values sent.
    """
    flow_step(FLOW, "7", okta, scim_config)


@pytest.mark.check("OKTA-SPEC-008", level="MUST", refs=["RFC7644 §3.3", "Okta SPEC Test 8"], okta=True,
                   caught_by=["created-returns-200", "duplicate-username-allowed"])
def test_spec_08_recreate_user_conflicts(okta: OktaSender, scim_config: RunConfig) -> None:
    """Required: Expect failure when recreating user with same values.

    RFC 7644 §3.3: "If the service provider determines that the creation of the requested resource
    conflicts with existing resources (e.g., a "User" resource with a duplicate "userName"), the
    service provider MUST return HTTP status code 409 (Conflict)".
    """
    flow_step(FLOW, "8", okta, scim_config)


@pytest.mark.check("OKTA-SPEC-009", level="MUST", refs=["RFC7643 §4.1.1", "Okta SPEC Test 9"], okta=True,
                   caught_by=["created-returns-200"])
def test_spec_09_username_case(okta: OktaSender, scim_config: RunConfig) -> None:
    """Required: Username Case Sensitivity Check.

    A filter on the upper-cased userName answers 200 (Okta asserts nothing more). RFC 7643 §4.1.1
    declares userName "caseExact" false.
    """
    flow_step(FLOW, "9", okta, scim_config)


@pytest.mark.check("OKTA-SPEC-010", level="MAY", refs=["RFC7644 §3.4.2", "Okta SPEC Test 10"], okta=False,
                   readonly=True,
                   caught_by=["empty-result-not-listresponse"])
def test_spec_10_groups_endpoint(okta: OktaSender, scim_config: RunConfig) -> None:
    """Optional: Verify Groups endpoint.

    GET /Groups answers 200 within 600 ms with Resources an array when totalResults is not 0.
    Okta marks the step optional; the 600 ms bound is Okta's, not the RFC's.
    """
    flow_step(FLOW, "10", okta, scim_config)


@pytest.mark.check("OKTA-SPEC-011", level="MUST", refs=["RFC7644 §2", "RFC7644 §3.12", "Okta SPEC Test 11"],
                   okta=True, readonly=True,
                   caught_by=["auth-not-enforced", "auth-refused-403", "error-body-not-scim",
                              "error-status-int"])
def test_spec_11_status_401(okta: OktaSender, scim_config: RunConfig) -> None:
    """Required: Check status 401.

    `Authorization: non-token` is refused with 401 and a SCIM Error whose status is "401". RFC 7644
    §3.12: "status  The HTTP status code (see Section 6 of [RFC7231]) expressed as a JSON string."
    """
    flow_step(FLOW, "11", okta, scim_config)


@pytest.mark.check("OKTA-SPEC-012", level="MUST", refs=["RFC7644 §3.12", "Okta SPEC Test 12"], okta=True,
                   readonly=True,
                   caught_by=["error-body-not-scim", "error-status-int"])
def test_spec_12_status_404(okta: OktaSender, scim_config: RunConfig) -> None:
    """Required: Check status 404.

    RFC 7644 §3.12: "404 (NOT FOUND) Specified resource ... does not exist", in a SCIM Error whose
    status is the string "404".
    """
    flow_step(FLOW, "12", okta, scim_config)
