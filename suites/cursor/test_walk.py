"""Walking a query by nextCursor (RFC 9865 §2, §2.2) over the paged users, 3 a page."""

from __future__ import annotations

import re

import pytest

from suites.client import ScimClient
from suites.cursor.paging import PAGE, by_get, cursor_of, max_pages, require_cursor, walk
from suites.expect import expect, fail, ids_of
from suites.pagination.scope import (
    Scope,
    list_body,
    list_users,
    require_filter,
    require_filter_and_pages,
    resources,
)
from suites.target import Target

UNRESERVED = re.compile(r"[A-Za-z0-9._~-]*")  # RFC 3986 §2.3


@pytest.mark.check("CURSOR-FIRST-001", level="MUST", refs=["RFC9865 §2"],
                   caught_by=["empty-cursor-ignored"])
def test_empty_cursor_opens_a_cursor_paged_query(scoped: Scope, client: ScimClient, target: Target) -> None:
    """An empty cursor with count=3 over 7 matches returns at most 3 resources and a nextCursor.

    RFC 9865 §2: "The cursor value MUST be empty or omitted for the first request of a
    cursor-paginated query"; count: "When specified, the service provider MUST NOT return more
    although it MAY return fewer results."; nextCursor: "Service providers supporting
    cursor-based pagination MUST include nextCursor in all paged query responses except when
    returning the last page."
    """
    require_cursor(target)
    scoped = require_filter(target, client, scoped)
    reply = by_get(client, scoped, PAGE)("")
    body = list_body(reply)
    found = len(resources(body))
    expect(found <= PAGE, f"at most count={PAGE} Resources", f"{found} Resources", reply)
    expect(cursor_of(body, "nextCursor", reply) is not None,
           f"a nextCursor: {found} of the {len(scoped.ids)} matches are listed", "no nextCursor", reply)


@pytest.mark.check("CURSOR-WALK-001", level="MUST", refs=["RFC9865 §2"],
                   caught_by=["empty-cursor-ignored", "cursor-skips-boundary-record"])
def test_next_cursors_reach_every_resource(scoped: Scope, client: ScimClient, target: Target) -> None:
    """Following nextCursor, all other parameters the same, lists every match before it stops.

    A page without nextCursor ends the walk.

    RFC 9865 §2: "nextCursor MUST be omitted from a response only to indicate that there are no
    more result pages."; to get another page "the client MUST query the same service provider
    endpoint with all query parameters and values being identical to the initial query with the
    exception of the cursor value".
    """
    require_cursor(target)
    scoped = require_filter(target, client, scoped)
    walked = walk(by_get(client, scoped, PAGE), max_pages(scoped))
    last = walked.replies[-1]
    expect(walked.ended, f"a page without nextCursor within {max_pages(scoped)} pages of {PAGE} "
           f"over {len(scoped.ids)} matches", f"a nextCursor on each of {len(walked.replies)} pages", last)
    missed = [i for i in scoped.ids if i not in walked.ids]
    expect(not missed, f"all {len(scoped.ids)} matches before nextCursor is omitted",
           f"{len(missed)} never listed in {len(walked.replies)} pages: {missed}", last)


@pytest.mark.check("CURSOR-WALK-002", level="SHOULD", refs=["RFC9865 §2"],
                   caught_by=["cursor-repeats-boundary-record"])
def test_next_cursors_list_each_resource_once(scoped: Scope, client: ScimClient, target: Target) -> None:
    """A walk by nextCursor lists no resource twice.

    RFC 9865 §2: nextCursor is "A cursor value string that MAY be used in a subsequent request to
    obtain the next page of results": the page after this one, not one overlapping it. The
    sentence carries no keyword, hence SHOULD.
    """
    require_cursor(target)
    scoped = require_filter(target, client, scoped)
    walked = walk(by_get(client, scoped, PAGE), max_pages(scoped))
    twice = sorted({i for i in walked.ids if walked.ids.count(i) > 1})
    expect(not twice, "each resource on one page only", f"listed twice: {twice}", walked.replies[-1])


@pytest.mark.check("CURSOR-CHARS-001", level="SHOULD", refs=["RFC9865 §2", "RFC3986 §2.3"],
                   caught_by=["cursor-base64-padded"])
def test_cursors_are_unreserved_characters(scoped: Scope, client: ScimClient, target: Target) -> None:
    """nextCursor and previousCursor values hold only URI unreserved characters.

    RFC 9865 §2, cursor: "This value may only contain characters from the unreserved characters
    set defined in section 2.3 of [RFC3986]" (ALPHA, DIGIT, "-", ".", "_", "~"), so a client can
    put it in a query string as it is. No keyword, hence SHOULD. Skipped where the walk sees no
    cursor (CURSOR-FIRST-001 reports that).
    """
    require_cursor(target)
    scoped = require_filter(target, client, scoped)
    walked = walk(by_get(client, scoped, PAGE), max_pages(scoped))
    if not walked.cursors:
        pytest.skip("the walk saw no nextCursor or previousCursor to judge")
    for name, value, reply in walked.cursors:
        expect(bool(UNRESERVED.fullmatch(value)), f"a {name} of unreserved characters (RFC 3986 §2.3)",
               f"{name} = {value!r}", reply)


@pytest.mark.check("CURSOR-SORT-001", level="SHOULD", refs=["RFC9865 §2.2", "RFC7644 §3.4.2.3"],
                   caught_by=["cursor-sort-ignored"])
def test_cursor_pages_are_sorted(scoped: Scope, client: ScimClient, target: Target) -> None:
    """With sortBy, a walk by nextCursor lists the matches in the target's own sorted order.

    sortBy=userName, ascending and descending: the order of the same query answered in one
    index-paged page.

    RFC 9865 §2.2: "If sorting is implemented as described Section 3.4.2.3 of [RFC7644], then
    cursor-paged results should be sorted." The target's own sorted page is the reference, so
    how it collates is the sort checks' to judge; creation order cannot match both directions.
    """
    require_cursor(target)
    target.require("sort")
    scoped = require_filter_and_pages(target, client, scoped)
    for order in ("ascending", "descending"):
        sort = {"sortBy": "userName", "sortOrder": order}
        whole = list_users(client, scope=scoped, startIndex=1, count=len(scoped.ids), **sort)
        reference = ids_of(resources(list_body(whole)))
        if set(scoped.ids) - set(reference):  # e.g. a cursor-only target's first page (RFC 9865 §2.3)
            pytest.skip(f"the one-page {order} listing of the {len(scoped.ids)} matches, the order "
                        f"to compare with, holds only {len(reference)} of them")
        walked = walk(by_get(client, scoped, PAGE, **sort), max_pages(scoped))
        seen = list(dict.fromkeys(walked.ids))  # in the order first listed
        if seen != [i for i in reference if i in seen]:
            fail(f"the {order} order of the one-page listing ({whole.exchange.request_line}): "
                 f"{reference}", f"{seen}", walked.replies[-1])
