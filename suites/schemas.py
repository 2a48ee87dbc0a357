"""The one loader and validator of scimcert's JSON Schemas (fixtures/schemas, draft 2020-12)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from types import MappingProxyType
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker  # type: ignore[import-untyped]
from jsonschema.validators import extend  # type: ignore[import-untyped]
from referencing import Registry, Resource

from simulator.scim.fixtures import load_json
from simulator.scim.schema import AttributeDef, ResourceSchema

SCHEMA_FILES: Mapping[str, str] = MappingProxyType(
    {
        "common": "rfc7643-3.1-common.schema.json",
        "user": "rfc7643-4.1-user.schema.json",
        "enterprise-user": "rfc7643-4.3-enterprise-user.schema.json",
        "group": "rfc7643-4.2-group.schema.json",
        "list-response": "rfc7644-3.4.2-list-response.schema.json",
        "cursor-list-response": "rfc9865-2-cursor-list-response.schema.json",
        "error": "rfc7644-3.12-error.schema.json",
        "patch-op": "rfc7644-3.5.2-patch-op.schema.json",
        "bulk-response": "rfc7644-3.7-bulk-response.schema.json",
        "service-provider-config": "rfc7643-5-service-provider-config.schema.json",
        "resource-type": "rfc7643-6-resource-type.schema.json",
        "schema": "rfc7643-7-schema.schema.json",
    }
)
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_BASE = "https://scimcert.example/schemas/"
_SHOWN = 300  # characters of a schema fragment or value shown in a rendered problem


def load_schema(name: str) -> dict[str, Any]:
    """The fixture schema called name (a key of SCHEMA_FILES); cached, do not mutate."""
    try:
        file = SCHEMA_FILES[name]
    except KeyError:
        known = ", ".join(SCHEMA_FILES)
        raise KeyError(f"no fixture schema {name!r}; known: {known}") from None
    loaded: dict[str, Any] = load_json("schemas", file)
    return loaded


@dataclass(frozen=True, slots=True)
class SchemaProblem:
    """One way an instance fails a schema, with enough context to read without the schema."""

    message: str
    pointer: str  # JSON pointer into the instance; "" is the document root
    schema_path: str  # e.g. properties/emails/items/properties/primary/type
    fragment: Any  # the failing keyword and its value, e.g. {"type": "boolean"}
    value: Any  # the offending part of the instance

    @classmethod
    def from_error(cls, error: Any) -> SchemaProblem:
        """Convert a jsonschema ValidationError."""
        keyword = error.validator
        return cls(
            message=str(error.message),
            pointer="".join("/" + _escape(part) for part in error.absolute_path),
            schema_path="/".join(str(part) for part in error.absolute_schema_path),
            fragment=error.schema if keyword is None else {str(keyword): error.validator_value},
            value=error.instance,
        )

    def render(self) -> str:
        """Several lines: message, where in the instance, where in the schema, schema and value."""
        return "\n".join(
            (
                _truncate(self.message),
                f"  at: {self.pointer or '(document root)'}",
                f"  schema path: {self.schema_path or '(schema root)'}",
                f"  schema: {_compact(self.fragment)}",
                f"  value: {_compact(self.value)}",
            )
        )


def validate(instance: Any, name: str) -> list[SchemaProblem]:
    """Every problem of instance against the named fixture schema, ordered by pointer."""
    return _problems(_fixture_validator(name).iter_errors(instance))


def validate_with(instance: Any, schema: Mapping[str, Any]) -> list[SchemaProblem]:
    """Every problem of instance against schema (which may $ref the fixture schemas)."""
    validator = _Validator(dict(schema), registry=_registry(), format_checker=FORMAT_CHECKER)
    return _problems(validator.iter_errors(instance))


def check_all_fixture_schemas() -> None:
    """Raise if any fixture schema is not a valid draft 2020-12 schema named after its file."""
    for name, file in SCHEMA_FILES.items():
        schema = load_schema(name)
        Draft202012Validator.check_schema(schema)
        if schema.get("$schema") != DRAFT_2020_12 or schema.get("$id") != SCHEMA_BASE + file:
            raise ValueError(f"{file}: $schema must be {DRAFT_2020_12} and $id {SCHEMA_BASE}{file}")


# --- date-time and integer semantics of RFC 7643 -----------------------------------------

_XSD_DATETIME = re.compile(
    r"-?(\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:Z|[+-](\d\d):(\d\d))?"
)


def is_xsd_datetime(value: object) -> bool:
    """RFC 7643 §2.3.5: an xsd:dateTime with both a date and a time (zone optional)."""
    if not isinstance(value, str):
        return True  # format applies to strings only; "type" rejects the rest
    match = _XSD_DATETIME.fullmatch(value)
    if match is None:
        return False
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    fraction, tz_hours, tz_minutes = match[7] or "", match[8], match[9]
    if hour == 24:  # xsd:dateTime allows 24:00:00 as the end of a day
        if minute or second or fraction.strip("0"):
            return False
        hour = 0
    if tz_hours is not None and (int(tz_minutes) > 59 or int(tz_hours) * 60 + int(tz_minutes) > 14 * 60):
        return False
    try:
        # leap years repeat every 400 years, so this checks the day of any year, even 5 digits
        datetime(2000 + year % 400, month, day, hour, minute, second)
    except ValueError:
        return False
    return True


FORMAT_CHECKER = FormatChecker(formats=())
FORMAT_CHECKER.checks("date-time")(is_xsd_datetime)


def _is_integer(_checker: object, instance: object) -> bool:
    # RFC 7643 §2.3.4: "a whole number with no fractional digits", so 1.0 is not an integer
    return isinstance(instance, int) and not isinstance(instance, bool)


_Validator = extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
)


@cache
def _registry() -> Registry[Any]:
    pairs = [(SCHEMA_BASE + f, Resource.from_contents(load_schema(n))) for n, f in SCHEMA_FILES.items()]
    return Registry().with_resources(pairs)


@cache
def _fixture_validator(name: str) -> Any:
    return _Validator(load_schema(name), registry=_registry(), format_checker=FORMAT_CHECKER)


def _problems(errors: Iterable[Any]) -> list[SchemaProblem]:
    ordered = sorted(errors, key=lambda e: ([_order(p) for p in e.absolute_path], e.message))
    return [SchemaProblem.from_error(e) for e in ordered]


def _order(part: object) -> tuple[int, str]:
    # array indexes sort numerically ("/emails/2" before "/emails/10"), keys alphabetically
    return (0, f"{part:012d}") if isinstance(part, int) else (1, str(part))


def _escape(part: object) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def _truncate(text: str, limit: int = _SHOWN) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _compact(value: Any) -> str:
    try:
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=False)
    except (TypeError, ValueError):
        text = repr(value)
    return _truncate(text)


# --- JSON Schema generated from a target's own /Schemas -----------------------------------

_COMMON = SCHEMA_BASE + SCHEMA_FILES["common"]
_SIMPLE: Mapping[str, Mapping[str, Any]] = MappingProxyType(
    {
        "string": {"type": "string"},
        "boolean": {"type": "boolean"},
        "integer": {"type": "integer"},
        "decimal": {"type": "number"},
        "dateTime": {"type": "string", "format": "date-time"},
        "reference": {"type": "string", "format": "uri-reference"},
        "binary": {"type": "string", "contentEncoding": "base64"},
    }
)


def resource_json_schema(rs: ResourceSchema) -> dict[str, Any]:
    """A response schema for one resource type, built from the target's own schema documents.

    Names are matched as declared; canonicalValues are only annotated (x-canonicalValues),
    since RFC 7643 §2.3 makes them suggestions; optional attributes may be null (§2.5).
    """
    properties, required = _properties(rs.core.attributes)
    dependent: dict[str, Any] = {}
    mandatory = {urn.casefold() for urn in rs.required_extensions}
    for ext in rs.extensions:
        ext_properties, ext_required = _properties(ext.attributes)
        properties[ext.id] = _object(ext_properties, ext_required, ext.description)
        dependent[ext.id] = {"properties": {"schemas": _contains_urn(ext.id)}}
        if ext.id.casefold() in mandatory:
            required.append(ext.id)
    properties.update(
        schemas={"$ref": f"{_COMMON}#/$defs/schemas", **_contains_urn(rs.core.id)},
        id={"$ref": f"{_COMMON}#/$defs/id"},
        externalId={"$ref": f"{_COMMON}#/$defs/externalId"},
        meta={"$ref": f"{_COMMON}#/$defs/meta"},
    )
    schema: dict[str, Any] = {
        "$schema": DRAFT_2020_12,
        "title": f"{rs.core.name} as declared by the target's /Schemas",
        "description": f"Generated from {', '.join(rs.schema_ids)} (RFC 7643 §7) plus §3.1.",
        "type": "object",
        "required": ["schemas", "id", *(r for r in required if r not in ("schemas", "id"))],
        "properties": properties,
    }
    if dependent:
        schema["dependentSchemas"] = dependent
    return schema


def is_required_in_response(attr: AttributeDef) -> bool:
    """A required attribute a response must carry: not write-only and returned by default."""
    return attr.required and attr.returned not in ("never", "request") and attr.mutability != "writeOnly"


def _properties(attrs: tuple[AttributeDef, ...]) -> tuple[dict[str, Any], list[str]]:
    properties = {a.name: _attribute_schema(a) for a in attrs}
    return properties, [a.name for a in attrs if is_required_in_response(a)]


def _attribute_schema(attr: AttributeDef) -> dict[str, Any]:
    value = _value_schema(attr)
    schema: dict[str, Any] = {"type": "array", "items": value} if attr.multi_valued else value
    if attr.multi_valued and attr.sub("primary") is not None:
        schema.update(_primary_at_most_once())
    if not is_required_in_response(attr):
        schema["type"] = [schema["type"], "null"]  # RFC 7643 §2.5: null means unassigned
    elif attr.multi_valued:
        schema["minItems"] = 1  # ... and so does an empty array
    if attr.description:
        schema["description"] = attr.description
    return schema


def _value_schema(attr: AttributeDef) -> dict[str, Any]:
    if attr.is_complex:
        properties, required = _properties(attr.sub_attributes)
        return _object(properties, required)
    schema = dict(_SIMPLE[attr.type])
    if attr.type == "binary":
        schema["pattern"] = load_schema("common")["$defs"]["binary"]["pattern"]
    if attr.canonical_values:
        schema["x-canonicalValues"] = list(attr.canonical_values)
    return schema


def _object(properties: dict[str, Any], required: list[str], description: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    if description:
        schema["description"] = description
    return schema


def _primary_at_most_once() -> dict[str, Any]:
    """RFC 7643 §2.4: the primary value true MUST appear no more than once."""
    primary = {"type": "object", "required": ["primary"], "properties": {"primary": {"const": True}}}
    return {"contains": primary, "minContains": 0, "maxContains": 1}


def _contains_urn(urn: str) -> dict[str, Any]:
    """schemas must list urn, in any letter case (RFC 8141 §3.1; RFC 7643 §3)."""
    pattern = "".join(
        f"[{c.upper()}{c.lower()}]" if c.isalpha() else "\\" + c if c in r".^$*+?()[]{}|\/" else c
        for c in urn
    )
    return {"contains": {"type": "string", "pattern": f"^{pattern}$"}}
