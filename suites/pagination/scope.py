"""Users created under a userName prefix of their own, and the list queries scoped to them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from typing import Any

import pytest

from suites.client import Reply, ScimClient
from suites.expect import expect_object, expect_status, fail
from suites.factory import Factory
from suites.target import Target


@dataclass(frozen=True, slots=True)
class Scope:
    """The ids of scoped users (in creation order) and a filter that selects exactly them; the
    eq filter selects them too, for a target that declines the first (None: they have no title)."""

    filter: str
    ids: tuple[str, ...]
    eq_filter: str | None = None


CURSOR_ONLY = ('RFC 9865 §2.3: "A service provider MAY require cursor-based pagination to retrieve all '
               'results for a query"')


def index_declined(target: Target) -> bool:
    """Whether /ServiceProviderConfig says the target does not page by startIndex (RFC 9865 §4)."""
    return (target.pagination or {}).get("index") is False


def require_index(target: Target) -> None:
    """Skip a check of startIndex paging where /ServiceProviderConfig says the target pages by
    cursor only (pagination.index false, RFC 9865 §4): the cursor suite judges its paging."""
    if index_declined(target):
        pytest.skip(f"pagination.index is false in /ServiceProviderConfig: the target pages by cursor, "
                    f"not by startIndex (RFC 7644 §3.4.2.4); {CURSOR_ONLY}")


def require_filter_and_pages(target: Target, client: ScimClient, scope: Scope) -> Scope:
    """The scope to page over, or skip: unless the target filters, takes the scope's filter (or
    its eq filter) and its pages may hold the scope."""
    # The scoped checks expect a page of count=n to hold all n matches. RFC 7644 §3.4.2.4 lets
    # a server return fewer than count; in practice that is its advertised maxResults.
    target.require("filter")
    n = len(scope.ids)
    if target.max_results is not None and target.max_results < n:
        pytest.skip(f"filter.maxResults={target.max_results} is below the {n} this check pages over")
    return require_filter(target, client, scope)


def require_filter(target: Target, client: ScimClient, scope: Scope) -> Scope:
    """The scope to list, or skip: unless the target filters and takes the scope's filter (or its
    eq filter). For checks that walk pages of any size, such as the cursor checks."""
    target.require("filter")
    taken, scim_type = _taken(client, scope)
    if taken is None:
        tried = " or ".join(f"'{f}'" for f in (scope.filter, scope.eq_filter) if f)
        pytest.skip(f"the target declines the scope's filter {tried} (400, scimType "
                    f"{scim_type!r}); RFC 7644 §3.12 lets a provider decline an "
                    "attribute and operator combination it does not support")
    return taken


# scope -> the scope the target takes (None: neither filter) and the scimType of its first decline;
# asked once per scope, not once per paging check
_TAKEN: dict[Scope, tuple[Scope | None, Any]] = {}


def _taken(client: ScimClient, scope: Scope) -> tuple[Scope | None, Any]:
    if scope not in _TAKEN:
        # Asked without startIndex or count, so that a 400 for those stays the check's finding.
        probe = list_users(client, scope=scope)
        found: Scope | None = scope
        if probe.status == 400:
            found = None
            if scope.eq_filter is not None:
                # RFC 7644 §3.12 invalidFilter: a server may take `eq` only (as many built for Okta
                # and Entra do), and the paging checks judge pages, not the operator that scopes them.
                eq_scope = replace(scope, filter=scope.eq_filter, eq_filter=None)
                found = eq_scope if list_users(client, scope=eq_scope).status != 400 else None
        _TAKEN[scope] = (found, probe.body.get("scimType") if probe.status == 400 else None)
    return _TAKEN[scope]


def scoped_users(factory: Factory, n: int, *, titled: bool = False) -> Scope:
    """Create one decoy, then n users sharing a fresh userName prefix the decoy lacks and, when
    titled, a title of their own: `title eq` selects them on a target that declines `sw`."""
    # The target may hold resources this run did not create; the filter keeps them out of exact
    # counts. The decoy makes a server that ignores the filter fail every time, not by chance:
    # created first, it is among the first n users of an unfiltered listing in creation order
    # even on a target that holds nothing else (then the first n would be exactly the scope).
    factory.user()
    tag = f"{factory.config.prefix}{secrets.token_hex(3)}-"
    title = {"title": f"{tag}Paged"} if titled else {}
    ids = tuple(factory.user(userName=f"{tag}{factory.faker.user_name()}{i}@example.com", **title)["id"]
                for i in range(n))
    return Scope(f'userName sw "{tag}"', ids, f'title eq "{tag}Paged"' if titled else None)


def list_users(client: ScimClient, *, scope: Scope | None = None, **params: Any) -> Reply:
    """GET /Users with the given query parameters, restricted to scope when given."""
    query = {"filter": scope.filter} if scope is not None else {}
    return client.get("/Users", params={**query, **params})


def list_body(reply: Reply) -> dict[str, Any]:
    """A list answered 200 with a JSON object."""
    __tracebackhide__ = True
    return expect_object(expect_status(reply, 200))


def resources(body: dict[str, Any]) -> list[Any]:
    """The Resources array; absent counts as empty (RFC 7643 §2.5: unassigned == empty)."""
    value = body.get("Resources")
    return value if isinstance(value, list) else []


def counter(body: dict[str, Any], name: str, reply: Reply) -> int:
    """A ListResponse counter as a number, digit strings included."""
    # Strings are PAGE-COUNTS-001's finding; the other paging checks judge only the value.
    __tracebackhide__ = True
    value = body.get(name)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        fail(f"a numeric {name}", f"{name} = {value!r}", reply)
    return value
