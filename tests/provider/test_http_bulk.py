"""POST /Bulk (RFC 7644 §3.7) on the wire: operations run through the provider's own writes."""

from __future__ import annotations

import json
from typing import Any

import requests

from simulator.scim import urns
from tests.conftest import ProviderFactory, Scim, patch_op, user_body


def bulk(scim: Scim, *ops: dict[str, Any], **extra: Any) -> requests.Response:
    return scim.post("/Bulk", {"schemas": [urns.BULK_REQUEST], **extra, "Operations": list(ops)})


def test_a_bulk_request_creates_references_patches_and_deletes(scim: Scim) -> None:
    resp = bulk(
        scim,
        {"method": "POST", "path": "/Users", "bulkId": "u", "data": user_body("ann@example.com")},
        {"method": "POST", "path": "/Groups", "bulkId": "g",
         "data": {"schemas": [urns.CORE_GROUP], "displayName": "Tour Guides",
                  "members": [{"value": "bulkId:u"}]}},
        {"method": "PATCH", "path": "/Users/bulkId:u",
         "data": patch_op({"op": "replace", "path": "displayName", "value": "Ann B"})},
        {"method": "DELETE", "path": "/Groups/bulkId:g"},
    )
    assert resp.status_code == 200
    body = resp.json()
    assert body["schemas"] == [urns.BULK_RESPONSE]
    ops = body["Operations"]
    assert [(o["method"], o.get("bulkId"), o["status"]) for o in ops] == [
        ("POST", "u", "201"), ("POST", "g", "201"), ("PATCH", None, "200"), ("DELETE", None, "204")]
    user = scim.http.get(ops[0]["location"], timeout=5).json()
    assert user["displayName"] == "Ann B"
    assert ops[2]["version"] == scim.get(f"/Users/{user['id']}").headers["ETag"]
    assert ops[1]["location"] == ops[3]["location"]
    assert scim.get(f"/Groups/{ops[1]['location'].rsplit('/', 1)[1]}").status_code == 404


def test_errors_are_reported_per_operation_and_the_rest_still_runs(scim: Scim) -> None:
    ops = bulk(scim, {"method": "DELETE", "path": "/Users/missing"},
               {"method": "PUT", "path": "/Users/bulkId:nobody", "data": user_body("x@example.com")},
               {"method": "POST", "path": "/Users", "bulkId": "ok", "data": user_body("ok@example.com")},
               {"method": "POST", "path": "/Users", "bulkId": "dup", "data": user_body("ok@example.com")},
               {"method": "GET", "path": "/Users"}).json()["Operations"]
    assert [o["status"] for o in ops] == ["404", "409", "201", "409", "400"]
    assert ops[0]["response"]["status"] == "404" and ops[3]["response"]["scimType"] == "uniqueness"
    assert "location" not in ops[3]  # a failed POST has none (RFC 7644 §3.7.3)


def test_fail_on_errors_stops_after_that_many_errors(scim: Scim) -> None:
    missing = {"method": "DELETE", "path": "/Users/missing"}
    created = {"method": "POST", "path": "/Users", "bulkId": "late", "data": user_body("late@example.com")}
    assert len(bulk(scim, missing, created, failOnErrors=1).json()["Operations"]) == 1
    assert scim.list("/Users")["totalResults"] == 0
    assert len(bulk(scim, missing, created, failOnErrors=2).json()["Operations"]) == 2
    assert bulk(scim, missing, failOnErrors="1").status_code == 400


def test_limits_answer_413_naming_the_limit(make_provider: ProviderFactory) -> None:
    scim = make_provider(max_body_bytes=2000)
    assert scim.get("/ServiceProviderConfig").json()["bulk"]["maxPayloadSize"] == 2000
    too_many = bulk(make_provider(), *[{"method": "DELETE", "path": "/Users/x"}] * 101)
    assert too_many.status_code == 413 and "maxOperations is 100" in too_many.json()["detail"]
    big = {"method": "POST", "path": "/Users", "bulkId": "b",
           "data": user_body("b@example.com", title="x" * 3000)}
    too_big = scim.post("/Bulk", data=json.dumps({"schemas": [urns.BULK_REQUEST], "Operations": [big]}),
                        headers={"Content-Type": "application/scim+json"})
    assert too_big.status_code == 413 and "maxPayloadSize (2000)" in too_big.json()["detail"]
    assert scim.list("/Users")["totalResults"] == 0


def test_malformed_bulk_requests_are_400(scim: Scim) -> None:
    assert scim.post("/Bulk", {"Operations": []}).status_code == 400
    assert scim.post("/Bulk", {"schemas": [urns.BULK_REQUEST]}).status_code == 400
    assert bulk(scim).json() == {"schemas": [urns.BULK_RESPONSE], "Operations": []}


def test_bulk_unsupported_answers_501_and_says_so(make_provider: ProviderFactory) -> None:
    scim = make_provider("bulk-unsupported")
    assert scim.get("/ServiceProviderConfig").json()["bulk"] == {
        "supported": False, "maxOperations": 0, "maxPayloadSize": 0}
    assert bulk(scim).status_code == 501


def _group(name: str, *members: str) -> dict[str, Any]:
    return {"schemas": [urns.CORE_GROUP], "displayName": name,
            "members": [{"value": f"bulkId:{m}", "type": "Group"} for m in members]}


def _ids(ops: list[dict[str, Any]]) -> list[str]:
    return [o["location"].rsplit("/", 1)[1] for o in ops]


