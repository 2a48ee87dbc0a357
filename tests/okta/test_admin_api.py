"""The simulator's admin API over real HTTP, with the reference provider as the SCIM target."""

from __future__ import annotations

import pytest
import requests

from simulator.okta.api import SimulatorConfig, create_app
from simulator.okta.retry import FakeClock
from simulator.okta.transport import Transport
from simulator.provider.server import start_in_thread
from tests.conftest import TOKEN, ProviderFactory

ADMIN = "admin-t0k3n"


class Admin:
    """Raw `requests` against /api/v1 with `SSWS <token>`, as a script for a real org would."""

    def __init__(self, url: str, auth: str = f"SSWS {ADMIN}") -> None:
        self.base = url + "/api/v1"
        self.http = requests.Session()
        self.http.headers.update({"Authorization": auth, "Accept": "application/json"})

    def call(self, method: str, path: str, body=None, expect: int = 200, **params):
        resp = self.http.request(method, self.base + path, json=body, params=params, timeout=30)
        assert resp.status_code == expect, f"{method} {path} -> {resp.status_code}: {resp.text}"
        if resp.content:  # a 204 has no body and no media type (the SDK would parse it as JSON)
            assert resp.headers["Content-Type"].startswith("application/json")
        return resp.json() if resp.content else None


@pytest.fixture
def sim(tmp_path):
    servers = []

    def start(db: str | None = None) -> Admin:
        cfg = SimulatorConfig(ADMIN, db or str(tmp_path / "org.db"), Transport(clock=FakeClock()), seed=1)
        server = start_in_thread(create_app(cfg))
        servers.append(server)
        return Admin(server.url)

    yield start
    for server in servers:
        server.stop()


def scim_log(admin: Admin, seq: int = 0, **params: str) -> list[dict]:
    """The provisioning entries (one per SCIM exchange, and import summaries) logged after seq;
    admin actions' own events (user.lifecycle.create, …) have no step and are left out."""
    entries = admin.call("GET", "/logs", after=seq, limit=1000, **params)
    return [e for e in entries if "step" in e["debugContext"]["debugData"]]


def steps_since(admin: Admin, seq: int) -> list[str]:
    return [e["debugContext"]["debugData"]["step"] for e in scim_log(admin, seq)]


def last_seq(admin: Admin) -> int:
    entries = admin.call("GET", "/logs", limit=1000)
    return entries[-1]["debugContext"]["debugData"]["seq"] if entries else 0


def person(admin: Admin, login: str, first: str) -> dict:
    body = {
        "profile": {"login": login, "email": login, "firstName": first, "lastName": "Tester"},
        "credentials": {"password": {"value": "Passw0rd!"}},
    }
    return admin.call("POST", "/users", body, activate="true")


def install_test_app(admin: Admin, scim_base: str) -> str:
    app = admin.call(
        "POST",
        "/apps",
        {"name": "scim2testapp", "label": "SCIM 2.0 Test App (OAuth Bearer Token)", "signOnMode": "SAML_2_0"},
        activate="true",
    )
    conn = {"baseUrl": scim_base, "profile": {"authScheme": "TOKEN", "token": TOKEN}}
    got = admin.call("POST", f"/apps/{app['id']}/connections/default", conn, activate="true")
    assert got["status"] == "ENABLED" and "token" not in got["profile"]
    caps = {
        "create": {"lifecycleCreate": {"status": "ENABLED"}},
        "update": {"profile": {"status": "ENABLED"}, "lifecycleDeactivate": {"status": "ENABLED"}},
    }
    feature = admin.call("PUT", f"/apps/{app['id']}/features/USER_PROVISIONING", caps)
    assert feature["capabilities"]["update"]["profile"]["status"] == "ENABLED"
    return str(app["id"])


