"""Lifecycle calls of the admin API over real HTTP (okta-admin-api.md §2.6, §2.7, §3.2, §4.4):
suspend/unsuspend, deleting people and groups, app activate/deactivate, with their SCIM steps."""

from __future__ import annotations

from tests.conftest import ProviderFactory
from tests.okta import test_admin_api
from tests.okta.test_admin_api import (
    Admin,
    install_test_app,
    last_seq,
    member_ids,
    person,
    scim_log,
    steps_since,
)

sim = test_admin_api.sim  # the simulator fixture: start(db=None) -> Admin


def refused(admin: Admin, method: str, path: str, status: int, code: str) -> dict:
    body = admin.call(method, path, expect=status)
    assert body["errorCode"] == code and body["errorLink"] == code and body["errorId"].startswith("oae")
    return body


def test_suspend_keeps_assignments_and_sends_nothing(sim, make_provider: ProviderFactory):
    scim, admin = make_provider(), sim()
    app_id = install_test_app(admin, scim.base)
    ann = person(admin, "ann@example.com", "Ann")
    scim_id = admin.call("POST", f"/apps/{app_id}/users", {"id": ann["id"]})["externalId"]

    seq = last_seq(admin)
    assert admin.call("POST", f"/users/{ann['id']}/lifecycle/suspend") == {}
    assert admin.call("GET", f"/users/{ann['id']}")["status"] == "SUSPENDED"
    assert admin.call("GET", f"/apps/{app_id}/users/{ann['id']}")["status"] == "PROVISIONED"
    assert steps_since(admin, seq) == []  # okta-scim.md §6.4: no deprovisioning on suspend
    assert scim.get(f"/Users/{scim_id}").json()["active"] is True

    body = refused(admin, "POST", f"/users/{ann['id']}/lifecycle/suspend", 403, "E0000038")
    assert body["errorSummary"] == "This operation is not allowed in the user's current status."
    refused(admin, "POST", f"/users/{ann['id']}/lifecycle/activate", 403, "E0000038")

    assert admin.call("POST", f"/users/{ann['id']}/lifecycle/unsuspend") == {}
    assert admin.call("GET", f"/users/{ann['id']}")["status"] == "ACTIVE"
    assert steps_since(admin, seq) == []
    refused(admin, "POST", f"/users/{ann['id']}/lifecycle/unsuspend", 403, "E0000038")
    refused(admin, "POST", "/users/00unknown/lifecycle/suspend", 404, "E0000007")


def test_suspended_user_can_be_deactivated(sim, make_provider: ProviderFactory):
    scim, admin = make_provider(), sim()
    app_id = install_test_app(admin, scim.base)
    ann = person(admin, "ann@example.com", "Ann")
    scim_id = admin.call("POST", f"/apps/{app_id}/users", {"id": ann["id"]})["externalId"]
    admin.call("POST", f"/users/{ann['id']}/lifecycle/suspend")
    seq = last_seq(admin)
    admin.call("POST", f"/users/{ann['id']}/lifecycle/deactivate")
    assert steps_since(admin, seq) == ["deactivate.patch"]
    assert scim.get(f"/Users/{scim_id}").json()["active"] is False


def test_delete_user_deactivates_first_then_deletes(sim, make_provider: ProviderFactory):
    scim, admin = make_provider(), sim()
    app_id = install_test_app(admin, scim.base)
    ann = person(admin, "ann@example.com", "Ann")
    scim_id = admin.call("POST", f"/apps/{app_id}/users", {"id": ann["id"]})["externalId"]

    seq = last_seq(admin)
    assert admin.call("DELETE", f"/users/{ann['id']}", expect=204) is None
    assert admin.call("GET", f"/users/{ann['id']}")["status"] == "DEPROVISIONED"
    assert steps_since(admin, seq) == ["deactivate.patch"]  # as lifecycle/deactivate (§2.7)
    assert scim.get(f"/Users/{scim_id}").json()["active"] is False
    refused(admin, "GET", f"/apps/{app_id}/users/{ann['id']}", 404, "E0000007")

    seq = last_seq(admin)
    admin.call("DELETE", f"/users/{ann['id']}", expect=204)
    assert steps_since(admin, seq) == []  # okta-scim.md §6.3: never a SCIM DELETE
    assert scim.get(f"/Users/{scim_id}").status_code == 200
    refused(admin, "GET", f"/users/{ann['id']}", 404, "E0000007")
    refused(admin, "DELETE", f"/users/{ann['id']}", 404, "E0000007")
    assert person(admin, "ann@example.com", "Ann")["id"] != ann["id"]  # the login is free again


