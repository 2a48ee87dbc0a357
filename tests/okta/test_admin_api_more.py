"""More of the admin API over real HTTP: AIW apps, app user schema, mappings, import state,
group unassignment and password push, each checked by the SCIM steps in /api/v1/logs."""

from __future__ import annotations

import json
import sqlite3

import pytest

from simulator.okta.store import OrgStore
from simulator.okta.wire import REDACTED
from tests.conftest import IVANTI, TOKEN, ProviderFactory, Scim, patch_op
from tests.okta import test_admin_api
from tests.okta.support import CUST_ATTR
from tests.okta.test_admin_api import Admin, install_test_app, last_seq, person, scim_log, steps_since

sim = test_admin_api.sim  # the simulator fixture: start(db=None) -> Admin, same db file on restart

NEW_PASSWORD = "N3w-Passw0rd!"
CAPS_ALL = {
    "create": {"lifecycleCreate": {"status": "ENABLED"}},
    "update": {
        "profile": {"status": "ENABLED"},
        "lifecycleDeactivate": {"status": "ENABLED"},
        "password": {"status": "ENABLED"},
    },
}
SYNC_PASSWORD = {"update": {"password": {"status": "ENABLED"}}}


def install_aiw_app(admin: Admin, scim_base: str) -> str:
    """An App Integration Wizard SCIM app (no catalog name) with every To App switch on."""
    app = admin.call("POST", "/apps", {"label": "Acme SCIM app"})
    assert app["settings"]["scimcert"]["flavour"] == "aiw" and app["signOnMode"] == "SAML_2_0"
    conn = {"baseUrl": scim_base, "profile": {"authScheme": "TOKEN", "token": TOKEN}}
    admin.call("POST", f"/apps/{app['id']}/connections/default", conn, activate="true")
    admin.call("PUT", f"/apps/{app['id']}/features/USER_PROVISIONING", CAPS_ALL)
    return str(app["id"])


def requests_since(admin: Admin, seq: int) -> list[str]:
    """The SCIM request lines ('PATCH /scim/v2/Users/… -> 200') logged after seq."""
    return [e["displayMessage"] for e in scim_log(admin, seq) if e["debugContext"]["debugData"]["exchange"]]


def add_custom_attribute(admin: Admin, app_id: str) -> dict:
    body = {
        "definitions": {"custom": {"id": "#custom", "type": "object", "properties": {"custAttr1": CUST_ATTR}}}
    }
    return admin.call("POST", f"/meta/schemas/apps/{app_id}/default", body)


def mapping_id(admin: Admin, app_id: str) -> str:
    (found,) = admin.call("GET", "/mappings", targetId=app_id)
    return str(found["id"])


# ---- AIW flavour ---------------------------------------------------------------------------------


def test_aiw_app_sends_get_and_put_where_oin_patches(sim, make_provider: ProviderFactory):
    scim, admin = make_provider(), sim()
    app_id = install_aiw_app(admin, scim.base)
    ann = person(admin, "ann@example.com", "Ann")

    seq = last_seq(admin)
    assigned = admin.call("POST", f"/apps/{app_id}/users", {"id": ann["id"], "scope": "USER"})
    assert steps_since(admin, seq) == ["assign.lookup", "assign.create"]
    scim_id = assigned["externalId"]

    seq = last_seq(admin)
    admin.call("POST", f"/users/{ann['id']}", {"profile": {"firstName": "Anne"}})
    assert steps_since(admin, seq) == ["update.get", "update.put"]
    assert scim.get(f"/Users/{scim_id}").json()["name"]["givenName"] == "Anne"

    seq = last_seq(admin)
    admin.call("DELETE", f"/apps/{app_id}/users/{ann['id']}", expect=204)
    assert steps_since(admin, seq) == ["deactivate.get", "deactivate.put"]
    assert [line.split()[0] for line in requests_since(admin, seq)] == ["GET", "PUT"]
    assert scim.get(f"/Users/{scim_id}").json()["active"] is False
    assert not any(line.startswith("PATCH") for line in requests_since(admin, 0))


# ---- app user schema and mappings ---------------------------------------------------------------


