"""Cursor-paged queries (RFC 9865) over the paged users, and the skip of a target that does not
advertise cursor paging."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from simulator.scim import urns
from suites.client import Reply, ScimClient
from suites.expect import fail, ids_of
from suites.pagination.scope import Scope, list_body, resources
from suites.target import Target

PAGE = 3  # a page of the walks: the 7 paged users take 3 pages
SHOULD_ADVERTISE = ('RFC 9865 §4: "A SCIM service provider implementing cursor-based pagination '
                    'SHOULD include" the pagination attribute in /ServiceProviderConfig')
Fetch = Callable[[str], Reply]


def require_pagination(target: Target) -> dict[str, Any]:
    """The pagination attribute, or skip: the target does not say how it pages."""
    section = target.pagination
    if section is None:
        pytest.skip(f"/ServiceProviderConfig has no pagination attribute; {SHOULD_ADVERTISE}")
    return section


def require_cursor(target: Target) -> dict[str, Any]:
    """The pagination attribute, or skip: the target does not advertise cursor paging."""
    section = require_pagination(target)
    if section.get("cursor") is not True:
        pytest.skip(f"pagination.cursor is not true in /ServiceProviderConfig "
                    f"(it is {section.get('cursor')!r}): the target does not page by cursor")
    return section


def by_get(client: ScimClient, scope: Scope | None, count: int, **params: Any) -> Fetch:
    """Pages of GET /Users (restricted to scope when given) with count, fetched by cursor."""
    query = {"filter": scope.filter} if scope is not None else {}

    def fetch(cursor: str) -> Reply:
        return client.get("/Users", params={**query, **params, "count": count, "cursor": cursor})

    return fetch


def by_search(client: ScimClient, scope: Scope, count: int) -> Fetch:
    """Pages of POST /Users/.search with the scope's filter and count in the body (RFC 9865 §3)."""

    def fetch(cursor: str) -> Reply:
        body = {"schemas": [urns.SEARCH_REQUEST], "filter": scope.filter, "count": count, "cursor": cursor}
        return client.post("/Users/.search", body)

    return fetch


def cursor_of(body: dict[str, Any], name: str, reply: Reply) -> str | None:
    """nextCursor or previousCursor: None when absent or null (RFC 7643 §2.5: unassigned)."""
    __tracebackhide__ = True
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        fail(f"{name} as a string (RFC 9865 §2)", f"{name} = {value!r}", reply)
    return value


@dataclass
class Walk:
    """The pages a walk by nextCursor fetched, the ids they listed and the cursors they carried."""

    replies: list[Reply] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    cursors: list[tuple[str, str, Reply]] = field(default_factory=list)  # (name, value, reply)
    ended: bool = False  # a page without nextCursor ended it


def walk(fetch: Fetch, max_pages: int) -> Walk:
    """Follow nextCursor from an empty cursor until a page has none, for at most max_pages."""
    __tracebackhide__ = True
    found = Walk()
    cursor = ""
    for _ in range(max_pages):
        reply = fetch(cursor)
        body = list_body(reply)
        found.replies.append(reply)
        found.ids += ids_of(resources(body))
        for name in ("previousCursor", "nextCursor"):
            value = cursor_of(body, name, reply)
            if value is not None:
                found.cursors.append((name, value, reply))
        nxt = cursor_of(body, "nextCursor", reply)
        if nxt is None:
            found.ended = True
            break
        cursor = nxt
    return found


def max_pages(scope: Scope) -> int:
    """Enough pages for a walk over the scope one resource a page, an empty last page and slack."""
    return 2 * len(scope.ids) + 2
