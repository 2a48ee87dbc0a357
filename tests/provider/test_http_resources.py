"""Users and Groups over HTTP on a real loopback port: the probes a new user tries with curl."""

from __future__ import annotations

import json

from simulator.scim import urns
from tests.conftest import IVANTI, Scim, patch_op, user_body


def test_okta_create_body_gives_201_with_location_etag_and_no_password(scim: Scim) -> None:
    resp = scim.post("/Users", user_body("alice@example.com"))
    assert resp.status_code == 201
    body = resp.json()
    assert resp.headers["Location"] == body["meta"]["location"]
    assert resp.headers["ETag"] == body["meta"]["version"]
    assert resp.headers["Content-Type"].startswith("application/scim+json")
    assert "password" not in body and "password" not in resp.text
    assert body["meta"]["resourceType"] == "User"
    assert body["userName"] == "alice@example.com" and body["active"] is True
    assert "groups" not in body  # readOnly: Okta's "groups": [] is ignored, none derived yet


def test_get_by_id_and_unknown_id(scim: Scim) -> None:
    user = scim.create_user("bob@example.com")
    got = scim.get(f"/Users/{user['id']}")
    assert got.status_code == 200 and got.json() == user
    missing = scim.get("/Users/010101001010101011001010101011")
    assert missing.status_code == 404
    assert missing.json()["status"] == "404" and urns.ERROR in missing.json()["schemas"]


def test_duplicate_username_conflicts_in_any_case(scim: Scim) -> None:
    scim.create_user("carol@example.com")
    again = scim.post("/Users", user_body("CAROL@example.com"))
    assert again.status_code == 409 and again.json()["scimType"] == "uniqueness"


def test_bad_bodies(scim: Scim) -> None:
    no_name = user_body("x@example.com")
    del no_name["userName"]
    assert scim.post("/Users", no_name).json()["scimType"] == "invalidValue"
    raw = scim.request(
        "POST", "/Users", data=b'{"schemas": [', headers={"Content-Type": "application/scim+json"}
    )
    assert raw.status_code == 400 and raw.json()["scimType"] == "invalidSyntax"
    nested = scim.request("POST", "/Users", data=b"[" * 100_000 + b"]" * 100_000)
    assert nested.status_code == 400
    wrong_type = scim.post("/Users", user_body("y@example.com", active="yes"))
    assert wrong_type.status_code == 400 and "boolean" in wrong_type.json()["detail"]
    unknown = scim.post("/Users", user_body("z@example.com", favouriteColour="blue"))
    assert unknown.status_code == 400


def test_application_json_request_body_is_accepted(scim: Scim) -> None:
    resp = scim.request(
        "POST",
        "/Users",
        data=json.dumps(user_body("j@example.com")),
        headers={"Content-Type": "application/json"},
    )
    assert resp.status_code == 201


def test_put_replaces_clears_omitted_and_ignores_readonly_echo(scim: Scim) -> None:
    user = scim.create_user("dana@example.com", title="Engineer", nickName="D")
    echo = {**user, "title": "Manager"}
    del echo["nickName"]
    resp = scim.put(f"/Users/{user['id']}", echo)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["title"] == "Manager" and "nickName" not in body
    assert body["id"] == user["id"] and body["meta"]["created"] == user["meta"]["created"]
    assert body["meta"]["version"] != user["meta"]["version"]


def test_delete_then_404_twice(scim: Scim) -> None:
    user = scim.create_user("erin@example.com")
    assert scim.delete(f"/Users/{user['id']}").status_code == 204
    assert scim.get(f"/Users/{user['id']}").status_code == 404
    assert scim.delete(f"/Users/{user['id']}").status_code == 404


def test_etags(scim: Scim) -> None:
    user = scim.create_user("fay@example.com")
    path = f"/Users/{user['id']}"
    etag = user["meta"]["version"]
    assert scim.get(path, headers={"If-None-Match": etag}).status_code == 304
    ok = scim.patch(
        path, patch_op({"op": "replace", "path": "title", "value": "CTO"}), headers={"If-Match": etag}
    )
    assert ok.status_code == 200
    for method, body in (
        ("PATCH", patch_op({"op": "replace", "path": "title", "value": "x"})),
        ("PUT", user),
        ("DELETE", None),
    ):
        stale = scim.request(method, path, body, headers={"If-Match": etag})
        assert stale.status_code == 412, method
    assert scim.get(path).json()["title"] == "CTO"


