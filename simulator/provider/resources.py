"""Client input → canonical stored attributes, driven by the schema definitions (RFC 7643)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simulator.provider.errors import ScimError, bad_request
from simulator.scim import urns
from simulator.scim.filter import parse_datetime
from simulator.scim.schema import COMMON_ATTRIBUTES, AttributeDef, ResourceSchema, SchemaDef

# Keys the server owns; a client may echo them (Okta's PUT does) and they are ignored.
SERVER_KEYS = frozenset({"id", "meta", "schemas"})


def parse_body(raw: Any, what: str = "request body") -> dict[str, Any]:
    """A resource body must be a JSON object."""
    if not isinstance(raw, dict):
        raise bad_request("invalidSyntax", f"The {what} must be a JSON object.")
    return raw


def coerce_resource(body: Mapping[str, Any], rs: ResourceSchema) -> dict[str, Any]:
    """Validate a POST/PUT body and return its client-writable attributes in canonical form.

    readOnly attributes (id, meta, groups, members.display, ...) are dropped as RFC 7644
    §3.5.1 requires; unknown attributes, wrong types and missing required values → 400.
    """
    out = coerce_attributes(body, rs)
    check_required(out, rs)
    return out


def coerce_attributes(body: Mapping[str, Any], rs: ResourceSchema) -> dict[str, Any]:
    """coerce_resource without the required-attribute check: for a body of changed attributes only."""
    _check_schemas(body.get(_key(body, "schemas")), rs)
    out: dict[str, Any] = {}
    for key, value in body.items():
        if key.casefold() in SERVER_KEYS:
            continue
        ext = rs.extension(key) if urns.is_urn(key) else None
        if ext is not None:
            data = _coerce_extension(ext, value)
            if data:
                out[ext.id] = data
            continue
        if urns.is_urn(key):
            sid, rest = rs.split(key)
            if sid == rs.core.id and rest:
                attr_def = rs.core.attribute(rest)
                if attr_def is not None:
                    _put(out, attr_def, value, rs.core.id)
                    continue
            raise bad_request("invalidValue", f"{key!r} is not a schema extension of this resource type.")
        attr_def = rs.core.attribute(key) or _common(key)
        if attr_def is None:
            raise bad_request("invalidValue", f"Attribute {key!r} is not defined by {rs.core.id}.")
        _put(out, attr_def, value, rs.core.id)
    return out


def _key(body: Mapping[str, Any], name: str) -> str:
    return next((k for k in body if k.casefold() == name), name)


def _check_schemas(value: Any, rs: ResourceSchema) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise bad_request("invalidValue", f"'schemas' must be a list of schema URNs including {rs.core.id}.")
    folded = {v.casefold() for v in value}
    if rs.core.id.casefold() not in folded:
        raise bad_request("invalidValue", f"'schemas' must include {rs.core.id}.")
    known = {s.casefold() for s in rs.schema_ids}
    unknown = [v for v in value if v.casefold() not in known]
    if unknown:
        raise bad_request("invalidValue", f"Unknown schema {unknown[0]!r} in 'schemas'.")


def _common(name: str) -> AttributeDef | None:
    folded = name.casefold()
    return next((a for a in COMMON_ATTRIBUTES if a.name.casefold() == folded), None)


def _coerce_extension(ext: SchemaDef, value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise bad_request("invalidValue", f"The value of {ext.id} must be a JSON object.")
    out: dict[str, Any] = {}
    for key, sub_value in value.items():
        attr_def = ext.attribute(key)
        if attr_def is None:
            raise bad_request("invalidValue", f"Attribute {key!r} is not defined by {ext.id}.")
        _put(out, attr_def, sub_value, ext.id, enforce_canonical=True)
    return out


def _put(
    out: dict[str, Any], attr_def: AttributeDef, value: Any, where: str, enforce_canonical: bool = False
) -> None:
    if attr_def.mutability == "readOnly":
        return
    coerced = coerce_value(attr_def, value, f"{where}:{attr_def.name}", enforce_canonical)
    if coerced is not None:
        out[attr_def.name] = coerced


def coerce_value(attr_def: AttributeDef, value: Any, where: str, enforce_canonical: bool = False) -> Any:
    """Check one attribute value against its definition; None means unassigned (RFC 7643 §2.5)."""
    if value is None:
        return None
    if not attr_def.multi_valued:
        return _single(attr_def, value, where, enforce_canonical)
    if not isinstance(value, list):
        raise bad_request("invalidValue", f"{where} is multi-valued: send a JSON array.")
    items = [_single(attr_def, v, where, enforce_canonical) for v in value if v is not None]
    items = [v for v in items if v is not None]
    if attr_def.is_complex and sum(1 for v in items if v.get("primary") is True) > 1:
        raise bad_request("invalidValue", f"{where}: 'primary' may be true on one value only.")
    return items or None


def _single(attr_def: AttributeDef, value: Any, where: str, enforce_canonical: bool) -> Any:
    if attr_def.is_complex:
        return _complex(attr_def, value, where, enforce_canonical)
    if not _type_ok(attr_def.type, value):
        raise bad_request("invalidValue", f"{where} must be of type {attr_def.type}; got {json_type(value)}.")
    if enforce_canonical and attr_def.canonical_values and value not in attr_def.canonical_values:
        raise bad_request(
            "invalidValue",
            f"{where} must be one of {', '.join(attr_def.canonical_values)}; got {value!r}.",
        )
    return value


def _complex(attr_def: AttributeDef, value: Any, where: str, enforce_canonical: bool) -> Any:
    if not isinstance(value, dict):
        raise bad_request("invalidValue", f"{where} must be a JSON object.")
    out: dict[str, Any] = {}
    for key, sub_value in value.items():
        sub_def = attr_def.sub(key)
        if sub_def is None:
            raise bad_request("invalidValue", f"{where}.{key} is not a defined sub-attribute.")
        if sub_def.mutability == "readOnly" or sub_value is None:
            continue
        out[sub_def.name] = _single(sub_def, sub_value, f"{where}.{sub_def.name}", enforce_canonical)
    return out or None


def _type_ok(kind: str, value: Any) -> bool:
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "decimal":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "dateTime":
        return isinstance(value, str) and parse_datetime(value) is not None
    return isinstance(value, str)


def json_type(value: Any) -> str:
    """The JSON type name of a Python value, for error messages."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    return "array" if isinstance(value, list) else "null"


