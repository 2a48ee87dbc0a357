"""Who holds an app assignment, over real HTTP: a deactivated person gets none, a person whose
group grants the app cannot be unassigned from it, the syncState of an app user, and groups
given at creation (okta-admin-api.md §2.2, §2.6, §7, §8)."""

from __future__ import annotations

from tests.conftest import ProviderFactory
from tests.okta import test_admin_api
from tests.okta.test_admin_api import Admin, install_test_app, last_seq, person, steps_since

sim = test_admin_api.sim  # the simulator fixture: start(db=None) -> Admin


def group_with(admin: Admin, name: str, *user_ids: str) -> str:
    group = admin.call("POST", "/groups", {"profile": {"name": name, "description": ""}})
    for user_id in user_ids:
        admin.call("PUT", f"/groups/{group['id']}/users/{user_id}", expect=204)
    return str(group["id"])


def test_a_user_a_group_still_grants_the_app_cannot_be_unassigned(sim, make_provider: ProviderFactory):
    scim, admin = make_provider(), sim()
    app_id = install_test_app(admin, scim.base)
    ann = person(admin, "ann@example.com", "Ann")
    group_id = group_with(admin, "Sales", ann["id"])
    admin.call("PUT", f"/apps/{app_id}/groups/{group_id}", {"priority": 0})
    scim_id = admin.call("POST", f"/apps/{app_id}/users", {"id": ann["id"]})["externalId"]

    seq = last_seq(admin)
    refused = admin.call("DELETE", f"/apps/{app_id}/users/{ann['id']}", expect=403)
    assert refused["errorCode"] == "E0000046"
    assert refused["errorSummary"] == "Deactivate application for user forbidden."
    assert "group memberships grant them access" in refused["errorCauses"][0]["errorSummary"]
    assert steps_since(admin, seq) == []  # the target never hears of it
    assert scim.get(f"/Users/{scim_id}").json()["active"] is True
    assert admin.call("GET", f"/apps/{app_id}/users/{ann['id']}")["status"] == "PROVISIONED"

    admin.call("DELETE", f"/apps/{app_id}/groups/{group_id}", expect=204)  # direct assignment stays
    admin.call("DELETE", f"/apps/{app_id}/users/{ann['id']}", expect=204)
    assert steps_since(admin, seq) == ["deactivate.patch"]


def test_a_deactivated_person_cannot_be_assigned(sim, make_provider: ProviderFactory):
    scim, admin = make_provider(), sim()
    app_id = install_test_app(admin, scim.base)
    cy = person(admin, "cy@example.com", "Cy")
    admin.call("POST", f"/users/{cy['id']}/lifecycle/deactivate")

    seq = last_seq(admin)
    refused = admin.call("POST", f"/apps/{app_id}/users", {"id": cy["id"]}, expect=403)
    assert refused["errorCode"] == "E0000038"
    assert refused["errorCauses"] == [{"errorSummary": "Cy Tester is deactivated; activate the user first."}]
    assert steps_since(admin, seq) == []
    assert scim.list("/Users")["totalResults"] == 0
    admin.call("GET", f"/apps/{app_id}/users/{cy['id']}", expect=404)


def test_a_deactivated_member_gets_the_group_app_once_activated(sim, make_provider: ProviderFactory):
    scim, admin = make_provider(), sim()
    app_id = install_test_app(admin, scim.base)
    cy, dan = person(admin, "cy@example.com", "Cy"), person(admin, "dan@example.com", "Dan")
    for user in (cy, dan):
        admin.call("POST", f"/users/{user['id']}/lifecycle/deactivate")
    group_id = group_with(admin, "Sales", cy["id"])

    seq = last_seq(admin)
    admin.call("PUT", f"/apps/{app_id}/groups/{group_id}", {"priority": 0})
    admin.call("PUT", f"/groups/{group_id}/users/{dan['id']}", expect=204)
    assert steps_since(admin, seq) == []  # no account for people Okta has deactivated
    assert admin.call("GET", f"/apps/{app_id}/users") == []

    admin.call("POST", f"/users/{cy['id']}/lifecycle/activate", sendEmail="false")
    assert steps_since(admin, seq) == ["assign.lookup", "assign.create"]
    assigned = admin.call("GET", f"/apps/{app_id}/users/{cy['id']}")
    assert assigned["scope"] == "GROUP" and assigned["status"] == "PROVISIONED"
    assert scim.get(f"/Users/{assigned['externalId']}").json()["active"] is True


