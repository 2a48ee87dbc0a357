"""The assertions of a flow step (fixtures/okta/*.json "expect"), evaluated on one response."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from simulator.okta.flowdata import is_missing, lookup
from simulator.okta.plan import Outcome
from simulator.okta.wire import ScimRequest, ScimResponse


@dataclass(frozen=True, slots=True)
class Call:
    """One request a step sent: its engine/flow step id, request line and status."""

    step: str
    request_line: str
    status: int
    elapsed_ms: float



def check(rule: Mapping[str, Any], outcome: Outcome | None, response: ScimResponse | None,
          call: Call | None, sent: Sequence[ScimRequest] = ()) -> tuple[str, str] | None:
    """One assertion of a step: None when it holds, else (expected, received).

    `sent` is what the simulator sent to the target during an admin step (for "sent" rules).
    """
    body = response.body if response is not None else None
    status = response.status if response is not None else 0
    if "status" in rule and status not in rule["status"]:
        return " or ".join(f"HTTP {s}" for s in rule["status"]), _shown(response)
    if rule.get("provisioned"):
        problem = _provisioning_problem(body)
        if problem is not None:
            return "Okta's provisioning to succeed (no task)", problem
    if "sent" in rule:
        problem2 = _sent_rule(rule["sent"], sent)
        if problem2 is not None:
            return problem2
    if "outcome" in rule and outcome is not None:
        for key, wanted in rule["outcome"].items():
            if getattr(outcome, key) != wanted:
                shown = outcome.error or f"{key} = {getattr(outcome, key)!r}"
                return f"Okta's {outcome.action} to end with {key} = {wanted!r}", shown
    if "summary_min" in rule and outcome is not None:
        for key, least in rule["summary_min"].items():
            got: int = getattr(outcome.summary, key) if outcome.summary else 0
            if got < least:
                return f"import summary {key} >= {least}", f"{key} = {got} ({outcome.error or 'ok'})"
    if "maxMs" in rule and call is not None and call.elapsed_ms >= rule["maxMs"]:
        return f"response time < {rule['maxMs']} ms", f"{call.elapsed_ms:.0f} ms"
    problem3 = _body_rule(rule, body)
    if problem3 is not None and "why" in rule:  # where Okta asks more than the RFC, the rule says so
        return f"{problem3[0]} ({rule['why']})", problem3[1]
    return problem3


def _body_rule(rule: Mapping[str, Any], body: Any) -> tuple[str, str] | None:
    if "nonEmpty" in rule:
        value = lookup(body, rule["nonEmpty"])
        if is_missing(value) or value in (None, "", [], {}):
            return f"a non-empty {rule['nonEmpty']}", _excerpt(None if is_missing(value) else value)
    if "contains" in rule:
        path, wanted = rule["contains"]
        value = lookup(body, path)
        if not isinstance(value, list) or wanted not in value:
            return f"{path} to contain {wanted!r}", _excerpt(None if is_missing(value) else value)
    if "equals" in rule:
        path, wanted = rule["equals"]
        value = lookup(body, path)
        if is_missing(value) or value != wanted:
            return f"{path} = {wanted!r}", _excerpt(None if is_missing(value) else value)
    if "empty" in rule:
        value = lookup(body, rule["empty"])
        if not (is_missing(value) or value in (None, [])):
            return f"no {rule['empty']} (absent, null or [])", _excerpt(value)
    if "length" in rule:
        path, size = rule["length"]
        value = lookup(body, path)
        if not isinstance(value, list) or len(value) != size:
            return f"{path} with {size} element(s)", _excerpt(None if is_missing(value) else value)
    if "type" in rule:
        path, kind = rule["type"]
        zero = rule.get("unlessZero")
        if zero is not None and lookup(body, zero) == 0:
            return None
        value = lookup(body, path)
        if not _is_type(value, kind):
            return f"{path} to be a JSON {kind}", _excerpt(None if is_missing(value) else value)
    return None


def _provisioning_problem(body: Any) -> str | None:
    """The first failed run an admin call reports under `_scimcert` (Okta would open a task)."""
    report = body.get("_scimcert") if isinstance(body, dict) else None
    if not isinstance(report, dict):
        return None
    for run in report.get("provisioning") or ():
        if isinstance(run, dict) and run.get("status") == "FAILURE":
            return f"{run.get('failed_step')}: {run.get('error')}"
    tasks = report.get("tasks") or ()
    return f"task(s) {', '.join(map(str, tasks))} opened" if tasks else None


def _sent_rule(rule: Sequence[Any], sent: Sequence[ScimRequest]) -> tuple[str, str] | None:
    """["assign.create", "urn:…:User.custAttr1", value]: the last request of that engine step
    carried value at that path of its body."""
    step, path, wanted = rule
    request = next((r for r in reversed(sent) if r.step == step), None)
    if request is None:
        return f"Okta to send its {step} request", f"no {step} request was sent"
    value = lookup(request.body, path)
    if is_missing(value) or value != wanted:
        shown = "absent" if is_missing(value) else _excerpt(value)
        return f"{request.method} {request.path} body with {path} = {wanted!r}", shown
    return None


def _is_type(value: Any, kind: str) -> bool:
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, {"array": list, "string": str, "boolean": bool, "object": dict}[kind])


def _excerpt(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 300 else text[:300] + "…"


def _shown(response: ScimResponse | None) -> str:
    if response is None:
        return "no request was sent"
    if response.status == 0:
        return f"no response ({response.error})"
    return f"{response.status} {response.text.strip()[:300]}".strip()
