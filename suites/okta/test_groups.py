"""Okta's group push (okta-scim.md §8), from fixtures/okta/group-push.json."""

from __future__ import annotations

import random

import pytest

from simulator.okta import engine
from simulator.okta.model import OktaGroup, new_id
from simulator.scim.paths import group_path
from suites.config import RunConfig
from suites.expect import expect, expect_status
from suites.okta.support import OktaSender, expect_outcome, flow_step, okta_app

FLOW = "group-push"


@pytest.mark.check("OKTA-GROUP-001", level="MUST", refs=["RFC7644 §3.3", "RFC7644 §3.5.2.1", "Okta §8.1"],
                   okta=True,
                   caught_by=["empty-result-not-listresponse", "filter-ignored",
                              "filter-unsupported-ignored", "members-require-type"])
def test_push_creates_group_with_member(okta: OktaSender, scim_config: RunConfig) -> None:
    """Push group: lookup by displayName, POST with members [], PATCH add; the member is listed.

    RFC 7644 §3.5.2.1: "If the target location specifies a multi-valued attribute, a new value is
    added to the attribute." Okta's members carry value and display only, no type.
    """
    flow_step(FLOW, "push.verify", okta, scim_config)


@pytest.mark.check("OKTA-GROUP-002", level="MUST", refs=["RFC7644 §3.5.2.1", "Okta §8.3"], okta=True,
                   caught_by=["empty-result-not-listresponse", "members-require-type"])
def test_push_adds_members_in_batches(okta: OktaSender, scim_config: RunConfig,
                                      crowd: list[dict[str, str]]) -> None:
    """Push a group of 101 members: Okta's batches (100, then 1) all land in the group.

    RFC 7644 §3.5.2.1: "If the target location specifies a multi-valued attribute, a new value is
    added to the attribute." Okta sends at most 100 membership changes per PATCH (§8.3).
    """
    app = okta_app(scim_config)
    group = OktaGroup(new_id("00g", random.Random()), f"{scim_config.prefix}Batch push")
    members = [(u["id"], u["userName"]) for u in crowd]
    outcome = okta.drive(engine.push_group(app, group, members))
    expect_outcome(outcome, okta)
    reply = okta.client.get(group_path(str(outcome.scim_id)))
    listed = {m.get("value") for m in expect_status(reply, 200).body.get("members") or []}
    missing = [u["id"] for u in crowd if u["id"] not in listed]
    expect(not missing, f"all {len(crowd)} pushed members listed", f"{len(missing)} missing", reply)


@pytest.mark.check("OKTA-GROUP-003", level="MUST", refs=["RFC7644 §3.5.2.2", "Okta §8.3"], okta=True,
                   caught_by=[
                       "empty-result-not-listresponse", "filter-ignored", "filter-unsupported-ignored",
                       "member-filter-path-unsupported",
                       "members-require-type"
                   ])
def test_membership_change_removes_and_adds(okta: OktaSender, scim_config: RunConfig) -> None:
    """Membership change: remove members[value eq "…"] and add one; only the new member remains.

    RFC 7644 §3.5.2.2: "If the target location is a multi-valued attribute and a complex filter is
    specified ..., the values matched by the filter are removed."
    """
    flow_step(FLOW, "members.verify", okta, scim_config)


@pytest.mark.check("OKTA-GROUP-004", level="MUST", refs=["RFC7644 §3.5.2.3", "Okta §8.3"], okta=True,
                   caught_by=[
                       "empty-result-not-listresponse", "filter-ignored", "filter-unsupported-ignored",
                       "member-filter-path-unsupported",
                       "members-require-type"
                   ])
def test_push_now_replaces_members(okta: OktaSender, scim_config: RunConfig) -> None:
    """Push Now: replace members with the full list; the group lists exactly those members.

    RFC 7644 §3.5.2.3: "If the target location is a multi-valued attribute and no filter is
    specified, the attribute and all values are replaced."
    """
    flow_step(FLOW, "push-now.verify", okta, scim_config)


@pytest.mark.check("OKTA-GROUP-005", level="MUST", refs=["RFC7644 §3.5.2.3", "Okta §8.3"], okta=True,
                   caught_by=[
                       "empty-result-not-listresponse", "filter-ignored", "filter-unsupported-ignored",
                       "member-filter-path-unsupported",
                       "members-require-type"
                   ])
def test_push_now_empty_group(okta: OktaSender, scim_config: RunConfig) -> None:
    """Push Now of an empty Okta group: replace members [] leaves the group without members.

    RFC 7644 §3.5.2.3: "If the target location is a multi-valued attribute and no filter is
    specified, the attribute and all values are replaced."
    """
    flow_step(FLOW, "push-now.empty.verify", okta, scim_config)


@pytest.mark.check("OKTA-GROUP-006", level="MUST", refs=["RFC7644 §3.5.2.3", "Okta §8.4"], okta=True,
                   caught_by=[
                       "empty-result-not-listresponse", "filter-ignored", "filter-unsupported-ignored",
                       "group-rename-rejects-id",
                       "members-require-type", "patch-requires-path"
                   ])
def test_rename_with_id_in_value(okta: OktaSender, scim_config: RunConfig) -> None:
    """Rename: PATCH replace {"id", "displayName"} without path renames the group.

    RFC 7644 §3.5.2.3: "If the "path" parameter is omitted, the target is assumed to be the resource
    itself". Okta puts the group's unchanged id in the value (okta-scim.md §8.4). The RFC does not
    say how a PATCH treats an unchanged readOnly value (§3.5.1 ignores readOnly values in a PUT;
    §3.5.2 answers an operation "not compatible with an attribute's mutability" with an error),
    so PATCH-GRP-RENAME-001 rates accepting it SHOULD; Okta requires it.
    """
    flow_step(FLOW, "rename.verify", okta, scim_config)


@pytest.mark.check("OKTA-GROUP-007", level="MUST", refs=["RFC7644 §3.6", "Okta §8.5"], okta=True,
                   caught_by=["empty-result-not-listresponse", "filter-ignored",
                              "filter-unsupported-ignored", "members-require-type"])
def test_unlink_and_delete(okta: OktaSender, scim_config: RunConfig) -> None:
    """Unlink pushed group with "Delete the group in the target app": DELETE, then the group is gone.

    RFC 7644 §3.6: service providers "MUST return a 404 (Not Found) error code for all operations
    associated with the previously deleted resource. Service providers MUST omit the resource from
    future query results."
    """
    flow_step(FLOW, "unlink.verify", okta, scim_config)
