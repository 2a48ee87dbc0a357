"""Side-by-side comparison of what Okta sent with what the target returns (the Verify view).

Pure functions: SCIM documents are flattened into attribute paths (`name.givenName`,
`urn:…:ivanti:2.0:User:custAttr1`, `emails[0].value`; member lists become sorted value
lists), and each path gets a row that is marked as a difference when Okta sent a value
the target does not return as sent.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# password is write-only (RFC 7643 §4.1.1); meta is the server's own (Okta's PUT echoes an old copy)
NOT_COMPARED = frozenset({"password", "meta"})


@dataclass(frozen=True, slots=True)
class Row:
    """One attribute: what Okta sent, what the target returned, and whether they differ."""

    path: str
    sent: str | None
    received: str | None
    differs: bool


_VALUE_SETS = frozenset({"members", "groups"})  # compared by their values, whatever else each item has


def _is_value_set(path: str, items: list[Any]) -> bool:
    return path in _VALUE_SETS and all(isinstance(i, dict) and "value" in i for i in items)


def flatten(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Attribute path -> leaf value; URN keys join their attributes with ':' as SCIM writes them."""
    out: dict[str, Any] = {}
    _walk(doc, "", ".", out)
    return out


def _walk(node: Mapping[str, Any], prefix: str, sep: str, out: dict[str, Any]) -> None:
    for key, value in node.items():
        path = f"{prefix}{sep}{key}" if prefix else key
        if isinstance(value, dict):
            _walk(value, path, ":" if not prefix and key.startswith("urn:") else ".", out)
        elif isinstance(value, list):
            _list(path, value, out)
        else:
            out[path] = value


def _list(path: str, items: list[Any], out: dict[str, Any]) -> None:
    if not items:
        out[path] = [] if path == "members" else None  # an empty group is a statement; [] groups are not
    elif _is_value_set(path, items):
        out[path] = sorted(str(i["value"]) for i in items)
    elif all(isinstance(i, dict) for i in items):
        for index, item in enumerate(items):
            _walk(item, f"{path}[{index}]", ".", out)
    else:
        out[path] = sorted(str(i) for i in items)


def shown(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def compare(sent: Mapping[str, Any], received: Mapping[str, Any]) -> list[Row]:
    """Rows for every path of either side (sent first); paths match case-insensitively (RFC 7643 §2.1)."""
    ours, theirs = flatten(sent), flatten(received)
    by_fold = {path.casefold(): path for path in theirs}
    rows: list[Row] = []
    seen: set[str] = set()
    for path, value in ours.items():
        if path.split(".")[0].split("[")[0] in NOT_COMPARED:
            continue  # their received value, if any, is listed as not sent
        other = by_fold.get(path.casefold())
        got = theirs.get(other) if other else None
        seen.add(path.casefold())
        rows.append(Row(path, shown(value), shown(got), value is not None and _normal(value) != _normal(got)))
    rows += [Row(p, None, shown(v), False) for p, v in theirs.items() if p.casefold() not in seen]
    return rows


def _normal(value: Any) -> Any:
    if isinstance(value, list):
        return sorted(value, key=str) or None  # no members and an omitted list are the same
    return value


def sent_user(exchanges: Iterable[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The user as Okta last described it: the last full body (POST/PUT), then later PATCHes on top."""
    state: dict[str, Any] | None = None
    for exchange in exchanges:
        req = exchange.get("request") or {}
        body, method = req.get("body"), req.get("method")
        if not isinstance(body, dict):
            continue
        if method in ("POST", "PUT"):
            state = dict(body)
        elif method == "PATCH" and state is not None:
            _apply_simple_patch(state, body)
    return state


def _apply_simple_patch(state: dict[str, Any], body: Mapping[str, Any]) -> None:
    """The PATCH shapes Okta sends for users: replace/add with a value object, or a plain path."""
    for op in body.get("Operations") or []:
        if not isinstance(op, dict) or str(op.get("op", "")).lower() not in ("add", "replace"):
            continue
        path, value = op.get("path"), op.get("value")
        if path is None and isinstance(value, dict):
            state.update(value)
        elif isinstance(path, str) and path.isidentifier():
            state[path] = value
