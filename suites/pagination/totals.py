"""totalResults: REQUIRED in every list response (RFC 7644 §3.4.2) but a cursor-paged one, which
may leave it out (RFC 9865 §2). The one place that decides which lists are cursor-paged."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from suites.client import Reply, ScimClient
from suites.expect import fail
from suites.factory import Factory
from suites.pagination.scope import counter, list_body, resources
from suites.target import Target

MAY_OMIT = ('RFC 9865 §2: "Service providers implementing cursor pagination that are unable to '
            'estimate totalResults MAY choose to omit the totalResults attribute."')
MAX_COUNT_PAGES = 50  # pages count_users() reads by nextCursor at most
FILL_LIMIT = 250  # the most users more_users_than() creates
PAGE_SIZE = 100  # the count it asks for (Okta's page size, okta-scim.md §3), or maxPageSize if lower


def request_params(reply: Reply) -> dict[str, Any]:
    """The query parameters of the list request reply answers: the URL's for a GET (a bare
    `?cursor` kept as ""), the SearchRequest body's for a POST /.search (RFC 7644 §3.4.3)."""
    exchange = reply.exchange
    if exchange.method == "POST":
        try:
            body = json.loads(exchange.request_body or "")
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}
    query = parse_qs(urlsplit(exchange.url).query, keep_blank_values=True)
    return {name: values[-1] for name, values in query.items()}


def cursor_paged(reply: Reply, target: Target) -> bool:
    """Whether the list reply answers is cursor-paged (RFC 9865): it carries nextCursor or
    previousCursor, the request carried a cursor, /ServiceProviderConfig says pagination.index
    false (§2.3: every list is), or the request named no paging method and the target's
    defaultPaginationMethod is "cursor" (§4)."""
    body = reply.body
    if any(isinstance(body.get(name), str) for name in ("nextCursor", "previousCursor")):
        return True
    params = request_params(reply)
    if "cursor" in params:
        return True
    section = target.pagination
    if section is None:
        return False
    if section.get("index") is False:
        return True
    return section.get("defaultPaginationMethod") == "cursor" and "startIndex" not in params


def total_results(body: dict[str, Any], reply: Reply, target: Target) -> int | None:
    """totalResults as a number (digit strings too, as counter() reads them); None where a
    cursor-paged list leaves it out (RFC 9865 §2). Any other list without it fails the check."""
    __tracebackhide__ = True
    if body.get("totalResults") is None:
        if cursor_paged(reply, target):
            return None
        fail("totalResults: REQUIRED in a list response that is not cursor-paged (RFC 7644 §3.4.2; "
             "RFC 9865 §2 lets only a cursor-paged one omit it)",
             f"no totalResults (keys: {sorted(body)})", reply)
    return counter(body, "totalResults", reply)


def require_total(body: dict[str, Any], reply: Reply, target: Target, needed_for: str) -> int:
    """totalResults as total_results() reads it; where a cursor-paged list leaves it out, skip the
    check, which needs it for needed_for."""
    __tracebackhide__ = True
    total = total_results(body, reply, target)
    if total is None:
        pytest.skip(f"the target pages this list by cursor and leaves totalResults out, which this "
                    f"check needs for {needed_for}; {MAY_OMIT}")
    return total


def list_schema(reply: Reply, target: Target) -> str:
    """The fixture schema a list response must match: totalResults REQUIRED unless cursor-paged."""
    return "cursor-list-response" if cursor_paged(reply, target) else "list-response"


def count_users(client: ScimClient, target: Target, up_to: int) -> int:
    """How many users the target holds, counted to up_to at least: totalResults of GET /Users, or
    where a cursor-paged list leaves it out, the users of its pages, followed by nextCursor."""
    __tracebackhide__ = True
    probe = client.get("/Users", params={"count": 1})
    total = total_results(list_body(probe), probe, target)
    if total is not None:
        return total
    found, cursor = 0, None
    size = min(up_to, PAGE_SIZE, target.max_page_size or PAGE_SIZE)  # §2.1 invalidCount above it
    for _ in range(MAX_COUNT_PAGES):
        params: dict[str, Any] = {"count": size, **({"cursor": cursor} if cursor is not None else {})}
        reply = client.get("/Users", params=params)
        body = list_body(reply)
        page = len(resources(body))
        found += page
        nxt = body.get("nextCursor")
        if found >= up_to or not page or not isinstance(nxt, str) or not nxt:
            break
        cursor = nxt
    return found


def more_users_than(limit: int, name: str, factory: Factory, client: ScimClient, target: Target) -> None:
    """Make the target hold more than limit (the advertised name) users: create the missing ones
    when that is at most FILL_LIMIT, else skip the check, which cannot observe the limit."""
    missing = limit + 1 - count_users(client, target, limit + 1)
    if missing > FILL_LIMIT:
        pytest.skip(f"exceeding {name}={limit} would need {missing} more users")
    if missing > 0:
        factory.users([factory.user_body() for _ in range(missing)])
