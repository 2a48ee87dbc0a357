"""failOnErrors and maxOperations (RFC 7644 §3.7, §3.7.4): requests that change nothing on a
correct target (their operations are DELETEs of ids no target holds, or never run)."""

from __future__ import annotations

import pytest

from simulator.scim.paths import user_path
from suites.bulk.request import missing_path, send
from suites.client import ScimClient
from suites.expect import describe, expect, expect_status
from suites.factory import Factory
from suites.target import Target

MOST_SENT = 1000  # maxOperations above this is not exceeded: the request would be too large to send


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
