"""Custom extension declarations: the compact `URN=attr,attr:type` spec and RFC 7643 §7 files."""

from __future__ import annotations

import json
from pathlib import Path

from simulator.scim import urns
from simulator.scim.schema import TYPES, AttributeDef, SchemaDef, SchemaDefinitionError

SIMPLE_TYPES = tuple(sorted(TYPES - {"complex"}))
# Schemas of RFC 7643/7644 themselves: declaring one as a custom extension would redefine it.
RESERVED_PREFIXES = ("urn:ietf:params:scim:schemas:core:", "urn:ietf:params:scim:api:")


def parse_extension_spec(spec: str) -> SchemaDef:
    """Parse 'urn:...:2.0:User=custAttr1,level:integer,vip:boolean' into a schema.

    Attributes are single-valued, optional and readWrite; the type defaults to string.
    """
    urn, sep, attrs_text = spec.partition("=")
    urn = urn.strip()
    if not sep or not urns.is_urn(urn) or urn.count(":") < 2:
        raise SchemaDefinitionError(
            f"extension {spec!r}: expected URN=attr[:type],... such as "
            "'urn:ietf:params:scim:schemas:extension:acme:2.0:User=costCode,level:integer'"
        )
    _check_custom(urn)
    attrs = [a.strip() for a in attrs_text.split(",")]
    if attrs == [""]:
        raise SchemaDefinitionError(f"extension {urn}: name at least one attribute after '='")
    unnamed = next((n for n, a in enumerate(attrs, 1) if not a.partition(":")[0].strip()), None)
    if unnamed is not None:
        raise SchemaDefinitionError(
            f"extension {urn}: attribute {unnamed} of {attrs_text.strip()!r} has no name; separate "
            "attribute names with single commas, such as 'costCode,level:integer'"
        )
    defs = tuple(_attribute(urn, a) for a in attrs)
    return SchemaDef.from_json(
        SchemaDef(
            id=urn, name=urn.rsplit(":", 1)[-1], description=f"Extension {urn}", attributes=defs
        ).to_json()
    )


def _attribute(urn: str, text: str) -> AttributeDef:
    name, _, kind = text.partition(":")
    kind = kind.strip() or "string"
    matched = next((t for t in SIMPLE_TYPES if t.casefold() == kind.casefold()), None)
    if matched is None:
        raise SchemaDefinitionError(
            f"extension {urn}: attribute {name!r} has type {kind!r}; use one of {', '.join(SIMPLE_TYPES)}"
        )
    return AttributeDef(name.strip(), type=matched, description=f"{name.strip()} ({matched})")


def load_extension_file(path: str | Path) -> SchemaDef:
    """Read an RFC 7643 §7 schema document from a JSON file."""
    file = Path(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SchemaDefinitionError(f"cannot read extension file {file}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise SchemaDefinitionError(
            f"{file}: not UTF-8 text (byte {exc.start}); save the schema as UTF-8 JSON"
        ) from exc
    except json.JSONDecodeError as exc:
        raise SchemaDefinitionError(f"{file}: not valid JSON ({exc})") from exc
    try:
        schema = SchemaDef.from_json(data)
        _check_custom(schema.id)
    except SchemaDefinitionError as exc:
        raise SchemaDefinitionError(f"{file}: {exc}") from exc
    return schema


def _check_custom(urn: str) -> None:
    """Only custom extensions can be declared: the core schemas and the enterprise one are built in."""
    folded = urn.casefold()
    if folded == urns.ENTERPRISE_USER.casefold():
        raise SchemaDefinitionError(
            f"{urn} is the enterprise extension (RFC 7643 §4.3), which is built in: the reference provider "
            "always serves it and a run without --extension tests it when the server advertises it; "
            "declare only custom extensions"
        )
    if folded.startswith(RESERVED_PREFIXES):
        raise SchemaDefinitionError(
            f"{urn} is a schema of RFC 7643/7644, not an extension; declare a custom extension such as "
            "'urn:ietf:params:scim:schemas:extension:acme:2.0:User=costCode'"
        )


def targets_group(schema: SchemaDef) -> bool:
    """Extensions whose URN ends in ':Group' extend Groups; all others extend Users."""
    return schema.id.rsplit(":", 1)[-1].casefold() == "group"