def test_app_user_schema_adds_reads_back_and_removes_custom_attribute(sim, make_provider: ProviderFactory):
    admin = sim()
    app_id = install_test_app(admin, make_provider().base)
    schema = add_custom_attribute(admin, app_id)
    assert schema["id"].endswith(f"/meta/schemas/apps/{app_id}/default")
    prop = schema["definitions"]["custom"]["properties"]["custAttr1"]
    assert (prop["externalName"], prop["externalNamespace"], prop["type"]) == ("custAttr1", IVANTI, "string")
    assert prop["title"] == "Custom attribute 1"

    again = admin.call("GET", f"/meta/schemas/apps/{app_id}/default")
    assert again["definitions"]["custom"]["properties"] == schema["definitions"]["custom"]["properties"]
    base = again["definitions"]["base"]
    assert base["required"] == ["userName"] and base["properties"]["userName"]["externalName"] == "userName"
    assert "custAttr1" not in base["properties"]

    body = {"definitions": {"custom": {"properties": {"custAttr1": None}}}}
    removed = admin.call("POST", f"/meta/schemas/apps/{app_id}/default", body)
    assert removed["definitions"]["custom"]["properties"] == {}


@pytest.mark.parametrize(
    ("properties", "cause"),
    [
        ({"custAttr1": {"type": "string"}}, "custAttr1.title: The field cannot be left blank"),
        ({"custAttr1": {**CUST_ATTR, "type": "date"}}, "custAttr1.type: must be one of"),
        ({"userName": {"title": "User name"}}, "userName: base attributes can only change nullability"),
        ({"custAttr1": "text"}, "custAttr1.title: The field cannot be left blank"),
    ],
)
def test_app_user_schema_refuses_invalid_properties(sim, properties, cause):
    admin = sim()
    app_id = admin.call("POST", "/apps", {"name": "scim2testapp", "signOnMode": "SAML_2_0"})["id"]
    body = {"definitions": {"custom": {"properties": properties}}}
    got = admin.call("POST", f"/meta/schemas/apps/{app_id}/default", body, expect=400)
    assert got["errorCode"] == "E0000001" and got["errorSummary"].startswith("Api validation failed")
    assert got["errorCauses"][0]["errorSummary"].startswith(cause)
    unchanged = admin.call("GET", f"/meta/schemas/apps/{app_id}/default")
    assert unchanged["definitions"]["custom"]["properties"] == {}


def test_app_user_schema_errors_for_missing_definitions_bad_json_and_unknown_app(sim):
    admin = sim()
    app_id = admin.call("POST", "/apps", {"name": "scim2testapp", "signOnMode": "SAML_2_0"})["id"]
    path = f"/meta/schemas/apps/{app_id}/default"
    assert admin.call("POST", path, {"definitions": {}}, expect=400)["errorCode"] == "E0000001"
    resp = admin.http.post(admin.base + path, data="{", headers={"Content-Type": "application/json"})
    assert resp.status_code == 400 and resp.json()["errorCode"] == "E0000003"
    assert admin.call("GET", "/meta/schemas/apps/0oaunknown/default", expect=404)["errorCode"] == "E0000007"


def test_mappings_list_get_and_update(sim, make_provider: ProviderFactory):
    admin = sim()
    app_id = install_test_app(admin, make_provider().base)
    add_custom_attribute(admin, app_id)
    (listed,) = admin.call("GET", "/mappings")
    assert listed["target"] == {**listed["target"], "id": app_id, "type": "appuser", "name": "scim2testapp"}
    assert listed["source"]["type"] == "user" and "properties" not in listed
    assert admin.call("GET", "/mappings", targetId="0oaother") == []
    assert admin.call("GET", "/mappings", sourceId=app_id) == []

    path = f"/mappings/{listed['id']}"
    props = admin.call("GET", path)["properties"]
    assert props["givenName"] == {"expression": "user.firstName", "pushStatus": "PUSH"}
    body = {"properties": {"custAttr1": {"expression": "user.costCenter", "pushStatus": "PUSH"}}}
    updated = admin.call("POST", path, body)["properties"]
    assert updated["custAttr1"] == {"expression": "user.costCenter", "pushStatus": "PUSH"}
    assert updated["givenName"] == props["givenName"]  # partial update

    status_only = admin.call("POST", path, {"properties": {"custAttr1": {"pushStatus": "DONT_PUSH"}}})
    assert status_only["properties"]["custAttr1"] == {
        "expression": "user.costCenter",
        "pushStatus": "DONT_PUSH",
    }
    cleared = admin.call(
        "POST", path, {"properties": {"custAttr1": {"expression": None, "pushStatus": None}}}
    )
    assert "custAttr1" not in cleared["properties"]
    assert admin.call("GET", "/mappings/prmnosuchmapping0000", expect=404)["errorCode"] == "E0000007"


