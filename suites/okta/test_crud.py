"""Okta's "SCIM 2.0 CRUD Test" (okta-scim.md §11.2), driven through the simulator's admin API.

Okta's test drives an org through its management API (create a user, assign the app, update,
deactivate, activate, re-assign, unassign) and verifies each step on the SCIM server. Here the org
is an in-process simulator, so the SCIM requests between the steps are exactly the ones Okta's
provisioning engine sends (fixtures/okta/crud-test.json), and each check is one SCIM verification.
"""

from __future__ import annotations

import pytest

from suites.config import RunConfig
from suites.okta.support import OktaSender, flow_step

FLOW = "crud-test"


@pytest.mark.check("OKTA-CRUD-001", level="MUST", okta=True,
                   refs=["RFC7644 §3.3", "RFC7644 §3.4.2", "Okta CRUD Test 3–4"],
                   caught_by=["empty-result-not-listresponse", "startindex-zero-based"])
def test_crud_assign_creates_findable_user(okta: OktaSender, scim_config: RunConfig) -> None:
    """Assign the app: Okta's lookup + POST create a user found by `userName eq` with Okta's values.

    Okta's CRUD test step 4: `Resources[0].userName`, `emails[0].value`, `name.familyName` and
    `name.givenName` equal what the Okta user holds. RFC 7644 §3.3: "When the service provider
    successfully creates the new resource, an HTTP response SHALL be returned with HTTP status
    code 201 (Created)."
    """
    flow_step(FLOW, "4", okta, scim_config)


@pytest.mark.check("OKTA-CRUD-002", level="MUST", refs=["RFC7644 §3.5.1", "Okta CRUD Test 5–6"], okta=True,
                   caught_by=["empty-result-not-listresponse", "filter-ignored",
                              "filter-unsupported-ignored", "put-rejects-readonly-echo",
                              "startindex-zero-based"])
def test_crud_profile_update_reaches_target(okta: OktaSender, scim_config: RunConfig) -> None:
    """Update the Okta user's first name: Okta's GET + PUT change `name.givenName` on the server.

    RFC 7644 §3.5.1: "HTTP PUT is used to replace a resource's attributes." Okta's PUT echoes the
    body it just read, with its change applied (okta-scim.md §5.1).
    """
    flow_step(FLOW, "6", okta, scim_config)


@pytest.mark.check("OKTA-CRUD-003", level="MUST", okta=True,
                   refs=["RFC7644 §3.5.2", "RFC7643 §4.1.1", "Okta CRUD Test 7–8"],
                   caught_by=["deactivate-deletes", "empty-result-not-listresponse", "filter-ignored",
                              "filter-unsupported-ignored",
                              "patch-requires-path", "startindex-zero-based"])
def test_crud_deactivate_keeps_user_inactive(okta: OktaSender, scim_config: RunConfig) -> None:
    """Deactivate the Okta user: Okta's PATCH leaves the user readable with `active: false`.

    RFC 7643 §4.1.1: active is "A Boolean value indicating the User's administrative status".
    Okta never deletes users; it sends `{"op":"replace","value":{"active":false}}` (§6.1).
    """
    flow_step(FLOW, "8", okta, scim_config)


@pytest.mark.check("OKTA-CRUD-004", level="MUST", refs=["RFC7644 §3.5.2", "Okta CRUD Test 9–11"], okta=True,
                   caught_by=["deactivate-deletes", "empty-result-not-listresponse", "filter-ignored",
                              "filter-unsupported-ignored",
                              "patch-requires-path", "startindex-zero-based"])
def test_crud_reactivate_makes_user_active(okta: OktaSender, scim_config: RunConfig) -> None:
    """Activate the Okta user and re-assign the app: the user is `active: true` again.

    Okta reactivates with `{"op":"replace","value":{"active":true}}` (okta-scim.md §6.2).
    """
    flow_step(FLOW, "11", okta, scim_config)


@pytest.mark.check("OKTA-CRUD-005", level="MUST", refs=["RFC7644 §3.5.2", "Okta CRUD Test 12–13"], okta=True,
                   caught_by=["deactivate-deletes", "empty-result-not-listresponse", "filter-ignored",
                              "filter-unsupported-ignored",
                              "patch-requires-path", "startindex-zero-based"])
def test_crud_unassign_deactivates_never_deletes(okta: OktaSender, scim_config: RunConfig) -> None:
    """Remove the user from the app: Okta deactivates it; it stays readable with `active: false`.

    Okta's CRUD test step 13 reads the user after the unassignment and expects `active` false
    (okta-scim.md §6.3: Okta never sends DELETE for users).
    """
    flow_step(FLOW, "13", okta, scim_config)
