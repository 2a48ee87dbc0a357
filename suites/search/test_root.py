"""A query of the server root with POST /.search (RFC 7644 §3.4.3, §3.4.2.1)."""

from __future__ import annotations

from typing import Any

import pytest

from suites.client import ScimClient
from suites.expect import describe, expect
from suites.factory import Factory
from suites.filter.query import DECLINED, LISTING, expect_exactly, string
from suites.search.request import search
from suites.target import Target


@pytest.mark.check("SEARCH-ROOT-001", level="MUST", refs=["RFC7644 §3.4.3", "RFC7644 §3.4.2.1"],
                   caught_by=[*LISTING, "bad-filter-500"])
def test_root_search_finds_the_user(target: Target, factory: Factory, client: ScimClient) -> None:
    """POST /.search with a `userName eq` filter returns exactly that user.

    RFC 7644 §3.4.3: "The inclusion of "/.search" on the end of a valid SCIM endpoint SHALL be
    used to indicate that the HTTP POST verb is intended to be a query operation."; §3.4.2.1: "A
    query against a server root indicates that all resources within the server SHALL be
    included, subject to filtering." Groups have no userName, so only the user matches (a
    server must not crash on the types the filter does not fit); a second user is the decoy.
    A 400 is skipped: §3.4.2.1 lets a server refuse a query of the server root as tooMany,
    and §3.12 decline a filter it does not support.
    """
    target.require("filter")
    user: dict[str, Any] = factory.user()
    factory.user()
    text = f"userName eq {string(user['userName'])}"
    reply = search(client, "/.search", filter=text)
    if reply.status == 400:
        pytest.skip(f"the target refuses the root search '{text}' (400, scimType "
                    f"{reply.body.get('scimType')!r}); RFC 7644 §3.4.2.1 lets it answer tooMany, and "
                    f"{DECLINED}")
    expect(reply.status == 200, "200 and a ListResponse", describe(reply), reply)
    expect_exactly(reply, {user["id"]: user["userName"]})
