"""Run an Okta flow (fixtures/okta/*.json) against a target through any `send` (STYLE.md §3).

Pure apart from the `send` it is given (the HTTP Transport in `scimcert replay`, the recording
client in the Okta suite) and, for flows driven through the admin API (Okta's CRUD test), the
`simulator` factory that hosts one (simulator/okta/embedded.py). Each step yields a StepResult:
id, the requests it sent with their statuses, and a verdict with the failing assertion.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from simulator.okta import engine, wire
from simulator.okta.flowcheck import Call, check
from simulator.okta.flowdata import Flow, FlowError, Step, is_missing, load_flow, lookup, render
from simulator.okta.model import AppInstance, AppUser, Flavour, OktaGroup, OktaUser, new_id
from simulator.okta.plan import Outcome, Plan, Send
from simulator.okta.retry import Clock, SystemClock
from simulator.okta.wire import BasicAuth, BearerAuth, HeaderAuth, ScimRequest, ScimResponse
from simulator.scim.ownership import lookup_hits, lookup_query, prefixed_name

__all__ = ["AdminSend", "Call", "FlowError", "FlowResult", "FlowRun", "StepResult", "load_flow"]

# One admin API call (method, path with query, JSON body) -> the simulator's response.
AdminSend = Callable[[str, str, Any], ScimResponse]
# Hosts a simulator whose SCIM traffic goes to the given send; returns how to call its admin API.
SimulatorFactory = Callable[[Send], AdminSend]
# A context held around each create and its recording (the CLI holds Ctrl-C there).
Hold = Callable[[], AbstractContextManager[object]]
CREATES = {"/Users": "User", "/Groups": "Group"}


@dataclass(frozen=True, slots=True)
class StepResult:
    """A step's verdict; `expected`/`received` describe the first failing assertion."""

    id: str
    title: str
    verdict: Literal["pass", "fail", "skip"]
    calls: tuple[Call, ...] = ()
    expected: str | None = None
    received: str | None = None
    optional: bool = False
    setup: bool = False

    @property
    def failure(self) -> str | None:
        if self.verdict == "pass":
            return None
        return f"Expected: {self.expected}; Received: {self.received}"


@dataclass(frozen=True, slots=True)
class FlowResult:
    """Every step's verdict in order; ok when no required step failed or was skipped."""

    flow: str
    steps: tuple[StepResult, ...]
    created: tuple[tuple[str, str, str], ...] = ()  # (User|Group, id, name) the flow created

    @property
    def first_failure(self) -> StepResult | None:
        return next((s for s in self.steps if s.verdict != "pass" and not s.optional), None)

    @property
    def ok(self) -> bool:
        return self.first_failure is None


