"""sortBy and sortOrder (RFC 7644 §3.4.2.3), on five users each check creates under a scope of its own.

The users are created in an order that is neither ascending nor descending, so a provider that
ignores sortBy fails; each sorted listing is asked for twice, so an order that changes from one
request to the next fails too. Listings are scoped with `filter=userName sw "<scope>"`, so
sorting is only checked where filtering is supported as well.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from suites.client import ScimClient
from suites.config import RunConfig
from suites.expect import fail, ids_of
from suites.factory import Factory
from suites.filter.query import LISTING, listed, new_scope, search, string
from suites.target import Target

REFS = ["RFC7644 §3.4.2.3"]
SCRAMBLED = (3, 0, 4, 1, 2)  # creation order of five ranked bodies: neither ascending nor descending
SORTED = [*LISTING, "sort-ignored", "unstable-paging"]  # deviations that break every sorted listing
Key = Callable[[dict[str, Any]], str]


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


def create(factory: Factory, ranked: Sequence[dict[str, Any]], order: Sequence[int] = SCRAMBLED
           ) -> list[dict[str, Any]]:
    """Create the bodies (ranked ascending by the sort key) in the given order.

    One more user outside the scope is created first, so a target that ignores the scope
    filter lists a foreign user even when it holds nothing else.
    """
    factory.user()
    return [factory.user(**ranked[i]) for i in order]


def expect_sorted(client: ScimClient, scope: str, users: Sequence[dict[str, Any]], key: Key,
                  **params: Any) -> None:
    """Twice in a row, the scoped listing holds exactly the users, ordered by key case-insensitively."""
    __tracebackhide__ = True
    descending = params.get("sortOrder") == "descending"
    wanted = sorted(users, key=lambda u: key(u).casefold(), reverse=descending)
    label = {u["id"]: key(u) for u in users}
    for _ in range(2):
        reply = search(client, "Users", f"userName sw {string(scope)}", **params)
        got = ids_of(listed(reply, decline_ok=True))  # a declined scope filter skips the check
        if got != [u["id"] for u in wanted]:
            fail(f"{'descending' if descending else 'ascending'} order {[key(u) for u in wanted]}",
                 f"{[label.get(i, f'foreign id {i}') for i in got]}", reply)


def user_name(user: dict[str, Any]) -> str:
    return str(user.get("userName"))


def ranked_names(factory: Factory, scope: str) -> list[dict[str, Any]]:
    """Bodies of five users whose lower-case userNames sort in list order."""
    names = distinct(lambda: factory.faker.user_name().lower())
    return [{"userName": f"{scope}{name}@example.com"} for name in names]


@pytest.mark.check("SORT-ORDER-001", level="MUST", refs=REFS, caught_by=SORTED)
def test_sort_by_username_defaults_to_ascending(target: Target, factory: Factory, client: ScimClient,
                                                scim_config: RunConfig) -> None:
    """sortBy=userName without sortOrder lists the users in ascending userName order.

    RFC 7644 §3.4.2.3: "The "sortBy" parameter specifies the attribute whose value SHALL be used
    to order the returned responses." "If a value for "sortBy" is provided and no "sortOrder" is
    specified, "sortOrder" SHALL default to ascending."
    """
    scope = scope_for_sorting(target, scim_config)
    users = create(factory, ranked_names(factory, scope))
    expect_sorted(client, scope, users, user_name, sortBy="userName")


@pytest.mark.check("SORT-ORDER-002", level="MUST", refs=REFS, caught_by=SORTED)
def test_sort_descending(target: Target, factory: Factory, client: ScimClient,
                         scim_config: RunConfig) -> None:
    """sortOrder=descending lists the users in descending userName order.

    RFC 7644 §3.4.2.3: "sortOrder  The order in which the "sortBy" parameter is applied. Allowed
    values are "ascending" and "descending"."
    """
    scope = scope_for_sorting(target, scim_config)
    users = create(factory, ranked_names(factory, scope))
    expect_sorted(client, scope, users, user_name, sortBy="userName", sortOrder="descending")


@pytest.mark.check("SORT-ORDER-003", level="MUST", refs=REFS, caught_by=SORTED)
def test_sort_by_sub_attribute(target: Target, factory: Factory, client: ScimClient,
                               scim_config: RunConfig) -> None:
    """sortBy=name.familyName orders by the sub-attribute, not by userName or creation.

    RFC 7644 §3.4.2.3: "If the attribute is complex, the attribute name must be a path to a
    sub-attribute in standard attribute notation (Section 3.10), e.g., "sortBy=name.givenName"."
    """
    scope = scope_for_sorting(target, scim_config)
    families = distinct(factory.faker.last_name)
    bodies = [{"userName": f"{scope}{tag}-{factory.faker.user_name()}@example.com",
               "name": {"givenName": factory.faker.first_name(), "familyName": families[rank]}}
              for tag, rank in zip("abcde", SCRAMBLED, strict=True)]
    users = create(factory, bodies, order=range(5))  # userName order is creation order

    def family_name(user: dict[str, Any]) -> str:
        return str((user.get("name") or {}).get("familyName"))

    expect_sorted(client, scope, users, family_name, sortBy="name.familyName")


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
    users = create(factory, [{"userName": f"{scope}{name}@example.com"} for name in spelled])
    expect_sorted(client, scope, users, user_name, sortBy="userName")


@pytest.mark.check("SORT-PAGE-001", level="MUST", refs=[*REFS, "RFC7644 §3.4.2.4"],
                   caught_by=[*SORTED, "count-ignored"])
def test_sorted_pages_concatenate(target: Target, factory: Factory, client: ScimClient,
                                  scim_config: RunConfig) -> None:
    """Pages of a sorted listing (count=2) concatenate to the whole sorted listing.

    RFC 7644 §3.4.2.3: sortBy "SHALL be used to order the returned responses"; §3.4.2.4:
    "startIndex  The 1-based index of the first query result." Sorting each page on its own,
    or an order that changes between requests, breaks paging (nothing here changes in between).
    """
    scope = scope_for_sorting(target, scim_config)
    users = create(factory, ranked_names(factory, scope))
    pages = [search(client, "Users", f"userName sw {string(scope)}", sortBy="userName", startIndex=start,
                    count=2) for start in (1, 3, 5)]
    joined = [rid for page in pages for rid in ids_of(listed(page, decline_ok=True))]
    wanted = [u["id"] for u in sorted(users, key=lambda u: user_name(u).casefold())]
    if joined != wanted:
        label = {u["id"]: user_name(u) for u in users}
        fail(f"pages startIndex=1,3,5 (count=2) joining to {[label[i] for i in wanted]}",
             f"{[label.get(i, f'foreign id {i}') for i in joined]}", pages[-1])


@pytest.mark.check("SORT-MISSING-001", level="MUST", refs=REFS, caught_by=SORTED)
def test_missing_values_sort_last_ascending(target: Target, factory: Factory, client: ScimClient,
                                            scim_config: RunConfig) -> None:
    """Ascending by title, the user without a title comes after those with one.

    RFC 7644 §3.4.2.3: "For all attribute types, if there is no data for the specified "sortBy"
    value, they are sorted via the "sortOrder" parameter, i.e., they are ordered last if
    ascending and first if descending."
    """
    scope = scope_for_sorting(target, scim_config)
    titles = distinct(factory.faker.job, 4)
    untitled = factory.user(userName=f"{scope}z-{factory.faker.user_name()}@example.com")
    titled = create(factory, [{"userName": f"{scope}{tag}-{factory.faker.user_name()}@example.com",
                               "title": title} for tag, title in zip("abcd", titles, strict=True)],
                    order=(2, 0, 3, 1))

    def title(user: dict[str, Any]) -> str:
        return str(user["title"]) if user.get("title") else "~ (no title)"  # after any letter

    expect_sorted(client, scope, [untitled, *titled], title, sortBy="title")
