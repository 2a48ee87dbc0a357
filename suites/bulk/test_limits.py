"""failOnErrors, maxOperations and maxPayloadSize (RFC 7644 §3.7, §3.7.4): requests that change
nothing on a correct target (their operations are DELETEs of ids no target holds, or never run)."""

from __future__ import annotations

import json

import pytest

from simulator.scim import urns
from simulator.scim.paths import user_path
from suites.bulk.request import missing_path, send
from suites.client import ScimClient
from suites.expect import describe, expect, expect_status
from suites.factory import Factory
from suites.target import Target

MOST_SENT = 1000  # maxOperations above this is not exceeded: the request would be too large to send
MOST_BYTES = 4 * 1024 * 1024  # maxPayloadSize above this is not exceeded: too much to send in a check
PADDED_OPERATIONS = 10  # the DELETEs whose paths carry the bytes (fewer where maxOperations is lower)


@pytest.mark.check("BULK-FAIL-001", level="SHOULD", refs=["RFC7644 §3.7", "RFC7644 §3.7.3"],
                   caught_by=["bulk-fail-on-errors-ignored"])
def test_fail_on_errors_stops_the_request(target: Target, factory: Factory, client: ScimClient) -> None:
    """With "failOnErrors": 1, the operation after a failed one is not performed: a DELETE of an
    existing user that follows a DELETE of a missing one leaves the user in place.

    RFC 7644 §3.7.3: "The service provider MUST continue performing as many changes as possible
    and disregard partial failures. The client MAY override this behavior by specifying a value
    for the "failOnErrors" attribute." §3.7, failOnErrors: "An integer specifying the number of
    errors that the service provider will accept before the operation is terminated and an error
    response is returned." SHOULD: the text defines the attribute but puts no MUST on honouring it.
    """
    target.require("bulk")
    user = factory.user()
    reply = send(target, client, [{"method": "DELETE", "path": missing_path()},
                                  {"method": "DELETE", "path": user_path(user["id"])}], failOnErrors=1)
    read = client.get(user_path(user["id"]))
    expect(read.status == 200,
           "the user still there (GET 200): the DELETE after the first error not performed",
           f"{describe(read)} after the BulkRequest answered {describe(reply)}", read)


@pytest.mark.check("BULK-MAX-001", level="MUST", refs=["RFC7644 §3.7.4", "RFC7643 §5"],
                   caught_by=["bulk-max-operations-ignored"])
def test_more_operations_than_max_operations_is_413(target: Target, client: ScimClient) -> None:
    """A BulkRequest with one operation more than bulk.maxOperations is refused with 413.

    RFC 7644 §3.7.4: "The service provider MUST define the maximum number of operations and
    maximum payload size a client may send in a single request. [...] If either limits are
    exceeded, the service provider MUST return HTTP response code 413 (Request Entity Too Large)." The
    operations are DELETEs of ids no target holds, so a target that runs them anyway changes
    nothing. Skipped when maxOperations is not a whole number from 1 to 1000.
    """
    target.require("bulk")
    limit = (target.spc.get("bulk") or {}).get("maxOperations")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MOST_SENT:
        pytest.skip(f"bulk.maxOperations is {limit!r}: the check sends at most {MOST_SENT + 1} operations")
    ops = [{"method": "DELETE", "path": missing_path()} for _ in range(limit + 1)]
    expect_status(send(target, client, ops), 413)


@pytest.mark.check("BULK-MAX-002", level="MUST", refs=["RFC7644 §3.7.4", "RFC7643 §5"],
                   caught_by=["bulk-max-payload-understated"])
def test_larger_payload_than_max_payload_size_is_413(target: Target, client: ScimClient) -> None:
    """A BulkRequest one byte larger than bulk.maxPayloadSize is refused with 413.

    RFC 7644 §3.7.4: "The service provider MUST define the maximum number of operations and
    maximum payload size a client may send in a single request. [...] If either limits are
    exceeded, the service provider MUST return HTTP response code 413 (Request Entity Too
    Large)." RFC 7643 §5, maxPayloadSize: "An integer value specifying the maximum payload
    size in bytes." The bytes are in the paths of a few DELETEs of ids no target holds (no more
    operations than maxOperations), so a target that runs them anyway changes nothing. Skipped
    when maxPayloadSize is not a whole number of bytes up to 4 MiB.
    """
    target.require("bulk")
    section = target.spc.get("bulk") or {}
    limit, most_ops = section.get("maxPayloadSize"), section.get("maxOperations")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MOST_BYTES:
        pytest.skip(f"bulk.maxPayloadSize is {limit!r}: the check sends at most {MOST_BYTES + 1} bytes")
    ops = _padded_deletes(limit + 1, most_ops)
    reply = send(target, client, ops)
    expect_status(reply, 413)


def _padded_deletes(size: int, most_ops: object) -> list[dict[str, str]]:
    """DELETEs of ids no target holds whose BulkRequest, as the client sends it, is size bytes."""
    count = most_ops if isinstance(most_ops, int) and not isinstance(most_ops, bool) else 1
    ops = [{"method": "DELETE", "path": missing_path()} for _ in range(max(1, min(count, PADDED_OPERATIONS)))]
    sent = len(json.dumps({"schemas": [urns.BULK_REQUEST], "Operations": ops}).encode())
    missing = max(0, size - sent)
    for i, op in enumerate(ops):  # the padding spread over the paths, the remainder on the first
        op["path"] += "x" * (missing // len(ops) + (missing % len(ops) if i == 0 else 0))
    return ops
