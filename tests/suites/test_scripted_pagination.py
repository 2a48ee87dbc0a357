"""Scripted bad list responses for the pagination checks that no provider deviation reproduces."""

from __future__ import annotations

from urllib.parse import parse_qs

from simulator.scim import urns
from tests.suites.scripted import scripted
from tests.suites.support import Response, failing, provider, run_suites

NOT_MAX = ("-k", "not above_max_results")  # that check creates ~200 users; no rewrite here touches it


def _user_list(resp: Response) -> dict | None:
    if resp.method != "GET" or not resp.path.endswith("/Users") or resp.status != 200:
        return None
    body = resp.json
    return body if isinstance(body, dict) and "totalResults" in body else None


def sloppy_lists(resp: Response) -> None:
    """itemsPerPage one too many, 404 past the end, and no Resources in an empty result."""
    body = _user_list(resp)
    if body is None:
        return
    found = body.get("Resources") or []
    start = int(parse_qs(resp.query).get("startIndex", ["1"])[0])
    if found:
        body["itemsPerPage"] = len(found) + 1
    elif start > body["totalResults"] > 0:
        resp.status = 404
        body = {"schemas": [urns.ERROR], "status": "404", "detail": "No such page."}
    elif body["totalResults"] == 0:
        body.pop("Resources", None)
    resp.set_json(body)


def page_sized_totals(resp: Response) -> None:
    """totalResults counts the page, not the query: a common bug that ends Okta's import early."""
    body = _user_list(resp)
    if body is not None:
        body["totalResults"] = len(body.get("Resources") or [])
        resp.set_json(body)


@scripted("PAGE-COUNTS-002", "PAGE-START-003")
def test_sloppy_list_responses_fail_their_checks() -> None:
    with provider(rewrite=sloppy_lists) as url:
        summary = run_suites(url, ["pagination"], *NOT_MAX)
    assert failing(summary) == {"PAGE-COUNTS-002", "PAGE-START-003", "PAGE-EMPTY-002"}


@scripted("PAGE-COUNTS-003")
def test_page_sized_total_results_fail_the_total_and_walk_checks() -> None:
    with provider(rewrite=page_sized_totals) as url:
        summary = run_suites(url, ["pagination"], "-k", "total_results_counts or walk")
    assert failing(summary) == {"PAGE-COUNTS-003", "PAGE-WALK-001"}


def test_an_unstable_order_without_sort_by_fails_no_should() -> None:
    """RFC 7644 §3.4.2.4 lets repeated pages differ ("clients MUST be prepared to handle
    inconsistent results"): the walk fails at MAY (and for Okta), no RFC gate up to SHOULD."""
    with provider("unstable-paging") as url:
        summary = run_suites(url, ["pagination"], *NOT_MAX, "--scim-fail-on", "should",
                             "--scim-no-okta-gate")
    assert (failing(summary), summary["exit_code"]) == ({"PAGE-WALK-001"}, 0)


def _declines_sw(resp: Response) -> None:
    """`sw` refused with 400 invalidFilter, as a provider that filters by eq only may (RFC 7644 §3.12)."""
    if resp.method == "GET" and " sw " in parse_qs(resp.query).get("filter", [""])[0]:
        resp.status = 400
        resp.set_json({"schemas": [urns.ERROR], "status": "400", "scimType": "invalidFilter",
                       "detail": "filter operator sw is not supported"})


def _declines_sw_and_title(resp: Response) -> None:
    """`sw` and filters on title refused with 400 invalidFilter (RFC 7644 §3.12)."""
    _declines_sw(resp)
    if resp.method == "GET" and parse_qs(resp.query).get("filter", [""])[0].startswith("title "):
        resp.status = 400
        resp.set_json({"schemas": [urns.ERROR], "status": "400", "scimType": "invalidFilter",
                       "detail": "title is not filterable"})


SCOPED_CHECKS = {"PAGE-COUNTS-003", "PAGE-START-001", "PAGE-START-002", "PAGE-WALK-001"}


def test_a_declined_scope_filter_falls_back_to_the_scope_s_title() -> None:
    """The scoped paging checks list `userName sw "<scope>"`; a provider that declines `sw` (as
    @better-auth/scim 1.7 does) failed four MUSTs and Okta, then skipped them. Their users also
    share a title of their own: `title eq` scopes them there, and the checks judge its pages."""
    with provider(rewrite=_declines_sw) as url:
        summary = run_suites(url, ["pagination"], *NOT_MAX)
    assert failing(summary) == set()
    outcomes = {c["id"]: c["outcome"] for c in summary["checks"]}
    assert {outcomes[c] for c in SCOPED_CHECKS} == {"passed"}, outcomes


def test_a_target_that_declines_both_scope_filters_skips_the_scoped_checks() -> None:
    """Neither `userName sw` nor `title eq`: the scoped checks cannot isolate their users and
    are skipped, saying which filters were declined."""
    with provider(rewrite=_declines_sw_and_title) as url:
        summary = run_suites(url, ["pagination"], *NOT_MAX)
    assert failing(summary) == set()
    skipped = {c["id"]: c["message"] for c in summary["checks"] if c["outcome"] == "skipped"}
    assert set(skipped) == SCOPED_CHECKS
    assert all("declines the scope's filter 'userName sw" in m and "' or 'title eq" in m
               for m in skipped.values()), skipped
