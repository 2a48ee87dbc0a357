"""SCIM 2.0 PATCH (RFC 7644 §3.5.2): apply an ordered list of operations to a resource copy.

patch_request.py reads the request and resolves its paths; patch_values.py holds the value rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from simulator.provider import patch_values as pv
from simulator.provider.patch_request import (
    Operation,
    Target,
    envelope,
    operation_failed,
    parse_operation,
    resolve,
)
from simulator.provider.patch_values import MISSING, OperationError
from simulator.scim.filter_ast import And, AttrPath, Compare, ExpressionError, Filter
from simulator.scim.schema import ResourceSchema

# Keys a client may echo back in a no-path value object; they are not patchable data.
_IGNORED_KEYS = frozenset({"schemas", "meta"})


def apply_patch(resource: Mapping[str, Any], body: Any, schema: ResourceSchema) -> dict[str, Any]:
    """Apply a PatchOp body to a copy of resource; all operations succeed or none does.

    The copy is shallow and copy-on-write: resource and its values are never changed, and an
    attribute no operation touched is the very object it was in resource (callers rely on
    that to re-validate only what changed). Cost grows with the touched values, not the rest.
    """
    operations = envelope(body)
    patcher = _Patcher(dict(resource), schema)
    for index, raw in enumerate(operations):
        op = parse_operation(index, raw)
        try:
            patcher.apply(op)
        except OperationError as exc:
            raise operation_failed(op, exc) from None
    return patcher.resource


class _Patcher:
    """Applies operations in order to a shallow copy of a resource, copying containers on write.

    Values are never changed in place (the helpers of patch_values build new ones), so only the
    top-level dict, extension containers and 'schemas' need private copies.
    """

    def __init__(self, resource: dict[str, Any], schema: ResourceSchema) -> None:
        self.resource = resource
        self.schema = schema
        self._owned: set[str] = set()  # extension containers already copied by this patch

    def apply(self, op: Operation) -> None:
        if op.path is None:
            if op.name == "remove":
                # RFC 7644 §3.5.2.2: remove without a path fails with noTarget.
                raise OperationError("noTarget", "remove requires a 'path'")
            self._apply_object(op.name, op.value, None)
        else:
            self._apply_path(op.name, op.path, op.value, lenient=False)

    def _apply_object(self, name: str, value: Any, urn: str | None) -> None:
        """No-path add/replace: every key is an attribute or a path (Entra's 'name.givenName')."""
        if not isinstance(value, Mapping):
            raise OperationError("invalidValue", f"the value of {urn!r} must be an object", urn)
        for key, item in value.items():
            if urn is None and key.casefold() in _IGNORED_KEYS:
                continue
            # An extension URN key holds an object of that extension's attributes.
            self._apply_path(name, f"{urn}:{key}" if urn else key, item, lenient=True)

    def _apply_path(self, name: str, text: str, value: Any, lenient: bool) -> None:
        try:
            sid, rest = self.schema.split(text)
            if sid is not None and rest == "":
                self._apply_schema_urn(name, sid, value)
                return
            target = resolve(self.schema, text)
            if _is_read_only(target):
                # Okta echoes the current id in a rename; an unchanged readOnly value is ignored.
                if lenient and pv.same(self._current(target), pv.canon_value(target.leaf, value)):
                    return
                raise OperationError("mutability", f"'{target.leaf.name}' is readOnly")
            self._change(name, target, value)
        except OperationError as exc:
            exc.path = exc.path or text
            raise
        except ExpressionError as exc:
            raise OperationError(exc.scim_type, str(exc), text) from None

    def _apply_schema_urn(self, name: str, sid: str, value: Any) -> None:
        """A bare schema URN as path: the whole extension (core data cannot be removed)."""
        if name != "remove":
            self._apply_object(name, value, sid)
        elif sid == self.schema.core.id:
            raise OperationError("invalidPath", "the core schema cannot be removed")
        else:
            self._remove_extension(sid)

    # --- reading and writing ------------------------------------------------------------

    def _container(self, urn: str | None) -> dict[str, Any] | None:
        """The dict holding urn's attributes, for reading (it may be shared with the original)."""
        if urn is None:
            return self.resource
        key = pv.find_key(self.resource, urn)
        node = self.resource.get(key) if key is not None else None
        return node if isinstance(node, dict) else None

    def _writable(self, urn: str | None, create: bool) -> dict[str, Any] | None:
        """urn's container as this patch's own copy, keyed canonically; with create, made if absent."""
        if urn is None:
            return self.resource
        node = self._container(urn)
        if node is None and not create:
            return None
        if node is None or urn not in self._owned:
            key = pv.find_key(self.resource, urn)
            if key is not None and key != urn:
                del self.resource[key]
            if node is None:
                self._declare(urn)
            node = dict(node or {})
            self.resource[urn] = node
            self._owned.add(urn)
        return node

    def _read(self, target: Target) -> Any:
        container = self._container(target.container)
        key = pv.find_key(container, target.attr.name) if container is not None else None
        return container[key] if container is not None and key is not None else MISSING

    def _current(self, target: Target) -> Any:
        old = self._read(target)
        if target.sub is None:
            return pv.canon_value(target.attr, old)
        if not isinstance(old, Mapping):
            return MISSING
        return pv.canon_keys(target.attr, old).get(target.sub.name, MISSING)

    def _write(self, target: Target, new: Any) -> None:
        container = self._writable(target.container, create=pv.assigned(new))
        if container is None:
            return
        pv.put_key(container, target.attr.name, new)
        if target.container is not None and not container:
            self._drop_extension(target.container)

    def _declare(self, urn: str) -> None:
        schemas = self.resource.get("schemas")
        if isinstance(schemas, list) and not any(_same_urn(s, urn) for s in schemas):
            self.resource["schemas"] = [*schemas, urn]

    def _drop_extension(self, urn: str) -> None:
        key = pv.find_key(self.resource, urn)
        if key is not None:
            del self.resource[key]
        schemas = self.resource.get("schemas")
        if isinstance(schemas, list):
            self.resource["schemas"] = [s for s in schemas if not _same_urn(s, urn)]

    def _remove_extension(self, urn: str) -> None:
        container = self._container(urn) or {}
        ext = self.schema.extension(urn)
        for attr in ext.attributes if ext is not None else ():
            key = pv.find_key(container, attr.name)
            pv.check_change(attr, container[key] if key is not None else MISSING, MISSING)
        self._drop_extension(urn)

    # --- the three operations --------------------------------------------------------------

    def _change(self, name: str, target: Target, value: Any) -> None:
        old = self._read(target)
        if target.sub is not None or not target.attr.is_complex:
            value = pv.coerce_leaf(target.leaf, value)
        remove = name == "remove"
        new = self._removed(target, old, value) if remove else self._set(name, target, old, value)
        pv.check_change(target.attr, old, new)
        self._write(target, new)

    def _set(self, name: str, target: Target, old: Any, value: Any) -> Any:
        attr = target.attr
        if target.selects:
            return self._set_selected(name, target, _items(old), value)
        if attr.multi_valued:
            if name == "add":
                return pv.add_items(attr, _items(old), value)
            return pv.incoming_items(attr, value) or MISSING
        if target.sub is not None:
            return pv.put_sub(old, target.sub, value)
        if attr.is_complex:
            return pv.merge(attr, old, value)
        return MISSING if value is None else value

    def _set_selected(self, name: str, target: Target, items: list[Any], value: Any) -> Any:
        attr, sub = target.attr, target.sub
        hits = _hits(target, items)
        if not hits:
            if name == "replace" and target.predicate is not None:
                raise OperationError("noTarget", "no value matches the filter")
            fresh = self._new_element(target, value)
            if not pv.assigned(fresh):
                return items or MISSING
            items = [*items, fresh]
            return pv.settle_primary(attr, items, [len(items) - 1])
        if sub is not None:
            edit = partial(pv.put_sub, sub=sub, value=value)
        elif name == "add":
            edit = partial(pv.merge, attr, value=value)
        else:
            edit = partial(pv.replace_element, attr, value=value)
        return pv.edit_elements(attr, items, hits, edit) or MISSING

    def _new_element(self, target: Target, value: Any) -> Any:
        """A value filter that matches nothing describes the element to create (Entra's emails)."""
        seed = _eq_conditions(target.value_filter) if target.value_filter is not None else {}
        if seed is None:
            what = "no value matches the filter, and it does not describe a new one"
            raise OperationError("noTarget", what)
        item = pv.incoming_complex(target.attr, seed)
        if target.sub is not None:
            return pv.put_sub(item, target.sub, value)
        return pv.merge(target.attr, item, value)

    def _removed(self, target: Target, old: Any, value: Any) -> Any:
        attr = target.attr
        if target.selects:
            items = _items(old)
            hits = _hits(target, items)
            if not hits:
                if target.predicate is not None:
                    raise OperationError("noTarget", "no value matches the filter")
                return old
            if target.sub is not None:
                edit = partial(pv.put_sub, sub=target.sub, value=MISSING)
                return pv.edit_elements(attr, items, hits, edit) or MISSING
            return [item for i, item in enumerate(items) if i not in hits] or MISSING
        if attr.multi_valued and value is not MISSING and value is not None:
            return pv.remove_items(attr, _items(old), value) or MISSING
        if target.sub is not None:
            return pv.put_sub(old, target.sub, MISSING)
        return MISSING


def _is_read_only(target: Target) -> bool:
    return target.attr.mutability == "readOnly" or target.leaf.mutability == "readOnly"


def _items(old: Any) -> list[Any]:
    return list(old) if isinstance(old, list) else []


def _hits(target: Target, items: list[Any]) -> list[int]:
    matches = target.predicate or (lambda _item: True)
    return [i for i, item in enumerate(items) if isinstance(item, Mapping) and matches(item)]


def _eq_conditions(node: Filter) -> dict[str, Any] | None:
    """The sub-attribute values an and-chain of 'eq' comparisons pins down; None otherwise."""
    found: dict[str, Any] = {}
    stack = [node]
    while stack:  # iterative: and-chains may be arbitrarily long
        part = stack.pop()
        if isinstance(part, And):
            stack += [part.right, part.left]
        elif isinstance(part, Compare) and part.op == "eq" and _is_plain(part.path):
            found[part.path.attr] = part.value
        else:
            return None
    return found


def _is_plain(path: AttrPath) -> bool:
    return path.urn is None and path.sub_attr is None


def _same_urn(value: Any, urn: str) -> bool:
    return isinstance(value, str) and value.casefold() == urn.casefold()
