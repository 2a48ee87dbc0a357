"""`attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5) over a full representation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from simulator.scim.schema import Resolved, ResourceSchema

ALWAYS_KEYS = ("schemas", "id")


@dataclass(frozen=True, slots=True)
class Projection:
    """The parsed `attributes` and `excludedAttributes` of one request."""

    attributes: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()

    @classmethod
    def from_params(
        cls, attributes: str | Iterable[str] | None, excluded: str | Iterable[str] | None
    ) -> Projection:
        return cls(_names(attributes), _names(excluded))

    @property
    def is_default(self) -> bool:
        return not self.attributes and not self.excluded


def _names(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    return tuple(n.strip() for n in items if isinstance(n, str) and n.strip())


@dataclass(frozen=True, slots=True)
class _Target:
    container: str | None  # extension URN, or None for core/common
    name: str | None  # attribute; None = the whole extension
    sub: str | None = None


def apply_projection(full: Mapping[str, Any], rs: ResourceSchema, proj: Projection) -> dict[str, Any]:
    """Return what the client asked to see of a full (returned-default) representation."""
    view = default_view(full, rs)
    if proj.attributes:
        return _include(full, view, rs, _targets(proj.attributes, rs))
    if proj.excluded:
        return _exclude(view, rs, _targets(proj.excluded, rs))
    return view


def default_view(full: Mapping[str, Any], rs: ResourceSchema) -> dict[str, Any]:
    """Drop what is `returned: never` or `returned: request`."""
    out: dict[str, Any] = {}
    for key, value in full.items():
        ext = rs.extension(key) if key.startswith("urn:") else None
        if ext is not None:
            kept = {k: v for k, v in value.items() if _returned(rs, ext.id, k) in ("always", "default")}
            if kept:
                out[key] = kept
        elif _returned(rs, None, key) in ("always", "default", None):
            out[key] = value
    return out


def _returned(rs: ResourceSchema, container: str | None, name: str) -> str | None:
    resolved = rs.resolve(container, name)
    return resolved.attribute.returned if resolved else None


def _targets(names: Iterable[str], rs: ResourceSchema) -> list[_Target]:
    out = []
    for name in names:
        container, rest = rs.split(name)
        if container is not None and container.casefold() == rs.core.id.casefold():
            container = None
        if container is not None and not rest:
            if rs.extension(container) is not None:
                out.append(_Target(rs.extension(container).id, None))  # type: ignore[union-attr]
            continue
        attr, _, sub = rest.partition(".")
        resolved = rs.resolve(container, attr, sub or None)
        if resolved is not None:
            out.append(_from_resolved(resolved))
    return out


def _from_resolved(r: Resolved) -> _Target:
    return _Target(r.container, r.attribute.name, r.sub_attribute.name if r.sub_attribute else None)


def _include(
    full: Mapping[str, Any], view: Mapping[str, Any], rs: ResourceSchema, targets: list[_Target]
) -> dict[str, Any]:
    out: dict[str, Any] = {k: view[k] for k in ALWAYS_KEYS if k in view}
    for key, value in view.items():
        if _returned(rs, None, key) == "always":
            out[key] = value
    wanted: dict[tuple[str | None, str], set[str] | None] = {}
    for t in targets:
        if t.name is None:
            if t.container in view:
                out[t.container or ""] = view[t.container or ""]
            continue
        subs = wanted.get((t.container, t.name), set())
        wanted[(t.container, t.name)] = None if t.sub is None or subs is None else subs | {t.sub}
    for (container, name), subs in wanted.items():
        source = full.get(container) if container else full
        resolved = rs.resolve(container, name)
        if not isinstance(source, Mapping) or name not in source or resolved is None:
            continue
        if resolved.attribute.returned == "never":
            continue
        picked = _pick(source[name], subs)
        if picked is not None:
            dest = out.setdefault(container, {}) if container else out
            dest[name] = picked
    return out


def _pick(value: Any, subs: set[str] | None) -> Any:
    if subs is None:
        return value
    if isinstance(value, list):
        items = [{k: v for k, v in item.items() if k in subs} for item in value if isinstance(item, dict)]
        items = [i for i in items if i]
        return items or None
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k in subs} or None
    return None


def _exclude(view: Mapping[str, Any], rs: ResourceSchema, targets: list[_Target]) -> dict[str, Any]:
    out: dict[str, Any] = {k: (dict(v) if isinstance(v, dict) else v) for k, v in view.items()}
    for t in targets:
        if t.name is None:
            out.pop(t.container or "", None)
            continue
        resolved = rs.resolve(t.container, t.name)
        if resolved is None or resolved.attribute.returned == "always":
            continue
        holder = out.get(t.container) if t.container else out
        if not isinstance(holder, dict):
            continue
        if t.sub is None:
            holder.pop(t.name, None)
        else:
            holder[t.name] = _drop_sub(holder.get(t.name), t.sub)
            if holder[t.name] in (None, [], {}):
                holder.pop(t.name)
        if t.container and not holder:
            out.pop(t.container, None)
    return out


def _drop_sub(value: Any, sub: str) -> Any:
    if isinstance(value, list):
        return [{k: v for k, v in item.items() if k != sub} for item in value if isinstance(item, dict)]
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k != sub}
    return value
