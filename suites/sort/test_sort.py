"""sortBy and sortOrder (RFC 7644 §3.4.2.3), on five users created once for the module.

The five users are ranked differently by each sort key the checks use (userName, name.familyName,
title, one user having no title) and are created in an order that follows none of those ranks, so
a provider that ignores sortBy, or sorts by another attribute or by creation, fails. Each sorted
listing is asked for twice, so an order that changes from one request to the next fails too.
Listings are scoped with `filter=userName sw "<scope>"` (or `userType eq`, where the target
declines `sw`: suites/sort/scope.py), so sorting is only checked where filtering is supported as
well. The checks only read the users, so they share them: 6 users instead of 6 per check
(SORT-CASE-001 needs userNames of mixed case and creates its own).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from suites.client import ScimClient
from suites.config import RunConfig
from suites.expect import fail, ids_of
from suites.factory import Factory
from suites.filter.query import LISTING, listed, new_scope
from suites.pagination.scope import require_index
from suites.sort.scope import scope_attributes, scoped_search
from suites.target import Target

REFS = ["RFC7644 §3.4.2.3"]
SCRAMBLED = (3, 0, 4, 1, 2)  # creation order of five ranked bodies: neither ascending nor descending
# By userName rank: each user's rank by name.familyName, and by title (None: the user has none).
# Ascending, familyName lists userName ranks 1 3 0 4 2 and title lists 2 4 0 3 (1, untitled, last):
# neither is userName order, creation order or either reversed, nor each other.
FAMILY_RANK = (2, 0, 4, 1, 3)
TITLE_RANK = (2, None, 0, 3, 1)
SORTED = [*LISTING, "sort-ignored", "unstable-paging"]  # deviations that break every sorted listing
Key = Callable[[dict[str, Any]], str]


@dataclass(frozen=True)
class Ranked:
    """The module's five users (as the target returned them, in userName order), their scope, and
    whether they carry it as userType too."""

    scope: str
    users: list[dict[str, Any]]
    typed: bool


def scope_for_sorting(target: Target, scim_config: RunConfig) -> str:
    target.require("sort")
    target.require("filter")  # the listings are scoped to this check's users by a filter
    return new_scope(scim_config)


def distinct(make: Callable[[], str], count: int = 5) -> list[str]:
    """count different Faker values (compared case-insensitively), in ascending order."""
    found: dict[str, str] = {}
    while len(found) < count:
        value = make()
        found.setdefault(value.casefold(), value)
    return [found[k] for k in sorted(found)]


def create(factory: Factory, ranked: Sequence[dict[str, Any]], scoped: dict[str, Any],
           order: Sequence[int] = SCRAMBLED) -> list[dict[str, Any]]:
    """Create the bodies (ranked ascending by the sort key, each with the scoped attributes) in the
    given order; return them ranked.

    One more user outside the scope is created first, so a target that ignores the scope
    filter lists a foreign user even when it holds nothing else.
    """
    factory.user()
    made = {i: factory.user(**ranked[i], **scoped) for i in order}
    return [made[i] for i in sorted(made)]


@pytest.fixture(scope="module")
def ranked(target: Target, factory: Factory, scim_config: RunConfig) -> Ranked:
    """Five users ranked apart by userName, name.familyName and title (see FAMILY_RANK)."""
    scope = scope_for_sorting(target, scim_config)
    names = distinct(lambda: factory.faker.user_name().lower())
    families, titles = distinct(factory.faker.last_name), distinct(factory.faker.job, 4)
    bodies = []
    for rank, name in enumerate(names):
        body: dict[str, Any] = {"userName": f"{scope}{name}@example.com",
                                "name": {"givenName": factory.faker.first_name(),
                                         "familyName": families[FAMILY_RANK[rank]]}}
        title_rank = TITLE_RANK[rank]
        if title_rank is not None:
            body["title"] = titles[title_rank]
        bodies.append(body)
    scoped = scope_attributes(target, scope)
    return Ranked(scope, create(factory, bodies, scoped), bool(scoped))


def expect_sorted(client: ScimClient, scope: str, typed: bool, users: Sequence[dict[str, Any]], key: Key,
                  **params: Any) -> None:
    """Twice in a row, the scoped listing holds exactly the users, ordered by key case-insensitively."""
    __tracebackhide__ = True
    descending = params.get("sortOrder") == "descending"
    wanted = sorted(users, key=lambda u: key(u).casefold(), reverse=descending)
    label = {u["id"]: key(u) for u in users}
    for _ in range(2):
        reply = scoped_search(client, scope, typed, **params)
        got = ids_of(listed(reply, decline_ok=True))  # a declined scope filter skips the check
        if got != [u["id"] for u in wanted]:
            fail(f"{'descending' if descending else 'ascending'} order {[key(u) for u in wanted]}",
                 f"{[label.get(i, f'foreign id {i}') for i in got]}", reply)


def user_name(user: dict[str, Any]) -> str:
    return str(user.get("userName"))


def family_name(user: dict[str, Any]) -> str:
    return str((user.get("name") or {}).get("familyName"))


def title(user: dict[str, Any]) -> str:
    return str(user["title"]) if user.get("title") else "~ (no title)"  # after any letter


@pytest.mark.check("SORT-ORDER-001", level="MUST", refs=REFS, caught_by=SORTED)
def test_sort_by_username_defaults_to_ascending(ranked: Ranked, client: ScimClient) -> None:
    """sortBy=userName without sortOrder lists the users in ascending userName order.

    RFC 7644 §3.4.2.3: "The "sortBy" parameter specifies the attribute whose value SHALL be used
    to order the returned responses." "If a value for "sortBy" is provided and no "sortOrder" is
    specified, "sortOrder" SHALL default to ascending."
    """
    expect_sorted(client, ranked.scope, ranked.typed, ranked.users, user_name, sortBy="userName")


@pytest.mark.check("SORT-ORDER-002", level="MUST", refs=REFS, caught_by=SORTED)
def test_sort_descending(ranked: Ranked, client: ScimClient) -> None:
    """sortOrder=descending lists the users in descending userName order.

    RFC 7644 §3.4.2.3: "sortOrder  The order in which the "sortBy" parameter is applied. Allowed
    values are "ascending" and "descending"."
    """
    expect_sorted(client, ranked.scope, ranked.typed, ranked.users, user_name, sortBy="userName",
                  sortOrder="descending")


@pytest.mark.check("SORT-ORDER-003", level="MUST", refs=REFS, caught_by=SORTED)
def test_sort_by_sub_attribute(ranked: Ranked, client: ScimClient) -> None:
    """sortBy=name.familyName orders by the sub-attribute, not by userName or creation.

    RFC 7644 §3.4.2.3: "If the attribute is complex, the attribute name must be a path to a
    sub-attribute in standard attribute notation (Section 3.10), e.g., "sortBy=name.givenName"."
    """
    expect_sorted(client, ranked.scope, ranked.typed, ranked.users, family_name, sortBy="name.familyName")


@pytest.mark.check("SORT-CASE-001", level="MUST", refs=REFS, caught_by=SORTED)
def test_sort_ignores_case_of_case_insensitive_values(target: Target, factory: Factory, client: ScimClient,
                                                      scim_config: RunConfig) -> None:
    """userName (caseExact false) sorts case-insensitively: 'amy' < 'Bob' < 'carl'.

    RFC 7644 §3.4.2.3: ""sortOrder" MUST sort according to the attribute type; i.e., for
    case-insensitive attributes, sort the result using case-insensitive Unicode alphabetic sort
    order with no specific locale implied".
    """
    scope = scope_for_sorting(target, scim_config)
    first = distinct(factory.faker.first_name)
    spelled = [name.capitalize() if i % 2 else name.lower() for i, name in enumerate(first)]
    scoped = scope_attributes(target, scope)
    users = create(factory, [{"userName": f"{scope}{name}@example.com"} for name in spelled], scoped)
    expect_sorted(client, scope, bool(scoped), users, user_name, sortBy="userName")


@pytest.mark.check("SORT-PAGE-001", level="MUST", refs=[*REFS, "RFC7644 §3.4.2.4"],
                   caught_by=[*SORTED, "count-ignored"])
def test_sorted_pages_concatenate(ranked: Ranked, client: ScimClient, target: Target) -> None:
    """Pages of a sorted listing (count=2) concatenate to the whole sorted listing.

    RFC 7644 §3.4.2.3: sortBy "SHALL be used to order the returned responses"; §3.4.2.4:
    "startIndex  The 1-based index of the first query result." Sorting each page on its own,
    or an order that changes between requests, breaks paging (nothing here changes in between).
    A page may hold fewer than count ("it MAY return fewer results"): the next starts after it.
    Skipped on a target that pages by cursor only (CURSOR-SORT-001 judges its sorted pages).
    """
    require_index(target)
    scope, users = ranked.scope, ranked.users
    joined: list[str] = []
    for _ in range(len(users)):
        page = scoped_search(client, scope, ranked.typed, sortBy="userName", startIndex=len(joined) + 1,
                             count=2)
        found = ids_of(listed(page, decline_ok=True))
        if len(found) > 2:
            fail("at most count=2 resources in a page", f"{len(found)} resources", page)
        joined += found
        if not found or len(joined) >= len(users):
            break
    wanted = [u["id"] for u in sorted(users, key=lambda u: user_name(u).casefold())]
    if joined != wanted:
        label = {u["id"]: user_name(u) for u in users}
        fail(f"pages of count=2 joining to {[label[i] for i in wanted]}",
             f"{[label.get(i, f'foreign id {i}') for i in joined]}", page)


@pytest.mark.check("SORT-MISSING-001", level="SHOULD", refs=REFS, caught_by=SORTED)
def test_missing_values_sort_last_ascending(ranked: Ranked, client: ScimClient, target: Target) -> None:
    """Ascending by title, the user without a title comes after those with one.

    RFC 7644 §3.4.2.3: "For all attribute types, if there is no data for the specified "sortBy"
    value, they are sorted via the "sortOrder" parameter, i.e., they are ordered last if
    ascending and first if descending." The sentence carries no RFC 2119 keyword, hence SHOULD.
    """
    target.require_attributes("User", "title")
    expect_sorted(client, ranked.scope, ranked.typed, ranked.users, title, sortBy="title")
