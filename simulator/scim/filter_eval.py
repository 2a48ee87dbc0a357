"""Compile a SCIM filter AST against a resource schema into a fast predicate (RFC 7644 §3.4.2.2)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from simulator.scim.filter_ast import (
    And,
    AttrPath,
    Compare,
    Filter,
    FilterError,
    Not,
    Or,
    Present,
    ValuePath,
)
from simulator.scim.filter_values import COMPARE, element_test
from simulator.scim.schema import AttributeDef, ResourceSchema

Predicate = Callable[[Mapping[str, Any]], bool]
_Getter = Callable[[Mapping[str, Any]], Any]

_MAPPING = (dict, Mapping)
# RFC 7643 §2.3.8: 'schemas' is on every resource yet in no schema; URNs compare case-insensitively.
_SCHEMAS = AttributeDef("schemas", type="reference", multi_valued=True, case_exact=False)


@dataclass(frozen=True, slots=True)
class _Target:
    """A resolved path: how to read it and what type its leaf values have."""

    label: str
    leaf: AttributeDef
    get: _Getter
    collection: bool  # get returns a sequence (items may be None); else one raw value or None
    key: str | None = None  # set when get(r) is just r.get(key): lets predicates skip a call


def compile_filter(node: Filter, schema: ResourceSchema) -> Predicate:
    """Validate node against schema once and return a predicate over resource dicts."""
    return _compile(node, lambda path, compare: _top_target(path, schema, compare), None)


def compile_value_filter(node: Filter, parent: AttributeDef, schema: ResourceSchema) -> Predicate:
    """Compile a value filter whose paths are sub-attributes of the complex attribute parent."""
    # schema is unused: parent carries every definition; it keeps the signature parallel.
    if not parent.is_complex:
        raise FilterError(f'a value filter needs a complex attribute; "{parent.name}" is not')
    inner = _compile(node, lambda path, _compare: _element_target(path, parent), parent)
    return lambda element: isinstance(element, _MAPPING) and inner(element)


_Resolver = Callable[[AttrPath, bool], _Target]


def _compile(node: Filter, resolve: _Resolver, parent: AttributeDef | None) -> Predicate:
    if isinstance(node, Compare):
        return _compare(node, resolve(node.path, True))
    if isinstance(node, Present):
        return _present_predicate(resolve(node.path, False))
    if isinstance(node, (And, Or)):
        parts = [_compile(part, resolve, parent) for part in _operands(node)]
        return _all(parts) if isinstance(node, And) else _any(parts)
    if isinstance(node, Not):
        inner = _compile(node.inner, resolve, parent)
        return lambda resource: not inner(resource)
    if isinstance(node, ValuePath):
        if parent is not None:
            raise FilterError(f'a value filter cannot contain another value path ("{node.path}[")')
        return _value_path(node, resolve(node.path, False))
    raise TypeError(f"not a filter node: {node!r}")


def _operands(node: And | Or) -> list[Filter]:
    """Flatten a chain of the same operator without recursion (long and/or chains are legal)."""
    kind = type(node)
    out: list[Filter] = []
    stack: list[Filter] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, (And, Or)) and type(item) is kind:
            stack.extend((item.right, item.left))
        else:
            out.append(item)
    return out


def _all(parts: list[Predicate]) -> Predicate:
    if len(parts) == 2:
        first, second = parts
        return lambda resource: first(resource) and second(resource)
    return lambda resource: all(part(resource) for part in parts)


def _any(parts: list[Predicate]) -> Predicate:
    if len(parts) == 2:
        first, second = parts
        return lambda resource: first(resource) or second(resource)
    return lambda resource: any(part(resource) for part in parts)


def _top_target(path: AttrPath, schema: ResourceSchema, compare: bool) -> _Target:
    found = schema.resolve(path.urn, path.attr, path.sub_attr)
    if found is None:
        if _is_schemas(path, schema):
            return _Target(str(path), _SCHEMAS, lambda r: _as_list(r.get("schemas")), True)
        raise FilterError(f'unknown attribute "{path}" in filter')
    attr, sub = found.attribute, found.sub_attribute
    if compare and sub is None and attr.is_complex:
        sub = _value_sub(attr, str(path))
    key = attr.name if found.container is None else None
    return _build(str(path), attr, sub, _top_getter(found.container, attr.name), key)


def _top_getter(container: str | None, name: str) -> _Getter:
    if container is None:
        return lambda r: r.get(name)
    return lambda r: _child(r.get(container), name)


def _element_target(path: AttrPath, parent: AttributeDef) -> _Target:
    sub = parent.sub(path.attr) if path.urn is None and path.sub_attr is None else None
    if sub is None:
        raise FilterError(f'unknown attribute "{parent.name}.{path}" in filter')
    name = sub.name
    return _build(f"{parent.name}.{path}", sub, None, lambda element: element.get(name), name)


def _is_schemas(path: AttrPath, schema: ResourceSchema) -> bool:
    core = path.urn is None or path.urn.casefold() == schema.core.id.casefold()
    return core and path.sub_attr is None and path.attr.casefold() == "schemas"


def _value_sub(attr: AttributeDef, label: str) -> AttributeDef:
    """A complex attribute compared directly means its 'value' sub-attribute (RFC 7644 §3.4.2.2)."""
    sub = attr.sub("value")
    if sub is None:
        names = ", ".join(f'"{label}.{s.name}"' for s in attr.sub_attributes[:3])
        raise FilterError(
            f'complex attribute "{label}" has no "value" sub-attribute; '
            f"compare one of its sub-attributes ({names})"
        )
    return sub


def _build(
    label: str, attr: AttributeDef, sub: AttributeDef | None, base: _Getter, key: str | None
) -> _Target:
    if sub is None:
        if attr.multi_valued:
            return _Target(label, attr, lambda r: _as_list(base(r)), True)
        return _Target(label, attr, base, False, key)
    name = sub.name
    if attr.multi_valued:
        return _Target(label, sub, lambda r: _from_elements(base(r), name), True)
    if sub.multi_valued:
        return _Target(label, sub, lambda r: _as_list(_child(base(r), name)), True)
    return _Target(label, sub, lambda r: _child(base(r), name), False)


def _child(container: Any, name: str) -> Any:
    return container.get(name) if isinstance(container, _MAPPING) else None


def _as_list(value: Any) -> Sequence[Any]:
    if type(value) is list:
        return value
    return () if value is None else (value,)


def _from_elements(value: Any, name: str) -> list[Any]:
    """The sub-attribute values of every element of a multi-valued complex attribute."""
    found: list[Any] = []
    for element in _as_list(value):
        if isinstance(element, _MAPPING):
            item = element.get(name)
            if type(item) is list:
                found.extend(item)
            elif item is not None:
                found.append(item)
    return found


def _absent(values: Sequence[Any]) -> bool:
    return all(value is None for value in values)


def _present(value: Any) -> bool:
    """RFC 7644 'pr': a non-empty value; for complex values, a non-empty sub-value."""
    if value is None or value == "":
        return False
    if isinstance(value, _MAPPING):
        return any(_present(item) for item in value.values())
    if isinstance(value, list):
        return any(_present(item) for item in value)
    return True


def _present_predicate(target: _Target) -> Predicate:
    get = target.get
    if target.collection:
        return lambda r: any(map(_present, get(r)))
    return lambda r: _present(get(r))


def _value_path(node: ValuePath, target: _Target) -> Predicate:
    if not target.leaf.is_complex or node.path.sub_attr is not None:
        raise FilterError(f'"{node.path}[...]" needs a complex attribute before "["')
    inner = _compile(node.filter, lambda path, _c: _element_target(path, target.leaf), target.leaf)
    get = target.get
    if not target.collection:
        return lambda r: isinstance(element := get(r), _MAPPING) and inner(element)

    def any_element(resource: Mapping[str, Any]) -> bool:
        # A plain loop: this runs per resource and any(<genexpr>) costs a generator each time.
        for element in get(resource):  # noqa: SIM110
            if isinstance(element, _MAPPING) and inner(element):
                return True
        return False

    return any_element


def _compare(node: Compare, target: _Target) -> Predicate:
    op, get = node.op, target.get
    if op not in COMPARE:
        raise FilterError(f'unknown operator "{op}" in filter')
    if node.value is None:
        if op not in ("eq", "ne"):
            raise FilterError(f'null can only be compared with "eq" or "ne", not "{op}"')
        present = _present_predicate(target)
        return present if op == "ne" else (lambda r: not present(r))
    test = element_test(op, node.value, target.leaf, target.label)
    if target.collection:
        if op == "ne":
            return lambda r: _absent(values := get(r)) or any(map(test, values))
        return lambda r: any(map(test, get(r)))
    key = target.key
    if key is not None:
        if op == "ne":
            return lambda r: (value := r.get(key)) is None or test(value)
        return lambda r: test(r.get(key))
    if op == "ne":
        return lambda r: (value := get(r)) is None or test(value)
    return lambda r: test(get(r))
