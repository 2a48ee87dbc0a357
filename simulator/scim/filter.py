"""Public SCIM filter API: parse filters and PATCH paths, compile filters to predicates."""

from __future__ import annotations

from simulator.scim.filter_ast import (
    And,
    AttrPath,
    Compare,
    ExpressionError,
    Filter,
    FilterError,
    Not,
    Or,
    PatchPath,
    PathError,
    Present,
    ValuePath,
)
from simulator.scim.filter_eval import (
    Predicate,
    compile_filter,
    compile_value_filter,
)
from simulator.scim.filter_parse import (
    MAX_DEPTH,
    OPERATORS,
    parse_attr_path,
    parse_filter,
    parse_path,
)
from simulator.scim.filter_values import parse_datetime

__all__ = [
    "MAX_DEPTH",
    "OPERATORS",
    "And",
    "AttrPath",
    "Compare",
    "ExpressionError",
    "Filter",
    "FilterError",
    "Not",
    "Or",
    "PatchPath",
    "PathError",
    "Predicate",
    "Present",
    "ValuePath",
    "compile_filter",
    "compile_value_filter",
    "equality_lookup",
    "parse_attr_path",
    "parse_datetime",
    "parse_filter",
    "parse_path",
]


def equality_lookup(node: Filter) -> tuple[AttrPath, str | int | float | bool | None] | None:
    """(path, value) when node is a single 'attr eq value' with a non-null value, else None."""
    # 'attr eq null' matches resources *without* the attribute: an index cannot answer it.
    if isinstance(node, Compare) and node.op == "eq" and node.value is not None:
        return node.path, node.value
    return None
