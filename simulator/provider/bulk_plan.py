"""The order in which POST /Bulk runs a BulkRequest's operations, and its "bulkId:" references.

RFC 7644 §3.7.2: an operation names a resource that a POST of the same request creates by that
POST's bulkId prefixed with "bulkId:" ("The service provider MUST replace the string
"bulkId:qwerty" with the permanent resource id once created"). The operations run in the order
of the request, except that a POST runs before the first operation that references it, so a
reference may come before the POST it names.

RFC 7644 §3.7.1: "The service provider MUST try to resolve circular cross-references between
resources in a single bulk job but MAY stop after a failed attempt and instead return HTTP status
code 409 (Conflict)." In a cycle (group A has group B as a member and B has A) one POST has to
run before the resource it references exists: it creates its resource without that reference
(strip) and the run completes it once the cycle's last POST has run.
"""

from __future__ import annotations

from collections.abc import Set
from typing import Any

REFERENCE = "bulkId:"
_GONE = object()  # a value stripped of an unresolved reference


def references(op: Any) -> list[str]:
    """The bulkIds an operation references, in its path and anywhere in its data."""
    if not isinstance(op, dict):
        return []
    path = str(op.get("path") or "")
    in_path = [s.removeprefix(REFERENCE) for s in path.split("/") if s.startswith(REFERENCE)]
    return in_path + named_in(op.get("data"))


def named_in(value: Any) -> list[str]:
    """The bulkIds a value (an operation's data) references, at any depth."""
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str) and item.startswith(REFERENCE):
            found.append(item.removeprefix(REFERENCE))
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def creators(ops: list[Any]) -> dict[str, int]:
    """bulkId -> the position of the first POST that declares it."""
    found: dict[str, int] = {}
    for index, op in enumerate(ops):
        if isinstance(op, dict) and str(op.get("method") or "").upper() == "POST":
            bulk_id = op.get("bulkId")
            if isinstance(bulk_id, str):
                found.setdefault(bulk_id, index)
    return found


def order(ops: list[Any]) -> list[int]:
    """The positions of ops in the order they run: request order, except that a POST runs before
    the first operation that references it. A depth-first walk without recursion, so a long chain
    of references cannot exhaust the stack; in a cycle the walk leaves the referencing operation
    before the POST it references (that POST then strips the reference, see strip)."""
    made = creators(ops)
    needs = [[made[r] for r in references(op) if r in made and made[r] != i] for i, op in enumerate(ops)]
    done: set[int] = set()
    ran: list[int] = []
    for root in range(len(ops)):
        if root in done:
            continue
        on_path = {root}
        stack = [(root, iter(needs[root]))]
        while stack:
            index, pending = stack[-1]
            nxt = next(pending, None)
            if nxt is None:
                stack.pop()
                on_path.discard(index)
                done.add(index)
                ran.append(index)
            elif nxt not in done and nxt not in on_path:
                on_path.add(nxt)
                stack.append((nxt, iter(needs[nxt])))
    return ran


def strip(value: Any, unresolved: Set[str]) -> Any:
    """value without its references to the bulkIds in unresolved: an element of a list that
    holds one (a member {"value": "bulkId:B"}) goes, and so does an attribute whose value is one
    (a manager {"value": "bulkId:B"})."""
    kept = _strip(value, unresolved)
    return None if kept is _GONE else kept


def _strip(value: Any, unresolved: Set[str]) -> Any:
    if isinstance(value, str):
        return _GONE if value.startswith(REFERENCE) and value.removeprefix(REFERENCE) in unresolved else value
    if isinstance(value, list):
        return [v for v in (_strip(item, unresolved) for item in value) if v is not _GONE]
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            kept = _strip(item, unresolved)
            if kept is _GONE:
                if str(key).casefold() in ("value", "$ref"):
                    return _GONE  # a reference object without its reference means nothing
                continue
            out[key] = kept
        return out
    return value
