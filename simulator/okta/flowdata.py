"""Okta flows as data (fixtures/okta/*.json): loading, validation, templates and assertions."""

from __future__ import annotations

import random
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from simulator.scim.fixtures import fixture_path, load_json
from simulator.scim.paths import segment

PLANS: Final = frozenset({
    "test_connection", "assign_user", "update_profile", "deactivate", "reactivate",
    "push_group", "update_members", "push_now", "rename_group", "unlink_group",
    "import_users", "import_groups",
})  # fmt: skip
ASSERTIONS: Final = frozenset({
    "status", "outcome", "summary_min", "nonEmpty", "contains", "type", "equals", "length", "empty", "maxMs",
    "provisioned", "sent",
})  # fmt: skip
ACTIONS: Final = ("request", "plan", "admin")  # a literal SCIM request, an engine plan, an admin API call
_TEMPLATE = re.compile(r"\{\{\s*([#\w.-]+)(?:\|(\w+))?\s*\}\}")
_RANDOM = re.compile(r"#([dUl])(\d+)")
_ALPHABETS: Final = {"d": string.digits, "U": string.ascii_uppercase, "l": string.ascii_lowercase}


class FlowError(ValueError):
    """A flow that does not exist or does not validate."""


@dataclass(frozen=True, slots=True)
class Step:
    """One step: a literal SCIM request, an engine plan or an admin API call, with its expectations."""

    id: str
    title: str
    action: Mapping[str, Any]  # {"request": {...}}, {"plan": name, ...arguments} or {"admin": {...}}
    expect: tuple[Mapping[str, Any], ...] = ()
    needs: tuple[str, ...] = ()
    save: Mapping[str, str] | None = None  # variable -> path in the response body
    repeat: int = 1
    optional: bool = False  # Okta's "Optional:" steps: a failure is reported, not fatal
    setup: bool = False  # not one of Okta's own steps: the flow's precondition

    @property
    def kind(self) -> str:
        return next(k for k in ACTIONS if k in self.action)


@dataclass(frozen=True, slots=True)
class Flow:
    """An ordered list of steps plus the variables, header sets and org objects they use."""

    name: str
    title: str
    source: str
    steps: tuple[Step, ...]
    variables: tuple[tuple[str, str], ...] = ()
    headers: Mapping[str, Mapping[str, str]] | None = None
    users: Mapping[str, Mapping[str, Any]] | None = None
    groups: Mapping[str, str] | None = None

    def step(self, step_id: str) -> Step:
        found = next((s for s in self.steps if s.id == step_id), None)
        if found is None:
            raise FlowError(f"flow {self.name!r} has no step {step_id!r}")
        return found

    @property
    def uses_admin(self) -> bool:
        """Driven through the simulator's admin API (Okta's CRUD test), not by engine plans alone."""
        return any(s.kind == "admin" for s in self.steps)

    def closure(self, step_id: str) -> list[Step]:
        """The step and everything it needs, in flow order."""
        wanted, todo = set(), [step_id]
        while todo:
            current = self.step(todo.pop())
            if current.id not in wanted:
                wanted.add(current.id)
                todo.extend(current.needs)
        return [s for s in self.steps if s.id in wanted]


def flow_names() -> list[str]:
    """The flows shipped in fixtures/okta/."""
    return sorted(p.stem for p in fixture_path("okta").glob("*.json"))


def load_flow(name: str) -> Flow:
    """Parse and validate one flow; FlowError names the known flows when it does not exist."""
    if name not in flow_names():
        raise FlowError(f"unknown flow {name!r}; flows: {', '.join(flow_names())}")
    data = load_json("okta", f"{name}.json")
    steps = tuple(_step(name, raw) for raw in data["steps"])
    flow = Flow(
        name=name,
        title=str(data.get("title", name)),
        source=str(data.get("source", "")),
        steps=steps,
        variables=tuple((str(k), str(v)) for k, v in data.get("variables", [])),
        headers=data.get("headers", {}),
        users=data.get("users", {}),
        groups=data.get("groups", {}),
    )
    _validate(flow)
    return flow


