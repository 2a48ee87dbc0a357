"""Okta's official Python SDK (PyPI `okta`) drives the simulator through a whole provisioning lifecycle.

The bar of issue #4: an admin script written for a real Okta org runs unchanged against the
simulator. Every step goes through SDK methods only; after each one the test checks what the SDK
parsed, which SCIM steps the System Log reports (polled with the SDK's `after` cursor), and what
the reference SCIM provider now holds (read over SCIM with requests).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import pytest

from tests.conftest import IVANTI, TOKEN, Scim
from tests.okta import test_admin_api
from tests.okta.support import CUST_ATTR
from tests.okta.test_admin_api import ADMIN

okta_client = pytest.importorskip("okta.client", reason="Okta's SDK (PyPI okta, dev extra) is not installed")
models = pytest.importorskip("okta.models")
pagination = pytest.importorskip("okta.pagination")

sim = test_admin_api.sim  # the simulator fixture: start(db=None) -> Admin (its base is <url>/api/v1)

LABEL = "SCIM 2.0 Test App (OAuth Bearer Token)"


class CatalogSamlApplication(models.SamlApplication):
    """SamlApplication that keeps `name` on the wire: the SDK drops it (read-only for custom apps),
    but a catalog (OIN) instance such as scim2testapp must name its template (okta-admin-api.md §4.2)."""

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = super().to_dict()
        body["name"] = self.name
        return body


def call(awaitable: Awaitable[Any]) -> tuple[Any, Any]:
    """Await one SDK call; (data, api response) after checking that the SDK reported no error.

    Operations that return nothing may answer a 2-tuple (response, error) on failure (§13)."""

    result = asyncio.run(_awaited(awaitable))
    assert result[-1] is None, f"SDK error: {result[-1]!r}"
    return (result[0], result[1]) if len(result) == 3 else (None, result[0])


def run(awaitable: Awaitable[Any]) -> Any:
    return call(awaitable)[0]


class SystemLog:
    """Polls /api/v1/logs as an SDK script does: each page's next link gives the `after` cursor."""

    def __init__(self, client: Any) -> None:
        self.client, self.cursor = client, None

    def new_events(self) -> list[Any]:
        events, resp = call(self.client.list_log_events(after=self.cursor, limit=1000))
        self.cursor = pagination.PaginationHelper.extract_next_cursor(resp.headers)
        assert self.cursor is not None, "a polling query always links to the next page (§12)"
        return list(events)

    def steps(self) -> list[str]:
        """The SCIM step ids of the new provisioning events (scimcert puts them in
        debugContext.debugData; admin actions' own events have none)."""
        events = [e for e in self.new_events() if "step" in e.debug_context.debug_data]
        assert all(e.outcome.result == "SUCCESS" for e in events), [e.display_message for e in events]
        return [e.debug_context.debug_data["step"] for e in events]


@pytest.fixture
def client(sim, monkeypatch: pytest.MonkeyPatch) -> Any:
    """An SDK client for a fresh simulator: the HTTPS check off (env, §13) and no proxy for loopback."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OKTA_TESTING_TESTINGDISABLEHTTPSCHECK", "true")
    url = sim().base.removesuffix("/api/v1")
    return okta_client.Client({"orgUrl": url, "token": ADMIN})


def make_user(client: Any, login: str, first: str) -> Any:
    body = models.CreateUserRequest.from_dict(
        {
            "profile": {"login": login, "email": login, "firstName": first, "lastName": "Tester"},
            "credentials": {"password": {"value": "Passw0rd!"}},
        }
    )
    user = run(client.create_user(body, activate=True))
    assert user.status == models.UserStatus.ACTIVE and user.profile.login == login
    assert user.id.startswith("00u") and len(user.id) == 20
    return user


def install_app(client: Any, scim: Scim, log: SystemLog) -> str:
    """Create the SCIM 2.0 Test App, set and activate its connection, switch on the To App features."""
    app = CatalogSamlApplication.from_dict({"name": "scim2testapp", "label": LABEL, "signOnMode": "SAML_2_0"})
    created = run(client.create_application(app, activate=True))
    assert isinstance(created, models.SamlApplication)
    assert (created.name, created.label, created.status) == ("scim2testapp", LABEL, "ACTIVE")

    conn = models.UpdateDefaultProvisioningConnectionForApplicationRequest.from_dict(
        {"baseUrl": scim.base, "profile": {"authScheme": "TOKEN", "token": TOKEN}}
    )
    got = run(client.update_default_provisioning_connection_for_application(created.id, conn, activate=True))
    assert got.status == "ENABLED" and got.base_url == scim.base and got.auth_scheme == "TOKEN"
    assert log.steps() == ["connect.users", "connect.groups"]  # Okta's "Test API Credentials"

    caps = models.UpdateFeatureForApplicationRequest.from_dict(
        {
            "create": {"lifecycleCreate": {"status": "ENABLED"}},
            "update": {"profile": {"status": "ENABLED"}, "lifecycleDeactivate": {"status": "ENABLED"}},
        }
    )
    feature = run(client.update_feature_for_application(created.id, "USER_PROVISIONING", caps))
    assert feature.status == "ENABLED"
    assert feature.capabilities.create.lifecycle_create.status == "ENABLED"
    assert feature.capabilities.update.lifecycle_deactivate.status == "ENABLED"
    assert feature.capabilities.update.password.status == "DISABLED"
    return str(created.id)


def add_custom_attribute(client: Any, app_id: str) -> None:
    """Profile Editor: custAttr1 in the Ivanti namespace, mapped from the Okta user's costCenter."""
    schema = models.UserSchema.from_dict(
        {
            "definitions": {
                "custom": {"id": "#custom", "type": "object", "properties": {"custAttr1": CUST_ATTR}}
            }
        }
    )
    got = run(client.update_application_user_profile(app_id, schema))
    prop = got.definitions.custom.properties["custAttr1"]
    assert (prop.title, prop.external_name, prop.external_namespace) == (
        "Custom attribute 1",
        "custAttr1",
        IVANTI,
    )

    (listed,) = run(client.list_profile_mappings(target_id=app_id))
    assert (listed.source.type, listed.target.id, listed.target.type) == ("user", app_id, "appuser")
    body = models.ProfileMappingRequest.from_dict(
        {"properties": {"custAttr1": {"expression": "user.costCenter", "pushStatus": "PUSH"}}}
    )
    mapping = run(client.update_profile_mapping(listed.id, body))
    assert mapping.properties["custAttr1"].expression == "user.costCenter"
    assert mapping.properties["custAttr1"].push_status == "PUSH"


