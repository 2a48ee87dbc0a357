"""Lookups by filter as Okta and Entra send them (RFC 7644 §3.4.2.2).

The user lookups only read; they share one user (`looked_up`) and a decoy beside it.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import quote_plus

import pytest

from suites.client import Reply, ScimClient
from suites.config import RunConfig
from suites.expect import describe, expect, expect_equal, expect_object, expect_schema, expect_status
from suites.factory import Factory
from suites.filter.query import LISTING, expect_exactly, is_declined, new_scope, search, string
from suites.pagination.totals import list_schema
from suites.target import Target


@pytest.fixture(scope="module")
def looked_up(target: Target, factory: Factory) -> dict[str, Any]:
    """The user the lookups look for; a decoy created after it must never be found with it."""
    target.require("filter")
    user = factory.user()
    factory.user()  # the decoy: a provider that ignores the filter lists it too
    return user


@pytest.mark.check("FLT-EQ-001", level="MUST", refs=["RFC7644 §3.4.2.2", "RFC7643 §4.1.1"], okta=True,
                   caught_by=[*LISTING])
def test_username_eq_finds_the_user(looked_up: dict[str, Any], client: ScimClient) -> None:
    """`userName eq` in Okta's exact lookup query returns exactly that user.

    RFC 7644 §3.4.2.2 "eq: The attribute and operator values must be identical for a match."
    Okta looks every user up with GET /Users?filter=userName%20eq%20"…"&startIndex=1&count=100
    and links to (and overwrites) whatever comes back; a second user is the decoy.
    """
    user = looked_up
    reply = search(client, "Users", f"userName eq {string(user['userName'])}", startIndex=1, count=100)
    expect_exactly(reply, {user["id"]: user["userName"]})


@pytest.mark.check("FLT-EQ-002", level="MUST", refs=["RFC7644 §3.4.2.2", "RFC7643 §4.1.1"],
                   caught_by=[*LISTING, "username-case-sensitive"])
def test_username_eq_ignores_case(looked_up: dict[str, Any], client: ScimClient) -> None:
    """`userName eq` with the name in upper case still finds the user.

    RFC 7644 §3.4.2.2: "the case sensitivity for String type attributes SHALL be determined by
    the attribute's "caseExact" characteristic"; RFC 7643 §8.7.1 declares userName caseExact false.
    Okta's SPEC test step 9 sends the upper-cased name (it asserts only the 200).
    """
    user = looked_up
    reply = search(client, "Users", f"userName eq {string(user['userName'].upper())}")
    expect_exactly(reply, {user["id"]: user["userName"]})


@pytest.mark.check("FLT-EQ-003", level="MUST", refs=["RFC7644 §3.4.2.2", "RFC7643 §3.1"],
                   caught_by=[*LISTING, "filter-miss-404", "empty-result-not-listresponse"])
def test_external_id_eq_is_case_exact(looked_up: dict[str, Any], client: ScimClient,
                                      factory: Factory) -> None:
    """`externalId eq` finds the user, and the same value in swapped case does not.

    RFC 7643 §3.1: externalId "has "caseExact" as "true""; RFC 7644 §3.4.2.2: case sensitivity
    "SHALL be determined by the attribute's "caseExact" characteristic". Entra looks users up
    by externalId. A provider that declines the filter (400 invalidFilter) is skipped.
    """
    user = looked_up
    external_id = str(user.get("externalId") or "")
    expect(external_id.swapcase() != external_id, "(precondition) the user keeps its mixed-case externalId",
           user.get("externalId"), factory.creation(user))
    expect_exactly(search(client, "Users", f"externalId eq {string(external_id)}"),
                   {user["id"]: user["userName"]}, decline_ok=True)
    expect_exactly(search(client, "Users", f"externalId eq {string(external_id.swapcase())}"), {})


@pytest.mark.check("FLT-EQ-004", level="MUST", refs=["RFC7644 §3.4.2.2"],
                   caught_by=["filter-ignored"])
def test_entra_work_email_lookup_is_exact_or_declined(looked_up: dict[str, Any],
                                                      client: ScimClient) -> None:
    """Entra's `emails[type eq "work"].value eq` lookup returns exactly the user, or is declined.

    Entra ID looks users up this way. The RFC 7644 §3.4.2.2 ABNF has no sub-attribute after
    "]", so a provider may answer 400 invalidFilter; what it must never do is answer with users
    that do not match (e.g. everyone with a work email), which makes Entra link the wrong user:
    "only those resources matching the filter expression SHALL be returned". Any error status
    lists nobody; a 5xx instead of the 400 is a SHOULD matter (Table 8, FLT-ERR-002).
    """
    user = looked_up
    reply = search(client, "Users", f'emails[type eq "work"].value eq {string(user["userName"])}')
    if is_declined(reply) or (reply.status or 0) >= 500:
        return
    expect(reply.status == 200, "200 listing exactly the user, or a 400 declining the filter",
           describe(reply), reply)
    expect_exactly(reply, {user["id"]: user["userName"]})


@pytest.mark.check("FLT-EQ-005", level="MUST", refs=["RFC7644 §3.4.2.2"], caught_by=[*LISTING])
def test_value_path_filter_finds_the_user(looked_up: dict[str, Any], client: ScimClient) -> None:
    """A valuePath filter `emails[type eq "work" and value eq …]` returns exactly the user.

    RFC 7644 §3.4.2.2: "valuePath = attrPath "[" valFilter "]"" and the example
    `emails[type eq "work" and value co "@example.com"]`. A provider that declines it is skipped.
    """
    user = looked_up
    reply = search(client, "Users", f'emails[type eq "work" and value eq {string(user["userName"])}]')
    expect_exactly(reply, {user["id"]: user["userName"]}, decline_ok=True)


@pytest.mark.check("FLT-MULTI-001", level="MUST", refs=["RFC7644 §3.4.2.2"],
                   caught_by=[*LISTING, "filter-first-value-only"])
def test_any_value_of_a_multi_valued_attribute_matches(looked_up: dict[str, Any], target: Target,
                                                       factory: Factory, client: ScimClient) -> None:
    """`emails.value eq` with a user's second email finds the user: a multi-valued attribute
    matches when any one of its values does.

    RFC 7644 §3.4.2.2: "If the specified attribute in a filter expression is a multi-valued
    attribute, the filter matches if any of the values of the specified attribute match the
    specified criterion; e.g., if a User has multiple "emails" values, only one has to match for
    the entire User to match." The user is created with a primary work email and a home one; the
    filter names an email other than the first the target returns (a target that keeps only one
    skips the check: RFC 7644 §3.3 lets it alter what is POSTed), and a target that declines
    filtering on emails.value is skipped. The lookups' user and its decoy exist beside it, so a
    target that ignores the filter lists them too.
    """
    target.require_attributes("User", "emails.value")
    body = factory.user_body()
    work = str(body["userName"])
    body["emails"] = [{"value": work, "type": "work", "primary": True},
                      {"value": f"home.{secrets.token_hex(3)}.{work}", "type": "home"}]
    user = factory.create_user(body)
    kept = [e.get("value") for e in user.get("emails") or [] if isinstance(e, dict)]
    later = [v for v in kept[1:] if isinstance(v, str) and v != kept[0]]
    if not later:
        pytest.skip(f"the target keeps one of the user's two emails ({kept})")
    reply = search(client, "Users", f"emails.value eq {string(later[-1])}")
    expect_exactly(reply, {user["id"]: user["userName"]}, decline_ok=True)


@pytest.mark.check("FLT-EQ-006", level="MUST", refs=["RFC7644 §3.4.2.2"], okta=True,
                   caught_by=[*LISTING])
def test_group_display_name_eq_finds_the_group(target: Target, factory: Factory, client: ScimClient) -> None:
    """`displayName eq` on /Groups in Okta's query returns exactly that group.

    Okta's group push looks the group up with GET /Groups?filter=displayName%20eq%20"…"
    &startIndex=1&count=100 before it creates or links it (Okta SCIM 2.0 reference); a second
    group is the decoy.
    """
    target.require("filter")
    target.require_resource("Group")
    group, _decoy = factory.group(), factory.group()
    text = f"displayName eq {string(group['displayName'])}"
    reply = search(client, "Groups", text, startIndex=1, count=100)
    expect_exactly(reply, {group["id"]: group["displayName"]})


@pytest.mark.check("FLT-MISS-001", level="MUST", refs=["RFC7644 §3.4.2"], okta=True, readonly=True,
                   caught_by=["filter-miss-404", "empty-result-not-listresponse", "list-counts-as-strings",
                              "filter-ignored"])
def test_user_lookup_miss_is_an_empty_list(target: Target, client: ScimClient,
                                           scim_config: RunConfig) -> None:
    """A `userName eq` lookup that matches nobody answers 200 with a ListResponse of totalResults 0.

    RFC 7644 §3.4.2: "A query that does not return any matches SHALL return success (HTTP status
    code 200) with "totalResults" set to a value of 0." Okta's provisioning tolerates a 404 here,
    but Okta's SPEC test steps 3 and 5 require 200, the ListResponse schema and totalResults 0.
    """
    target.require("filter")
    name = f"{new_scope(scim_config)}nobody@example.com"
    reply = search(client, "Users", f"userName eq {string(name)}", startIndex=1, count=100)
    _expect_no_match(reply, target)


@pytest.mark.check("FLT-MISS-002", level="MUST", refs=["RFC7644 §3.4.2"], readonly=True,
                   caught_by=["filter-miss-404", "empty-result-not-listresponse", "list-counts-as-strings",
                              "filter-ignored"])
def test_group_lookup_miss_is_an_empty_list(target: Target, client: ScimClient,
                                            scim_config: RunConfig) -> None:
    """A `displayName eq` group lookup that matches nothing answers 200 with totalResults 0.

    RFC 7644 §3.4.2: "A query that does not return any matches SHALL return success (HTTP status
    code 200) with "totalResults" set to a value of 0." Okta's group push sends this lookup for
    every new group and creates the group when it comes back empty; it takes a 404 Error as empty
    too (okta-scim.md §10), so this is not an Okta-critical check.
    """
    target.require("filter")
    target.require_resource("Group")
    name = f"{new_scope(scim_config)}Nobody's Group"
    reply = search(client, "Groups", f"displayName eq {string(name)}", startIndex=1, count=100)
    _expect_no_match(reply, target)


def _expect_no_match(reply: Reply, target: Target) -> None:
    """200, a ListResponse with totalResults 0 and no Resources; a cursor-paged one (RFC 9865 §2:
    "Service providers implementing cursor pagination that are unable to estimate totalResults MAY
    choose to omit the totalResults attribute") may leave totalResults out."""
    __tracebackhide__ = True
    body = expect_object(expect_status(reply, 200))
    expect_schema(body, list_schema(reply, target), reply)
    if "totalResults" in body:
        expect_equal(body.get("totalResults"), 0, "totalResults", reply)
    expect(not body.get("Resources"), "no Resources", body.get("Resources"), reply)


@pytest.mark.check("FLT-ENC-001", level="MAY", refs=["RFC7644 §3.4.2.2"],
                   caught_by=[*LISTING])
def test_plus_encoded_spaces_are_spaces(looked_up: dict[str, Any], client: ScimClient) -> None:
    """A filter whose spaces are sent as '+' is read like one sent with %20.

    Okta's 2018 captures and Entra's test connection send filter=userName+eq+%22…%22 (HTML form
    encoding). RFC 7644 does not name an encoding, and in a URI '+' is a character of its own
    (RFC 3986 §2.2), so reading it literally is no RFC violation, hence MAY; a provider that
    does sees an unparsable filter and breaks those clients.
    """
    user = looked_up
    reply = client.get("/Users?filter=" + quote_plus(f"userName eq {string(user['userName'])}"))
    expect_exactly(reply, {user["id"]: user["userName"]})
