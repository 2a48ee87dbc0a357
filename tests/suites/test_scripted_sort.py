"""Sorting behaviours the sort checks must rate below MUST (RFC 7644 §3.4.2.3)."""

from __future__ import annotations

from urllib.parse import parse_qs

from tests.suites.support import Response, failing, provider, run_suites


def _untitled_first(resp: Response) -> None:
    """sortBy=title lists the users without a title first, whatever the sortOrder."""
    if resp.method != "GET" or parse_qs(resp.query).get("sortBy") != ["title"] or resp.status != 200:
        return
    body = resp.json
    found = body.get("Resources") or []
    body["Resources"] = [r for r in found if not r.get("title")] + [r for r in found if r.get("title")]
    resp.set_json(body)


def test_values_missing_first_fail_only_a_should() -> None:
    """Where resources without a sortBy value go is said without an RFC 2119 keyword."""
    with provider(rewrite=_untitled_first) as url:
        summary = run_suites(url, ["sort"])
    assert (failing(summary), summary["exit_code"]) == ({"SORT-MISSING-001"}, 0)