def check_required(data: Mapping[str, Any], rs: ResourceSchema) -> None:
    """Required attributes and required extensions must have a value."""
    for attr_def in rs.core.attributes:
        if attr_def.required and data.get(attr_def.name) in (None, "", [], {}):
            raise bad_request("invalidValue", f"Required attribute {attr_def.name!r} is missing.")
    for ext in rs.extensions:
        if ext.id in rs.required_extensions and not data.get(ext.id):
            raise bad_request("invalidValue", f"Required schema extension {ext.id} is missing.")
        for attr_def in ext.attributes:
            if attr_def.required and ext.id in data and data[ext.id].get(attr_def.name) is None:
                raise bad_request("invalidValue", f"Required attribute {ext.id}:{attr_def.name} is missing.")


def check_immutable(old: Mapping[str, Any], new: Mapping[str, Any], rs: ResourceSchema) -> None:
    """An immutable attribute that has a value may not change (RFC 7643 §2.2)."""
    pairs = [(None, a) for a in rs.core.attributes] + [(e.id, a) for e in rs.extensions for a in e.attributes]
    for container, attr_def in pairs:
        if attr_def.mutability != "immutable":
            continue
        before = (old.get(container) or {}) if container else old
        after = (new.get(container) or {}) if container else new
        if before.get(attr_def.name) is not None and before.get(attr_def.name) != after.get(attr_def.name):
            raise ScimError(400, f"Attribute {attr_def.name!r} is immutable.", "mutability")
