"""Scripted bad responses for filter checks that no provider deviation reproduces."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

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


def test_declined_operator_skips_instead_of_failing() -> None:
    """A provider that answers `co` with 400 invalidFilter is allowed to (RFC 7644 §3.12)."""

    def decline_co(resp: Response) -> None:
        if resp.method == "GET" and " co " in _filter_of(resp):
            resp.status = 400
            resp.set_json({"schemas": [urns.ERROR], "status": "400", "scimType": "invalidFilter",
                           "detail": "The operator 'co' is not supported."})

    with provider(rewrite=decline_co) as url:
        summary = run_suites(url, ["filter"], "-k", "test_co")
    outcomes = {c["id"]: c["outcome"] for c in summary["checks"]}
    assert outcomes == {"FLT-OP-002": "skipped"}