def test_delete_staged_user_without_assignments(sim):
    admin = sim()
    profile = {"login": "sam@example.com", "email": "sam@example.com", "firstName": "Sam", "lastName": "T"}
    sam = admin.call("POST", "/users", {"profile": profile}, activate="false")
    assert sam["status"] == "STAGED"
    admin.call("DELETE", f"/users/{sam['id']}", expect=204)
    admin.call("DELETE", f"/users/{sam['id']}", expect=204)
    assert admin.call("GET", "/users", filter='status eq "DEPROVISIONED"') == []
    assert scim_log(admin) == []


def test_inactive_app_provisions_nothing(sim, make_provider: ProviderFactory):
    scim, admin = make_provider(), sim()
    app_id = install_test_app(admin, scim.base)
    ann, bob = person(admin, "ann@example.com", "Ann"), person(admin, "bob@example.com", "Bob")
    scim_id = admin.call("POST", f"/apps/{app_id}/users", {"id": ann["id"]})["externalId"]

    assert admin.call("POST", f"/apps/{app_id}/lifecycle/deactivate") == {}
    app = admin.call("GET", f"/apps/{app_id}")
    assert app["status"] == "INACTIVE" and "activate" in app["_links"]
    assert admin.call("POST", f"/apps/{app_id}/lifecycle/deactivate") == {}  # idempotent
    seq = last_seq(admin)
    admin.call("POST", f"/users/{ann['id']}", {"profile": {"firstName": "Anne"}})
    bob_app = admin.call("POST", f"/apps/{app_id}/users", {"id": bob["id"]})
    assert bob_app["externalId"] is None and bob_app["status"] == "STAGED"
    assert steps_since(admin, seq) == []
    assert scim.get(f"/Users/{scim_id}").json()["name"]["givenName"] == "Ann"

    assert admin.call("POST", f"/apps/{app_id}/lifecycle/activate") == {}
    app = admin.call("GET", f"/apps/{app_id}")
    assert app["status"] == "ACTIVE" and "deactivate" in app["_links"]
    admin.call("POST", f"/users/{ann['id']}", {"profile": {"firstName": "Annie"}})
    assert steps_since(admin, seq) == ["update.get", "update.put"]
    assert scim.get(f"/Users/{scim_id}").json()["name"]["givenName"] == "Annie"

    refused(admin, "POST", f"/apps/{app_id}/lifecycle/suspend", 404, "E0000007")
    refused(admin, "POST", "/apps/0oaunknown/lifecycle/activate", 404, "E0000007")


