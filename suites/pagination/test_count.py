"""The count parameter and the advertised filter.maxResults (RFC 7644 §3.4.2.4, RFC 7643 §5)."""

from __future__ import annotations

import pytest

from suites.client import ScimClient
from suites.expect import expect
from suites.factory import Factory
from suites.pagination.scope import Scope, list_body, list_users, require_index, resources
from suites.pagination.totals import more_users_than, total_results
from suites.target import Target


@pytest.mark.check("PAGE-COUNT-001", level="MUST", refs=["RFC7644 §3.4.2.4"],
                   caught_by=["count-ignored"])
def test_count_caps_the_page(scoped: Scope, client: ScimClient) -> None:
    """A page holds at most count resources.

    RFC 7644 §3.4.2.4, count: "When specified, the service provider MUST NOT return more
    results than specified, although it MAY return fewer results." The collection holds at
    least the 8 users of the paging checks.
    """
    reply = list_users(client, startIndex=1, count=2)
    found = resources(list_body(reply))
    expect(len(found) <= 2, "at most 2 Resources for count=2", f"{len(found)} Resources", reply)


@pytest.mark.check("PAGE-COUNT-002", level="MUST", refs=["RFC7644 §3.4.2.4"],
                   caught_by=["count-ignored"])
def test_count_zero_returns_only_the_total(scoped: Scope, client: ScimClient, target: Target) -> None:
    """count=0 returns no resources, only totalResults.

    RFC 7644 §3.4.2.4, count: "A value of "0" indicates that no resource results are to be
    returned except for "totalResults"." A cursor-paged list may leave totalResults out (RFC 9865
    §2: "Service providers implementing cursor pagination that are unable to estimate
    totalResults MAY choose to omit the totalResults attribute"): then only no Resources is judged.
    """
    reply = list_users(client, count=0)
    body = list_body(reply)
    expect(not resources(body), "no Resources for count=0", f"{len(resources(body))} Resources",
           reply)
    total = total_results(body, reply, target)
    if total is not None:
        expect(total >= 1, "totalResults counting the existing users (at least 1)",
               f"totalResults = {total}", reply)


@pytest.mark.check("PAGE-COUNT-003", level="MUST", refs=["RFC7644 §3.4.2.4"],
                   caught_by=["count-ignored", "negative-count-refused"])
def test_negative_count_reads_as_zero(scoped: Scope, client: ScimClient, target: Target) -> None:
    """count=-1 is read as count=0: an answer with no resources.

    RFC 7644 §3.4.2.4, count: "Non-negative integer. [...] A negative value SHALL be interpreted
    as "0". A value of "0" indicates that no resource results are to be returned except for
    "totalResults"." The RFC says how to read the value, so refusing it (400) fails too. A target
    that pages by cursor only is skipped: RFC 9865 makes count a positive integer there and
    defines the invalidCount error for it.
    """
    require_index(target)
    reply = list_users(client, count=-1)
    found = resources(list_body(reply))
    expect(not found, "no Resources for count=-1 (read as 0)", f"{len(found)} Resources", reply)


@pytest.mark.check("PAGE-MAX-001", level="SHOULD", refs=["RFC7643 §5", "RFC7644 §3.4.2.4"],
                   caught_by=["count-ignored", "max-results-ignored"])
def test_count_above_max_results_is_capped(factory: Factory, client: ScimClient,
                                           target: Target) -> None:
    """A count above the advertised filter.maxResults returns at most maxResults resources.

    RFC 7643 §5, filter.maxResults: "An integer value specifying the maximum number of
    resources returned in a response." (no keyword, hence SHOULD). A 400 refusing the count
    (RFC 7644 §3.12 tooMany) returns nothing and passes. The check needs more than maxResults
    users; it creates the missing ones when that is at most 250 and skips otherwise (it counts
    them by nextCursor where a cursor-paged list leaves totalResults out, RFC 9865 §2).
    """
    limit = target.max_results
    if limit is None:
        pytest.skip("/ServiceProviderConfig advertises no filter.maxResults")
    more_users_than(limit, "maxResults", factory, client, target)
    reply = list_users(client, startIndex=1, count=limit + 1)
    if reply.status == 400:
        return  # refusing the count returns no more than maxResults
    found = len(resources(list_body(reply)))
    expect(found <= limit, f"at most maxResults={limit} Resources", f"{found} Resources", reply)
