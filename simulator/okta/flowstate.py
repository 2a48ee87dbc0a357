"""The state of one run of an Okta flow (FlowState): what it was given (the flow, the app, the
`send`, callbacks), its variables, the simulated org's users and groups, and what it created."""

from __future__ import annotations

import random
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from simulator.okta.flowcheck import Call
from simulator.okta.flowdata import Flow
from simulator.okta.flowresults import StepResult
from simulator.okta.model import AppInstance, OktaGroup, OktaUser
from simulator.okta.plan import Send
from simulator.okta.retry import Clock, SystemClock
from simulator.okta.wire import ScimRequest, ScimResponse

# One admin API call (method, path with query, JSON body) -> the simulator's response.
AdminSend = Callable[[str, str, Any], ScimResponse]
# Hosts a simulator whose SCIM traffic goes to the given send; returns how to call its admin API.
SimulatorFactory = Callable[[Send], AdminSend]
# A context held around each create and its recording (the CLI holds Ctrl-C there).
Hold = Callable[[], AbstractContextManager[object]]


@dataclass
class FlowState:
    """The state of one run of a flow: variables, the simulated org, what the target returned."""

    flow: Flow
    app: AppInstance
    send: Send
    prefix: str = "scimcert-replay-"
    rng: random.Random = field(default_factory=random.Random)
    clock: Clock = field(default_factory=SystemClock)
    simulator: SimulatorFactory | None = None
    variables: dict[str, Any] = field(default_factory=dict)
    hold: Hold = nullcontext  # an interrupt never separates a create from its record in `created`
    on_step: Callable[[StepResult], None] | None = None  # each step's result as it completes
    on_request: Callable[[str, int], None] | None = None  # (step id, requests so far): progress
    # Each (User|Group, id, name) the flow creates, told inside the create's hold, before the next
    # request (the CLI journals it in its ledger), and each (User|Group, id) of those it deletes.
    on_created: Callable[[str, str, str], None] | None = None
    on_deleted: Callable[[str, str], None] | None = None
    # Each (User|Group, name) of a create that got no response and that a lookup by its name did
    # not find: it may exist (the CLI records it in its ledger for a later lookup). Given, such a
    # create is looked up at once (FlowTraffic._find_lost); None, the send does that itself (the
    # suite's recording client does).
    on_unconfirmed: Callable[[str, str], None] | None = None
    users: dict[str, OktaUser] = field(default_factory=dict)
    groups: dict[str, OktaGroup] = field(default_factory=dict)
    created: list[tuple[str, str, str]] = field(default_factory=list)
    _admin: AdminSend | None = field(default=None, init=False, repr=False)
    _relayed: list[Call] | None = field(default=None, init=False, repr=False)
    _sent: list[ScimRequest] = field(default_factory=list, init=False, repr=False)
    current_step: str = field(default="", init=False)  # the step whose requests are in flight
