"""PATCH fast path for Group members: adds and removes as a delta, costing O(changed members).

Okta pushes a group as PATCHes of up to 100 'add members' and one 'remove members[value eq
"id"]' per leaving member (okta-scim.md §8.3). Through the general engine each costs time in
the size of the group; here a PATCH made only of such operations becomes a MemberChange, the
members to append and the values to drop, decided against a membership test that the store
answers from its index. Anything else (another attribute, another filter shape, a filter that
matches no member, a malformed operation) yields None and takes the general path, which words
every error, so both paths accept and refuse exactly the same requests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from simulator.provider import patch_values as pv
from simulator.provider.patch_request import Operation, PatchError, envelope, parse_operation, resolve
from simulator.provider.patch_values import MISSING, OperationError
from simulator.scim.filter_ast import Compare, ExpressionError, Filter
from simulator.scim.schema import AttributeDef, ResourceSchema

MEMBERS = "members"


@dataclass(frozen=True, slots=True)
class MemberStep:
    """One operation of a members-only PATCH: elements to add, or member values to remove."""

    adds: tuple[dict[str, Any], ...] = ()
    removes: tuple[str, ...] = ()
    must_match: bool = False  # a value filter must select a member (RFC 7644 §3.5.2.2: noTarget)


@dataclass(frozen=True, slots=True)
class MemberChange:
    """The net effect of the steps: new elements in order (none already a member), values dropped."""

    added: tuple[dict[str, Any], ...]
    removed: frozenset[str]


def member_steps(body: Any, schema: ResourceSchema) -> list[MemberStep] | None:
    """body as member steps; None unless every operation adds or removes members by their value."""
    steps: list[MemberStep] = []
    try:
        for index, raw in enumerate(envelope(body)):
            step = _step(parse_operation(index, raw), schema)
            if step is None:
                return None
            steps.append(step)
    except (PatchError, OperationError, ExpressionError):
        return None
    return steps


def fold_members(steps: list[MemberStep], is_member: Callable[[str], bool],
                 readd_duplicates: bool = False) -> MemberChange | None:
    """Apply steps in order over is_member (the stored state); None when a filter selects nothing.

    readd_duplicates (the member-readd-duplicates deviation) appends a re-added member again.
    """
    added: dict[str, dict[str, Any]] = {}
    removed: set[str] = set()

    def present(value: str) -> bool:
        return value in added or (value not in removed and is_member(value))

    for step in steps:
        for item in step.adds:
            value = item["value"]
            if readd_duplicates or not present(value):  # RFC 7644 §3.5.2.1: not added twice
                added[value] = item
        for value in step.removes:
            if not present(value):
                if step.must_match:
                    return None  # noTarget, or a case variant only the general path's filter finds
                continue
            if added.pop(value, None) is None:
                removed.add(value)
    return MemberChange(tuple(added.values()), frozenset(removed))


def _step(op: Operation, schema: ResourceSchema) -> MemberStep | None:
    if op.path is None or op.name == "replace":
        return None
    target = resolve(schema, op.path)
    attr = target.attr
    if target.container is not None or attr.name != MEMBERS or target.sub is not None:
        return None
    if pv.identity_key(attr) != "value":
        return None
    if op.name == "add":
        return _add_step(attr, op.value) if target.value_filter is None else None
    if target.value_filter is not None:
        value = _selected_value(target.value_filter)
        return None if value is None else MemberStep(removes=(value,), must_match=True)
    return _remove_step(attr, op.value)


def _add_step(attr: AttributeDef, value: Any) -> MemberStep | None:
    items = pv.incoming_items(attr, value)  # the general path's canonical form of new elements
    if not all(isinstance(item.get("value"), str) for item in items):
        return None
    return MemberStep(adds=tuple(items))


def _remove_step(attr: AttributeDef, value: Any) -> MemberStep | None:
    """Entra's remove with a value list; without a value, remove means all members (general path)."""
    if value is MISSING or value is None:
        return None
    listed = value if isinstance(value, list) else [value]
    wanted = [pv.canon_keys(attr, v) if isinstance(v, Mapping) else None for v in listed if v is not None]
    values = [w.get("value") if w is not None else None for w in wanted]
    if not all(isinstance(v, str) for v in values):
        return None
    return MemberStep(removes=tuple(str(v) for v in values))


def _selected_value(node: Filter) -> str | None:
    """X when the filter is exactly 'value eq "X"' (Okta's member removal), else None."""
    if not isinstance(node, Compare) or node.op != "eq" or not isinstance(node.value, str):
        return None
    path = node.path
    if path.urn is not None or path.sub_attr is not None or path.attr.casefold() != "value":
        return None
    return node.value
