"""Deactivation and reactivation as Okta does them: active=false, never DELETE (okta-scim.md §6).

RFC 7643 §4.1.1 leaves the meaning of "active" to the service provider ("The definitive meaning
of this attribute is determined by the service provider"), so nothing in the RFC forbids a
server from hiding or removing inactive users; these checks are SHOULD, and Okta-critical.
"""

from __future__ import annotations

import pytest

from simulator.scim.paths import user_path
from suites.client import ScimClient
from suites.expect import expect, expect_equal, expect_status
from suites.factory import Factory
from suites.target import Target
from suites.users.common import active_patch, created_id, find_by_username, listed, replaced


@pytest.mark.check("USR-LIFE-001", level="SHOULD", refs=["RFC7644 §3.5.1", "RFC7643 §4.1.1"], okta=True,
                   caught_by=["deactivate-deletes"])
def test_put_active_false_keeps_the_user(factory: Factory, client: ScimClient) -> None:
    """After a PUT with active false the user is still there, with active false.

    RFC 7644 §3.5.1: "Any values provided SHALL replace the existing attribute values". Okta
    AIW apps deactivate with GET + PUT "active": false and read the user back later.
    """
    body = factory.user_body()
    path = user_path(created_id(factory.user(**body)))
    reply = replaced(client, path, client.put(path, {**body, "active": False}))
    expect_equal(reply.body.get("active"), False, "active", reply)
    again = expect_status(client.get(path), 200)
    expect_equal(again.body.get("active"), False, "active", again)


@pytest.mark.check("USR-LIFE-002", level="SHOULD", refs=["RFC7644 §3.5.2.3", "RFC7643 §4.1.1"], okta=True,
                   caught_by=["deactivate-deletes", "patch-requires-path"])
def test_patch_deactivate_keeps_the_user(factory: Factory, client: ScimClient, target: Target) -> None:
    """Okta's PATCH {"op":"replace","value":{"active":false}} works and the user stays readable.

    RFC 7644 §3.5.2.3: "If the "path" parameter is omitted, the target is assumed to be the
    resource itself. In this case, the "value" attribute SHALL contain a list of one or more
    attributes that are to be replaced." Okta deactivates exactly so and never deletes.
    """
    target.require("patch")
    path = user_path(created_id(factory.user()))
    expect_status(client.patch(path, active_patch(False)), 200, 204)
    again = expect_status(client.get(path), 200)
    expect_equal(again.body.get("active"), False, "active", again)


@pytest.mark.check("USR-LIFE-003", level="SHOULD", refs=["RFC7644 §3.4.2.2", "RFC7643 §4.1.1"], okta=True,
                   caught_by=["deactivate-deletes", "inactive-hidden", "startindex-zero-based"])
def test_inactive_user_is_found_by_username(factory: Factory, client: ScimClient, target: Target) -> None:
    """A deactivated user is still found by filter userName eq "..." and shows active false.

    RFC 7644 §3.4.2.2: a filter selects the resources "matching the filter expression"; an
    inactive user still matches. Okta looks users up this way (with startIndex=1&count=100)
    before (re)assignment and would POST a duplicate if the inactive user were hidden.
    """
    target.require("filter")
    body = factory.user_body()
    rid = created_id(factory.user(**body))
    expect_status(client.put(user_path(rid), {**body, "active": False}), 200, 204)
    reply = expect_status(find_by_username(client, body["userName"]), 200)
    found = [r for r in listed(reply) if r.get("id") == rid]
    expect(len(found) == 1, f"the deactivated user {rid} in the results", listed(reply), reply)
    expect_equal(found[0].get("active"), False, "active", reply)


@pytest.mark.check("USR-LIFE-004", level="SHOULD", refs=["RFC7644 §3.5.2.3", "RFC7643 §4.1.1"], okta=True,
                   caught_by=["deactivate-deletes", "patch-requires-path"])
def test_reactivation_sets_active_true(factory: Factory, client: ScimClient, target: Target) -> None:
    """A user deactivated and then reactivated by Okta's PATCH reads back active true.

    RFC 7644 §3.5.2.3 (replace without path, as above). Okta reactivates with the same PATCH and
    "active": true; its CRUD test then expects active == true (okta-scim.md §6.2, §11.2).
    """
    target.require("patch")
    path = user_path(created_id(factory.user()))
    expect_status(client.patch(path, active_patch(False)), 200, 204)
    expect_status(client.patch(path, active_patch(True)), 200, 204)
    again = expect_status(client.get(path), 200)
    expect_equal(again.body.get("active"), True, "active", again)
