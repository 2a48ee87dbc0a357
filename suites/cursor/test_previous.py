"""previousCursor (RFC 9865 §2): never on the first page; where given, back to the page before."""

from __future__ import annotations

import pytest

from suites.client import ScimClient
from suites.cursor.paging import PAGE, by_get, cursor_of, require_cursor
from suites.expect import expect, expect_equal, ids_of
from suites.pagination.scope import Scope, list_body, require_filter, resources
from suites.target import Target


@pytest.mark.check("CURSOR-PREV-001", level="MUST", refs=["RFC9865 §2"],
                   caught_by=["previous-cursor-on-first-page"])
def test_first_page_has_no_previous_cursor(scoped: Scope, client: ScimClient, target: Target) -> None:
    """The first page of a cursor-paged query (empty cursor) carries no previousCursor.

    RFC 9865 §2, previousCursor: "Returning previousCursor is OPTIONAL. previousCursor MUST not
    be returned with the first page."
    """
    require_cursor(target)
    scoped = require_filter(target, client, scoped)
    reply = by_get(client, scoped, PAGE)("")
    previous = cursor_of(list_body(reply), "previousCursor", reply)
    expect(previous is None, "no previousCursor on the first page", f"previousCursor = {previous!r}", reply)


@pytest.mark.check("CURSOR-PREV-002", level="SHOULD", refs=["RFC9865 §2"],
                   caught_by=["previous-cursor-echoes-request"])
def test_previous_cursor_returns_the_page_before(scoped: Scope, client: ScimClient, target: Target) -> None:
    """The second page's previousCursor, where it has one, returns the first page's resources.

    RFC 9865 §2, previousCursor: "A cursor value string that MAY be used in a subsequent request
    to obtain the previous page of results. Returning previousCursor is OPTIONAL." (no keyword
    for what it returns, hence SHOULD). Skipped where the second page has none.
    """
    require_cursor(target)
    scoped = require_filter(target, client, scoped)
    fetch = by_get(client, scoped, PAGE)
    first = fetch("")
    nxt = cursor_of(list_body(first), "nextCursor", first)
    if nxt is None:
        pytest.skip("the first page has no nextCursor to reach a second page (CURSOR-FIRST-001)")
    second = fetch(nxt)
    previous = cursor_of(list_body(second), "previousCursor", second)
    if previous is None:
        pytest.skip("the second page carries no previousCursor (RFC 9865 §2: returning it is OPTIONAL)")
    back = fetch(previous)
    expect_equal(sorted(ids_of(resources(list_body(back)))), sorted(ids_of(resources(list_body(first)))),
                 "the ids of the first page", back)
