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
