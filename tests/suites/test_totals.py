"""suites/pagination/totals.py: which list responses are cursor-paged and so may leave totalResults
out (RFC 9865 §2), and which still need it (RFC 7644 §3.4.2)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from _pytest.outcomes import Skipped

from simulator.scim import urns
from suites.client import Reply
from suites.exchange import Exchange
from suites.expect import ConformanceFailure
from suites.pagination.totals import cursor_paged, list_schema, require_total, total_results
from suites.target import Target

BASE = "https://scim.example.com/scim/v2"


def reply(method: str, path: str, body: Any, request: Any = None) -> Reply:
    exchange = Exchange(method, BASE + path, (), None if request is None else json.dumps(request), 200,
                        (), json.dumps(body), 1.0, "2026-01-01T00:00:00Z")
    out = Reply(exchange, None)
    out.text = json.dumps(body)
    return out


def target(**pagination: Any) -> Target:
    found = Target(client=None)  # type: ignore[arg-type]  # it only reads the seeded documents
    spc = {"pagination": pagination} if pagination else {}
    found.seed({"/ServiceProviderConfig": reply("GET", "/ServiceProviderConfig", spc)})
    return found


PAGE = {"schemas": [urns.LIST_RESPONSE], "itemsPerPage": 1, "Resources": [{"id": "a"}]}
INDEX = {"cursor": True, "index": True, "defaultPaginationMethod": "index"}


@pytest.mark.parametrize(("why", "method", "path", "body", "request_body", "spc", "paged"), [
    ("nextCursor in the body", "GET", "/Users", {**PAGE, "nextCursor": "n1"}, None, {}, True),
    ("previousCursor in the body", "GET", "/Users", {**PAGE, "previousCursor": "p1"}, None, {}, True),
    ("a null nextCursor is none", "GET", "/Users", {**PAGE, "nextCursor": None}, None, {}, False),
    ("an empty cursor asked for", "GET", "/Users?cursor=&count=2", PAGE, None, {}, True),
    ("a bare ?cursor", "GET", "/Users?cursor", PAGE, None, {}, True),
    ("a SearchRequest's cursor", "POST", "/Users/.search", PAGE,
     {"schemas": [urns.SEARCH_REQUEST], "cursor": ""}, {}, True),
    ("a SearchRequest without one", "POST", "/Users/.search", PAGE, {"schemas": [urns.SEARCH_REQUEST]},
     INDEX, False),
    ("pagination.index false", "GET", "/Users?startIndex=1", PAGE, None, {**INDEX, "index": False}, True),
    ("default cursor, no startIndex", "GET", "/Users?count=1", PAGE, None,
     {**INDEX, "defaultPaginationMethod": "cursor"}, True),
    ("default cursor, startIndex sent", "GET", "/Users?startIndex=1", PAGE, None,
     {**INDEX, "defaultPaginationMethod": "cursor"}, False),
    ("index paging by default", "GET", "/Users?count=1", PAGE, None, INDEX, False),
    ("no pagination attribute", "GET", "/Users", PAGE, None, {}, False),
])
def test_cursor_paged(why: str, method: str, path: str, body: dict, request_body: Any, spc: dict,
                      paged: bool) -> None:
    got = reply(method, path, body, request_body)
    assert cursor_paged(got, target(**spc)) is paged, why
    assert list_schema(got, target(**spc)) == ("cursor-list-response" if paged else "list-response")


def test_a_cursor_paged_list_may_leave_the_total_out() -> None:
    got = reply("GET", "/Users?cursor=", PAGE)
    assert total_results(PAGE, got, target()) is None
    with pytest.raises(Skipped, match=r"leaves totalResults out, which this check needs for the count"):
        require_total(PAGE, got, target(), "the count")
    counted = {**PAGE, "totalResults": "7"}  # digit strings are PAGE-COUNTS-001's finding, not this
    assert total_results(counted, reply("GET", "/Users?cursor=", counted), target()) == 7


def test_any_other_list_without_the_total_fails() -> None:
    got = reply("GET", "/Users?startIndex=1", PAGE)
    with pytest.raises(ConformanceFailure, match=r"totalResults: REQUIRED in a list response that is not "
                                                 r"cursor-paged"):
        total_results(PAGE, got, target(**INDEX))
    with pytest.raises(ConformanceFailure, match=r"a numeric totalResults"):
        total_results({**PAGE, "totalResults": "many"}, got, target(**INDEX))
