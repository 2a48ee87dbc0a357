"""How one stored value is compared with a filter's literal (RFC 7644 §3.4.2.2): the operators,
what each attribute type allows, case folding per caseExact, and dateTime comparison."""

from __future__ import annotations

import json
import operator
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from simulator.scim.filter_ast import FilterError
from simulator.scim.schema import AttributeDef

Test = Callable[[Any], bool]

COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "ge": operator.ge,
    "lt": operator.lt,
    "le": operator.le,
    "co": operator.contains,
    "sw": str.startswith,
    "ew": str.endswith,
}
_SUBSTRING = frozenset({"co", "sw", "ew"})
_STRINGY = frozenset({"string", "reference", "binary", "dateTime"})


def element_test(op: str, want: str | float | bool, leaf: AttributeDef, label: str) -> Test:
    """Check op/value against the leaf type; return a test for one stored value."""
    kind = leaf.type
    if kind in ("boolean", "binary") and op not in ("eq", "ne"):
        raise FilterError(f'operator "{op}" is not allowed on {kind} attribute "{label}"')
    if kind in ("integer", "decimal") and op in _SUBSTRING:
        raise FilterError(f'operator "{op}" is not allowed on {kind} attribute "{label}"')
    fn = COMPARE[op]
    if kind == "boolean":
        if not isinstance(want, bool):
            raise _mismatch(kind, label, want, "true or false")
        return lambda value: isinstance(value, bool) and fn(value, want)
    if kind in ("integer", "decimal"):
        if isinstance(want, bool) or not isinstance(want, (int, float)):
            raise _mismatch(kind, label, want, "a number")
        kinds = int if kind == "integer" else (int, float)
        return lambda v: isinstance(v, kinds) and not isinstance(v, bool) and fn(v, want)
    if kind not in _STRINGY or not isinstance(want, str):
        raise _mismatch(kind, label, want, "a string")
    if kind == "dateTime" and op not in _SUBSTRING:
        return _datetime_test(fn, want, label)
    if leaf.case_exact:
        return lambda value: isinstance(value, str) and fn(value, want)
    folded = want.casefold()
    return lambda value: isinstance(value, str) and fn(value.casefold(), folded)


def _datetime_test(fn: Callable[[Any, Any], bool], want: str, label: str) -> Test:
    moment = parse_datetime(want)
    if moment is None:
        raise FilterError(
            f'dateTime attribute "{label}" needs an ISO 8601 date-time such as '
            f'"2011-05-13T04:42:34Z", got {json.dumps(want)}'
        )
    return lambda value: (stored := parse_datetime(value)) is not None and fn(stored, moment)


def parse_datetime(value: Any) -> datetime | None:
    """Parse an xsd:dateTime-like string ('Z' or offset); naive times are taken as UTC."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _mismatch(kind: str, label: str, want: object, expected: str) -> FilterError:
    return FilterError(
        f'{kind} attribute "{label}" cannot be compared with {json.dumps(want)}; '
        f"expected {expected}"
    )
