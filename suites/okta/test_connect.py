"""Okta's "Test API Credentials" (okta-scim.md §2), from fixtures/okta/connect.json."""

from __future__ import annotations

import pytest

from suites.config import RunConfig
from suites.okta.support import OktaSender, flow_step


@pytest.mark.check("OKTA-CONNECT-001", level="MUST", refs=["RFC7644 §3.4.2", "Okta §2"], okta=True,
                   readonly=True,
                   caught_by=["empty-result-not-listresponse"])
def test_connection_test_passes(okta: OktaSender, scim_config: RunConfig) -> None:
    """Test API Credentials: GET /Users?startIndex=1&count=2 (and /Groups) answer a ListResponse.

    RFC 7644 §3.4.2: "Responses MUST be identified using the following URI:
    urn:ietf:params:scim:api:messages:2.0:ListResponse". Okta fails the test ("No results for
    users returned") on an empty body, null, a bare [] or a missing Resources.
    """
    flow_step("connect", "connect", okta, scim_config)


@pytest.mark.check("OKTA-CONNECT-002", level="MUST", refs=["RFC7644 §3.4.2", "Okta §2"], okta=True,
                   readonly=True,
                   caught_by=["empty-result-not-listresponse", "list-counts-as-strings"])
def test_connection_counters_are_integers(okta: OktaSender, scim_config: RunConfig) -> None:
    """The connection test's ListResponse carries integer totalResults, startIndex and itemsPerPage.

    RFC 7644 §3.4.2: "totalResults  The total number of results returned by the list or query
    operation ... REQUIRED." RFC 7643 §2.3.4 makes these JSON integers; Okta rejects strings.
    startIndex and itemsPerPage are "REQUIRED when partial results are returned due to
    pagination", so the RFC lets a list returned whole leave them out; Okta's test reads them
    whatever the list (okta-scim.md §2), so this Okta check asks for them.
    """
    flow_step("connect", "connect.counts", okta, scim_config)
