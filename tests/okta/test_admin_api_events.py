"""System Log events of admin actions (okta-admin-api.md §12): lifecycle, memberships, apps."""

from __future__ import annotations

import sqlite3

from simulator.okta.store import LogRec, OrgStore
from tests.conftest import ProviderFactory
from tests.okta import test_admin_api
from tests.okta.test_admin_api import Admin, install_test_app, last_seq, scim_log

sim = test_admin_api.sim  # the simulator fixture: start(db=None) -> Admin


def events_since(admin: Admin, seq: int, **params: str) -> list[dict]:
    return admin.call("GET", "/logs", after=seq, limit=1000, **params)


def admin_events(admin: Admin, seq: int) -> list[tuple[str, list[str]]]:
    """(eventType, target ids) of the admin actions' events after seq."""
    return [(e["eventType"], [t["id"] for t in e["target"]]) for e in events_since(admin, seq)
            if "step" not in e["debugContext"]["debugData"]]


def test_people_and_groups_actions_are_logged_with_their_targets(sim) -> None:
    admin = sim()
    seq = last_seq(admin)
    body = {"profile": {"login": "ann@example.com", "email": "ann@example.com", "firstName": "Ann",
                        "lastName": "Lee"}, "credentials": {"password": {"value": "Passw0rd!"}}}
    ann = admin.call("POST", "/users", body, activate="true")["id"]  # ACTIVE (a password is set)
    admin.call("POST", f"/users/{ann}", {"profile": {"title": "Engineer"}})
    admin.call("POST", f"/users/{ann}", {"credentials": {"password": {"value": "N3w-Passw0rd!"}}})
    admin.call("POST", f"/users/{ann}/lifecycle/suspend")
    admin.call("POST", f"/users/{ann}/lifecycle/unsuspend")
    group = admin.call("POST", "/groups", {"profile": {"name": "Engineering"}})["id"]
    admin.call("PUT", f"/groups/{group}/users/{ann}", expect=204)
    admin.call("PUT", f"/groups/{group}/users/{ann}", expect=204)  # already a member: no event
    admin.call("DELETE", f"/groups/{group}/users/{ann}", expect=204)
    admin.call("DELETE", f"/groups/{group}", expect=204)
    admin.call("DELETE", f"/users/{ann}", expect=204)  # deactivates
    admin.call("DELETE", f"/users/{ann}", expect=204)  # deletes
    assert admin_events(admin, seq) == [
        ("user.lifecycle.create", [ann]),
        ("user.lifecycle.activate", [ann]),
        ("user.account.update_profile", [ann]),
        ("user.account.update_password", [ann]),  # a password alone is no profile update
        ("user.lifecycle.suspend", [ann]),
        ("user.lifecycle.unsuspend", [ann]),
        ("group.lifecycle.create", [group]),
        ("group.user_membership.add", [ann, group]),
        ("group.user_membership.remove", [ann, group]),
        ("group.lifecycle.delete", [group]),
        ("user.lifecycle.deactivate", [ann]),
        ("user.lifecycle.delete.completed", [ann]),
    ]
    created = events_since(admin, seq)[0]
    assert created["displayMessage"] == "Create Okta user" and created["outcome"]["result"] == "SUCCESS"
    assert created["actor"]["type"] == "User" and created["transaction"]["type"] == "WEB"
    assert created["target"][0] == {"id": ann, "type": "User", "alternateId": "ann@example.com",
                                    "displayName": "Ann Lee"}
    assert scim_log(admin, seq) == []  # none of this is provisioning


