"""Filters a provider must refuse, and how it refuses them (RFC 7644 §3.4.2.2, §3.12)."""

from __future__ import annotations

import pytest

from suites.client import ScimClient
from suites.config import RunConfig
from suites.expect import expect_equal, expect_status
from suites.filter.query import new_scope, search, string
from suites.target import Target

MALFORMED = ('userName eq "unterminated', '(userName eq "{name}"', "userName eq", 'userName eq "{name}" and')


def malformed(scim_config: RunConfig) -> list[str]:
    name = f"{new_scope(scim_config)}x@example.com"
    return [text.replace("{name}", name) for text in MALFORMED]


@pytest.mark.check("FLT-ERR-001", level="MUST", refs=["RFC7644 §3.4.2.2"], readonly=True,
                   caught_by=["bad-filter-500", "filter-ignored", "error-body-not-scim"])
def test_unknown_operator_is_invalid_filter(target: Target, client: ScimClient) -> None:
    """An unknown operator (`userName regex …`) is refused with 400 and scimType invalidFilter.

    RFC 7644 §3.4.2.2: "Providers MUST decline to filter results if the specified filter
    operation is not recognized and return an HTTP 400 error with a "scimType" error of
    "invalidFilter" and an appropriate human-readable response as per Section 3.12."
    """
    target.require("filter")
    reply = expect_status(search(client, "Users", 'userName regex "^a"'), 400)
    expect_equal(reply.body.get("scimType"), "invalidFilter", "scimType", reply)


@pytest.mark.check("FLT-ERR-002", level="SHOULD", refs=["RFC7644 §3.12", "RFC7231 §6.5.1"], readonly=True,
                   caught_by=["bad-filter-500", "filter-ignored"])
def test_malformed_filter_is_400(target: Target, client: ScimClient, scim_config: RunConfig) -> None:
    """A syntactically broken filter answers 400 — never 500, never an unfiltered list.

    RFC 7644 §3.12 Table 8: "400 Bad Request ... Request is unparsable, syntactically incorrect,
    or violates schema", under "Implementers SHOULD handle the identified HTTP status codes as
    described below", hence SHOULD (a 500 lists nobody; the MUST that no unfiltered list comes
    back, "only those resources matching the filter expression SHALL be returned", is judged by
    SEC-INJ-002/004). A 200 means the filter was ignored: Okta would link whatever came back.
    """
    target.require("filter")
    for text in malformed(scim_config):
        expect_status(search(client, "Users", text), 400)


@pytest.mark.check("FLT-ERR-003", level="MAY", refs=["RFC7644 §3.12"], readonly=True,
                   caught_by=["bad-filter-500", "filter-ignored", "error-body-not-scim"])
def test_malformed_filter_is_invalid_filter(target: Target, client: ScimClient,
                                            scim_config: RunConfig) -> None:
    """The 400 for a syntactically broken filter carries scimType invalidFilter.

    RFC 7644 §3.12 Table 9: "invalidFilter  The specified filter syntax was invalid (does not
    comply with Figure 1), or the specified attribute and filter comparison combination is not
    supported." scimType itself is "OPTIONAL" in an error (§3.12), hence MAY.
    """
    target.require("filter")
    for text in malformed(scim_config):
        reply = expect_status(search(client, "Users", text), 400)
        expect_equal(reply.body.get("scimType"), "invalidFilter", "scimType", reply)


@pytest.mark.check("FLT-ERR-004", level="SHOULD", refs=["RFC7644 §3.12"], readonly=True,
                   caught_by=["bad-filter-500", "filter-ignored"])
def test_unknown_attribute_is_invalid_filter(target: Target, client: ScimClient,
                                             scim_config: RunConfig) -> None:
    """A filter on an attribute the schema does not define is refused with 400 (invalidFilter if typed).

    RFC 7644 §3.12 Table 9: "invalidFilter ... the specified attribute and filter comparison
    combination is not supported", under "Implementers SHOULD handle the identified HTTP status
    codes as described below". No sentence says an unknown attribute MUST fail, so a provider
    that matches nothing instead misses this SHOULD only; an unfiltered list is wrong either way.
    scimType is "OPTIONAL" (§3.12): one that is given must be invalidFilter.
    """
    target.require("filter")
    text = f"favouriteColour eq {string(new_scope(scim_config))}"
    reply = expect_status(search(client, "Users", text), 400)
    if reply.body.get("scimType") is not None:
        expect_equal(reply.body.get("scimType"), "invalidFilter", "scimType", reply)


@pytest.mark.check("FLT-ERR-005", level="MUST", refs=["RFC7644 §3.4.2.2"], readonly=True,
                   caught_by=["bad-filter-500", "filter-ignored", "error-body-not-scim"])
def test_ordering_a_boolean_is_invalid_filter(target: Target, client: ScimClient) -> None:
    """`active gt true` is refused with 400 and scimType invalidFilter.

    RFC 7644 §3.4.2.2 Table 3 (gt, ge, lt, le): "Boolean and Binary attributes SHALL cause a
    failed response (HTTP status code 400) with "scimType" of "invalidFilter"."
    """
    target.require("filter")
    reply = expect_status(search(client, "Users", "active gt true"), 400)
    expect_equal(reply.body.get("scimType"), "invalidFilter", "scimType", reply)
