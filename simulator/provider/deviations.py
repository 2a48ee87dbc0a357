"""Switchable real-world bugs of SCIM servers: the registry of them all, the set switched on, PATCH quirks."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from simulator.provider.errors import ScimError
from simulator.scim.deviation_registry import REGISTRY
from simulator.scim.deviation_table import Deviation

__all__ = ["REGISTRY", "Deviation", "Deviations", "UnknownDeviation", "patch_quirks"]


class UnknownDeviation(ValueError):
    """A deviation name that is not in the registry, or a bad parameter."""


@dataclass(frozen=True, slots=True)
class Deviations:
    """The deviations switched on for one provider, with their parameters."""

    active: frozenset[str] = frozenset()
    params: Mapping[str, float] = field(default_factory=dict)

    def __contains__(self, name: object) -> bool:
        return name in self.active

    def param(self, name: str) -> float:
        dev = REGISTRY[name]
        return self.params.get(name, dev.default if dev.default is not None else 0.0)

    @classmethod
    def parse(cls, specs: Iterable[str]) -> Deviations:
        """Parse 'NAME' or 'NAME=VALUE' items; raises UnknownDeviation with the known names."""
        active: set[str] = set()
        params: dict[str, float] = {}
        for spec in specs:
            name, sep, raw = spec.strip().partition("=")
            dev = REGISTRY.get(name)
            if dev is None:
                raise UnknownDeviation(f"unknown deviation {name!r}; run 'scimcert deviations' to list them")
            if sep:
                params[name] = _param(dev, raw)
            active.add(name)
        return cls(frozenset(active), params)


def _param(dev: Deviation, raw: str) -> float:
    if dev.param is None:
        raise UnknownDeviation(f"deviation {dev.name!r} takes no value")
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if dev.whole and not (value >= 1 and value.is_integer()):
        raise UnknownDeviation(f"deviation {dev.name!r}: {dev.param} must be a whole number >= 1")
    if not math.isfinite(value) or value < 0:
        raise UnknownDeviation(f"deviation {dev.name!r}: {dev.param} must be a number >= 0")
    return value


def patch_quirks(active: Deviations, body: Any) -> None:
    """Reject PATCH bodies the way the switched-on PATCH deviations do."""
    ops = body.get("Operations") if isinstance(body, dict) else None
    if not isinstance(ops, list):
        return
    for i, op in enumerate(o for o in ops if isinstance(o, dict)):
        path, name = op.get("path"), op.get("op")
        if "patch-requires-path" in active and not path:
            raise ScimError(400, f"Operations[{i}]: 'path' is required.", "invalidPath")
        if "patch-op-case-sensitive" in active and name not in ("add", "remove", "replace"):
            raise ScimError(400, f"Operations[{i}]: unknown op {name!r}.", "invalidSyntax")
        if "member-filter-path-unsupported" in active and isinstance(path, str) and "[" in path:
            raise ScimError(400, f"Operations[{i}]: filtered paths are not supported.", "invalidPath")
        value = op.get("value")
        if "group-rename-rejects-id" in active and isinstance(value, dict) and "id" in value:
            raise ScimError(400, f"Operations[{i}]: 'id' is read-only.", "mutability")


def unsettled_primaries(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The primary-not-settled bug: a value that was primary stays primary after a PATCH made
    another value primary (RFC 7644 §3.5.2 says the server SHALL set it to false)."""
    out = dict(new)
    for key, items in new.items():
        before = old.get(key)
        if isinstance(items, list) and isinstance(before, list):
            out[key] = [_primary_again(item, before) for item in items]
    return out


def _primary_again(item: Any, before: list[Any]) -> Any:
    """item with "primary": true again where a PATCH cleared it on a value that was primary."""
    if not (isinstance(item, dict) and item.get("primary") is False):
        return item
    was = any(isinstance(b, dict) and b.get("primary") is True and b.get("value") == item.get("value")
              for b in before)
    return {**item, "primary": True} if was else item


def exact_core_paths(body: Any, names: Iterable[str]) -> None:
    """The core-path-case-sensitive bug: a PATCH path whose core attribute is not spelled as the
    schema spells it ("NAME.FAMILYNAME") is refused as if no such attribute existed."""
    ops = body.get("Operations") if isinstance(body, dict) else None
    exact = set(names)
    folded = {n.casefold() for n in exact}
    for i, op in enumerate(o for o in ops or () if isinstance(o, dict)):
        path = op.get("path")
        head = re.split(r"[.\[]", path, maxsplit=1)[0] if isinstance(path, str) else ""
        if head and head not in exact and head.casefold() in folded:
            raise ScimError(400, f"Operations[{i}]: no attribute {head!r}.", "invalidPath")
