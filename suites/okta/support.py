"""Okta's engine and flows driven through the harness's recording client, with the ledger."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from faker import Faker

from simulator.okta import engine
from simulator.okta.embedded import embedded_simulator
from simulator.okta.flowdata import FlowError, load_flow
from simulator.okta.flows import FlowRun, StepResult
from simulator.okta.model import AppInstance, Flavour, new_id
from simulator.okta.plan import Outcome, Plan
from simulator.okta.profile_editor import Mapped, mapping_simulator, with_mappings
from simulator.okta.transport import wire_headers
from simulator.okta.wire import Auth, BasicAuth, BearerAuth, HeaderAuth, ScimRequest, ScimResponse
from simulator.scim import urns
from simulator.scim.schema import SchemaDef
from suites.client import Reply, ScimClient
from suites.config import RunConfig
from suites.expect import fail
from suites.ledger import Ledger
from suites.okta.required import SetupBody, refused_note, required_mappings, setup_with_required

KINDS = {"/Users": "User", "/Groups": "Group"}


def okta_app(config: RunConfig, mapped: Mapped = ()) -> AppInstance:
    """The Okta app instance pointed at the target, with the run's credentials and flavour (and
    the mapped attributes an extension the target requires needs: suites/okta/required.py); it
    links no lookup hit of another name, which Okta would link and overwrite (model.AppInstance)."""
    auth: Auth
    if config.auth.kind == "basic":
        user, _, password = config.auth.value.partition(":")
        auth = BasicAuth(user, password)
    elif config.auth.kind == "header":
        name, _, value = config.auth.value.partition(":")
        auth = HeaderAuth(value.strip(), name.strip())
    else:
        auth = BearerAuth(config.auth.value)
    return with_mappings(AppInstance(new_id("0oa", random.Random()), config.url or "", auth,
                                     flavour=Flavour(config.okta_flavour), exact_links=True), mapped)


@dataclass
class OktaSender:
    """Sends engine requests through the recording client; what they create goes in the ledger."""

    client: ScimClient
    ledger: Ledger
    required: tuple[SchemaDef, ...] = ()  # User extensions the target requires (RFC 7643 §6)
    faker: Faker = field(default_factory=Faker)
    required_groups: tuple[SchemaDef, ...] = ()  # Group extensions it requires: no mapping adds them
    sent: list[ScimRequest] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    amend: SetupBody | None = None  # what the flow's setup steps add to their requests
    declined: frozenset[str] = frozenset()  # features /ServiceProviderConfig says are not supported

    def mappings(self) -> Mapped:
        """App attributes and mappings that make Okta send the required extensions' data."""
        return required_mappings(self.required, self.faker)

    def __call__(self, request: ScimRequest) -> ScimResponse:
        if self.amend is not None:
            request = self.amend(request)
        target = request.path + (f"?{request.query}" if request.query else "")
        reply = self.client.request(request.method, target, data=request.body_bytes(),
                                    headers=dict(wire_headers(request)), auth=False,
                                    step=request.step, exact=True)
        self.sent.append(request)
        self.replies.append(reply)
        body = reply.body
        kind = KINDS.get(request.path)
        if request.method == "POST" and kind and reply.status in (200, 201):
            rid = body.get("id")
            sent = request.body if isinstance(request.body, dict) else {}
            if isinstance(rid, str) and rid and not self.ledger.owns(kind, rid):
                self.ledger.add(kind, rid, str(sent.get("userName") or sent.get("displayName")))
        status = reply.status or 0
        return ScimResponse.from_text(status, reply.text, tuple(reply.headers.items()))

    @property
    def last(self) -> Reply | None:
        return self.replies[-1] if self.replies else None

    def refused_note(self) -> str:
        """Why the last request failed, when it lacks an extension the target requires."""
        return refused_note(self.required, self.sent[-1] if self.sent else None, self.required_groups)

    def declined_note(self) -> str:
        """Why the last request failed, when it uses a feature the target says it does not support."""
        request, reply = (self.sent[-1], self.last) if self.sent else (None, None)
        if request is None or reply is None:
            return ""
        no_total = request.method == "GET" and _omits_total(reply)
        if "index" in self.declined and request.method == "GET" and "startIndex=" in request.query:
            total = (" and totalResults, which the target leaves out (RFC 9865 §2 lets a cursor-paged "
                     "list)") if no_total else ""
            return (" (pagination.index is false in /ServiceProviderConfig: the target pages by cursor "
                    "only (RFC 9865 §2.3), but Okta pages by startIndex and reads startIndex and "
                    f"itemsPerPage (okta-scim.md §2, §3){total}, so Okta fails here too)")
        if no_total and ("index" in self.declined or "nextCursor" in reply.body):
            return (" (the target leaves totalResults out of its cursor-paged list, which RFC 9865 §2 "
                    "allows, but Okta reads totalResults (okta-scim.md §3, §4.1, §11.1), so Okta "
                    "fails here too)")
        if (reply.status or 0) < 400:
            return ""
        if request.method == "PATCH" and "patch" in self.declined:
            return (" (patch.supported is false in /ServiceProviderConfig: Okta's OIN apps send "
                    "deactivation, reactivation, password and group membership changes as PATCH and do "
                    "not fall back to PUT (okta-scim.md §0, §6.1, §7, §8.3), so Okta fails here too)")
        if request.method == "GET" and "filter=" in request.query and "filter" in self.declined:
            return (" (filter.supported is false in /ServiceProviderConfig: Okta looks a user up by "
                    "userName eq and a group by displayName eq before it creates or links it, and its "
                    "SPEC test does the same (okta-scim.md §4.1, §8.1, §11.1), so Okta fails here too)")
        return ""

    def drive(self, plan: Plan) -> Outcome:
        return engine.drive(plan, self)


