"""Walking a collection page by page, as Okta's import does (RFC 7644 §3.4.2.4, okta-scim.md §3)."""

from __future__ import annotations

import pytest

from suites.client import ScimClient
from suites.expect import expect_equal, ids_of
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

PAGE = 3
MAX_PAGES = 10  # a server whose totalResults keeps growing must not make the walk endless


@pytest.mark.check("PAGE-WALK-001", level="MAY", refs=["RFC7644 §3.4.2.4"], okta=True,
                   caught_by=["count-ignored", "filter-ignored", "startindex-zero-based",
                              "unstable-paging"])
def test_walk_sees_each_resource_once_in_a_stable_order(scoped: Scope, client: ScimClient,
                                                        target: Target) -> None:
    """Paging with count=3 sees every resource exactly once, in the order of a single page.

    RFC 7644 §3.4.2.4: "to continue paging, set the startIndex to 11 and re-fetch"; results
    are indexed from 1, which presumes one order. But the RFC defines no order without sortBy
    and puts the burden on the client: "Because pagination is not stateful, clients MUST be
    prepared to handle inconsistent results. For example, a request for a list of 10 resources
    beginning with a startIndex of 1 MAY return different results when repeated", hence MAY.
    Okta's import needs a stable order across pages and pages by startIndex += count
    (okta-scim.md §3), so the check is Okta-critical.
    """
    require_index(target)
    users = len(scoped.ids)
    scoped = require_filter_and_pages(target, client, scoped)
    whole = list_users(client, scope=scoped, startIndex=1, count=users)
    order = ids_of(resources(list_body(whole)))
    expect_equal(sorted(order), sorted(scoped.ids), f"the ids of the {users} users in one page", whole)
    walked: list[str] = []
    start = 1
    for _ in range(MAX_PAGES):
        reply = list_users(client, scope=scoped, startIndex=start, count=PAGE)
        body = list_body(reply)
        walked += ids_of(resources(body))
        start += PAGE
        if start > counter(body, "totalResults", reply):
            break
    expect_equal(walked, order, f"the ids paged by {PAGE}, in the order of the single page", reply)