@pytest.mark.parametrize(
    ("prop", "cause"),
    [
        ({"custAttr1": {"expression": "user.firstName +"}}, "custAttr1.expression: "),
        ({"custAttr1": {"expression": "appuser.custAttr1"}}, "custAttr1.expression: "),
        ({"custAttr1": {"expression": "   "}}, "custAttr1.expression: The field cannot be left blank"),
        ({"custAttr1": {"expression": "user.x", "pushStatus": "SOMETIMES"}}, "custAttr1.pushStatus: must be"),
        ({"nosuch": {"expression": "user.firstName"}}, "nosuch: The property does not exist"),
    ],
)
def test_mapping_errors_are_400_with_causes(sim, make_provider: ProviderFactory, prop, cause):
    admin = sim()
    app_id = install_test_app(admin, make_provider().base)
    add_custom_attribute(admin, app_id)
    path = f"/mappings/{mapping_id(admin, app_id)}"
    got = admin.call("POST", path, {"properties": prop}, expect=400)
    assert got["errorCode"] == "E0000001" and got["errorCauses"][0]["errorSummary"].startswith(cause)
    assert "custAttr1" not in admin.call("GET", path)["properties"]


def test_mapped_custom_attribute_arrives_under_its_urn(sim, scim: Scim):
    admin = sim()
    app_id = install_test_app(admin, scim.base)
    add_custom_attribute(admin, app_id)
    body = {"properties": {"custAttr1": {"expression": "user.costCenter", "pushStatus": "PUSH"}}}
    admin.call("POST", f"/mappings/{mapping_id(admin, app_id)}", body)
    profile = {"login": "cy@example.com", "email": "cy@example.com", "firstName": "Cy", "lastName": "Ng",
               "costCenter": "CC-42"}  # fmt: skip
    cy = admin.call("POST", "/users", {"profile": profile})

    scim_id = admin.call("POST", f"/apps/{app_id}/users", {"id": cy["id"]})["externalId"]
    target = scim.get(f"/Users/{scim_id}").json()
    assert target[IVANTI] == {"custAttr1": "CC-42"} and IVANTI in target["schemas"]

    seq = last_seq(admin)
    admin.call("POST", f"/users/{cy['id']}", {"profile": {"costCenter": "CC-77"}})
    assert steps_since(admin, seq) == ["update.get", "update.put"]
    assert scim.get(f"/Users/{scim_id}").json()[IVANTI]["custAttr1"] == "CC-77"


# ---- import across runs ---------------------------------------------------------------------------


COUNTERS = ("scanned", "new", "updated", "unchanged", "removed")


def summary_of(admin: Admin, app_id: str, kind: str = "users") -> dict:
    """Run 'Import Now' and return Okta's counters."""
    got = admin.call("POST", f"/apps/{app_id}/imports/{kind}")
    assert got["status"] == "SUCCESS", got
    return {k: v for k, v in got["summary"].items() if k in COUNTERS}


def counts(*values: int) -> dict:
    return dict(zip(COUNTERS, values, strict=True))


def test_import_counts_new_unchanged_updated_removed_across_runs_and_restart(
    sim, make_provider: ProviderFactory
):
    scim, admin = make_provider(), sim()
    ids = [scim.create_user(f"imp{i:03d}@example.com")["id"] for i in range(150)]
    app_id = install_test_app(admin, scim.base)

    seq = last_seq(admin)
    first = admin.call("POST", f"/apps/{app_id}/imports/users")
    assert first["summary"]["pages"] == 2 and first["summary"]["new"] == 150
    assert steps_since(admin, seq) == ["import.users.page.1", "import.users.page.2", "import.users.summary"]
    assert summary_of(admin, app_id) == counts(150, 0, 0, 150, 0)  # the second import

    changed = scim.patch(f"/Users/{ids[7]}", patch_op({"op": "replace", "path": "title", "value": "Boss"}))
    assert changed.status_code == 200
    assert scim.delete(f"/Users/{ids[120]}").status_code == 204
    seq = last_seq(admin)
    assert summary_of(admin, app_id) == counts(149, 0, 1, 148, 1)
    (done,) = [e for e in admin.call("GET", "/logs", after=seq) if e["eventType"] == "system.import.complete"]
    assert done["outcome"]["result"] == "SUCCESS"
    assert "149 scanned, 0 new, 1 updated, 148 unchanged, 1 removed" in done["displayMessage"]

    scim.create_user("late@example.com")
    again = sim()  # the same --db: the import state survived the restart
    assert summary_of(again, app_id) == counts(150, 1, 0, 149, 0)


