"""What a throttled request tells its client (RFC 6585 §4), and what Okta does with it (okta-scim.md §10)."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.okta.retry import parse_retry_after
from suites.client import Reply
from suites.exchange import Exchange
from suites.expect import fail


def _unhelpful(exchanges: list[tuple[str, Any]]) -> list[tuple[Exchange, str]]:
    """Each 429 of the run whose Retry-After is not delay-seconds, with what it said instead."""
    found: list[tuple[Exchange, str]] = []
    for check_id, exchange in exchanges:
        if exchange.status != 429:
            continue
        value = exchange.response_header("Retry-After")
        if parse_retry_after(value) is None:  # Okta's own reading: delay-seconds or nothing
            said = "no Retry-After" if value is None else f"Retry-After: {value}"
            found.append((exchange, f"{check_id}: {exchange.request_line} with {said}"))
    return found


@pytest.mark.check("ERR-RATE-001", level="MAY", refs=["RFC6585 §4", "RFC9110 §10.2.3", "Okta §10"],
                   readonly=True, run_wide=True, caught_by=["rate-limited-no-retry-after"])
def test_throttled_requests_say_when_to_retry(run_exchanges: list[tuple[str, Any]]) -> None:
    """Every 429 of the run carries Retry-After in seconds.

    RFC 6585 §4: 429 Too Many Requests "MAY include a Retry-After header indicating how long to
    wait before making a new request"; RFC 9110 §10.2.3 allows an HTTP-date or delay-seconds. Okta
    pauses the provisioning task for Retry-After seconds when it is a whole number, and for 5
    minutes otherwise (absent, or an HTTP-date), doubling the wait on each retry, for at most 10
    attempts (okta-scim.md §10): a bare 429 turns a one-second throttle into hours of delay for an
    Okta push. Runs last and reads every response of the run; skipped when none was a 429.
    """
    throttled = [exchange for _, exchange in run_exchanges if exchange.status == 429]
    if not throttled:
        pytest.skip("the target answered no request of this run with 429")
    found = _unhelpful(run_exchanges)
    if found:
        more = f"\n(+{len(found) - 5} more)" if len(found) > 5 else ""
        lines = "\n".join(line for _, line in found[:5]) + more
        fail(f"Retry-After in seconds on each of the run's {len(throttled)} 429 answers (Okta waits "
             "5 minutes, doubling, for a 429 without it)", lines, Reply(found[0][0], None))