def _omits_total(reply: Reply) -> bool:
    """A 200 ListResponse without totalResults."""
    body = reply.json
    return (reply.status == 200 and isinstance(body, dict) and body.get("totalResults") is None
            and urns.LIST_RESPONSE in (body.get("schemas") or []))


def flow_step(flow: str, step_id: str, sender: OktaSender, config: RunConfig,
              variables: Mapping[str, Any] | None = None) -> StepResult:
    """Run one step of an Okta flow (and the steps it needs); fail the check on its verdict.

    Flows driven through the admin API (crud-test, custom-attributes) get an in-process
    simulator whose SCIM requests go through the recording client like every other request.
    """
    __tracebackhide__ = True
    steps, mapped = load_flow(flow), sender.mappings()
    sender.amend = setup_with_required(sender.required, sender.faker,
                                       frozenset(s.id for s in steps.steps if s.setup))
    try:
        run = FlowRun(steps, okta_app(config, mapped), sender, prefix=config.prefix,
                      simulator=mapping_simulator(embedded_simulator(), mapped),
                      variables=dict(variables or {}))
    except FlowError as exc:  # e.g. a Header Auth name the simulator's app cannot be given
        pytest.skip(f"{flow} cannot run against this target: {exc}")
    result = run.run(only=step_id)
    *needed, own = result.steps
    note = sender.refused_note() + sender.declined_note() + foreign_note(sender)
    for prior in needed:
        if prior.verdict != "pass":
            # a setup step is the check's precondition; an earlier step of Okta's own (the rename
            # that rename.verify reads back) is part of what the check judges
            label = "(precondition)" if prior.setup else "(an earlier Okta step)"
            fail(f"{label} {flow} step {prior.id} ({prior.title}): {prior.expected}{note}",
                 str(prior.received), sender.last)
    if own.verdict != "pass":
        fail(f"{own.expected}{note}", str(own.received), sender.last)
    return own


def foreign_note(sender: OktaSender) -> str:
    """When the last reply was a read of a resource this run did not create, say so: Okta's SPEC
    test judges whichever user the target lists first, so a failure may be that user's data."""
    request, reply = (sender.sent[-1], sender.last) if sender.sent else (None, None)
    if request is None or reply is None or request.method != "GET":
        return ""
    kind = KINDS.get("/" + request.path.strip("/").split("/")[0])
    listed = reply.body.get("Resources")
    first = listed[0] if isinstance(listed, list) and listed else reply.body
    rid = first.get("id") if isinstance(first, dict) else None
    if kind is None or not isinstance(rid, str) or sender.ledger.owns(kind, rid):
        return ""
    return (f" (it judged {kind} {rid}, which this run did not create: Okta's test reads what the "
            "target already holds)")


def expect_outcome(outcome: Outcome, sender: OktaSender) -> None:
    """The engine's plan ended the way Okta needs: no task error."""
    __tracebackhide__ = True
    if not outcome.ok:
        fail(f"Okta's {outcome.action} to succeed{sender.refused_note()}{sender.declined_note()}",
             f"{outcome.failed_step}: {outcome.error}", sender.last)