@dataclass
class FlowRun:
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
    # create is looked up at once (_find_lost); None, the send does that itself (the suite's
    # recording client does).
    on_unconfirmed: Callable[[str, str], None] | None = None
    users: dict[str, OktaUser] = field(default_factory=dict)
    groups: dict[str, OktaGroup] = field(default_factory=dict)
    created: list[tuple[str, str, str]] = field(default_factory=list)
    _admin: AdminSend | None = field(default=None, init=False, repr=False)
    _relayed: list[Call] | None = field(default=None, init=False, repr=False)
    _sent: list[ScimRequest] = field(default_factory=list, init=False, repr=False)
    current_step: str = field(default="", init=False)  # the step whose requests are in flight

    def __post_init__(self) -> None:
        if self.prefix:  # a scimcert run: it never writes to a lookup hit it did not look up
            self.app = replace(self.app, exact_links=True)
        self.variables.update(prefix=self.prefix, auth=self.app.auth.header()[1])
        if self.flow.uses_admin:
            self.variables.update(scim_url=self.app.base_url, connection=_connection(self.app),
                                  app_install=_install_body(self.app))
        for name, template in self.flow.variables:
            self.variables[name] = render(template, self.variables, self.rng)
        for alias, spec in (self.flow.users or {}).items():
            profile = {k: render(v, self.variables, self.rng) for k, v in spec.items()}
            login = f"{self.prefix}{alias}.{self.rng.randrange(10**6):06d}@example.com"
            profile.setdefault("login", login)
            profile.setdefault("email", profile["login"])
            profile.setdefault("locale", "en-US")
            self.users[alias] = OktaUser(new_id("00u", self.rng), profile)
        for alias, name in (self.flow.groups or {}).items():
            self._name_group(alias, name, new_id("00g", self.rng))

    def run(self, only: str | None = None) -> FlowResult:
        """Run every step (or only `only` and what it needs); a failed need skips a step."""
        steps = self.flow.closure(only) if only else list(self.flow.steps)
        results: dict[str, StepResult] = {}
        for step in steps:
            missing = [n for n in step.needs if results[n].verdict != "pass"]
            if missing:
                results[step.id] = StepResult(step.id, step.title, "skip", (), f"step {missing[0]} to pass",
                                              results[missing[0]].verdict, step.optional, step.setup)
            else:
                results[step.id] = self._step(step)
                self.current_step = ""
            if self.on_step is not None:
                self.on_step(results[step.id])
        return FlowResult(self.flow.name, tuple(results.values()), tuple(self.created))

    def _step(self, step: Step) -> StepResult:
        calls: list[Call] = []
        self._sent, self.current_step = [], step.id
        problem: tuple[str, str] | None = None
        for n in range(1, step.repeat + 1):
            self.variables["n"] = n
            try:
                outcome, response = self._act(step, calls)
            except FlowError as exc:
                problem = ("a runnable step", str(exc))
                break
            problem = self._verify(step, outcome, response, calls[-1] if calls else None)
            if problem is not None:
                break
            self._save(step, response)
        verdict: Literal["pass", "fail"] = "fail" if problem else "pass"
        expected, received = problem or (None, None)
        return StepResult(step.id, step.title, verdict, tuple(calls), expected, received,
                          step.optional, step.setup)

    def _act(self, step: Step, calls: list[Call]) -> tuple[Outcome | None, ScimResponse | None]:
        last: list[ScimResponse] = []

        def record(request: ScimRequest) -> ScimResponse:
            response = self._exchange(request, calls)
            last.append(response)
            return response

        if step.kind == "request":
            return None, record(self._literal(step))
        if step.kind == "admin":
            return None, self._admin_call(step, calls)
        outcome = engine.drive(self._plan(step.action), record)
        self._adopt(step.action, outcome)
        return outcome, (last[-1] if last else None)

    def _literal(self, step: Step) -> ScimRequest:
        spec = render(step.action["request"], self.variables, self.rng)
        body = spec.get("body")
        set_name = spec.get("headers", "okta")
        if set_name == "okta":
            headers = wire.okta_headers(self.app.auth, with_body=body is not None)
        else:
            auth_name = self.app.auth.header()[0]
            raw = (self.flow.headers or {})[set_name]
            headers = tuple(
                (auth_name if v == "{{auth}}" else k, render(v, self.variables, self.rng))
                for k, v in raw.items()
            )
        overrides = spec.get("override_headers", {})
        headers = tuple((k, overrides.get(k, v)) for k, v in headers)
        query = spec.get("query", "")
        if "params" in spec:
            query = wire.encode_query([(str(k), str(v)) for k, v in spec["params"]])
        return ScimRequest(step.id, spec["method"], self.app.base_url, spec["path"], query, headers,
                           body, self.app.auth.header()[0])

    def _admin_call(self, step: Step, calls: list[Call]) -> ScimResponse:
        """One admin API call; the SCIM requests the simulator sends meanwhile join the step."""
        spec = render(step.action["admin"], self.variables, self.rng)
        target = spec["path"]
        if "params" in spec:
            target += "?" + wire.encode_query([(str(k), str(v)) for k, v in spec["params"]])
        admin = self._simulator()
        first, self._relayed = len(calls), calls
        started = self.clock.monotonic()
        try:
            response = admin(spec["method"], target, spec.get("body"))
        finally:
            self._relayed = None
        elapsed = (self.clock.monotonic() - started) * 1000.0
        calls.insert(first, Call(step.id, f"{spec['method']} {target}", response.status, elapsed))
        return response

    def _simulator(self) -> AdminSend:
        if self._admin is None:
            if self.simulator is None:
                raise FlowError(f"flow {self.flow.name!r} is driven through the simulator's admin API, "
                                "and no simulator was given")
            self._admin = self.simulator(self.relay)
        return self._admin

    def relay(self, request: ScimRequest) -> ScimResponse:
        """The simulator's SCIM requests: sent with `send`, recorded in the running step."""
        self._sent.append(request)
        return self._exchange(request, self._relayed)

    def _exchange(self, request: ScimRequest, calls: list[Call] | None) -> ScimResponse:
        """Send one request, note it in calls, and remember what it created."""
        creates = request.method == "POST" and request.path in CREATES
        with self.hold() if creates else nullcontext():
            started = self.clock.monotonic()
            response = self.send(request)
            self._remember(request, response)
        elapsed = (self.clock.monotonic() - started) * 1000.0
        if calls is not None:
            calls.append(Call(request.step, request.request_line, response.status, elapsed))
            if self.on_request is not None:
                self.on_request(self.current_step, len(calls))
        return response

    def _remember(self, request: ScimRequest, response: ScimResponse) -> None:
        """Note what a POST created, and forget what a DELETE of the flow removed: `created` is
        what the flow leaves on the target for its cleanup (or its ledger) to deal with."""
        if request.method == "DELETE" and response.ok:
            gone = [c for c in self.created if wire.resource_path(f"{c[0]}s", c[1]) == request.path]
            self.created[:] = [c for c in self.created if c not in gone]
            for resource in gone:
                if self.on_deleted is not None:
                    self.on_deleted(resource[0], resource[1])
            return
        body = response.json_object() or {}
        kind = CREATES.get(request.path)
        if request.method == "POST" and kind and response.ok and isinstance(body.get("id"), str):
            sent = request.body if isinstance(request.body, dict) else {}
            self._created(kind, body["id"], str(sent.get("userName") or sent.get("displayName")))
        elif request.method == "POST" and kind and response.status == 0 and self.on_unconfirmed is not None:
            self._find_lost(request, kind, self.on_unconfirmed)

    def _created(self, kind: str, rid: str, name: str) -> None:
        self.created.append((kind, rid, name))
        if self.on_created is not None:
            self.on_created(kind, rid, name)

    def _find_lost(self, request: ScimRequest, kind: str, unconfirmed: Callable[[str, str], None]) -> None:
        """A create that got no response (timed out) may have made its resource: look up the
        run-prefixed name it sent (one GET, not one of the step's requests) and take each resource
        of exactly that name as created; none found, or a lookup that cannot tell, is unconfirmed."""
        name = prefixed_name(kind, request.body, self.prefix)
        if name is None:
            return
        headers = wire.okta_headers(self.app.auth, with_body=False)
        found = self.send(ScimRequest("lookup after no response", "GET", request.base_url, request.path,
                                      lookup_query(kind, name), headers, None, self.app.auth.header()[0]))
        hits = lookup_hits(kind, name, found.body) if found.status == 200 else None
        for rid in hits or ():
            self._created(kind, rid, name)
        if not hits:
            unconfirmed(kind, name)

    def _plan(self, action: Mapping[str, Any]) -> Plan:
        name, app = action["plan"], self.app
        if name in ("test_connection", "import_users", "import_groups"):
            plan: Plan = getattr(engine, name)(app)
            return plan
        if "user" in action:
            alias = action["user"]
            if name == "assign_user":
                return engine.assign_user(app, self._user(alias), None, rng=self.rng)
            if name == "update_profile":
                changed = {**self._user(alias).profile, **render(action["profile"], self.variables, self.rng)}
                self.users[alias] = replace(self._user(alias), profile=changed)
                return engine.update_profile(app, self.users[alias], self._app_user(alias))
            return getattr(engine, name)(app, self._user(alias), self._app_user(alias))  # type: ignore[no-any-return]
        alias = action["group"]
        group = self.groups[alias]
        if name == "push_group":
            return engine.push_group(app, group, self._members(action.get("members", ())))
        gid = self._var(f"{alias}.id")
        if name == "update_members":
            removed = [self._var(f"{a}.id") for a in action.get("remove", ())]
            return engine.update_members(app, gid, self._members(action.get("add", ())), removed)
        if name == "push_now":
            return engine.push_now(app, gid, self._members(action.get("members", ())))
        if name == "rename_group":
            self._name_group(alias, render(action["name"], self.variables, self.rng), group.id)
            return engine.rename_group(app, gid, self.groups[alias].name)
        return engine.unlink_group(app, gid, bool(action.get("delete", True)), name=group.name)

    def _adopt(self, action: Mapping[str, Any], outcome: Outcome) -> None:
        """Keep what the org state would keep: the target's ids of users and groups."""
        alias = action.get("user") or action.get("group")
        if alias and outcome.scim_id:
            self.variables[f"{alias}.id"] = outcome.scim_id

    def _name_group(self, alias: str, name: str, okta_id: str) -> None:
        """Run-prefixed and suffixed, so flows run side by side never share a displayName."""
        full = f"{self.prefix}{name} {self.rng.randrange(10**6):06d}"
        self.groups[alias] = OktaGroup(okta_id, full)
        self.variables[f"{alias}.name"] = full

    def _user(self, alias: str) -> OktaUser:
        if alias not in self.users:
            raise FlowError(f"user {alias!r} is not declared in the flow")
        return self.users[alias]

    def _app_user(self, alias: str) -> AppUser:
        return AppUser(self._user(alias).id, scim_id=self._var(f"{alias}.id"))

    def _var(self, name: str) -> str:
        if name not in self.variables:
            raise FlowError(f"{name} is not known yet (an earlier step must set it)")
        return str(self.variables[name])

    def _members(self, aliases: Sequence[str]) -> list[engine.Member]:
        return [engine.Member(self._var(f"{a}.id"), self._user(a).login) for a in aliases]

    def _verify(self, step: Step, outcome: Outcome | None, response: ScimResponse | None,
                call: Call | None) -> tuple[str, str] | None:
        for rule in step.expect:
            problem = check(render(dict(rule), self.variables, self.rng), outcome, response, call, self._sent)
            if problem is not None:
                return problem
        return None

    def _save(self, step: Step, response: ScimResponse | None) -> None:
        body = response.body if response is not None else None
        for name, path in (step.save or {}).items():
            value = lookup(body, path)
            if not is_missing(value):
                self.variables[name] = value


def _connection(app: AppInstance) -> dict[str, str]:
    """The admin API's connection profile for the app's credentials (okta-admin-api.md §5)."""
    auth = app.auth
    if isinstance(auth, BearerAuth):
        return {"authScheme": "TOKEN", "token": auth.token}
    if isinstance(auth, BasicAuth):
        return {"authScheme": "BASIC", "username": auth.username, "password": auth.password}
    if isinstance(auth, HeaderAuth) and auth.name == "Authorization" and auth.template == "{token}":
        return {"authScheme": "TOKEN", "token": auth.token}
    raise FlowError(f"the simulator's Header Auth app sends its token as 'Authorization'; "
                    f"a {auth.header()[0]!r} header cannot be configured through the admin API")


def _install_body(app: AppInstance) -> dict[str, str]:
    """`POST /api/v1/apps`: the catalog test app for the credentials, or an AIW app (§4.2)."""
    if app.flavour is Flavour.AIW:
        return {"label": "scimcert AIW SCIM app", "signOnMode": "SAML_2_0"}
    name = {"bearer": "scim2testapp", "basic": "scim2testapp_basic", "header": "scim2headerauth"}
    return {"name": name[app.auth.kind], "signOnMode": "SAML_2_0"}
