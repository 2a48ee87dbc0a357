"""A target that ignores `filter` answers Okta's lookup with somebody else's resource: Okta links it
and overwrites it (okta-scim.md §4.2b, §8.2). scimcert's flows — plans, and Okta's CRUD test through
the embedded simulator — refuse to, say why, and send nothing to it; the simulator as Okta links."""

from __future__ import annotations

import random
from typing import Any

from simulator.okta.embedded import EmbeddedSimulator
from simulator.okta.flowdata import load_flow
from simulator.okta.flows import FlowResult, FlowRun
from simulator.okta.model import AppInstance
from simulator.okta.plan import Send
from simulator.okta.wire import BearerAuth, ScimRequest, ScimResponse
from tests.okta.support import BASE, TOKEN, created, error, listing, ok, scim_user

CEO = scim_user("s-ceo", "ceo@corp.example")
REFUSED = ('returned userName "ceo@corp.example" (id s-ceo): the server ignored or mis-applied the filter; '
           "Okta would link — and then overwrite — that user; scimcert did not write to it")


class FilterIgnored:
    """Every list answers the CEO, whatever it asked for; remembers each request."""

    def __init__(self) -> None:
        self.sent: list[ScimRequest] = []

    def __call__(self, request: ScimRequest) -> ScimResponse:
        self.sent.append(request)
        if request.method == "GET" and request.path in ("/Users", "/Groups"):
            return listing(CEO) if request.path == "/Users" else listing()
        if request.method == "POST" and request.path == "/Users":
            return created(scim_user("s-new", request.body["userName"]))
        if request.path == "/Users/s-ceo":
            return ok(CEO)
        return error(500, f"unexpected {request.request_line}")

    def to_ceo(self) -> list[str]:
        return [r.method for r in self.sent if r.path == "/Users/s-ceo"]


def _run(flow: str, only: str, target: Send, **kw: Any) -> FlowResult:
    app = AppInstance("0oa1", BASE, BearerAuth(TOKEN))
    return FlowRun(load_flow(flow), app, target, rng=random.Random(3), **kw).run(only=only)


def test_a_flow_run_refuses_the_hit_and_says_why() -> None:
    target = FilterIgnored()
    result = _run("user-lifecycle", "assign", target)
    (step,) = result.steps
    assert step.verdict == "fail" and step.expected == "Okta's assign_user to end with ok = True"
    assert str(step.received).startswith('the lookup `filter=userName eq "scimcert-replay-ada.')
    assert str(step.received).endswith(REFUSED)
    assert [c.step for c in step.calls] == ["assign.lookup"] and target.to_ceo() == []


def test_a_flow_run_without_a_prefix_links_as_okta_does() -> None:
    target = FilterIgnored()
    _run("user-lifecycle", "assign", target, prefix="")
    assert target.to_ceo() == ["GET", "PUT"]


def test_okta_s_crud_test_through_the_embedded_simulator_refuses_the_hit() -> None:
    target = FilterIgnored()
    result = _run("crud-test", "3", target, simulator=EmbeddedSimulator)
    step = result.steps[-1]
    assert step.id == "3" and step.verdict == "fail"
    assert step.expected == "Okta's provisioning to succeed (no task)"
    assert str(step.received).startswith("assign.lookup: the lookup `filter=userName eq ")
    assert str(step.received).endswith(REFUSED)
    assert target.to_ceo() == []


def test_the_simulator_as_okta_links_the_hit() -> None:
    """`scimcert simulator` behaves like Okta: its OrgService links any first hit."""
    target = FilterIgnored()
    _run("crud-test", "3", target, simulator=lambda send: EmbeddedSimulator(send, exact_links=False))
    assert target.to_ceo() == ["GET", "PUT"]