def profile_update(**profile: str) -> Any:
    return models.UpdateUserRequest.from_dict({"profile": profile})


def group_profile(name: str) -> Any:
    return models.AddGroupRequest.from_dict({"profile": {"name": name, "description": "eng"}})


def test_sdk_drives_the_whole_lifecycle(client, scim: Scim):
    log = SystemLog(client)
    assert log.steps() == []
    ann = make_user(client, "ann@example.com", "Ann")
    bob = make_user(client, "bob@example.com", "Bob")
    group = run(client.add_group(group_profile("Engineering")))
    assert group.profile.actual_instance.name == "Engineering" and group.type == "OKTA_GROUP"
    app_id = install_app(client, scim, log)
    add_custom_attribute(client, app_id)

    # assign ann: looked up, then created in the target with the mapped custom attribute
    run(client.update_user(ann.id, profile_update(costCenter="CC-42")))
    assigned = run(
        client.assign_user_to_application(app_id, models.AppUserAssignRequest.from_dict({"id": ann.id}))
    )
    assert log.steps() == ["assign.lookup", "assign.create"]
    scim_id = assigned.external_id
    assert (assigned.id, assigned.scope, assigned.status, assigned.sync_state) == (
        ann.id, "USER", "PROVISIONED", "SYNCHRONIZED",
    )  # fmt: skip
    target = scim.get(f"/Users/{scim_id}").json()
    assert target["userName"] == "ann@example.com" and target["externalId"] == ann.id
    assert target[IVANTI] == {"custAttr1": "CC-42"}

    # a profile change of a mapped attribute is pushed
    updated = run(client.update_user(ann.id, profile_update(firstName="Anne")))
    assert updated.profile.first_name == "Anne" and updated.profile.cost_center == "CC-42"
    assert log.steps() == ["update.get", "update.put"]
    assert scim.get(f"/Users/{scim_id}").json()["name"]["givenName"] == "Anne"

    # deactivate, then activate
    run(client.deactivate_user(ann.id))
    assert log.steps() == ["deactivate.patch"]
    assert run(client.get_user(ann.id)).status == models.UserStatus.DEPROVISIONED
    assert scim.get(f"/Users/{scim_id}").json()["active"] is False
    activation = run(client.activate_user(ann.id, send_email=False))
    assert activation.activation_token and activation.activation_url
    assert log.steps()[-1:] == ["reactivate.patch"]
    assert run(client.get_user(ann.id)).status == models.UserStatus.ACTIVE
    assert scim.get(f"/Users/{scim_id}").json()["active"] is True

    # group membership, then the group's assignment provisions bob
    run(client.assign_user_to_group(group.id, ann.id))
    run(client.assign_user_to_group(group.id, bob.id))
    assert {m.id for m in run(client.list_group_users(group.id))} == {ann.id, bob.id}
    body = models.ApplicationGroupAssignment.from_dict({"priority": 0})
    assignment = run(client.assign_group_to_application(app_id, group.id, body))
    assert assignment.id == group.id and assignment.priority == 0
    assert log.steps() == ["assign.lookup", "assign.create"]  # ann is assigned already
    bob_user = run(client.get_application_user(app_id, bob.id))
    bob_scim = bob_user.external_id
    assert bob_user.scope == "GROUP"
    assert scim.get(f"/Users/{bob_scim}").json()["userName"] == "bob@example.com"

    # group push creates the target group with both members
    push = models.CreateGroupPushMappingRequest.from_dict(
        {"sourceGroupId": group.id, "status": "ACTIVE", "targetGroupName": "Engineering"}
    )
    mapping = run(client.create_group_push_mapping(app_id, push))
    assert mapping.source_group_id == group.id and mapping.status == "ACTIVE" and mapping.id.startswith("gPm")
    assert log.steps() == ["group.push.lookup", "group.push.create", "group.push.add-members.1"]
    gid = mapping.target_group_id
    pushed = scim.get(f"/Groups/{gid}").json()
    assert pushed["displayName"] == "Engineering"
    assert {m["value"] for m in pushed["members"]} == {scim_id, bob_scim}

    # renaming the pushed group renames the target group
    renamed = run(client.replace_group(group.id, group_profile("Platform")))
    assert renamed.profile.actual_instance.name == "Platform"
    assert log.steps() == ["group.rename.patch"]
    assert scim.get(f"/Groups/{gid}").json()["displayName"] == "Platform"

    # unlink: an ACTIVE mapping cannot be deleted; deactivate it, then delete it with the target group
    _, error = asyncio.run(
        _awaited(client.delete_group_push_mapping(app_id, mapping.id, delete_target_group=True))
    )
    assert (error.status, error.error_code) == (400, "E0000001")
    inactive = run(
        client.update_group_push_mapping(
            app_id, mapping.id, models.UpdateGroupPushMappingRequest.from_dict({"status": "INACTIVE"})
        )
    )
    assert inactive.status == "INACTIVE" and log.steps() == []
    run(client.delete_group_push_mapping(app_id, mapping.id, delete_target_group=True))
    assert log.steps() == ["group.unlink.delete"]
    assert scim.get(f"/Groups/{gid}").status_code == 404
    assert run(client.list_group_push_mappings(app_id)) == []

    # the whole story, from the start of the System Log
    events = run(client.list_log_events(limit=1000))
    lifecycle = ["user.lifecycle.create", "user.lifecycle.activate"]
    assert [e.event_type for e in events[:5]] == [*lifecycle, *lifecycle, "group.lifecycle.create"]
    added = next(e for e in events if e.event_type == "application.lifecycle.create")
    assert [t.id for t in added.target] == [app_id] and added.actor.type == "User"
    joined = [e for e in events if e.event_type == "group.user_membership.add"]
    assert {t.id for e in joined for t in e.target} == {ann.id, bob.id, group.id}
    provisioning = [e for e in events if "step" in e.debug_context.debug_data]
    assert [e.event_type for e in provisioning[:2]] == ["application.provision.connection.test"] * 2
    pushes = [e for e in provisioning if e.event_type == "application.provision.user.push"]
    assert {t.id for e in pushes for t in e.target} >= {app_id, ann.id, bob.id}

    # retire the app: deactivate, then delete; nothing reaches the target
    run(client.deactivate_application(app_id))
    call(client.delete_application(app_id))
    assert log.steps() == []
    _, _, error = asyncio.run(_awaited(client.get_application(app_id)))
    assert (error.status, error.error_code) == (404, "E0000007")


