"""Okta's user provisioning (okta-scim.md §4–§6), from fixtures/okta/user-lifecycle.json."""

from __future__ import annotations

import pytest

from suites.config import RunConfig
from suites.expect import expect, expect_status
from suites.okta.support import OktaSender, flow_step

FLOW = "user-lifecycle"


@pytest.mark.check("OKTA-USER-001", level="MUST", refs=["RFC7644 §3.4.2", "RFC7644 §3.3", "Okta §4.1"],
                   okta=True,
                   caught_by=["empty-result-not-listresponse", "filter-ignored",
                              "filter-unsupported-ignored"])
def test_assign_looks_up_then_creates(okta: OktaSender, scim_config: RunConfig) -> None:
    """Assign: Okta's userName lookup misses, its POST creates the user, and the user reads back.

    RFC 7644 §3.3: "When the service provider successfully creates the new resource, an HTTP
    response SHALL be returned with HTTP status code 201 (Created)." Okta accepts 200 with
    totalResults 0 or a 404 for the miss (§4.1).
    """
    flow_step(FLOW, "assign.verify", okta, scim_config)


@pytest.mark.check("OKTA-USER-002", level="MUST", refs=["RFC7644 §3.5.1", "Okta §4.2b"], okta=True,
                   caught_by=[
                       "empty-result-not-listresponse", "filter-ignored", "filter-unsupported-ignored",
                       "put-rejects-readonly-echo",
                       "startindex-zero-based"
                   ])
def test_assign_links_existing_user_with_put_echo(okta: OktaSender, scim_config: RunConfig) -> None:
    """Assign an existing user: the lookup finds it and Okta's PUT echoing the GET body is accepted.

    RFC 7644 §3.5.1: "readOnly ... Any values provided SHALL be ignored." Okta's PUT carries the
    id and meta it just read.
    """
    flow_step(FLOW, "link", okta, scim_config)


@pytest.mark.check("OKTA-USER-003", level="MUST", refs=["RFC7644 §3.5.1", "Okta §5.1"], okta=True,
                   caught_by=["empty-result-not-listresponse", "filter-ignored",
                              "filter-unsupported-ignored", "put-rejects-readonly-echo"])
def test_profile_push_put_is_stored(okta: OktaSender, scim_config: RunConfig) -> None:
    """Profile push: Okta's GET + PUT with a new givenName is answered 200 and stored.

    RFC 7644 §3.5.1: "HTTP PUT is used to replace a resource's attributes."
    """
    flow_step(FLOW, "update.verify", okta, scim_config)


@pytest.mark.check("OKTA-USER-004", level="MUST", refs=["RFC7644 §3.5.2", "RFC7643 §4.1.1", "Okta §6.1"],
                   okta=True,
                   caught_by=[
                       "deactivate-deletes", "empty-result-not-listresponse", "filter-ignored",
                       "filter-unsupported-ignored",
                       "patch-requires-path"
                   ])
def test_deactivate_keeps_user_readable(okta: OktaSender, scim_config: RunConfig) -> None:
    """Unassign: Okta's deactivation leaves the user readable with active false.

    RFC 7644 §3.5.2: "If the "path" parameter is omitted, the target is assumed to be the resource
    itself" — Okta sends {"op":"replace","value":{"active":false}}. RFC 7643 §4.1.1: active is
    "the user's administrative status"; Okta never deletes users (§6.3).
    """
    flow_step(FLOW, "deactivate.verify", okta, scim_config)


@pytest.mark.check("OKTA-USER-005", level="MUST", refs=["RFC7644 §3.5.2", "Okta §6.2"], okta=True,
                   caught_by=[
                       "deactivate-deletes", "empty-result-not-listresponse", "filter-ignored",
                       "filter-unsupported-ignored",
                       "patch-requires-path"
                   ])
def test_reactivate_sets_active_true(okta: OktaSender, scim_config: RunConfig) -> None:
    """Reassign: Okta's reactivation makes the deactivated user read active true again.

    RFC 7644 §3.5.2: "If the "path" parameter is omitted, the target is assumed to be the resource
    itself."
    """
    flow_step(FLOW, "reactivate.verify", okta, scim_config)


@pytest.mark.check("OKTA-USER-006", level="MUST", refs=["RFC7644 §3.3", "Okta §4.3"], okta=True,
                   caught_by=[
                       "duplicate-username-allowed", "empty-result-not-listresponse", "error-body-not-scim",
                       "filter-ignored", "filter-unsupported-ignored"
                   ])
def test_duplicate_okta_create_conflicts(okta: OktaSender, scim_config: RunConfig) -> None:
    """Okta's create body sent again for an existing userName is refused with 409 Conflict.

    RFC 7644 §3.3: "the service provider MUST return HTTP status code 409 (Conflict) with a
    "scimType" error code of "uniqueness"". Okta turns it into a failed task and stops (§4.3).
    """
    flow_step(FLOW, "assign", okta, scim_config)
    create = next(r for r in okta.sent if r.step == "assign.create")
    okta(create)
    reply = okta.last
    assert reply is not None
    expect_status(reply, 409)
    expect(reply.body.get("scimType") == "uniqueness", 'scimType "uniqueness"', reply.body, reply)
