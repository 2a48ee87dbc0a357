"""Custom extension declarations: the compact `URN=attr,attr:type` spec and RFC 7643 §7 files."""

from __future__ import annotations

import json
from pathlib import Path

from simulator.scim import urns
from simulator.scim.schema import TYPES, AttributeDef, SchemaDef, SchemaDefinitionError

SIMPLE_TYPES = tuple(sorted(TYPES - {"complex"}))


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
    attrs = [a.strip() for a in attrs_text.split(",") if a.strip()]
    if not attrs:
        raise SchemaDefinitionError(f"extension {urn}: name at least one attribute after '='")
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
        return SchemaDef.from_json(data)
    except SchemaDefinitionError as exc:
        raise SchemaDefinitionError(f"{file}: {exc}") from exc


def targets_group(schema: SchemaDef) -> bool:
    """Extensions whose URN ends in ':Group' extend Groups; all others extend Users."""
    return schema.id.rsplit(":", 1)[-1].casefold() == "group"
