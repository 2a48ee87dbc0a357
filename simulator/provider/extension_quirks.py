"""The extension deviations: how servers mishandle extension keys, paths, types and PUT."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simulator.provider.deviations import Deviations
from simulator.provider.errors import ScimError, bad_request
from simulator.scim import urns
from simulator.scim.schema import ResourceSchema


def check_body(active: Deviations, body: Mapping[str, Any], rs: ResourceSchema) -> None:
    """Refuse POST/PUT bodies the way extension-case-sensitive and -requires-schemas-entry do."""
    schemas = body.get("schemas")
    listed = {s.casefold() for s in schemas if isinstance(s, str)} if isinstance(schemas, list) else set()
    for key, value in body.items():
        ext = rs.extension(key) if urns.is_urn(key) else None
        if ext is None:
            continue
        if "extension-requires-schemas-entry" in active and ext.id.casefold() not in listed:
            raise bad_request("invalidValue", f"{key!r} is not listed in 'schemas'.")
        if "extension-case-sensitive" not in active:
            continue
        if key != ext.id:
            raise bad_request("invalidValue", f"{key!r} is not a schema extension of this resource type.")
        for name in value if isinstance(value, dict) else ():
            attr = ext.attribute(name)
            if attr is not None and attr.name != name:
                raise bad_request("invalidValue", f"Attribute {name!r} is not defined by {ext.id}.")


def check_patch(active: Deviations, body: Any, rs: ResourceSchema) -> None:
    """Refuse URN-qualified PATCH paths (extension-path-rejected) or other-case ones (-case-sensitive)."""
    ops = body.get("Operations") if isinstance(body, dict) else None
    for i, op in enumerate(o for o in ops or () if isinstance(o, dict)):
        path = op.get("path")
        if not isinstance(path, str) or not urns.is_urn(path):
            continue
        sid, _ = rs.split(path)
        if sid is None or sid == rs.core.id:
            continue
        if "extension-path-rejected" in active:
            raise ScimError(400, f"Operations[{i}]: URN-qualified paths are not supported.", "invalidPath")
        if "extension-case-sensitive" in active and not path.startswith(sid):
            raise ScimError(400, f"Operations[{i}]: unknown attribute {path!r}.", "invalidPath")


def take_unchecked(active: Deviations, body: Mapping[str, Any],
                   rs: ResourceSchema) -> tuple[dict[str, Any], dict[str, Any]]:
    """extension-type-unchecked: split defined extension values off, to be stored as sent."""
    if "extension-type-unchecked" not in active:
        return dict(body), {}
    rest: dict[str, Any] = {}
    raw: dict[str, Any] = {}
    for key, value in body.items():
        ext = rs.extension(key) if urns.is_urn(key) else None
        if ext is None or not isinstance(value, dict):
            rest[key] = value
            continue
        defined = {ext.attribute(k): v for k, v in value.items() if ext.attribute(k) is not None}
        kept = {a.name: v for a, v in defined.items() if a is not None and v is not None}
        if kept:
            raw[ext.id] = kept
        rest[key] = {k: v for k, v in value.items() if ext.attribute(k) is None}
    return rest, raw


def keep_on_put(active: Deviations, old: Mapping[str, Any], new: dict[str, Any],
                rs: ResourceSchema) -> dict[str, Any]:
    """extension-not-cleared-on-put: a PUT without an extension keeps the stored one."""
    if "extension-not-cleared-on-put" not in active:
        return new
    kept = {e.id: old[e.id] for e in rs.extensions if e.id in old and e.id not in new}
    return {**new, **kept}