def test_done_when_lifecycle(sim, make_provider: ProviderFactory, tmp_path):
    scim, admin = make_provider(), sim()
    ann, bob = person(admin, "ann@example.com", "Ann"), person(admin, "bob@example.com", "Bob")
    group = admin.call("POST", "/groups", {"profile": {"name": "Engineering", "description": "eng"}})
    app_id = install_test_app(admin, scim.base)
    assert steps_since(admin, 0) == ["connect.users", "connect.groups"]
    tested = admin.call("POST", f"/apps/{app_id}/connections/default/test")
    assert tested["status"] == "SUCCESS"

    seq = last_seq(admin)
    assigned = admin.call("POST", f"/apps/{app_id}/users", {"id": ann["id"], "scope": "USER"})
    assert steps_since(admin, seq) == ["assign.lookup", "assign.create"]
    scim_id = assigned["externalId"]
    target = scim.get(f"/Users/{scim_id}").json()
    assert target["userName"] == "ann@example.com" and target["externalId"] == ann["id"]

    seq = last_seq(admin)
    admin.call("POST", f"/users/{ann['id']}", {"profile": {"firstName": "Anne"}})
    assert steps_since(admin, seq) == ["update.get", "update.put"]
    assert scim.get(f"/Users/{scim_id}").json()["name"]["givenName"] == "Anne"

    seq = last_seq(admin)
    admin.call("POST", f"/users/{ann['id']}/lifecycle/deactivate")
    assert steps_since(admin, seq) == ["deactivate.patch"]
    assert scim.get(f"/Users/{scim_id}").json()["active"] is False
    admin.call("POST", f"/users/{ann['id']}/lifecycle/activate", sendEmail="false")
    assert steps_since(admin, seq)[1:] == ["reactivate.patch"]
    assert scim.get(f"/Users/{scim_id}").json()["active"] is True

    # group assignment provisions bob; then push the group
    admin.call("PUT", f"/groups/{group['id']}/users/{ann['id']}", expect=204)
    admin.call("PUT", f"/groups/{group['id']}/users/{bob['id']}", expect=204)
    admin.call("PUT", f"/apps/{app_id}/groups/{group['id']}", {"priority": 0})
    bob_scim = admin.call("GET", f"/apps/{app_id}/users/{bob['id']}")["externalId"]
    assert bob_scim and scim.get(f"/Users/{bob_scim}").status_code == 200

    seq = last_seq(admin)
    mapping = admin.call(
        "POST",
        f"/apps/{app_id}/group-push/mappings",
        {"sourceGroupId": group["id"], "status": "ACTIVE", "targetGroupName": "Engineering"},
        expect=201,
    )
    assert steps_since(admin, seq) == ["group.push.lookup", "group.push.create", "group.push.add-members.1"]
    gid = mapping["targetGroupId"]
    assert member_ids(scim, gid) == {scim_id, bob_scim}

    seq = last_seq(admin)
    admin.call("DELETE", f"/groups/{group['id']}/users/{bob['id']}", expect=204)
    assert steps_since(admin, seq) == ["group.members.rename", "group.members.patch.1", "deactivate.patch"]
    assert member_ids(scim, gid) == {scim_id}
    assert scim.get(f"/Users/{bob_scim}").json()["active"] is False

    seq = last_seq(admin)
    admin.call("PUT", f"/groups/{group['id']}", {"profile": {"name": "Platform", "description": "eng"}})
    assert steps_since(admin, seq) == ["group.rename.patch"]
    assert scim.get(f"/Groups/{gid}").json()["displayName"] == "Platform"

    seq = last_seq(admin)
    admin.call("POST", f"/apps/{app_id}/group-push/mappings/{mapping['id']}/push")
    assert steps_since(admin, seq) == ["group.push-now.rename", "group.push-now.replace"]

    path = f"/apps/{app_id}/group-push/mappings/{mapping['id']}"
    refused = admin.call("DELETE", path, expect=400, deleteTargetGroup="true")
    assert refused["errorCode"] == "E0000001"
    admin.call("PATCH", path, {"status": "INACTIVE"})
    seq = last_seq(admin)
    admin.call("DELETE", path, expect=204, deleteTargetGroup="true")
    assert steps_since(admin, seq) == ["group.unlink.delete"]
    assert scim.get(f"/Groups/{gid}").status_code == 404

    first = scim_log(admin)[0]
    assert first["outcome"]["result"] == "SUCCESS"
    headers = first["debugContext"]["debugData"]["exchange"]["request"]["headers"]
    assert headers["User-Agent"] == "Okta SCIM Client 1.0.0" and headers["Authorization"] == "[REDACTED]"
    assert admin.call("GET", "/tasks") == []


def test_restart_keeps_org(sim, make_provider: ProviderFactory, tmp_path):
    scim, db = make_provider(), str(tmp_path / "keep.db")
    admin = sim(db)
    ann = person(admin, "ann@example.com", "Ann")
    app_id = install_test_app(admin, scim.base)
    assigned = admin.call("POST", f"/apps/{app_id}/users", {"id": ann["id"]})
    logged = admin.call("GET", "/logs", limit=1000)

    again = sim(db)
    assert again.call("GET", f"/users/{ann['id']}")["profile"]["login"] == "ann@example.com"
    assert again.call("GET", f"/apps/{app_id}/connections/default")["status"] == "ENABLED"
    assert again.call("GET", f"/apps/{app_id}/users/{ann['id']}")["externalId"] == assigned["externalId"]
    assert again.call("GET", "/logs", limit=1000) == logged
    seq = last_seq(again)
    again.call("POST", f"/users/{ann['id']}", {"profile": {"lastName": "Other"}})
    assert steps_since(again, seq) == ["update.get", "update.put"]  # the stored token still works


