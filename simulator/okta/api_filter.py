"""Okta's filter and search expressions over the JSON an endpoint returns (okta-admin-api.md §1.7).

`profile.login eq "a@b.c"`, `eventType sw "application.provision"`, `outcome.result eq "FAILURE"
and target.id eq "00u…"`: operators eq, sw, co, gt, ge, lt, le and pr, combined with `and`,
`or` and parentheses. The shape is SCIM's, so the SCIM filter grammar parses it; what Okta does
not have (ne, ew, not, URN names, [value filters]) is refused rather than half-evaluated. An
expression names the attributes of the rendered object, case-sensitively as Okta does (operators
are not), so a client can filter on whatever it reads; a multi-valued attribute (the System
Log's `target`) matches when any of its values does. String values compare case-insensitively,
as the simulator's login lookups always have; gt/ge/lt/le compare dates as instants.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from typing import Any

from simulator.scim.filter_ast import (
    And,
    AttrPath,
    Compare,
    ExpressionError,
    Filter,
    Not,
    Or,
    Present,
    ValuePath,
)
from simulator.scim.filter_parse import parse_filter
from simulator.scim.filter_values import parse_datetime

Predicate = Callable[[Mapping[str, Any]], bool]
OPERATORS = ("eq", "sw", "co", "gt", "ge", "lt", "le")
_SCIM_OPERATORS = "eq, ne, co, sw, ew, gt, lt, ge, le"  # as the SCIM grammar's errors list them
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
_DEEP_PATH = re.compile(r"\b[A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*){2,}")
_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "gt": operator.gt, "ge": operator.ge, "lt": operator.lt, "le": operator.le}


class OktaFilterError(ValueError):
    """An expression the simulator (like Okta) cannot evaluate; the message says why."""


def compile_expression(text: str) -> Predicate:
    """A predicate over rendered objects, or OktaFilterError."""
    deep = _DEEP_PATH.search(_QUOTED.sub('""', text))
    if deep:
        raise OktaFilterError(f"the simulator evaluates attribute paths of one or two names, not "
                              f"{deep.group(0)!r}")
    try:
        node = parse_filter(text)
    except ExpressionError as exc:
        message = str(exc).replace(_SCIM_OPERATORS, ", ".join(OPERATORS))
        raise OktaFilterError(f"{message} in {text!r}") from exc
    return _compile(node)


def _compile(node: Filter) -> Predicate:
    if isinstance(node, And):
        left, right = _compile(node.left), _compile(node.right)
        return lambda obj: left(obj) and right(obj)
    if isinstance(node, Or):
        left, right = _compile(node.left), _compile(node.right)
        return lambda obj: left(obj) or right(obj)
    if isinstance(node, Present):
        path = _path(node.path)
        return lambda obj: any(v not in (None, "", [], {}) for v in _values(obj, path))
    if isinstance(node, Compare):
        return _compare(node)
    if isinstance(node, Not):
        raise OktaFilterError("Okta expressions have no 'not'")
    assert isinstance(node, ValuePath)
    raise OktaFilterError(f"Okta expressions have no value filters: {node.path}[…]")


def _path(path: AttrPath) -> tuple[str, ...]:
    if path.urn:
        raise OktaFilterError(f"unknown attribute {path}")
    return (path.attr, path.sub_attr) if path.sub_attr else (path.attr,)


def _values(obj: Mapping[str, Any], path: tuple[str, ...]) -> list[Any]:
    """The values at path; a list on the way contributes each of its elements."""
    found: list[Any] = [obj]
    for name in path:
        step: list[Any] = []
        for value in found:
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, Mapping) and name in item:
                    step.append(item[name])
        found = step
    return [v for value in found for v in (value if isinstance(value, list) else [value])]


def _compare(node: Compare) -> Predicate:
    if node.op not in OPERATORS:
        known = ", ".join(OPERATORS)
        raise OktaFilterError(f"Okta expressions have no operator '{node.op}' (only {known}, pr)")
    path, want = _path(node.path), node.value
    test = _test(node.op, want)
    return lambda obj: any(test(v) for v in _values(obj, path))


def _test(op: str, want: Any) -> Callable[[Any], bool]:
    if not isinstance(want, str):
        if op != "eq":
            raise OktaFilterError(f"'{op}' needs a string value, got {want!r}")
        return lambda v: v == want and type(v) is type(want)
    folded = want.casefold()
    if op == "eq":
        return lambda v: isinstance(v, str) and v.casefold() == folded
    if op == "sw":
        return lambda v: isinstance(v, str) and v.casefold().startswith(folded)
    if op == "co":
        return lambda v: isinstance(v, str) and folded in v.casefold()
    order, instant = _ORDER[op], parse_datetime(want)
    if instant is not None:
        return lambda v: (t := parse_datetime(v)) is not None and order(t, instant)
    return lambda v: isinstance(v, str) and order(v.casefold(), folded)