def test_import_state_is_per_kind_and_a_failed_import_keeps_it(sim, make_provider: ProviderFactory):
    scim, admin = make_provider(), sim()
    scim.create_user("ann@example.com")
    scim.create_group("Sales")
    app_id = install_test_app(admin, scim.base)
    assert summary_of(admin, app_id, "groups")["new"] == 1
    assert summary_of(admin, app_id, "users")["new"] == 1
    assert summary_of(admin, app_id, "groups") == counts(1, 0, 0, 1, 0)

    admin.call("POST", f"/apps/{app_id}/connections/default",
               {"profile": {"authScheme": "TOKEN", "token": "wrong"}})  # fmt: skip
    failed = admin.call("POST", f"/apps/{app_id}/imports/users")
    assert failed["status"] == "FAILURE" and failed["_scimcert"]["tasks"]
    logged = admin.call("GET", "/logs", filter='eventType eq "system.import.complete"', limit=1000)
    assert logged[-1]["outcome"]["result"] == "FAILURE" and logged[-1]["outcome"]["reason"]

    conn = {"profile": {"authScheme": "TOKEN", "token": TOKEN}}
    admin.call("POST", f"/apps/{app_id}/connections/default", conn)
    assert summary_of(admin, app_id)["unchanged"] == 1


def test_store_from_before_the_import_and_password_tables_still_opens(tmp_path):
    path = str(tmp_path / "old.db")
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE users (id TEXT PRIMARY KEY, login TEXT NOT NULL UNIQUE COLLATE NOCASE,"
        " profile TEXT NOT NULL, status TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL)"
    )
    db.execute("INSERT INTO users VALUES ('00u1', 'a@b.c', '{\"login\": \"a@b.c\"}', 'ACTIVE', 't', 't')")
    db.commit()
    db.close()
    store = OrgStore(path)
    assert store.user("a@b.c").id == "00u1"
    assert store.password("00u1") is None and store.import_seen("0oa1", "users") == {}
    store.put_import_seen("0oa1", "users", {"s-1": "f"})
    assert store.import_seen("0oa1", "users") == {"s-1": "f"}
    store.close()


# ---- group unassignment --------------------------------------------------------------------------


def test_group_unassign_deprovisions_only_members_the_group_alone_covered(
    sim, make_provider: ProviderFactory
):
    scim, admin = make_provider(), sim()
    app_id = install_test_app(admin, scim.base)
    ann, bob = person(admin, "ann@example.com", "Ann"), person(admin, "bob@example.com", "Bob")
    group = admin.call("POST", "/groups", {"profile": {"name": "Engineering", "description": ""}})
    for user in (ann, bob):
        admin.call("PUT", f"/groups/{group['id']}/users/{user['id']}", expect=204)
    ann_scim = admin.call("POST", f"/apps/{app_id}/users", {"id": ann["id"]})["externalId"]
    admin.call("PUT", f"/apps/{app_id}/groups/{group['id']}", {"priority": 0})
    bob_user = admin.call("GET", f"/apps/{app_id}/users/{bob['id']}")
    assert bob_user["scope"] == "GROUP"

    seq = last_seq(admin)
    admin.call("DELETE", f"/apps/{app_id}/groups/{group['id']}", expect=204)
    events = scim_log(admin, seq)
    assert [e["debugContext"]["debugData"]["step"] for e in events] == ["deactivate.patch"]
    assert {"id": bob["id"], "type": "User"} in events[0]["target"]
    assert scim.get(f"/Users/{bob_user['externalId']}").json()["active"] is False
    assert scim.get(f"/Users/{ann_scim}").json()["active"] is True

    remaining = admin.call("GET", f"/apps/{app_id}/users")
    assert [(u["id"], u["scope"]) for u in remaining] == [(ann["id"], "USER")]
    admin.call("GET", f"/apps/{app_id}/users/{bob['id']}", expect=404)
    assert admin.call("GET", f"/apps/{app_id}/groups") == []
    again = admin.call("DELETE", f"/apps/{app_id}/groups/{group['id']}", expect=404)
    assert again["errorCode"] == "E0000007"