def test_a_reference_to_a_later_post_runs_that_post_first(scim: Scim) -> None:
    """RFC 7644 §3.7.2: the group names a user its request creates after it; the results keep the
    request's order."""
    ops = bulk(scim, {"method": "POST", "path": "/Groups", "bulkId": "g",
                      "data": {"schemas": [urns.CORE_GROUP], "displayName": "Early",
                               "members": [{"value": "bulkId:u"}]}},
               {"method": "POST", "path": "/Users", "bulkId": "u", "data": user_body("u@example.com")},
               ).json()["Operations"]
    assert [(o["bulkId"], o["status"]) for o in ops] == [("g", "201"), ("u", "201")]
    gid, uid = _ids(ops)
    assert [m["value"] for m in scim.get(f"/Groups/{gid}").json()["members"]] == [uid]


def test_circular_references_are_resolved(scim: Scim) -> None:
    """RFC 7644 §3.7.1's example: group A has B as a member and B has A; and a cycle of three. Each
    group holds the next, and its result's version is the ETag of what it holds."""
    ops = bulk(scim, {"method": "POST", "path": "/Groups", "bulkId": "a", "data": _group("A", "b")},
               {"method": "POST", "path": "/Groups", "bulkId": "b", "data": _group("B", "a")},
               {"method": "POST", "path": "/Groups", "bulkId": "x", "data": _group("X", "y")},
               {"method": "POST", "path": "/Groups", "bulkId": "y", "data": _group("Y", "z")},
               {"method": "POST", "path": "/Groups", "bulkId": "z", "data": _group("Z", "x")},
               ).json()["Operations"]
    assert [o["status"] for o in ops] == ["201"] * 5
    a, b, x, y, z = ids = _ids(ops)
    for holder, member, op in zip(ids, (b, a, y, z, x), ops, strict=True):
        got = scim.get(f"/Groups/{holder}")
        assert [(m["value"], m["type"]) for m in got.json()["members"]] == [(member, "Group")]
        assert op["version"] == got.headers["ETag"]


def test_a_cycle_whose_other_post_fails_creates_nothing(scim: Scim) -> None:
    """A references B, so B runs first and creates itself without A, waiting for it; A then fails
    (no displayName): B fails after all with 409, and what it created is gone."""
    broken = {"schemas": [urns.CORE_GROUP], "members": [{"value": "bulkId:b"}]}
    ops = bulk(scim, {"method": "POST", "path": "/Groups", "bulkId": "a", "data": broken},
               {"method": "POST", "path": "/Groups", "bulkId": "b", "data": _group("B", "a")},
               ).json()["Operations"]
    assert [o["status"] for o in ops] == ["400", "409"]
    assert all("location" not in o and "version" not in o for o in ops)
    assert scim.list("/Groups")["totalResults"] == 0


def test_bulk_cycles_refused_answers_409_to_the_cycle_only(make_provider: ProviderFactory) -> None:
    """The bulk-cycles-refused condition (RFC 7644 §3.7.1 "MAY stop after a failed attempt and
    instead return HTTP status code 409"): the cycle's POSTs fail and create nothing; a reference
    to a later POST that is no cycle still resolves."""
    scim = make_provider("bulk-cycles-refused")
    ops = bulk(scim, {"method": "POST", "path": "/Groups", "bulkId": "a", "data": _group("A", "b")},
               {"method": "POST", "path": "/Groups", "bulkId": "b", "data": _group("B", "a")},
               {"method": "POST", "path": "/Groups", "bulkId": "c", "data": _group("C", "d")},
               {"method": "POST", "path": "/Groups", "bulkId": "d", "data": _group("D")},
               ).json()["Operations"]
    assert [o["status"] for o in ops] == ["409", "409", "201", "201"]
    assert "circular reference" in ops[1]["response"]["detail"]
    assert scim.list("/Groups")["totalResults"] == 2


def test_bulk_unresolved_refs_dropped_creates_the_first_group_empty(make_provider: ProviderFactory) -> None:
    scim = make_provider("bulk-unresolved-refs-dropped")
    ops = bulk(scim, {"method": "POST", "path": "/Groups", "bulkId": "a", "data": _group("A", "b")},
               {"method": "POST", "path": "/Groups", "bulkId": "b", "data": _group("B", "a")},
               ).json()["Operations"]
    assert [o["status"] for o in ops] == ["201", "201"]
    a, b = _ids(ops)
    assert scim.get(f"/Groups/{a}").json().get("members", []) == []
    assert [m["value"] for m in scim.get(f"/Groups/{b}").json()["members"]] == [a]


def test_a_cycle_is_complete_before_the_next_operation_runs(scim: Scim) -> None:
    """The PATCH after the cycle renames the group its first POST created without its member:
    the member is there already, and the rename is kept (not overwritten by the completion)."""
    rename = {"method": "PATCH", "path": "/Groups/bulkId:b",
              "data": patch_op({"op": "replace", "path": "displayName", "value": "B renamed"})}
    ops = bulk(scim, {"method": "POST", "path": "/Groups", "bulkId": "a", "data": _group("A", "b")},
               {"method": "POST", "path": "/Groups", "bulkId": "b", "data": _group("B", "a")},
               rename).json()["Operations"]
    assert [o["status"] for o in ops] == ["201", "201", "200"]
    a, b = _ids(ops[:2])
    got = scim.get(f"/Groups/{b}").json()
    assert got["displayName"] == "B renamed" and [m["value"] for m in got["members"]] == [a]
