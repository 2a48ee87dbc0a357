"""SCIM attribute definitions (RFC 7643 §2, §7): one model read from and written as JSON."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from simulator.scim import urns

TYPES = frozenset({"string", "boolean", "decimal", "integer", "dateTime", "binary", "reference", "complex"})
MUTABILITIES = frozenset({"readOnly", "readWrite", "immutable", "writeOnly"})
RETURNED = frozenset({"always", "never", "default", "request"})
UNIQUENESS = frozenset({"none", "server", "global"})


class SchemaDefinitionError(ValueError):
    """A schema document that does not follow RFC 7643 §7."""


@dataclass(frozen=True, slots=True)
class AttributeDef:
    """One attribute or sub-attribute definition (RFC 7643 §7)."""

    name: str
    type: str = "string"
    multi_valued: bool = False
    description: str = ""
    required: bool = False
    case_exact: bool = False
    mutability: str = "readWrite"
    returned: str = "default"
    uniqueness: str = "none"
    canonical_values: tuple[str, ...] = ()
    reference_types: tuple[str, ...] = ()
    sub_attributes: tuple[AttributeDef, ...] = ()

    def sub(self, name: str) -> AttributeDef | None:
        """The sub-attribute called name, matched case-insensitively (RFC 7643 §2.1)."""
        return _find(self.sub_attributes, name)

    @property
    def is_complex(self) -> bool:
        return self.type == "complex"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "multiValued": self.multi_valued,
            "description": self.description,
            "required": self.required,
        }
        if self.type in ("string", "reference", "binary"):
            out["caseExact"] = self.case_exact
        if self.canonical_values:
            out["canonicalValues"] = list(self.canonical_values)
        if self.reference_types:
            out["referenceTypes"] = list(self.reference_types)
        if self.sub_attributes:
            out["subAttributes"] = [a.to_json() for a in self.sub_attributes]
        out["mutability"] = self.mutability
        out["returned"] = self.returned
        if self.type != "complex":
            out["uniqueness"] = self.uniqueness
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any], where: str = "") -> AttributeDef:
        """Parse an attribute definition, raising SchemaDefinitionError with a location."""
        if not isinstance(data, Mapping):
            raise SchemaDefinitionError(f"{where or 'attribute'}: expected an object")
        name = data.get("name")
        here = f"{where}.{name}" if where else str(name)
        if not isinstance(name, str) or not _valid_name(name):
            raise SchemaDefinitionError(f"{here}: 'name' must be an ATTRNAME (RFC 7643 §2.1)")
        kind = data.get("type", "string")
        _member(kind, TYPES, here, "type")
        subs_raw = data.get("subAttributes") or ()
        if kind == "complex" and not subs_raw:
            raise SchemaDefinitionError(f"{here}: a complex attribute needs subAttributes")
        subs = tuple(cls.from_json(s, here) for s in subs_raw)
        return cls(
            name=name,
            type=kind,
            multi_valued=_bool(data, "multiValued", False, here),
            description=str(data.get("description", "")),
            required=_bool(data, "required", False, here),
            case_exact=_bool(data, "caseExact", False, here),
            mutability=_member(data.get("mutability", "readWrite"), MUTABILITIES, here, "mutability"),
            returned=_member(data.get("returned", "default"), RETURNED, here, "returned"),
            uniqueness=_member(data.get("uniqueness", "none"), UNIQUENESS, here, "uniqueness"),
            canonical_values=tuple(str(v) for v in data.get("canonicalValues") or ()),
            reference_types=tuple(str(v) for v in data.get("referenceTypes") or ()),
            sub_attributes=subs,
        )


@dataclass(frozen=True, slots=True)
class SchemaDef:
    """A schema (RFC 7643 §7): an id (URN) and its attributes."""

    id: str
    name: str
    description: str
    attributes: tuple[AttributeDef, ...]

    def attribute(self, name: str) -> AttributeDef | None:
        """The top-level attribute called name, matched case-insensitively."""
        return _find(self.attributes, name)

    def to_json(self, location: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "schemas": [urns.SCHEMA],
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "attributes": [a.to_json() for a in self.attributes],
        }
        if location is not None:
            out["meta"] = {"resourceType": "Schema", "location": location}
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SchemaDef:
        if not isinstance(data, Mapping):
            raise SchemaDefinitionError("a schema document must be a JSON object")
        sid = data.get("id")
        if not isinstance(sid, str) or not urns.is_urn(sid):
            raise SchemaDefinitionError("schema 'id' must be a URN such as urn:...:2.0:User")
        attrs = data.get("attributes")
        if not isinstance(attrs, list) or not attrs:
            raise SchemaDefinitionError(f"{sid}: 'attributes' must be a non-empty list")
        parsed = tuple(AttributeDef.from_json(a, sid) for a in attrs)
        _reject_duplicates(parsed, sid)
        return cls(
            id=sid,
            name=str(data.get("name") or sid.rsplit(":", 1)[-1]),
            description=str(data.get("description", "")),
            attributes=parsed,
        )


def _find(attrs: Iterable[AttributeDef], name: str) -> AttributeDef | None:
    folded = name.casefold()
    for attr in attrs:
        if attr.name.casefold() == folded:
            return attr
    return None


def _valid_name(name: str) -> bool:
    if not name or not (name[0].isascii() and (name[0].isalpha() or name[0] == "$")):
        return False
    return all(c.isascii() and (c.isalnum() or c in "-_") for c in name[1:])


def _bool(data: Mapping[str, Any], key: str, default: bool, where: str) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise SchemaDefinitionError(f"{where}: '{key}' must be true or false")
    return value


def _member(value: object, allowed: frozenset[str], where: str, key: str) -> str:
    if value not in allowed:
        raise SchemaDefinitionError(
            f"{where}: '{key}' is {value!r}; expected one of {', '.join(sorted(allowed))}"
        )
    return str(value)


def _reject_duplicates(attrs: tuple[AttributeDef, ...], where: str) -> None:
    seen: set[str] = set()
    for attr in attrs:
        key = attr.name.casefold()
        if key in seen:
            raise SchemaDefinitionError(f"{where}: attribute {attr.name!r} is defined twice")
        seen.add(key)
        _reject_duplicates(attr.sub_attributes, f"{where}.{attr.name}")


# Common attributes (RFC 7643 §3.1) belong to every resource but to no schema document.
COMMON_ATTRIBUTES: tuple[AttributeDef, ...] = (
    AttributeDef(
        "id",
        case_exact=True,
        mutability="readOnly",
        returned="always",
        uniqueness="server",
        description="Unique identifier for the resource, assigned by the service provider.",
    ),
    AttributeDef(
        "externalId",
        case_exact=True,
        description="Identifier of the resource as defined by the provisioning client.",
    ),
    AttributeDef(
        "meta",
        type="complex",
        mutability="readOnly",
        description="Resource metadata.",
        sub_attributes=(
            AttributeDef("resourceType", case_exact=True, mutability="readOnly"),
            AttributeDef("created", type="dateTime", mutability="readOnly"),
            AttributeDef("lastModified", type="dateTime", mutability="readOnly"),
            AttributeDef(
                "location",
                type="reference",
                case_exact=True,
                mutability="readOnly",
                reference_types=("uri",),
            ),
            AttributeDef("version", case_exact=True, mutability="readOnly"),
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class Resolved:
    """Where an attribute path lands in a resource.

    ``container`` is None for core and common attributes (top-level keys) and the
    extension URN for extension attributes (nested under that key).
    """

    container: str | None
    attribute: AttributeDef
    sub_attribute: AttributeDef | None = None

    @property
    def leaf(self) -> AttributeDef:
        return self.sub_attribute or self.attribute


@dataclass(frozen=True, slots=True)
class ResourceSchema:
    """A resource type's core schema, its extensions and the common attributes."""

    core: SchemaDef
    extensions: tuple[SchemaDef, ...] = ()
    required_extensions: frozenset[str] = field(default_factory=frozenset)

    @property
    def schema_ids(self) -> tuple[str, ...]:
        return (self.core.id, *(e.id for e in self.extensions))

    def extension(self, urn: str) -> SchemaDef | None:
        """The extension schema whose id is urn (case-insensitive, RFC 7643 §3)."""
        folded = urn.casefold()
        for ext in self.extensions:
            if ext.id.casefold() == folded:
                return ext
        return None

    def split(self, name: str) -> tuple[str | None, str]:
        """Split a possibly URN-qualified name into (schema id, rest) using known URNs.

        The returned schema id is canonical (as declared); rest is '' when name is a
        bare schema URN. A URN that is not one of ours is split at its last colon.
        """
        if not urns.is_urn(name):
            return None, name
        folded = name.casefold()
        for sid in self.schema_ids:
            low = sid.casefold()
            if folded == low:
                return sid, ""
            if folded.startswith(low + ":"):
                return sid, name[len(sid) + 1 :]
        return urns.split_urn_prefix(name)

    def resolve(self, urn: str | None, attr: str, sub: str | None = None) -> Resolved | None:
        """Resolve (urn, attr, sub) to its definition; None when it is not defined."""
        container: str | None = None
        if urn is None or urn.casefold() == self.core.id.casefold():
            found = self.core.attribute(attr) or _find(COMMON_ATTRIBUTES, attr)
        else:
            ext = self.extension(urn)
            if ext is None:
                return None
            container, found = ext.id, ext.attribute(attr)
        if found is None:
            return None
        if sub is None:
            return Resolved(container, found)
        sub_def = found.sub(sub)
        return None if sub_def is None else Resolved(container, found, sub_def)