# ---- password push ---------------------------------------------------------------------------------


def assigned_person(admin: Admin, app_id: str) -> tuple[dict, str]:
    ann = person(admin, "ann@example.com", "Ann")
    return ann, admin.call("POST", f"/apps/{app_id}/users", {"id": ann["id"]})["externalId"]


def test_password_set_by_admin_is_patched_to_an_oin_app(sim, make_provider: ProviderFactory):
    scim, admin = make_provider("password-returned"), sim()
    app_id = install_test_app(admin, scim.base)
    feature = admin.call("PUT", f"/apps/{app_id}/features/USER_PROVISIONING", SYNC_PASSWORD)
    assert feature["capabilities"]["update"]["password"]["status"] == "ENABLED"
    ann, scim_id = assigned_person(admin, app_id)
    assert ann["credentials"]["password"] == {} and ann["passwordChanged"]

    seq = last_seq(admin)
    got = admin.call("POST", f"/users/{ann['id']}", {"credentials": {"password": {"value": NEW_PASSWORD}}})
    assert steps_since(admin, seq) == ["password.patch"]
    assert scim.get(f"/Users/{scim_id}").json()["password"] == NEW_PASSWORD
    assert got["credentials"]["password"] == {} and NEW_PASSWORD not in json.dumps(got)
    assert got["_scimcert"]["provisioning"][0]["action"] == "push_password"

    (event,) = scim_log(admin, seq)
    assert event["eventType"] == "application.provision.user.password"
    sent = event["debugContext"]["debugData"]["exchange"]["request"]["body"]
    assert sent["Operations"] == [{"op": "replace", "value": {"password": REDACTED}}]
    logged = [e["debugContext"]["debugData"]["exchange"]["request"] for e in scim_log(admin)]
    assert NEW_PASSWORD not in json.dumps(logged)  # the target echoes it back (its bug), Okta never sends it

    seq = last_seq(admin)
    full = {"profile": ann["profile"], "credentials": {"password": {"value": "Th1rd-Passw0rd"}}}
    admin.call("PUT", f"/users/{ann['id']}", full)
    assert steps_since(admin, seq) == ["password.patch"]  # same profile: no profile push
    assert scim.get(f"/Users/{scim_id}").json()["password"] == "Th1rd-Passw0rd"


def test_change_password_checks_the_old_one_and_survives_restart(sim, make_provider: ProviderFactory):
    scim, admin = make_provider("password-returned"), sim()
    app_id = install_test_app(admin, scim.base)
    admin.call("PUT", f"/apps/{app_id}/features/USER_PROVISIONING", SYNC_PASSWORD)
    ann, scim_id = assigned_person(admin, app_id)
    path = f"/users/{ann['id']}/credentials/change_password"

    seq = last_seq(admin)
    wrong = {"oldPassword": {"value": "not-it"}, "newPassword": {"value": NEW_PASSWORD}}
    refused = admin.call("POST", path, wrong, expect=403)
    assert refused["errorCode"] == "E0000014"
    assert refused["errorCauses"] == [
        {"errorSummary": "oldPassword: The credentials provided were incorrect."}
    ]
    assert steps_since(admin, seq) == []

    again = sim()  # the stored hash outlives a restart
    body = {"oldPassword": {"value": "Passw0rd!"}, "newPassword": {"value": NEW_PASSWORD}}
    creds = again.call("POST", path, body)
    assert creds["password"] == {} and creds["provider"]["type"] == "OKTA"
    assert steps_since(again, seq) == ["password.patch"]
    assert scim.get(f"/Users/{scim_id}").json()["password"] == NEW_PASSWORD
    same = {"oldPassword": {"value": NEW_PASSWORD}, "newPassword": {"value": NEW_PASSWORD}}
    assert again.call("POST", path, same, expect=403)["errorCode"] == "E0000014"


