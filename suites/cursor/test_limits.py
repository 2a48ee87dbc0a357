"""Forged cursors and the advertised maxPageSize (RFC 9865 §2.1, §4, §5.2)."""

from __future__ import annotations

import secrets

import pytest

from suites.client import ScimClient
from suites.cursor.paging import by_get, require_cursor
from suites.expect import expect, expect_object, expect_schema, expect_status
from suites.factory import Factory
from suites.pagination.scope import list_body, resources
from suites.pagination.totals import more_users_than
from suites.target import Target


@pytest.mark.check("CURSOR-ERR-001", level="SHOULD", refs=["RFC9865 §2.1", "RFC9865 §5.2", "RFC7644 §3.12"],
                   readonly=True, caught_by=["forged-cursor-restarts"])
def test_forged_cursor_is_refused(client: ScimClient, target: Target) -> None:
    """A cursor the target never issued answers 400 with scimType invalidCursor.

    RFC 9865 §2.1: "If a service provider encounters invalid pagination query parameters
    (invalid cursor value, count value, etc), or other error conditions, the service provider
    SHOULD return the appropriate HTTP response status code and detailed JSON error response as
    defined in Section 3.12 of [RFC7644]", invalidCursor: "Cursor value is invalid"; §5.2:
    "Service providers should be able to easily detect forged cursor values and immediately
    return an invalidCursor". The forged value is made of unreserved characters, like a real one.
    """
    require_cursor(target)
    forged = f"scimcert{secrets.token_urlsafe(24)}"
    reply = expect_status(by_get(client, None, 1)(forged), 400)
    body = expect_object(reply)
    expect_schema(body, "error", reply)
    expect(body.get("scimType") == "invalidCursor", 'scimType "invalidCursor"',
           f"scimType = {body.get('scimType')!r}", reply)


# run_wide: it runs after the other checks, so in a full run the users they created (the Okta
# suite's crowd of 101 among them) are there and it creates few or none of its own.
@pytest.mark.check("CURSOR-MAX-001", level="SHOULD", refs=["RFC9865 §4", "RFC9865 §2.1"],
                   run_wide=True, caught_by=["max-page-size-ignored"])
def test_count_above_max_page_size_is_capped(factory: Factory, client: ScimClient, target: Target) -> None:
    """A cursor-paged count above the advertised maxPageSize returns at most maxPageSize resources.

    RFC 9865 §4, maxPageSize: "Positive integer specifying the maximum number of results
    returned in a page regardless of what is specified for the count in a query." (no keyword,
    hence SHOULD). §2.1 invalidCount: "Count value must be between 0 and service provider's
    maxPageSize": a 400 refusing the count returns nothing and passes. The check needs more than
    maxPageSize users; it creates the missing ones when that is at most 250 and skips otherwise
    (it counts them by nextCursor where a cursor-paged list leaves totalResults out, RFC 9865 §2).
    """
    require_cursor(target)
    limit = target.max_page_size
    if limit is None:
        pytest.skip("/ServiceProviderConfig advertises no pagination.maxPageSize")
    more_users_than(limit, "maxPageSize", factory, client, target)
    reply = by_get(client, None, limit + 1)("")
    if reply.status == 400:
        return  # refusing the count returns no more than maxPageSize
    found = len(resources(list_body(reply)))
    expect(found <= limit, f"at most maxPageSize={limit} Resources", f"{found} Resources", reply)
