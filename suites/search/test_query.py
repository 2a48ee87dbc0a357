"""Queries of a resource type endpoint with POST /Users/.search and /Groups/.search (RFC 7644 §3.4.3)."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.scim import urns
from suites.client import ScimClient
from suites.expect import expect, expect_equal, expect_object, expect_status, ids_of
from suites.factory import Factory
from suites.filter.query import LISTING, expect_exactly, string
from suites.pagination.scope import (
    Scope,
    counter,
    list_body,
    list_users,
    require_filter_and_pages,
    require_index,
    resources,
    scoped_users,
)
from suites.pagination.totals import total_results
from suites.projection.shape import always_returned, expect_absent, expect_present
from suites.search.request import search, skip_if_declined
from suites.target import Target

SCOPED = 3  # users under the paging check's scope: it asks for the second, one per page


@pytest.fixture(scope="module")
def wanted(target: Target, factory: Factory) -> dict[str, Any]:
    """The user the filtered searches look for; a decoy created after it must never be found with it."""
    target.require("filter")
    user = factory.user()
    factory.user()  # the decoy: a target that ignores the body's filter lists it too
    return user


@pytest.mark.check("SEARCH-FILTER-001", level="MUST", refs=["RFC7644 §3.4.3", "RFC7644 §3.4.2.2"],
                   caught_by=[*LISTING])
def test_search_filter_finds_the_user(wanted: dict[str, Any], client: ScimClient) -> None:
    """POST /Users/.search with a `userName eq` filter in the body returns exactly that user.

    RFC 7644 §3.4.3: "The inclusion of "/.search" on the end of a valid SCIM endpoint SHALL be
    used to indicate that the HTTP POST verb is intended to be a query operation." "The body of
    the POST request MAY include any of the parameters defined in Section 3.4.2." and "After
    receiving an HTTP POST request, a response is returned as specified in Section 3.4.2.";
    §3.4.2.2: "only those resources matching the filter expression SHALL be returned". A second
    user is the decoy. Skipped where the target does not serve /.search (the client's MAY).
    """
    text = f"userName eq {string(wanted['userName'])}"
    reply = search(client, "/Users/.search", filter=text)
    skip_if_declined(client, "Users", reply, text)
    expect_exactly(reply, {wanted["id"]: wanted["userName"]})


@pytest.mark.check("SEARCH-FILTER-002", level="MUST", refs=["RFC7644 §3.4.3", "RFC7644 §3.4.2.2"],
                   caught_by=[*LISTING])
def test_search_filter_finds_the_group(target: Target, factory: Factory, client: ScimClient) -> None:
    """POST /Groups/.search with a `displayName eq` filter in the body returns exactly that group.

    RFC 7644 §3.4.3: "The body of the POST request MAY include any of the parameters defined in
    Section 3.4.2."; §3.4.2.2: "only those resources matching the filter expression SHALL be
    returned". A second group is the decoy.
    """
    target.require("filter")
    target.require_resource("Group")
    group, _decoy = factory.group(), factory.group()
    text = f"displayName eq {string(group['displayName'])}"
    reply = search(client, "/Groups/.search", filter=text)
    skip_if_declined(client, "Groups", reply, text)
    expect_exactly(reply, {group["id"]: group["displayName"]})


@pytest.mark.check("SEARCH-LIST-001", level="MUST", refs=["RFC7644 §3.4.3", "RFC7644 §3.4.2", "RFC2119 §5"],
                   caught_by=["search-requires-filter"])
def test_search_without_parameters_lists_every_user(factory: Factory, client: ScimClient,
                                                    target: Target) -> None:
    """A SearchRequest with no parameter but its schema lists the users, as GET /Users does.

    RFC 7644 §3.4.3: "The body of the POST request MAY include any of the parameters defined in
    Section 3.4.2." and every one of them is "OPTIONAL"; "After receiving an HTTP POST request,
    a response is returned as specified in Section 3.4.2." RFC 2119 §5, MAY: "An implementation
    which does not include a particular option MUST be prepared to interoperate with another
    implementation which does include the option". totalResults must lie between GET /Users's
    totals before and after it (other clients may write meanwhile). Where a cursor-paged list
    leaves totalResults out (RFC 9865 §2: "Service providers implementing cursor pagination that
    are unable to estimate totalResults MAY choose to omit the totalResults attribute"), the
    search must list at least one user.
    """
    factory.user()  # the collection is not empty
    before = list_users(client, count=1)
    reply = search(client, "/Users/.search")
    after = list_users(client, count=1)
    body = expect_object(expect_status(reply, 200))
    expect(urns.LIST_RESPONSE in (body.get("schemas") or []),
           f"schemas containing {urns.LIST_RESPONSE}", body.get("schemas"), reply)
    total = total_results(body, reply, target)
    totals = [total_results(list_body(r), r, target) for r in (before, after)]
    if total is None or None in totals:
        found = resources(body)
        expect(len(found) > 0, "at least 1 Resource (the collection is not empty)",
               f"{len(found)} Resources", reply)
        return
    low, high = sorted(t for t in totals if t is not None)
    expect(low <= total <= high, f"totalResults of GET /Users ({low if low == high else f'{low} to {high}'})",
           f"totalResults = {total}", reply)
    found = resources(body)
    expect(0 < len(found) <= total, f"between 1 and totalResults={total} Resources",
           f"{len(found)} Resources", reply)


@pytest.fixture(scope="module")
def scoped(factory: Factory, target: Target) -> Scope:
    """SCOPED users under a userName prefix of their own (and, where defined, a title)."""
    return scoped_users(factory, SCOPED, titled=target.defines("User", "title"))


@pytest.mark.check("SEARCH-PAGE-001", level="MUST", refs=["RFC7644 §3.4.3", "RFC7644 §3.4.2.4"],
                   caught_by=["count-ignored", "filter-ignored", "search-reads-filter-only"])
def test_search_pages_by_the_body(scoped: Scope, client: ScimClient, target: Target) -> None:
    """startIndex=2 and count=1 in the body return the second result alone, with its counters.

    RFC 7644 §3.4.3: startIndex "An integer indicating the 1-based index of the first query
    result. See Section 3.4.2.4." and count "An integer indicating the desired maximum number of
    query results per page."; §3.4.2.4: "the service provider MUST NOT return more results than
    specified"; §3.4.2: startIndex and itemsPerPage are "REQUIRED when partial results are
    returned due to pagination". The body's filter scopes the query to the check's own users.
    """
    require_index(target)
    n = len(scoped.ids)
    scoped = require_filter_and_pages(target, client, scoped)
    reply = search(client, "/Users/.search", filter=scoped.filter, startIndex=2, count=1)
    skip_if_declined(client, "Users", reply, scoped.filter)
    body = list_body(reply)
    found = ids_of(resources(body))
    expect(len(found) <= 1, "at most 1 Resource for count=1", f"{len(found)} Resources", reply)
    expect(set(found) <= set(scoped.ids), f"users of the scope '{scoped.filter}'", found, reply)
    expect_equal(counter(body, "totalResults", reply), n, f"totalResults of '{scoped.filter}'", reply)
    expect_equal(counter(body, "startIndex", reply), 2, "startIndex", reply)
    expect_equal(counter(body, "itemsPerPage", reply), len(found),
                 "itemsPerPage (the number of Resources in the page)", reply)


@pytest.mark.check("SEARCH-PROJ-001", level="MUST", refs=["RFC7644 §3.4.3", "RFC7644 §3.4.2.5"],
                   caught_by=[*LISTING, "attributes-ignored", "excluded-attributes-ignored",
                              "search-reads-filter-only"])
def test_search_projects_by_the_body(wanted: dict[str, Any], client: ScimClient, target: Target) -> None:
    """attributes and excludedAttributes in the body narrow the returned user as on GET.

    RFC 7644 §3.4.3: attributes "A multi-valued list of strings indicating the names of resource
    attributes to return in the response, overriding the set of attributes that would be
    returned by default."; excludedAttributes "A multi-valued list of strings indicating the
    names of resource attributes to be removed from the default set of attributes to return.";
    §3.4.2.5: they "MUST be supported by SCIM service providers".
    """
    text = f"userName eq {string(wanted['userName'])}"
    keep = always_returned(target, "User")
    only = search(client, "/Users/.search", filter=text, attributes=["userName"])
    skip_if_declined(client, "Users", only, text)
    expect_exactly(only, {wanted["id"]: wanted["userName"]})
    (user,) = resources(only.body)
    expect_present(user, ("id", "userName"), only)
    expect_absent(user, ("displayName", "emails", "name"), only, keep)
    without = search(client, "/Users/.search", filter=text, excludedAttributes=["emails"])
    expect_exactly(without, {wanted["id"]: wanted["userName"]})
    (user,) = resources(without.body)
    expect_present(user, ("id", "userName"), without)
    expect_absent(user, ("emails",), without, keep)
