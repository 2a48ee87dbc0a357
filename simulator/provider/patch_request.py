"""Reading a PatchOp request (RFC 7644 §3.5.2): its envelope, each operation's shape, and the
attribute path an operation names, resolved against the resource's schema; PatchError refuses it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from simulator.provider.patch_values import MISSING, OperationError
from simulator.scim import urns
from simulator.scim.filter import compile_value_filter, parse_path
from simulator.scim.filter_ast import Filter
from simulator.scim.schema import AttributeDef, ResourceSchema

OPS = ("add", "remove", "replace")


class PatchError(ValueError):
    """A PATCH request the provider must refuse (RFC 7644 §3.12)."""

    def __init__(self, scim_type: str | None, detail: str, status: int = 400) -> None:
        super().__init__(detail)
        self.scim_type = scim_type
        self.detail = detail
        self.status = status


@dataclass(frozen=True, slots=True)
class Operation:
    """One validated entry of Operations; value is MISSING when the key was absent."""

    index: int
    name: str
    path: str | None
    value: Any


@dataclass(frozen=True, slots=True)
class Target:
    """A resolved attribute path: where it lives, what it is, and which elements it selects."""

    container: str | None
    attr: AttributeDef
    sub: AttributeDef | None
    value_filter: Filter | None
    predicate: Callable[[Mapping[str, Any]], bool] | None

    @property
    def leaf(self) -> AttributeDef:
        return self.sub or self.attr

    @property
    def selects(self) -> bool:
        """True when the path picks elements of a multi-valued attribute rather than all of it."""
        return self.attr.multi_valued and (self.predicate is not None or self.sub is not None)


def operation_failed(op: Operation, exc: OperationError) -> PatchError:
    """The PatchError for a failed operation, naming it: 'Operations[2] (remove 'members[...]'): ...'."""
    return PatchError(exc.scim_type, f"{_where(op.index, op.name, exc.path or op.path)}: {exc.message}")


def _where(index: int, name: str, path: str | None) -> str:
    """How error details name an operation: 'Operations[2] (remove 'members[...]')'."""
    if path:
        return f"Operations[{index}] ({name} {path!r})"
    return f"Operations[{index}] ({name}, no path)"


def envelope(body: Any) -> list[Any]:
    """The Operations array of a PatchOp body (RFC 7644 §3.5.2), or PatchError."""
    if not isinstance(body, Mapping):
        raise PatchError("invalidSyntax", "the PATCH body must be a JSON object")
    schemas = body.get("schemas")
    if not isinstance(schemas, list) or urns.PATCH_OP not in schemas:
        raise PatchError("invalidSyntax", f"'schemas' must contain {urns.PATCH_OP}")
    operations = body.get("Operations")
    if not isinstance(operations, list) or not operations:
        raise PatchError("invalidSyntax", "'Operations' must be a non-empty array")
    return operations


def parse_operation(index: int, raw: Any) -> Operation:
    """One entry of Operations, checked for shape (op name, path type, value presence)."""
    where = f"Operations[{index}]"
    if not isinstance(raw, Mapping):
        raise PatchError("invalidSyntax", f"{where}: each operation must be a JSON object")
    name = raw.get("op")
    if not isinstance(name, str) or name.casefold() not in OPS:
        detail = f"{where}: 'op' must be add, remove or replace, not {name!r}"
        raise PatchError("invalidSyntax", detail)
    name = name.casefold()
    path = raw.get("path")
    if path is not None and not isinstance(path, str):
        raise PatchError("invalidPath", f"{where} ({name}): 'path' must be a string")
    path = path.strip() if path and path.strip() else None
    value = raw.get("value", MISSING)
    if name != "remove":
        # replace with null unassigns (RFC 7643 §2.5); add needs something to add.
        if value is MISSING or (value is None and (path is None or name == "add")):
            raise PatchError("invalidValue", f"{_where(index, name, path)}: 'value' is required")
        if path is None and not isinstance(value, Mapping):
            detail = f"{_where(index, name, path)}: without a path 'value' must be an object"
            raise PatchError("invalidValue", detail)
    return Operation(index, name, path, value)


def resolve(schema: ResourceSchema, text: str) -> Target:
    """Resolve a PATCH path against the schema; OperationError or ExpressionError when it is bad."""
    parsed = parse_path(text)
    where = parsed.path
    if parsed.sub_attr and where.sub_attr:
        raise OperationError("invalidPath", "a path has at most one sub-attribute")
    found = schema.resolve(where.urn, where.attr, parsed.sub_attr or where.sub_attr)
    if found is None:
        core = where.urn is None or where.urn.casefold() == schema.core.id.casefold()
        unknown_urn = not core and schema.extension(str(where.urn)) is None
        what = f"schema {where.urn!r}" if unknown_urn else "attribute"
        raise OperationError("invalidPath", f"unknown {what} (not in the resource's schemas)")
    predicate = None
    if parsed.value_filter is not None:
        if not (found.attribute.multi_valued and found.attribute.is_complex):
            what = f"'{found.attribute.name}' is not a multi-valued complex attribute"
            raise OperationError("invalidPath", what)
        predicate = compile_value_filter(parsed.value_filter, found.attribute, schema)
    return Target(found.container, found.attribute, found.sub_attribute, parsed.value_filter, predicate)
