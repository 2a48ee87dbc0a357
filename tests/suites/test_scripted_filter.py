"""Scripted bad responses for filter checks that no provider deviation reproduces."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

import pytest

from simulator.scim import urns
from tests.suites.scripted import scripted
from tests.suites.support import Response, Rewrite, failing, provider, run_suites


def _filter_of(resp: Response) -> str:
    return parse_qs(resp.query).get("filter", [""])[0]


def _list_response(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {"schemas": [urns.LIST_RESPONSE], "totalResults": len(resources), "startIndex": 1,
            "itemsPerPage": len(resources), "Resources": resources}


def case_insensitive_external_id() -> Rewrite:
    """A provider that compares externalId ignoring case (RFC 7643 §3.1 makes it caseExact)."""
    created: dict[str, dict[str, Any]] = {}

    def rewrite(resp: Response) -> None:
        if resp.method == "POST" and resp.path.endswith("/Users") and resp.status == 201:
            body = resp.json
            created[str(body.get("externalId", "")).casefold()] = body
        text = _filter_of(resp)
        if resp.method == "GET" and text.startswith("externalId eq "):
            value = json.loads(text.removeprefix("externalId eq "))
            hit = created.get(value.casefold())
            resp.status = 200
            resp.set_json(_list_response([hit] if hit else []))

    return rewrite


@scripted("FLT-EQ-003")
def test_case_insensitive_external_id_fails_only_flt_eq_003() -> None:
    with provider(rewrite=case_insensitive_external_id()) as url:
        summary = run_suites(url, ["filter"])
    assert failing(summary) == {"FLT-EQ-003"}


def _declines(operator: str) -> Rewrite:
    """A provider that answers any filter using `operator` with 400 invalidFilter (RFC 7644 §3.12:
    "the specified attribute and filter comparison combination is not supported")."""

    def rewrite(resp: Response) -> None:
        if resp.method == "GET" and f" {operator} " in _filter_of(resp).lower():
            resp.status = 400
            resp.set_json({"schemas": [urns.ERROR], "status": "400", "scimType": "invalidFilter",
                           "detail": f"The operator '{operator}' is not supported."})

    return rewrite


def test_declined_operator_skips_instead_of_failing() -> None:
    """A provider that answers `co` with 400 invalidFilter is allowed to (RFC 7644 §3.12)."""
    with provider(rewrite=_declines("co")) as url:
        summary = run_suites(url, ["filter"], "-k", "test_co")
    outcomes = {c["id"]: c["outcome"] for c in summary["checks"]}
    assert outcomes == {"FLT-OP-002": "skipped"}


def test_case_insensitivity_is_judged_without_or() -> None:
    """A provider that declines `or` (400 invalidFilter, RFC 7644 §3.12) but matches names and
    operators in any case passes FLT-CASE-001; it used to fail it through its `or`."""
    with provider(rewrite=_declines("or")) as url:
        summary = run_suites(url, ["filter"], "-k", "ignore_case or test_or")
    outcomes = {c["id"]: c["outcome"] for c in summary["checks"]}
    assert (outcomes["FLT-CASE-001"], outcomes["FLT-LOGIC-002"]) == ("passed", "skipped")


def _reads_plus_literally(resp: Response) -> None:
    """A provider that reads '+' in the query as a plus (RFC 3986), not a space: 400 invalidFilter."""
    raw = [p for p in resp.query.split("&") if p.startswith("filter=")]
    if resp.method == "GET" and raw and "+" in raw[0]:
        resp.status = 400
        resp.set_json({"schemas": [urns.ERROR], "status": "400", "scimType": "invalidFilter",
                       "detail": "Unparsable filter."})


def _untyped_filter_errors(resp: Response) -> None:
    """400s for broken filters and unknown attributes without a scimType (RFC 7644 §3.12: OPTIONAL);
    the two refusals whose keyword RFC 7644 §3.4.2.2 prescribes keep invalidFilter."""
    text = _filter_of(resp)
    if resp.status == 400 and text and "regex" not in text and "active gt" not in text:
        resp.set_json({k: v for k, v in resp.json.items() if k != "scimType"})


def _crashes_on_malformed_filters(resp: Response) -> None:
    """A malformed filter answers 500 (no user listed); unknown operators keep their 400 invalidFilter."""
    text = _filter_of(resp)
    if resp.status == 400 and text and "regex" not in text and "active gt" not in text \
            and "favouriteColour" not in text:
        resp.status = 500
        resp.set_json({"schemas": [urns.ERROR], "status": "500", "detail": "Filter parser crashed."})


# RFC-allowed or SHOULD-level behaviours: which checks they fail, and the run passes the MUST gate.
ALLOWED = {
    "plus-literal": (_reads_plus_literally, ["filter"], {"FLT-ENC-001"}, "should"),
    "untyped-errors": (_untyped_filter_errors, ["filter"], {"FLT-ERR-003"}, "should"),
    "crash-on-malformed": (_crashes_on_malformed_filters, ["filter", "security"],
                           {"FLT-ERR-002", "FLT-ERR-003"}, "must"),
}


@pytest.mark.parametrize("case", sorted(ALLOWED))
def test_behaviours_below_a_must_fail_no_must(case: str) -> None:
    """Each fails only checks below the gate given (a MAY below should, SHOULDs below must)."""
    rewrite, suites, expected, fail_on = ALLOWED[case]
    with provider(rewrite=rewrite) as url:
        summary = run_suites(url, suites, "--scim-fail-on", fail_on, "--scim-no-okta-gate")
    assert (failing(summary), summary["exit_code"]) == (expected, 0)