# ---- syncState -------------------------------------------------------------------------------------


def sync_state(admin: Admin, app_id: str, user_id: str) -> str:
    return str(admin.call("GET", f"/apps/{app_id}/users/{user_id}")["syncState"])


def test_sync_state_is_error_while_the_target_missed_a_push(sim, make_provider: ProviderFactory):
    scim, admin = make_provider("patch-requires-path"), sim()  # PATCH without a path: 400
    app_id = install_test_app(admin, scim.base)
    ann = person(admin, "ann@example.com", "Ann")
    admin.call("POST", f"/apps/{app_id}/users", {"id": ann["id"]})
    assert sync_state(admin, app_id, ann["id"]) == "SYNCHRONIZED"

    admin.call("POST", f"/users/{ann['id']}/lifecycle/deactivate")  # its PATCH fails: a task
    admin.call("POST", f"/users/{ann['id']}/lifecycle/activate", sendEmail="false")
    assert [t["action"] for t in admin.call("GET", "/tasks")] == ["deactivate", "reactivate"]
    assert sync_state(admin, app_id, ann["id"]) == "ERROR"  # the reactivate PATCH failed too

    admin.call("POST", f"/users/{ann['id']}", {"profile": {"firstName": "Anne"}})  # GET + PUT work
    assert sync_state(admin, app_id, ann["id"]) == "SYNCHRONIZED"

    scim_id = admin.call("GET", f"/apps/{app_id}/users/{ann['id']}")["externalId"]
    scim.delete(f"/Users/{scim_id}")
    admin.call("POST", f"/users/{ann['id']}", {"profile": {"firstName": "Gone"}})  # GET -> 404
    assert sync_state(admin, app_id, ann["id"]) == "ERROR"


# ---- groupIds at creation ----------------------------------------------------------------------------


def test_create_user_with_group_ids_is_all_or_nothing(sim, make_provider: ProviderFactory):
    scim, admin = make_provider(), sim()
    app_id = install_test_app(admin, scim.base)
    group_id = group_with(admin, "Sales")
    admin.call("PUT", f"/apps/{app_id}/groups/{group_id}", {"priority": 0})
    profile = {"login": "eve@example.com", "email": "eve@example.com", "firstName": "Eve", "lastName": "T"}

    unknown = {"profile": profile, "groupIds": [group_id, "00gunknown"]}
    missing = admin.call("POST", "/users", unknown, expect=404)
    assert missing["errorSummary"] == "Not found: Resource not found: 00gunknown (UserGroup)"
    wrong = admin.call("POST", "/users", {"profile": profile, "groupIds": group_id}, expect=400)
    assert wrong["errorCauses"] == [{"errorSummary": "groupIds: must be a list of group ids"}]
    admin.call("GET", "/users/eve@example.com", expect=404)  # neither call made the user
    assert scim.list("/Users")["totalResults"] == 0

    eve = admin.call("POST", "/users", {"profile": profile, "groupIds": [group_id]}, activate="true")
    (run,) = eve["_scimcert"]["provisioning"]  # the group's app provisioned her at once
    assert [e["step"] for e in run["exchanges"]] == ["assign.lookup", "assign.create"]
    assert [u["id"] for u in admin.call("GET", f"/groups/{group_id}/users")] == [eve["id"]]
