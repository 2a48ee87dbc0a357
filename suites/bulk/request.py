"""BulkRequests and the reading of BulkResponses (RFC 7644 §3.7) for the bulk checks."""

from __future__ import annotations

import secrets
from typing import Any

from simulator.scim import urns
from simulator.scim.paths import group_path, user_path
from suites.bulkcreates import located, status_of
from suites.client import Reply, ScimClient
from suites.expect import describe, expect, expect_object, expect_schema, fail
from suites.target import Target

MISSING = "scimcert-missing-"  # the id of a resource no target holds


def new_bulk_id(label: str) -> str:
    return f"{label}-{secrets.token_hex(4)}"


def missing_path() -> str:
    """/Users/{id} of no user: a DELETE of it fails (404) and changes nothing."""
    return user_path(MISSING + secrets.token_hex(8))


def post(kind: str, bulk_id: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"method": "POST", "path": f"/{kind}s", "bulkId": bulk_id, "data": data}


def send(target: Target, client: ScimClient, ops: list[dict[str, Any]], **extra: Any) -> Reply:
    """POST /Bulk with a BulkRequest of ops; skips the check when bulk.supported is not true."""
    target.require("bulk")
    return client.post("/Bulk", {"schemas": [urns.BULK_REQUEST], **extra, "Operations": ops})


def results(reply: Reply) -> list[dict[str, Any]]:
    """The operations of a 200 BulkResponse, identified by its schema URN and valid against
    fixtures/schemas/rfc7644-3.7-bulk-response.schema.json.

    RFC 7644 §3.7: "Bulk responses are identified using the following URI:
    "urn:ietf:params:scim:api:messages:2.0:BulkResponse"."""
    expect(reply.status == 200, "200 and a BulkResponse", describe(reply), reply)
    body = expect_object(reply)
    listed = body.get("schemas")
    schemas = [s.casefold() for s in listed if isinstance(s, str)] if isinstance(listed, list) else []
    expect(urns.BULK_RESPONSE.casefold() in schemas, f"schemas containing {urns.BULK_RESPONSE}",
           body.get("schemas"), reply)
    expect_schema(body, "bulk-response", reply)
    return [op for op in body["Operations"] if isinstance(op, dict)]


def result_of(found: list[dict[str, Any]], bulk_id: str, reply: Reply) -> dict[str, Any]:
    """The result of the POST that sent bulk_id. RFC 7644 §3.7.2: "The service provider MUST
    return the same "bulkId" together with the newly created resource.\""""
    for op in found:
        if op.get("bulkId") == bulk_id:
            return op
    fail(f'an operation with "bulkId": "{bulk_id}" in the BulkResponse',
         f"bulkIds {[op.get('bulkId') for op in found]}", reply)


def expect_op_status(result: dict[str, Any], codes: tuple[int, ...], what: str, reply: Reply) -> None:
    """RFC 7644 §3.7 ("status"): "The HTTP response status code for the requested operation."
    RFC 7644's examples give it as a string ("201"); a number is read the same."""
    expect(status_of(result) in codes, f"{what} answered with status {' or '.join(map(str, codes))}",
           f"status {result.get('status')!r}, response {result.get('response')!r}", reply)


def resource_path_of(result: dict[str, Any], kind: str, what: str, reply: Reply) -> str:
    """The path (on the client's base URL) of the resource an operation's location names.

    RFC 7644 §3.7.3: "A "location" attribute that includes the resource's endpoint MUST be
    returned for all operations except for failed POST operations (which have no location).\""""
    where = located(result)
    if where is None or where[0] != kind:
        fail(f"{what}: a location naming a /{kind}s resource", f"location {result.get('location')!r}", reply)
    return user_path(where[1]) if kind == "User" else group_path(where[1])