def test_delete_group_drops_push_and_group_assignment(sim, make_provider: ProviderFactory):
    scim, admin = make_provider(), sim()
    app_id = install_test_app(admin, scim.base)
    ann, bob = person(admin, "ann@example.com", "Ann"), person(admin, "bob@example.com", "Bob")
    group = admin.call("POST", "/groups", {"profile": {"name": "Engineering", "description": "eng"}})
    gid = group["id"]
    for user in (ann, bob):
        admin.call("PUT", f"/groups/{gid}/users/{user['id']}", expect=204)
    ann_scim = admin.call("POST", f"/apps/{app_id}/users", {"id": ann["id"]})["externalId"]
    admin.call("PUT", f"/apps/{app_id}/groups/{gid}", {"priority": 0})
    bob_scim = admin.call("GET", f"/apps/{app_id}/users/{bob['id']}")["externalId"]
    body = {"sourceGroupId": gid, "status": "ACTIVE", "targetGroupName": "Engineering"}
    mapping = admin.call("POST", f"/apps/{app_id}/group-push/mappings", body, expect=201)
    target = mapping["targetGroupId"]

    seq = last_seq(admin)
    assert admin.call("DELETE", f"/groups/{gid}", expect=204) is None
    assert steps_since(admin, seq) == ["deactivate.patch"]  # bob only: ann is assigned directly
    assert scim.get(f"/Users/{bob_scim}").json()["active"] is False
    assert scim.get(f"/Users/{ann_scim}").json()["active"] is True
    assert member_ids(scim, target) == {ann_scim, bob_scim}  # the pushed group is left as it was
    refused(admin, "GET", f"/groups/{gid}", 404, "E0000007")
    refused(admin, "GET", f"/apps/{app_id}/group-push/mappings/{mapping['id']}", 404, "E0000007")
    assert admin.call("GET", f"/apps/{app_id}/groups") == []
    assert admin.call("GET", f"/apps/{app_id}/users/{ann['id']}")["scope"] == "USER"
    refused(admin, "GET", f"/apps/{app_id}/users/{bob['id']}", 404, "E0000007")
    refused(admin, "DELETE", f"/groups/{gid}", 404, "E0000007")


def test_delete_app_only_when_inactive_and_sends_nothing(sim, make_provider: ProviderFactory):
    scim, admin = make_provider(), sim()
    app_id = install_test_app(admin, scim.base)
    ann = person(admin, "ann@example.com", "Ann")
    scim_id = admin.call("POST", f"/apps/{app_id}/users", {"id": ann["id"]})["externalId"]
    group = admin.call("POST", "/groups", {"profile": {"name": "Engineering"}})
    admin.call("PUT", f"/apps/{app_id}/groups/{group['id']}", {})

    body = refused(admin, "DELETE", f"/apps/{app_id}", 403, "E0000056")
    assert body["errorSummary"] == "Delete application forbidden."
    assert admin.call("GET", f"/apps/{app_id}")["status"] == "ACTIVE"

    seq = last_seq(admin)
    admin.call("POST", f"/apps/{app_id}/lifecycle/deactivate", {})
    admin.call("DELETE", f"/apps/{app_id}", expect=204)
    assert steps_since(admin, seq) == []  # nothing reaches the target
    refused(admin, "GET", f"/apps/{app_id}", 404, "E0000007")
    refused(admin, "GET", f"/apps/{app_id}/users", 404, "E0000007")
    assert admin.call("GET", "/apps") == []
    assert admin.call("GET", f"/users/{ann['id']}")["status"] == "ACTIVE"  # people and groups stay
    assert admin.call("GET", f"/groups/{group['id']}")["profile"]["name"] == "Engineering"
    assert scim.get(f"/Users/{scim_id}").json()["active"] is True
    refused(admin, "DELETE", f"/apps/{app_id}", 404, "E0000007")


def test_a_push_mapping_names_its_target_group_in_text(sim, make_provider: ProviderFactory):
    scim, admin = make_provider(), sim()
    app_id = install_test_app(admin, scim.base)
    group = admin.call("POST", "/groups", {"profile": {"name": "Engineering"}})
    for key, value in (("targetGroupName", 7), ("targetGroupId", ["x"])):
        body = {"sourceGroupId": group["id"], "status": "ACTIVE", key: value}
        answer = admin.call("POST", f"/apps/{app_id}/group-push/mappings", body, expect=400)
        assert answer["errorCode"] == "E0000001"
        assert answer["errorCauses"] == [{"errorSummary": f"{key}: must be a string"}]
    assert scim.list("/Groups")["totalResults"] == 0  # nothing was pushed as "7"
