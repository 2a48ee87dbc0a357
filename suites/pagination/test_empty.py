"""A query without results (RFC 7644 §3.4.2; Okta's connection test, okta-scim.md §2)."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.scim import urns
from suites.client import Reply, ScimClient
from suites.expect import describe, expect, expect_equal, expect_status, fail
from suites.factory import Factory
from suites.pagination.scope import list_users, resources
from suites.pagination.totals import total_results
from suites.target import Target


def _query_without_results(factory: Factory, client: ScimClient, target: Target,
                           *, judged_elsewhere_404: bool = False) -> tuple[dict[str, Any], Reply]:
    """Filter a non-empty collection down to nothing; the 200 body must be an object.

    judged_elsewhere_404: a 404 skips instead of failing (PAGE-EMPTY-001 rates it).
    """
    __tracebackhide__ = True
    target.require("filter")
    nobody = f"{factory.config.prefix}nobody-{factory.faker.pystr(8, 8).lower()}@example.com"
    reply = list_users(client, filter=f'userName eq "{nobody}"')
    if judged_elsewhere_404 and reply.status == 404:
        pytest.skip("the target answers a query without results with 404, which PAGE-EMPTY-001 "
                    "judges (Okta accepts it)")
    expect_status(reply, 200)
    if not isinstance(reply.json, dict):
        fail("a ListResponse object for a query without results", describe(reply), reply)
    return reply.json, reply


@pytest.mark.usefixtures("scoped")  # the collection is not empty: only the filter leaves nothing
@pytest.mark.check("PAGE-EMPTY-001", level="MUST", refs=["RFC7644 §3.4.2"],
                   caught_by=["empty-result-not-listresponse", "filter-ignored", "filter-miss-404"])
def test_no_results_is_a_list_response(factory: Factory, client: ScimClient, target: Target) -> None:
    """A query that matches nothing answers 200 with a ListResponse whose totalResults is 0.

    RFC 7644 §3.4.2: "A query that does not return any matches SHALL return success (HTTP
    status code 200) with "totalResults" set to a value of 0." and "Responses MUST be
    identified using the following URI: urn:ietf:params:scim:api:messages:2.0:ListResponse".
    Not okta: Okta takes a 404 Error for an empty lookup too (okta-scim.md §10); the bare [] that
    breaks its connection test ("No results for users returned", §2) fails OKTA-SPEC-003/005.
    A cursor-paged list may leave totalResults out (RFC 9865 §2: "Service providers implementing
    cursor pagination that are unable to estimate totalResults MAY choose to omit the
    totalResults attribute").
    """
    body, reply = _query_without_results(factory, client, target)
    expect(urns.LIST_RESPONSE in (body.get("schemas") or []),
           f"schemas containing {urns.LIST_RESPONSE}", body.get("schemas"), reply)
    total = total_results(body, reply, target)
    if total is not None:
        expect_equal(total, 0, "totalResults", reply)
    expect_equal(len(resources(body)), 0, "the number of Resources", reply)


@pytest.mark.usefixtures("scoped")
@pytest.mark.check("PAGE-EMPTY-002", level="MAY", refs=["RFC7644 §3.4.2"], okta=True,
                   caught_by=["empty-result-not-listresponse", "filter-ignored"])
def test_no_results_still_carries_resources(factory: Factory, client: ScimClient,
                                            target: Target) -> None:
    """A ListResponse without results still carries "Resources": [].

    RFC 7644 §3.4.2: Resources is "REQUIRED if "totalResults" is non-zero", so the RFC allows
    leaving it out of an empty result; Okta does not: its connection test fails on a missing
    Resources array ("No results for users returned", okta-scim.md §2).
    """
    body, reply = _query_without_results(factory, client, target, judged_elsewhere_404=True)
    expect(isinstance(body.get("Resources"), list) and not body["Resources"],
           'an empty "Resources": [] array', f"Resources = {body.get('Resources', '(absent)')!r}",
           reply)
