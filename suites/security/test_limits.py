"""Oversized and absurdly nested bodies are refused with a 4xx answer (RFC 7644 §3.12; RFC 9110)."""

from __future__ import annotations

import pytest

from simulator.scim import urns
from suites.client import Reply, ScimClient
from suites.expect import describe, fail
from suites.factory import Factory
from suites.ledger import Ledger

FIVE_MB = 5 * 1024 * 1024
DEPTH = 50_000


def expect_4xx(reply: Reply, expected: str) -> None:
    """A 4xx answer: not accepted, not a server error, not a dropped connection."""
    __tracebackhide__ = True
    if reply.status is None or not 400 <= reply.status < 500:
        fail(expected, describe(reply), reply)


@pytest.mark.check("SEC-LIMIT-001", level="SHOULD", refs=["RFC7644 §3.12", "RFC9110 §15.5.14",
                                                          "RFC9112 §9.6"])
def test_oversized_body_is_answered(factory: Factory) -> None:
    """A 5 MB POST /Users body gets an answer: stored, or refused with a 4xx — never a 5xx or a drop.

    No RFC sets a size limit, so storing the body is allowed. Refusing it is done with 413:
    RFC 9110 §15.5.14, 413 means "the server is refusing to process a request because the request
    content is larger than the server is willing or able to process"; RFC 9112 §9.6: closing at
    once risks that "the client will not be able to read the last HTTP response".
    """
    reply = factory.post_user(factory.user_body(displayName="x" * FIVE_MB))
    if reply.status is None or reply.status >= 500:
        fail("a 2xx, or 413 (or another 4xx) refusing a 5 MB body", describe(reply), reply)


@pytest.mark.check("SEC-LIMIT-002", level="SHOULD", refs=["RFC7644 §3.12", "RFC8259 §9"])
def test_deeply_nested_body_is_refused(client: ScimClient, ledger: Ledger) -> None:
    """A body of 50,000 nested arrays is refused with 400 (or another 4xx), not a crash.

    RFC 7644 §3.12: 400 "Request is unparsable, syntactically incorrect, or violates schema"
    (invalidSyntax); RFC 8259 §9: "An implementation may set limits on the maximum depth of
    nesting." A parser that recurses per level overflows its stack and answers 500 or nothing.
    """
    body = "[" * DEPTH + "]" * DEPTH
    reply = client.request("POST", "/Users", data=body,
                           headers={"Content-Type": f"{urns.SCIM_MEDIA_TYPE}; charset=utf-8"})
    rid = reply.body.get("id") if reply.status in (200, 201) else None
    if isinstance(rid, str) and not ledger.owns("User", rid):
        ledger.add("User", rid, "(created from a nested-array body)")
    expect_4xx(reply, "HTTP 400 (invalidSyntax) or another 4xx for 50,000 nested arrays")
