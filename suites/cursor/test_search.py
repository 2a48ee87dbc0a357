"""Cursor paging with POST /.search (RFC 9865 §3)."""

from __future__ import annotations

import pytest

from suites.client import ScimClient
from suites.cursor.paging import PAGE, by_search, cursor_of, require_cursor
from suites.expect import expect, fail, ids_of
from suites.pagination.scope import Scope, list_body, require_filter, resources
from suites.search.request import search, skip_if_declined
from suites.target import Target


@pytest.mark.check("CURSOR-SEARCH-001", level="MUST", refs=["RFC9865 §3", "RFC9865 §2"],
                   caught_by=["empty-cursor-ignored", "search-ignores-cursor"])
def test_search_pages_by_the_body_cursor(scoped: Scope, client: ScimClient, target: Target) -> None:
    """POST /Users/.search pages by the body's cursor: "" opens the query, nextCursor moves on.

    With "cursor": "" and count=3 in the body, at most 3 of the 7 matches and a nextCursor; that
    nextCursor in the next body lists matches not listed yet.

    RFC 9865 §3: "When posting to /.search, the client would pass the parameters defined in
    Section 2 in the body of the POST request."; §2: "Service providers supporting cursor-based
    pagination MUST include nextCursor in all paged query responses except when returning the
    last page." Skipped where the target does not serve /.search (RFC 7644 §3.4.3: MAY).
    """
    require_cursor(target)
    scoped = require_filter(target, client, scoped)
    first = search(client, "/Users/.search", filter=scoped.filter, count=PAGE, cursor="")
    skip_if_declined(client, "Users", first, scoped.filter)
    body = list_body(first)
    listed = ids_of(resources(body))
    expect(len(listed) <= PAGE, f"at most count={PAGE} Resources", f"{len(listed)} Resources", first)
    nxt = cursor_of(body, "nextCursor", first)
    if nxt is None:
        fail(f"a nextCursor: {len(listed)} of the {len(scoped.ids)} matches are listed", "no nextCursor",
             first)
    second = by_search(client, scoped, PAGE)(nxt)
    then = ids_of(resources(list_body(second)))
    more = [i for i in then if i in scoped.ids and i not in listed]
    expect(bool(more), "matches the first page did not list", f"only {then}", second)
