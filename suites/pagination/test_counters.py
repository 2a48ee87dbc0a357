"""The ListResponse counters totalResults, startIndex and itemsPerPage (RFC 7644 §3.4.2, §3.4.2.4)."""

from __future__ import annotations

import pytest

from suites.client import ScimClient
from suites.expect import expect, expect_equal
from suites.pagination.scope import (
    Scope,
    counter,
    list_body,
    list_users,
    require_filter_and_pages,
    require_index,
    resources,
)
from suites.pagination.totals import require_total
from suites.target import Target


@pytest.mark.check("PAGE-COUNTS-001", level="MUST", refs=["RFC7644 §3.4.2", "RFC7644 §3.4.2.4"],
                   okta=True, caught_by=["list-counts-as-strings"])
def test_counters_are_json_integers(scoped: Scope, client: ScimClient, target: Target) -> None:
    """A partial page carries totalResults, startIndex and itemsPerPage as JSON integers.

    RFC 7644 §3.4.2.4: itemsPerPage, totalResults "Non-negative integer"; startIndex and
    itemsPerPage are "REQUIRED when partial results are returned due to pagination" (§3.4.2).
    Okta's import requires JSON numbers, not strings (okta-scim.md §3).
    """
    require_index(target)
    reply = list_users(client, startIndex=1, count=1)
    body = list_body(reply)
    for name in ("totalResults", "startIndex", "itemsPerPage"):
        value = body.get(name)
        expect(isinstance(value, int) and not isinstance(value, bool) and value >= 0,
               f"{name} as a non-negative JSON integer", f"{name} = {value!r}", reply)


@pytest.mark.check("PAGE-COUNTS-002", level="MUST", refs=["RFC7644 §3.4.2", "RFC7644 §3.4.2.4"])
def test_items_per_page_is_the_page_size(scoped: Scope, client: ScimClient) -> None:
    """itemsPerPage equals the number of resources in the page.

    RFC 7644 §3.4.2: itemsPerPage is "The number of resources returned in a list response
    page."
    """
    for count in (1, 2):
        reply = list_users(client, startIndex=1, count=count)
        body = list_body(reply)
        expect_equal(counter(body, "itemsPerPage", reply), len(resources(body)),
                     "itemsPerPage (the number of Resources in the page)", reply)


@pytest.mark.check("PAGE-COUNTS-003", level="MUST", refs=["RFC7644 §3.4.2", "RFC7644 §3.4.2.4"],
                   okta=True, caught_by=["filter-ignored"])
def test_total_results_counts_every_page(scoped: Scope, client: ScimClient, target: Target) -> None:
    """totalResults is the number of matches of the whole query, not of the page.

    RFC 7644 §3.4.2: totalResults is "The total number of results returned by the list or
    query operation. The value may be larger than the number of resources returned, such as
    when returning a single page of results where multiple pages are available." Okta's import
    stops paging at totalResults (okta-scim.md §3). Skipped where the page is cursor-paged and
    leaves totalResults out (RFC 9865 §2 allows it; OKTA-IMPORT-001 says Okta needs it).
    """
    scoped = require_filter_and_pages(target, client, scoped)
    reply = list_users(client, scope=scoped, startIndex=1, count=1)
    total = require_total(list_body(reply), reply, target, "the number of matches it judges")
    expect_equal(total, len(scoped.ids), f"totalResults of '{scoped.filter}' (the users created under it)",
                 reply)