def test_password_push_to_an_aiw_app_is_get_then_put(sim, make_provider: ProviderFactory):
    scim, admin = make_provider("password-returned"), sim()
    app_id = install_aiw_app(admin, scim.base)
    ann, scim_id = assigned_person(admin, app_id)

    seq = last_seq(admin)
    admin.call("POST", f"/users/{ann['id']}", {"credentials": {"password": {"value": NEW_PASSWORD}}})
    assert steps_since(admin, seq) == ["password.get", "password.put"]
    assert [line.split()[0] for line in requests_since(admin, seq)] == ["GET", "PUT"]
    target = scim.get(f"/Users/{scim_id}").json()
    assert target["password"] == NEW_PASSWORD and target["userName"] == "ann@example.com"


def test_sync_password_off_sends_nothing(sim, make_provider: ProviderFactory):
    scim, admin = make_provider("password-returned"), sim()
    app_id = install_test_app(admin, scim.base)  # Sync Password stays DISABLED
    ann, scim_id = assigned_person(admin, app_id)
    before = scim.get(f"/Users/{scim_id}").json()["password"]

    seq = last_seq(admin)
    got = admin.call("POST", f"/users/{ann['id']}", {"credentials": {"password": {"value": NEW_PASSWORD}}})
    assert steps_since(admin, seq) == []
    assert got["_scimcert"]["provisioning"][0]["status"] == "SKIPPED"
    assert scim.get(f"/Users/{scim_id}").json()["password"] == before


def test_failed_password_push_leaves_a_task(sim, make_provider: ProviderFactory):
    scim, admin = make_provider(), sim()
    app_id = install_test_app(admin, scim.base)
    admin.call("PUT", f"/apps/{app_id}/features/USER_PROVISIONING", SYNC_PASSWORD)
    ann, scim_id = assigned_person(admin, app_id)
    scim.delete(f"/Users/{scim_id}")
    got = admin.call("POST", f"/users/{ann['id']}", {"credentials": {"password": {"value": NEW_PASSWORD}}})
    assert got["_scimcert"]["provisioning"][0]["status"] == "FAILURE"
    (task,) = admin.call("GET", "/tasks")
    assert task["action"] == "push_password" and task["failedStep"] == "password.patch"
    assert task["errorSummary"].startswith(
        "Automatic password push of user Ann Tester to app SCIM 2.0 Test App"
    )


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        ("", {"credentials": {"password": {"value": ""}}}, 400, "E0000001"),
        ("", {"credentials": {"password": "plain"}}, 400, "E0000001"),
        ("/credentials/change_password", {"newPassword": {"value": NEW_PASSWORD}}, 400, "E0000001"),
        ("/credentials/change_password", {"oldPassword": {"value": "Passw0rd!"}}, 400, "E0000001"),
    ],
)
def test_bad_password_bodies_get_okta_errors(sim, path, body, status, code):
    admin = sim()
    ann = person(admin, "ann@example.com", "Ann")
    got = admin.call("POST", f"/users/{ann['id']}{path}", body, expect=status)
    assert got["errorCode"] == code and got["errorCauses"]


def test_no_password_change_for_a_deactivated_user(sim):
    admin = sim()
    ann = person(admin, "ann@example.com", "Ann")
    admin.call("POST", f"/users/{ann['id']}/lifecycle/deactivate")
    body = {"credentials": {"password": {"value": NEW_PASSWORD}}}
    assert admin.call("POST", f"/users/{ann['id']}", body, expect=403)["errorCode"] == "E0000038"
    admin.call("GET", f"/users/{ann['id']}", expect=200)


def test_renaming_a_group_to_a_taken_name_is_refused(sim):
    admin = sim()
    admin.call("POST", "/groups", {"profile": {"name": "Engineering"}})
    sales = admin.call("POST", "/groups", {"profile": {"name": "Sales"}})
    dup = admin.call("PUT", f"/groups/{sales['id']}", {"profile": {"name": "engineering"}}, expect=400)
    assert dup["errorCode"] == "E0000001" and "already exists" in dup["errorCauses"][0]["errorSummary"]
    assert admin.call("GET", f"/groups/{sales['id']}")["profile"]["name"] == "Sales"
