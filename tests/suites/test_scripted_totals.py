"""totalResults left out of list responses: RFC 9865 §2 lets a cursor-paged list omit it ("Service
providers implementing cursor pagination that are unable to estimate totalResults MAY choose to omit
the totalResults attribute"); RFC 7644 §3.4.2 still requires it of every other list."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from simulator.scim import urns
from tests.suites.support import Response, failing, provider, run_suites

# the suites and checks that read or validate totalResults; not the two that create ~200 users
SUITES = ["pagination", "filter/test_lookup.py", "search", "discovery"]
NOT_BULKY = ("-k", "not above_max_results and not max_results_is_honoured")
# the checks that fail where an index-paged list leaves totalResults out
NEED_TOTAL = {"PAGE-COUNT-002", "PAGE-COUNTS-001", "PAGE-COUNTS-003", "PAGE-EMPTY-001", "PAGE-START-003",
              "PAGE-WALK-001", "PAGE-OKTA-001", "FLT-MISS-001", "FLT-MISS-002", "SEARCH-LIST-001",
              "SEARCH-PAGE-001", "DISC-SCHEMA-001", "DISC-RTYPE-001"}
# those whose list requests carry startIndex, so no defaultPaginationMethod makes them cursor-paged
NAME_INDEX = NEED_TOTAL - {"PAGE-COUNT-002", "PAGE-EMPTY-001", "SEARCH-LIST-001", "DISC-SCHEMA-001",
                           "DISC-RTYPE-001"}


def _params(resp: Response) -> dict[str, object]:
    if resp.method == "POST":
        body = json.loads(resp.request or b"{}")
        return body if isinstance(body, dict) else {}
    return {k: v[-1] for k, v in parse_qs(resp.query, keep_blank_values=True).items()}


def _drop_total(resp: Response) -> None:
    """Leave totalResults out of every list response the reference provider pages by index."""
    body = resp.json if resp.status == 200 else None
    if (isinstance(body, dict) and urns.LIST_RESPONSE in body.get("schemas", [])
            and "cursor" not in _params(resp) and "nextCursor" not in body):
        body.pop("totalResults", None)
        resp.set_json(body)


def _default_cursor(resp: Response) -> None:
    """/ServiceProviderConfig says defaultPaginationMethod cursor (RFC 9865 §4), index still true;
    no list carries totalResults."""
    if resp.path.endswith("/ServiceProviderConfig") and resp.status == 200:
        spc = resp.json
        spc["pagination"]["defaultPaginationMethod"] = "cursor"
        resp.set_json(spc)
    _drop_total(resp)


def test_index_paged_lists_without_total_results_fail() -> None:
    """RFC 7644 §3.4.2: totalResults "REQUIRED". Only a cursor-paged list may leave it out: an
    index-paged one without it fails every check that reads or validates it, saying it is required."""
    with provider(rewrite=_drop_total) as url:
        summary = run_suites(url, SUITES, *NOT_BULKY)
    assert failing(summary) == NEED_TOTAL
    messages = {c["id"]: c["message"] for c in summary["checks"] if c["id"] in NEED_TOTAL}
    assert "totalResults: REQUIRED in a list response that is not cursor-paged" in messages["PAGE-EMPTY-001"]


def test_lists_that_rely_on_a_default_cursor_method_may_omit_total_results() -> None:
    """RFC 9865 §4 defaultPaginationMethod: a request that names no paging method (no startIndex,
    no cursor) of a target that defaults to cursor is cursor-paged, so its list may leave
    totalResults out; one that sends startIndex asked for index paging and still needs it."""
    with provider(rewrite=_default_cursor) as url:
        summary = run_suites(url, SUITES, *NOT_BULKY)
    assert failing(summary) == NAME_INDEX