def test_sdk_sees_okta_errors_and_headers(client):
    """Errors parse into OktaAPIError with Okta's codes; every response has the rate-limit headers."""
    user, error = asyncio.run(_awaited(client.get_user("00unosuchuser0000000")))[0::2]
    assert user is None and (error.status, error.error_code) == (404, "E0000007")

    group, resp = call(client.add_group(group_profile("Engineering")))
    assert {"X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset"} <= set(resp.headers)
    assert int(resp.headers["X-Rate-Limit-Remaining"]) <= int(resp.headers["X-Rate-Limit-Limit"])
    missing = asyncio.run(_awaited(client.get_application_group_assignment("0oanosuchapp00000000", group.id)))
    assert (missing[-1].status, missing[-1].error_code) == (404, "E0000007")

    url = client.get_config()["client"]["orgUrl"]
    stranger = okta_client.Client({"orgUrl": url, "token": "not-the-token"})
    _, _, error = asyncio.run(_awaited(stranger.list_users()))
    assert (error.status, error.error_code) == (401, "E0000011")


def test_sdk_pages_users_and_groups_with_its_after_cursor(client):
    """A script that pages with the SDK (limit, then the cursor of each next link) sees everyone once."""
    for n in range(5):
        login = f"page{n}@example.com"
        body = models.CreateUserRequest.from_dict(
            {"profile": {"login": login, "email": login, "firstName": f"P{n}", "lastName": "Pager"}})
        run(client.create_user(body, activate=False))
        run(client.add_group(group_profile(f"Pagers {n}")))
    listers = ((client.list_users, lambda u: u.profile.login),
               (client.list_groups, lambda g: g.profile.actual_instance.name))
    for lister, seen in listers:
        pages, cursor = [], None
        while True:
            items, resp = call(lister(after=cursor, limit=2))
            pages.append([seen(i) for i in items])
            cursor = pagination.PaginationHelper.extract_next_cursor(resp.headers)
            if cursor is None:
                break
        assert [len(p) for p in pages] == [2, 2, 1]
        assert len({v for p in pages for v in p}) == 5


async def _awaited(awaitable: Awaitable[Any]) -> tuple[Any, ...]:
    return tuple(await awaitable)
