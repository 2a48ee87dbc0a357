"""Okta's own list request: the "Test Connector Configuration" call (okta-scim.md §2)."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.scim import urns
from suites.client import ScimClient
from suites.expect import describe, expect, expect_status, fail
from suites.pagination.scope import require_index
from suites.target import Target

# A server that answers an empty collection with a bare [] fails here only when the collection
# is empty. This module sorts after test_count.py and test_counters.py, whose users make the
# collection non-empty, so the self-test's deviation table does not depend on earlier suites.


@pytest.mark.check("PAGE-OKTA-001", level="MUST", refs=["RFC7644 §3.4.2", "RFC7644 §3.4.2.4"],
                   okta=True, readonly=True, caught_by=["list-counts-as-strings"])
def test_okta_connection_test_request(client: ScimClient, target: Target) -> None:
    """GET /Users?startIndex=1&count=2 answers 200 with a ListResponse and integer counters.

    RFC 7644 §3.4.2: "Responses MUST be identified using the following URI:
    urn:ietf:params:scim:api:messages:2.0:ListResponse"; totalResults is REQUIRED, Resources
    "REQUIRED if "totalResults" is non-zero", startIndex and itemsPerPage "REQUIRED when
    partial results are returned due to pagination"; §3.4.2.4 types them as integers. Okta's
    connection test sends exactly this request and wants all three counters and Resources
    always (okta-scim.md §2); this check asks only what the RFC asks.
    """
    require_index(target)
    reply = expect_status(client.get("/Users", params={"startIndex": 1, "count": 2}), 200)
    body = reply.json
    if not isinstance(body, dict):
        fail("a ListResponse object", describe(reply), reply)
    expect(urns.LIST_RESPONSE in (body.get("schemas") or []),
           f"schemas containing {urns.LIST_RESPONSE}", body.get("schemas"), reply)
    total: Any = body.get("totalResults")
    expect(isinstance(total, int) and not isinstance(total, bool), "totalResults as a JSON integer",
           f"totalResults = {total!r}", reply)
    found = body.get("Resources")
    partial = total > (len(found) if isinstance(found, list) else 0)
    for name in ("startIndex", "itemsPerPage"):  # REQUIRED on a partial page, typed always
        value = body.get(name, None if partial else 0)
        expect(isinstance(value, int) and not isinstance(value, bool),
               f"{name} as a JSON integer", f"{name} = {body.get(name, '(absent)')!r}", reply)
    if total > 0:
        expect(isinstance(found, list), "a Resources array (totalResults > 0)",
               f"Resources = {body.get('Resources', '(absent)')!r}", reply)