def test_okta_deactivate_and_entra_string_boolean(scim: Scim) -> None:
    user = scim.create_user("gus@example.com")
    path = f"/Users/{user['id']}"
    okta = scim.patch(path, patch_op({"op": "replace", "value": {"active": False}}))
    assert okta.status_code == 200 and okta.json()["active"] is False
    assert scim.get(path).json()["active"] is False  # deactivated users stay readable
    scim.patch(path, patch_op({"op": "replace", "value": {"active": True}}))
    entra = scim.patch(path, patch_op({"op": "Replace", "path": "active", "value": "False"}))
    assert entra.status_code == 200 and entra.json()["active"] is False


def test_group_members_add_without_type_remove_by_filter_and_derived_groups(scim: Scim) -> None:
    a, b = scim.create_user("h1@example.com"), scim.create_user("h2@example.com")
    group = scim.create_group("Engineering")
    path = f"/Groups/{group['id']}"
    add = patch_op(
        {
            "op": "add",
            "path": "members",
            "value": [
                {"value": a["id"], "display": "h1@example.com"},
                {"value": b["id"], "display": "h2@example.com"},
            ],
        }
    )
    assert scim.patch(path, add).status_code == 200
    assert [g["value"] for g in scim.get(f"/Users/{a['id']}").json()["groups"]] == [group["id"]]
    remove = patch_op({"op": "remove", "path": f'members[value eq "{a["id"]}"]'})
    members = scim.patch(path, remove).json()["members"]
    assert [m["value"] for m in members] == [b["id"]]
    assert members[0]["type"] == "User" and members[0]["$ref"].endswith(f"/Users/{b['id']}")
    assert "groups" not in scim.get(f"/Users/{a['id']}").json()
    scim.delete(f"/Users/{b['id']}")
    assert "members" not in scim.get(path).json()


def test_okta_group_rename_and_push_now(scim: Scim) -> None:
    user = scim.create_user("ian@example.com")
    group = scim.create_group("Sales", [user["id"]])
    path = f"/Groups/{group['id']}"
    rename = patch_op({"op": "replace", "value": {"id": group["id"], "displayName": "Sales EMEA"}})
    assert scim.patch(path, rename).json()["displayName"] == "Sales EMEA"
    empty = patch_op({"op": "replace", "path": "members", "value": []})
    assert "members" not in scim.patch(path, empty).json()
    bad = patch_op({"op": "replace", "value": {"id": "another", "displayName": "X"}})
    assert scim.patch(path, bad).json()["scimType"] == "mutability"


def test_member_must_exist(scim: Scim) -> None:
    body = {"schemas": [urns.CORE_GROUP], "displayName": "Ghosts", "members": [{"value": "nope"}]}
    resp = scim.post("/Groups", body)
    assert resp.status_code == 400 and resp.json()["scimType"] == "invalidValue"


def test_custom_extension_round_trip(scim: Scim) -> None:
    user = scim.create_user("kim@example.com", **{IVANTI: {"custAttr1": "blue", "level": 3}})
    assert user["schemas"] == [urns.CORE_USER, IVANTI]
    assert user[IVANTI] == {"custAttr1": "blue", "level": 3}
    found = scim.list("/Users", filter=f'{IVANTI}:custAttr1 eq "BLUE"')
    assert [r["id"] for r in found["Resources"]] == [user["id"]]
    bad = scim.post("/Users", user_body("lee@example.com", **{IVANTI: {"level": "three"}}))
    assert bad.status_code == 400 and bad.json()["scimType"] == "invalidValue"
    path = f"/Users/{user['id']}"
    patched = scim.patch(path, patch_op({"op": "replace", "path": f"{IVANTI}:custAttr1", "value": "red"}))
    assert patched.json()[IVANTI]["custAttr1"] == "red"
    removed = scim.patch(path, patch_op({"op": "remove", "path": IVANTI})).json()
    assert IVANTI not in removed and removed["schemas"] == [urns.CORE_USER]