def test_failed_provisioning_becomes_task(sim, make_provider: ProviderFactory):
    scim, admin = make_provider(), sim()
    app_id = install_test_app(admin, scim.base)
    ann = person(admin, "ann@example.com", "Ann")
    scim.create_user("ann@example.com")  # an existing user: the lookup hits and Okta links it
    linked = admin.call("POST", f"/apps/{app_id}/users", {"id": ann["id"]})
    assert linked["_scimcert"]["provisioning"][0]["linked"] is True
    scim.delete(f"/Users/{linked['externalId']}")
    admin.call("POST", f"/users/{ann['id']}", {"profile": {"firstName": "Gone"}})
    (task,) = admin.call("GET", "/tasks")
    assert task["errorSummary"].startswith(
        "Automatic profile push of user Gone Tester to app SCIM 2.0 Test App"
    )
    assert task["failedStep"] == "update.get"


@pytest.mark.parametrize("auth", [f"SSWS {ADMIN}", f"SSWS{ADMIN}"])
def test_ssws_both_forms(sim, auth):
    url = sim().base.removesuffix("/api/v1")
    assert Admin(url, auth).call("GET", "/users") == []


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "code"),
    [
        ("POST", "/users", {"profile": {"login": "x@y.z"}}, 400, "E0000001"),
        ("POST", "/users", None, 400, "E0000001"),
        ("GET", "/users/00unknown", None, 404, "E0000007"),
        ("GET", "/groups/00gunknown", None, 404, "E0000007"),
        ("GET", "/apps/0oaunknown", None, 404, "E0000007"),
        ("POST", "/apps", {"name": "nosuchapp", "signOnMode": "SAML_2_0"}, 400, "E0000001"),
        ("POST", "/apps", {"name": "scim2testapp", "signOnMode": "OIDC"}, 400, "E0000001"),
        ("GET", "/nothing/here", None, 404, "E0000007"),
        ("PATCH", "/users", None, 405, "E0000022"),
    ],
)
def test_bad_input_gets_okta_error_bodies(sim, method, path, body, status, code):
    admin = sim()
    got = admin.call(method, path, body, expect=status)
    assert got["errorCode"] == code and got["errorLink"] == code
    assert got["errorSummary"] and got["errorId"].startswith("oae") and isinstance(got["errorCauses"], list)


def test_malformed_json_and_bad_token(sim):
    admin = sim()
    resp = admin.http.post(admin.base + "/users", data="{", headers={"Content-Type": "application/json"})
    assert resp.status_code == 400 and resp.json()["errorCode"] == "E0000003"
    for auth in ("SSWS wrong", "Bearer", ""):
        resp = requests.get(admin.base + "/users", headers={"Authorization": auth}, timeout=10)
        assert resp.status_code == 401 and resp.json()["errorCode"] == "E0000011"


def test_duplicate_login_and_unknown_connection(sim, make_provider: ProviderFactory):
    admin = sim()
    person(admin, "ann@example.com", "Ann")
    dup = admin.call(
        "POST",
        "/users",
        {"profile": {"login": "ANN@example.com", "email": "a@b.c", "firstName": "A", "lastName": "B"}},
        expect=400,
    )
    assert dup["errorCauses"][0]["errorSummary"].startswith("login: An object with this field already exists")
    app = admin.call("POST", "/apps", {"name": "scim2testapp", "signOnMode": "SAML_2_0"})
    conn = {"baseUrl": "http://127.0.0.1:9/scim/v2", "profile": {"authScheme": "TOKEN", "token": "x"}}
    failed = admin.call("POST", f"/apps/{app['id']}/connections/default", conn, expect=400, activate="true")
    assert failed["errorCauses"][0]["errorSummary"].startswith("Error authenticating")
    assert scim_log(admin)[0]["outcome"]["result"] == "FAILURE"  # the attempt is logged
    assert admin.call("GET", f"/apps/{app['id']}/connections/default")["status"] == "DISABLED"
    off = admin.call("GET", f"/apps/{app['id']}/features", expect=400)
    assert off["errorCauses"][0]["errorSummary"] == "Provisioning is not enabled for the app instance."


def member_ids(scim, gid: str) -> set[str]:
    return {m["value"] for m in scim.get(f"/Groups/{gid}").json().get("members") or []}