def test_app_actions_and_assignments_are_logged_beside_their_scim_exchanges(
        sim, make_provider: ProviderFactory) -> None:
    admin = sim()
    seq = last_seq(admin)
    app_id = install_test_app(admin, make_provider().base)
    body = {"profile": {"login": "bob@example.com", "email": "bob@example.com", "firstName": "Bob",
                        "lastName": "Ray"}}
    bob = admin.call("POST", "/users", body, activate="true")["id"]
    admin.call("POST", f"/apps/{app_id}/users", {"id": bob, "scope": "USER"})
    admin.call("DELETE", f"/apps/{app_id}/users/{bob}", expect=204)
    admin.call("POST", f"/apps/{app_id}/lifecycle/deactivate", {})
    admin.call("DELETE", f"/apps/{app_id}", expect=204)
    kinds = [kind for kind, _ in admin_events(admin, seq)]
    assert kinds[:2] == ["application.lifecycle.create", "application.lifecycle.activate"]
    assert "application.lifecycle.update" in kinds  # connection and To App switches
    assert kinds[-4:] == ["application.user_membership.add", "application.user_membership.remove",
                          "application.lifecycle.deactivate", "application.lifecycle.delete"]
    assert ("application.user_membership.add", [bob, app_id]) in admin_events(admin, seq)

    only = events_since(admin, seq, filter='eventType eq "application.user_membership.remove"')
    assert [e["eventType"] for e in only] == ["application.user_membership.remove"]
    about_bob = events_since(admin, seq, filter=f'target.id eq "{bob}"')
    assert {e["eventType"] for e in about_bob} >= {
        "user.lifecycle.create", "application.user_membership.add", "application.provision.user.push",
        "application.provision.user.deactivate",
    }
    assert all(bob in [t["id"] for t in e["target"]] for e in about_bob)


def test_an_org_file_from_before_targets_opens_and_logs(tmp_path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:  # the logs table as earlier scimcert versions wrote it
        db.execute("CREATE TABLE logs (seq INTEGER PRIMARY KEY AUTOINCREMENT, uuid TEXT NOT NULL,"
                   " published TEXT NOT NULL, event_type TEXT NOT NULL, result TEXT NOT NULL, reason TEXT,"
                   " message TEXT NOT NULL, app_id TEXT, object_id TEXT, step TEXT, exchange TEXT)")
        db.execute("INSERT INTO logs (uuid, published, event_type, result, message, step) VALUES"
                   " ('u1', '2026-01-01T00:00:00.000Z', 'application.provision.user.push', 'SUCCESS',"
                   " 'POST /Users -> 201', 'assign.create')")
    store = OrgStore(str(path))
    store.add_log(LogRec(0, "u2", "2026-01-01T00:00:01.000Z", "user.lifecycle.create", "SUCCESS", None,
                         "Create Okta user", None, None, None, None, ({"id": "00u1", "type": "User"},)))
    old, new = store.logs()
    assert old.step == "assign.create" and old.targets is None
    assert new.targets == ({"id": "00u1", "type": "User"},)
    assert [e.seq for e in store.recent_logs()] == [old.seq]  # the console lists provisioning only


def test_an_error_page_that_is_not_json_is_logged_as_text(sim, make_provider: ProviderFactory) -> None:
    scim, admin = make_provider("error-body-not-scim"), sim()  # errors come as HTML pages
    app_id = install_test_app(admin, scim.base)
    body = {"profile": {"login": "ann@example.com", "email": "ann@example.com", "firstName": "Ann",
                        "lastName": "Lee"}}
    ann = admin.call("POST", "/users", body, activate="true")["id"]
    scim_id = admin.call("POST", f"/apps/{app_id}/users", {"id": ann})["externalId"]
    scim.delete(f"/Users/{scim_id}")
    seq = last_seq(admin)
    admin.call("POST", f"/users/{ann}", {"profile": {"title": "Engineer"}})  # GET /Users/{id} -> 404
    (failed,) = scim_log(admin, seq)
    response = failed["debugContext"]["debugData"]["exchange"]["response"]
    assert response["status"] == 404 and response["body"] is None
    assert response["text"].startswith("<html><body><h1>Error 404</h1>")  # what the vendor's server said
