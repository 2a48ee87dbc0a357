"""`scimcert replay` against a target whose resource types require an extension (RFC 7643 §6).

Okta sends only the attributes its app profile maps (okta-scim.md §9), so the Okta admin of a
target that requires a User extension maps values into it in the Profile Editor; the replay's app
does the same, as `scimcert run`'s Okta suite does (suites/okta/required.py), and the flow's own
setup users (not Okta's requests) carry the data. Where Okta's body still lacks it — the SPEC
test's fixed bodies, a group push to a target requiring a Group extension — the failed step says so.
"""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass

import click
from faker import Faker

from simulator.okta.flowdata import Flow
from simulator.okta.flowresults import StepResult
from simulator.okta.plan import Send
from simulator.okta.profile_editor import Mapped, describe
from simulator.okta.wire import ScimRequest, ScimResponse
from simulator.scim.schema import SchemaDef
from suites.client import Recorder, ScimClient
from suites.config import RunConfig
from suites.okta.required import refused_note, required_mappings, setup_with_required
from suites.target import Target


@dataclass(frozen=True)
class Required:
    """The extensions the target's User and Group resource types require, and the app's mappings."""

    users: tuple[SchemaDef, ...] = ()
    groups: tuple[SchemaDef, ...] = ()
    mapped: Mapped = ()
    faker: Faker | None = None  # the values of the mappings and of the setup users' data

    def mapped_line(self) -> str | None:
        """The one line saying what the app maps and why; None when it maps nothing."""
        if not self.mapped:
            return None
        return ("mapped in the app's Profile Editor, as the target's Okta admin must: "
                f"{describe(self.mapped)} (its User resource type requires that extension, RFC 7643 §6, "
                "and Okta sends only mapped attributes)")


def read_required(config: RunConfig, declared: tuple[SchemaDef, ...], seed: str,
                  record: Recorder | None = None) -> Required:
    """The target's required extensions, from one /ResourceTypes and one /Schemas read (as
    `scimcert run` reads them; an extension /Schemas does not define is taken as declared), and
    the app's mappings for them, named in one line. record takes the two requests (for the HAR)."""
    client = ScimClient(config, record or (lambda _: None))
    with closing(client.session):
        target = Target(client, declared)
        users, groups = target.required_extensions("User"), target.required_extensions("Group")
    faker = Faker(use_weighting=False)
    faker.seed_instance(seed)
    required = Required(users, groups, required_mappings(users, faker), faker)
    line = required.mapped_line()
    if line is not None:
        click.echo(line)
    return required


class StepRequests:
    """A flow's send: adds the required data to its setup steps' creates, and notes why each
    failed step failed when its last request lacked an extension the target requires."""

    def __init__(self, send: Send, flow: Flow, required: Required) -> None:
        self._send, self._required = send, required
        setup = frozenset(s.id for s in flow.steps if s.setup)
        self._amend = (setup_with_required(required.users, required.faker, setup)
                       if required.users and required.faker else _unchanged)
        self._last: ScimRequest | None = None
        self.notes: dict[str, str] = {}  # step id -> why it failed

    def __call__(self, request: ScimRequest) -> ScimResponse:
        self._last = request = self._amend(request)
        return self._send(request)

    def step(self, result: StepResult) -> None:
        """FlowRun's on_step: the requests sent since the previous step were this step's."""
        if result.verdict == "fail":
            self.notes[result.id] = refused_note(self._required.users, self._last, self._required.groups)
        self._last = None


def _unchanged(request: ScimRequest) -> ScimRequest:
    return request
