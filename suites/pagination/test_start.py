"""The startIndex parameter (RFC 7644 §3.4.2.4)."""

from __future__ import annotations

import pytest

from suites.client import ScimClient
from suites.expect import expect, expect_equal, ids_of
from suites.pagination.scope import (
    Scope,
    counter,
    list_body,
    list_users,
    require_filter_and_pages,
    require_index,
    resources,
)
from suites.target import Target


@pytest.mark.check("PAGE-START-001", level="MUST", refs=["RFC7644 §3.4.2.4"], okta=True,
                   caught_by=["filter-ignored", "startindex-zero-based"])
def test_start_index_is_one_based(scoped: Scope, client: ScimClient, target: Target) -> None:
    """startIndex=2 skips exactly the first result, and the response echoes startIndex 2.

    RFC 7644 §3.4.2.4: startIndex is "The 1-based index of the first query result"; in the
    response, "The 1-based index of the first result in the current set of query results".
    Okta's import pages with startIndex=1, 101, 201, ... (okta-scim.md §3).
    """
    require_index(target)
    n = len(scoped.ids)
    scoped = require_filter_and_pages(target, client, scoped)
    reply = list_users(client, scope=scoped, startIndex=2, count=n)
    body = list_body(reply)
    expect_equal(len(resources(body)), n - 1, f"the number of Resources from startIndex=2 of {n}", reply)
    expect_equal(counter(body, "startIndex", reply), 2, "startIndex", reply)


@pytest.mark.check("PAGE-START-002", level="MUST", refs=["RFC7644 §3.4.2.4"],
                   caught_by=["filter-ignored", "startindex-zero-based"])
def test_start_index_below_one_means_one(scoped: Scope, client: ScimClient, target: Target) -> None:
    """startIndex=0 is read as 1: the page starts at the first result.

    RFC 7644 §3.4.2.4: startIndex: "A value less than 1 SHALL be interpreted as 1."
    """
    require_index(target)
    n = len(scoped.ids)
    scoped = require_filter_and_pages(target, client, scoped)
    reply = list_users(client, scope=scoped, startIndex=0, count=n)
    body = list_body(reply)
    expect_equal(sorted(ids_of(resources(body))), sorted(scoped.ids),
                 f"the ids of all {n} users of the scope", reply)
    if "startIndex" in body:
        expect_equal(counter(body, "startIndex", reply), 1, "startIndex", reply)


@pytest.mark.check("PAGE-START-003", level="SHOULD", refs=["RFC7644 §3.4.2", "RFC7644 §3.4.2.4"])
def test_page_past_the_end_is_empty(scoped: Scope, client: ScimClient, target: Target) -> None:
    """A startIndex past the last result answers 200 with an empty page and the real total.

    RFC 7644 §3.4.2.4 defines startIndex as an index into the results and count as a maximum
    ("MAY return fewer results"); a page beyond them simply holds none. RFC 7644 §3.4.2:
    totalResults "may be larger than the number of resources returned".
    """
    require_index(target)
    probe = list_users(client, count=1)
    total = counter(list_body(probe), "totalResults", probe)
    reply = list_users(client, startIndex=total + 10, count=10)
    body = list_body(reply)
    expect(not resources(body), "no Resources past the end",
           f"{len(resources(body))} Resources", reply)
    expect(counter(body, "totalResults", reply) >= 1, "totalResults of the whole query (at least 1)",
           f"totalResults = {body.get('totalResults')!r}", reply)