def _step(flow: str, raw: Mapping[str, Any]) -> Step:
    kinds = [k for k in ACTIONS if k in raw]
    if len(kinds) != 1:
        raise FlowError(f"{flow}: step {raw.get('id')!r} needs exactly one of {', '.join(ACTIONS)}")
    action = {"plan": raw["plan"], **raw.get("args", {})} if "plan" in raw else {kinds[0]: raw[kinds[0]]}
    return Step(
        id=str(raw["id"]),
        title=str(raw.get("title", raw["id"])),
        action=action,
        expect=tuple(raw.get("expect", ())),
        needs=tuple(raw.get("needs", ())),
        save=raw.get("save"),
        repeat=int(raw.get("repeat", 1)),
        optional=bool(raw.get("optional", False)),
        setup=bool(raw.get("setup", False)),
    )


def _validate(flow: Flow) -> None:
    seen: set[str] = set()
    for step in flow.steps:
        where = f"{flow.name}: step {step.id!r}"
        if step.id in seen:
            raise FlowError(f"{where} is defined twice")
        unknown = [n for n in step.needs if n not in seen]
        if unknown:
            raise FlowError(f"{where} needs {unknown[0]!r}, which does not come before it")
        seen.add(step.id)
        if step.kind == "plan" and step.action["plan"] not in PLANS:
            raise FlowError(f"{where}: unknown plan {step.action['plan']!r}")
        if step.kind == "admin" and not str(step.action["admin"].get("path", "")).startswith("/api/v1/"):
            raise FlowError(f"{where}: an admin call's path starts with /api/v1/")
        if step.kind == "request" and step.action["request"].get("headers", "okta") not in {
            "okta", *(flow.headers or {})
        }:
            raise FlowError(f"{where}: unknown header set {step.action['request']['headers']!r}")
        for rule in step.expect:
            if not set(rule) & ASSERTIONS:
                raise FlowError(f"{where}: expectation {rule!r} has no known assertion")


def render(value: Any, variables: Mapping[str, Any], rng: random.Random) -> Any:
    """Replace {{name}}, {{name|upper}} and random {{#d3}}/{{#U1}}/{{#l8}} in strings, deeply.

    A string that is exactly one "{{name}}" of a non-string variable becomes that value itself
    (an object such as the connection profile, a boolean, a number).
    """
    if isinstance(value, str):
        whole = _TEMPLATE.fullmatch(value)
        if whole and not whole[2] and not isinstance(variables.get(whole[1], ""), str):
            return variables[whole[1]]
        return _TEMPLATE.sub(lambda m: _one(m, variables, rng), value)
    if isinstance(value, list):
        return [render(v, variables, rng) for v in value]
    if isinstance(value, dict):
        return {render(k, variables, rng): render(v, variables, rng) for k, v in value.items()}
    return value


def render_path(template: str, variables: Mapping[str, Any], rng: random.Random) -> str:
    """A request path: each {{...}} percent-encoded as one path segment (RFC 3986 §3.3), so an id
    holding '#', '?', '%' or a space (RFC 7643 §3.1 allows any string) stays inside its segment."""
    return _TEMPLATE.sub(lambda m: segment(_one(m, variables, rng)), template)


def _one(match: re.Match[str], variables: Mapping[str, Any], rng: random.Random) -> str:
    name, flt = match[1], match[2]
    if (rand := _RANDOM.fullmatch(name)) is not None:
        text = "".join(rng.choice(_ALPHABETS[rand[1]]) for _ in range(int(rand[2])))
    elif name in variables:
        text = str(variables[name])
    else:
        raise FlowError(f"template variable {name!r} is not defined")
    return {"upper": text.upper(), "lower": text.lower(), None: text}.get(flt, text)


_MISSING: Final = object()


def lookup(document: Any, path: str) -> Any:
    """'Resources.0.name.familyName' inside a JSON document; _MISSING when absent.

    A key holding dots (an extension URN such as `urn:…:ivanti:2.0:User`) is found by trying
    the longest run of parts that names a key first.
    """
    node, parts, at = document, path.split(".") if path else [], 0
    while at < len(parts):
        part = parts[at]
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node, at = node[int(part)], at + 1
            continue
        if not isinstance(node, dict):
            return _MISSING
        end = next((e for e in range(len(parts), at, -1) if ".".join(parts[at:e]) in node), None)
        if end is None:
            return _MISSING
        node, at = node[".".join(parts[at:end])], end
    return node


def is_missing(value: Any) -> bool:
    return value is _MISSING
