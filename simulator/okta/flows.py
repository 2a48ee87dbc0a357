"""Run an Okta flow (fixtures/okta/*.json) against a target through any `send` (STYLE.md §3).

Pure apart from the `send` it is given (the HTTP Transport in `scimcert replay`, the recording
client in the Okta suite) and, for flows driven through the admin API (Okta's CRUD test), the
`simulator` factory that hosts one (simulator/okta/embedded.py). Each step yields a StepResult:
id, the requests it sent with their statuses, and a verdict with the failing assertion.

FlowRun runs the steps; its fields are FlowState's (flowstate.py), flowtraffic.py sends its
requests and keeps what they created, flowplans.py builds its engine plans, flowresults.py holds
the verdicts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from simulator.okta import engine
from simulator.okta.flowcheck import Call, check
from simulator.okta.flowdata import FlowError, Step, is_missing, load_flow, lookup, render
from simulator.okta.flowplans import FlowPlans
from simulator.okta.flowresults import FlowResult, StepResult
from simulator.okta.flowstate import AdminSend
from simulator.okta.flowtraffic import FlowTraffic, admin_connection, install_body
from simulator.okta.model import OktaUser, new_id
from simulator.okta.plan import Outcome
from simulator.okta.wire import ScimRequest, ScimResponse

__all__ = ["AdminSend", "Call", "FlowError", "FlowResult", "FlowRun", "StepResult", "load_flow"]


@dataclass
class FlowRun(FlowTraffic, FlowPlans):
    """One run of a flow (its fields are FlowState's): run() runs its steps in order."""

    def __post_init__(self) -> None:
        if self.prefix:  # a scimcert run: it never writes to a lookup hit it did not look up
            self.app = replace(self.app, exact_links=True)
        self.variables.update(prefix=self.prefix, auth=self.app.auth.header()[1])
        if self.flow.uses_admin:
            self.variables.update(scim_url=self.app.base_url, connection=admin_connection(self.app),
                                  app_install=install_body(self.app))
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
