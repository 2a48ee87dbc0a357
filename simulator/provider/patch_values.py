"""Value-level rules of the PATCH engine: canonical keys, mutability, multi-valued edits."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, Final

from simulator.scim.schema import AttributeDef


class _Missing:
    """Marks an attribute that has no value at all (distinct from an explicit null)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final[Any] = _Missing()


class OperationError(Exception):
    """One operation failed; patch.apply_patch turns it into a PatchError naming the operation."""

    def __init__(self, scim_type: str, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.scim_type = scim_type
        self.message = message
        self.path = path


def assigned(value: Any) -> bool:
    """RFC 7643 §2.5: null, an empty array and an absent attribute are the same state."""
    return value is not MISSING and value is not None and value not in ([], {})


def same(old: Any, new: Any) -> bool:
    if not assigned(old) or not assigned(new):
        return assigned(old) == assigned(new)
    return bool(old == new)


def find_key(container: Mapping[str, Any], name: str) -> str | None:
    """The key of container that names `name`, ignoring case (RFC 7643 §2.1)."""
    if name in container:
        return name
    folded = name.casefold()
    return next((k for k in container if isinstance(k, str) and k.casefold() == folded), None)


def coerce_leaf(leaf: AttributeDef, value: Any) -> Any:
    """Accept "True"/"False" for a boolean leaf: Microsoft Entra sends booleans as strings."""
    if leaf.type == "boolean" and isinstance(value, str) and value.casefold() in ("true", "false"):
        return value.casefold() == "true"
    return value


# --- canonical forms ---------------------------------------------------------------------


def canon_keys(defn: AttributeDef, item: Mapping[str, Any], keep_nulls: bool = False) -> dict[str, Any]:
    """item with sub-attribute names spelt as declared; nulls dropped unless keep_nulls."""
    out: dict[str, Any] = {}
    for key, val in item.items():
        sub = defn.sub(key)
        if val is not None or keep_nulls:
            out[sub.name if sub else key] = val
    return out


def canon_value(defn: AttributeDef, value: Any) -> Any:
    """value with canonical sub-attribute keys, for comparisons with stored data."""
    if defn.multi_valued and isinstance(value, list):
        return [canon_value(_single(defn), v) for v in value if v is not None]
    if defn.is_complex and isinstance(value, Mapping):
        return canon_keys(defn, value)
    return value


def incoming_complex(defn: AttributeDef, value: Any, keep_nulls: bool = False) -> dict[str, Any]:
    """A client-supplied complex value; readOnly sub-attributes are ignored as in PUT (§3.5.1)."""
    if not isinstance(value, Mapping):
        raise OperationError("invalidValue", f"'{defn.name}' takes an object of sub-attributes")
    out = canon_keys(defn, value, keep_nulls)
    return {k: v for k, v in out.items() if not _read_only_sub(defn, k)}


def incoming_items(defn: AttributeDef, value: Any) -> list[Any]:
    """Client-supplied values for a multi-valued attribute: one item or a list of items."""
    raw = value if isinstance(value, list) else [value]
    if not defn.is_complex:
        return [v for v in raw if v is not None]
    items = (incoming_complex(defn, v) for v in raw if v is not None)
    return [item for item in items if item]


def read_only_part(defn: AttributeDef, item: Mapping[str, Any]) -> dict[str, Any]:
    """The server-managed sub-attributes of a stored element, kept when a client replaces it."""
    return {k: v for k, v in canon_keys(defn, item).items() if _read_only_sub(defn, k)}


def merge(defn: AttributeDef, old: Any, value: Any) -> Any:
    """Merge sub-attributes into a complex value; unspecified ones stay (RFC 7644 §3.5.2.3)."""
    base = canon_keys(defn, old) if isinstance(old, Mapping) else {}
    for key, val in incoming_complex(defn, value, keep_nulls=True).items():
        if val is None:
            base.pop(key, None)
        else:
            base[key] = val
    return base or MISSING


def replace_element(defn: AttributeDef, item: Any, value: Any) -> dict[str, Any]:
    """A client's new element in place of a stored one, keeping server-managed sub-attributes."""
    kept = read_only_part(defn, item) if isinstance(item, Mapping) else {}
    return {**kept, **incoming_complex(defn, value)}


def put_sub(item: Any, sub: AttributeDef, value: Any) -> Any:
    """item with one sub-attribute set (or unset when value is null/MISSING)."""
    out = dict(item) if isinstance(item, Mapping) else {}
    put_key(out, sub.name, value)
    return out or MISSING


def put_key(container: dict[str, Any], name: str, value: Any) -> None:
    """Set or unset container[name] in place, keeping its position and its canonical spelling."""
    folded = name.casefold()
    variants = [k for k in container if isinstance(k, str) and k.casefold() == folded]
    if variants in ([], [name]):
        if assigned(value):
            container[name] = value
        else:
            container.pop(name, None)
        return
    items = list(container.items())
    container.clear()
    for key, val in items:
        if key not in variants:
            container[key] = val
        elif assigned(value) and name not in container:
            container[name] = value


def _read_only_sub(defn: AttributeDef, key: str) -> bool:
    sub = defn.sub(key)
    return sub is not None and sub.mutability == "readOnly"


def _single(defn: AttributeDef) -> AttributeDef:
    return AttributeDef(defn.name, type=defn.type, sub_attributes=defn.sub_attributes)


# --- mutability (RFC 7643 §2.2, RFC 7644 §3.5.2) -------------------------------------------


def check_change(defn: AttributeDef, old: Any, new: Any) -> None:
    """Raise mutability when going from old to new breaks defn's mutability or requiredness."""
    if same(old, new):
        return
    if defn.mutability == "readOnly":
        raise OperationError("mutability", f"'{defn.name}' is readOnly")
    if defn.mutability == "immutable" and assigned(old):
        raise OperationError("mutability", f"'{defn.name}' is immutable and already has a value")
    if defn.required and not assigned(new):
        # RFC 7644 §3.5.2.2: a required attribute that becomes unassigned is a mutability error.
        raise OperationError("mutability", f"'{defn.name}' is required and cannot be removed")
    complex_single = defn.is_complex and not defn.multi_valued
    if complex_single and isinstance(old, Mapping) and isinstance(new, Mapping):
        check_sub_changes(defn, old, new)


def check_sub_changes(defn: AttributeDef, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
    """Mutability of each sub-attribute of a complex value that is edited in place."""
    old_c, new_c = canon_keys(defn, old), canon_keys(defn, new)
    for sub in defn.sub_attributes:
        check_change(sub, old_c.get(sub.name, MISSING), new_c.get(sub.name, MISSING))


# --- multi-valued attributes -----------------------------------------------------------------


def identity_key(defn: AttributeDef) -> str | None:
    """'value' when it identifies an element (immutable, as Group members in RFC 7643 §8.7.1)."""
    sub = defn.sub("value") if defn.is_complex else None
    return sub.name if sub is not None and sub.mutability == "immutable" else None


def _comparable(defn: AttributeDef, item: Any) -> Any:
    if not isinstance(item, Mapping):
        return item
    key = identity_key(defn)
    if key is not None:
        # Stored elements are canonical: skip rebuilding them just to read one key.
        found = item.get(key)
        return found if found is not None else canon_keys(defn, item).get(key)
    return {k: v for k, v in canon_keys(defn, item).items() if not _read_only_sub(defn, k)}


def add_items(defn: AttributeDef, old: list[Any], value: Any) -> list[Any]:
    """Append values not already present (RFC 7644 §3.5.2.1: no change for existing values)."""
    items = list(old)
    # Hashable keys keep this linear: Okta adds members in batches of up to 1,000.
    seen = {_hash_key(_comparable(defn, cur)) for cur in items}
    fresh: list[int] = []
    for item in incoming_items(defn, value):
        key = _hash_key(_comparable(defn, item))
        if key not in seen:
            seen.add(key)
            items.append(item)
            fresh.append(len(items) - 1)
    return settle_primary(defn, items, fresh)


def _hash_key(value: Any) -> tuple[str, str]:
    """A hashable stand-in for a JSON value; identifiers (strings) are used as they are."""
    if isinstance(value, str):
        return ("string", value)
    return ("json", json.dumps(value, sort_keys=True, default=str))


def remove_items(defn: AttributeDef, old: list[Any], value: Any) -> list[Any]:
    """Drop the listed values: the non-standard remove-with-value form Entra sends for members."""
    listed = value if isinstance(value, list) else [value]
    wanted = [canon_value(_single(defn), v) for v in listed]
    return [cur for cur in old if not any(_matches(defn, cur, w) for w in wanted if w is not None)]


def _matches(defn: AttributeDef, current: Any, wanted: Any) -> bool:
    if not (isinstance(current, Mapping) and isinstance(wanted, Mapping)):
        return bool(current == wanted)
    key = identity_key(defn)
    if key is not None and key in wanted:
        return bool(_comparable(defn, current) == wanted[key])
    stored = canon_keys(defn, current)
    return bool(wanted) and all(stored.get(k) == v for k, v in wanted.items())


def edit_elements(
    defn: AttributeDef, items: list[Any], hits: list[int], edit: Callable[[Any], Any]
) -> list[Any]:
    """Apply edit to the elements at hits, checking sub-attribute mutability of each."""
    out = list(items)
    for index in hits:
        new = edit(items[index])
        check_sub_changes(defn, items[index], new if isinstance(new, Mapping) else {})
        out[index] = new
    settled = settle_primary(defn, out, hits)
    return [item for item in settled if assigned(item)]


def settle_primary(defn: AttributeDef, items: list[Any], touched: list[int]) -> list[Any]:
    """A new primary=true clears it on the others (RFC 7643 §2.4: at most one primary)."""
    primary = defn.sub("primary") if defn.is_complex else None
    if primary is None or primary.type != "boolean":
        return items
    if not any(_is_primary(items[i], primary.name) for i in touched):
        return items
    return [
        {**item, primary.name: False} if i not in touched and _is_primary(item, primary.name) else item
        for i, item in enumerate(items)
    ]


def _is_primary(item: Any, name: str) -> bool:
    return isinstance(item, Mapping) and item.get(name) is True
