"""The JSON bodies Okta sends (okta-scim.md §4–§9), built from the app profile."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from simulator.okta.model import AppInstance, Quirks
from simulator.scim import urns


class Member(NamedTuple):
    """A group member as Okta sends it: the target's user id and the app userName (§8.3)."""

    value: str
    display: str | None = None


# ---- §9 external names -------------------------------------------------------------------

_SELECT = re.compile(r"""^\^\[(\w+)==(?:'([^']*)'|"([^"]*)"|([^\]'"]*))\]$""")


@dataclass(frozen=True, slots=True)
class Segment:
    """One step of an external name: an attribute, or `^[key==value]` selecting a list item."""

    name: str
    select_key: str | None = None
    select_value: Any = None


@lru_cache(maxsize=1024)
def parse_external_name(name: str) -> tuple[Segment, ...]:
    """'emails.^[primary==true].value' → (emails selected by primary==true, value)."""
    parts, buf, depth = [], "", 0
    for ch in name:
        depth += (ch == "[") - (ch == "]")
        if ch == "." and depth == 0:
            parts.append(buf)
            buf = ""
        else:
            buf += ch
    parts.append(buf)
    out: list[Segment] = []
    for part in parts:
        match = _SELECT.match(part)
        if match and out and out[-1].select_key is None:
            out[-1] = Segment(out[-1].name, match[1], _select_value(match))
        elif re.fullmatch(r"[A-Za-z$][\w$-]*", part):
            out.append(Segment(part))
        else:
            raise ValueError(f"external name {name!r}: cannot read {part!r}")
    if out[-1].select_key is not None:
        raise ValueError(f"external name {name!r}: must end with an attribute, not a selector")
    return tuple(out)


def _select_value(match: re.Match[str]) -> Any:
    if match[2] is not None or match[3] is not None:
        return match[2] if match[2] is not None else match[3]
    bare = match[4].strip()
    return {"true": True, "false": False}.get(bare, bare)


def _key(node: Mapping[str, Any], name: str) -> str:
    """The key of node matching name case-insensitively (RFC 7643 §2.1), else name."""
    folded = name.casefold()
    return next((k for k in node if k.casefold() == folded), name)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.casefold() == b.casefold()
    return type(a) is type(b) and a == b


def _child(node: dict[str, Any], seg: Segment, create: bool) -> dict[str, Any] | None:
    key = _key(node, seg.name)
    current = node.get(key)
    if seg.select_key is None:
        if not isinstance(current, dict):
            if not create:
                return None
            current = node[key] = {}
        return current
    if not isinstance(current, list):
        if not create:
            return None
        current = node[key] = []
    for item in current:
        if isinstance(item, dict) and _same(item.get(_key(item, seg.select_key)), seg.select_value):
            return item
    if not create:
        return None
    item = {seg.select_key: seg.select_value}
    current.append(item)
    return item


def set_external(doc: dict[str, Any], external_name: str, value: Any, create: bool = True) -> bool:
    """Write value at external_name inside doc; with create=False only where the path exists."""
    *path, last = parse_external_name(external_name)
    node: dict[str, Any] | None = doc
    for seg in path:
        node = _child(node, seg, create) if node is not None else None
    if node is None:
        return False
    if not create and _key(node, last.name) not in node:
        return False
    node[_key(node, last.name)] = value
    return True


def _is_core(namespace: str) -> bool:
    return namespace.casefold() == urns.CORE_USER.casefold()


def _listed(urn: str, quirks: Quirks) -> bool:
    """Enterprise is listed in `schemas` [O] S21; custom URNs only per setting (§14.5)."""
    return urn.casefold() == urns.ENTERPRISE_USER.casefold() or quirks.list_custom_urns_in_schemas


def _empty(value: Any) -> bool:
    return value is None or value == ""


def _sent_attributes(app: AppInstance, only: Collection[str] | None) -> Iterator[tuple[str, str, str]]:
    """(app attribute, namespace, external name) of every attribute Okta may send."""
    for attr in app.attributes:
        if not attr.external_namespace:
            continue  # [D] S32: attributes without a namespace are not sent at all
        if only is None or attr.name in only:
            yield attr.name, attr.external_namespace, attr.external_name


# ---- users -------------------------------------------------------------------------------


def create_user_body(
    app: AppInstance, profile: Mapping[str, Any], *, external_id: str, password: str
) -> dict[str, Any]:
    """§4.2a: core attributes, then externalId, groups [], password, active, then extensions."""
    core: dict[str, Any] = {}
    extensions: dict[str, dict[str, Any]] = {}
    for name, namespace, external in _sent_attributes(app, None):
        value = profile.get(name)
        if _empty(value):
            continue  # [I] null/unmapped attributes are omitted on create
        target = core if _is_core(namespace) else extensions.setdefault(namespace, {})
        set_external(target, external, value)
    listed = [u for u in extensions if _listed(u, app.quirks)]
    body: dict[str, Any] = {"schemas": [urns.CORE_USER, *listed], **core}
    body.update(externalId=external_id, groups=[], password=password, active=True)
    body.update(extensions)
    return body


def merged_user_body(
    app: AppInstance,
    current: Mapping[str, Any],
    profile: Mapping[str, Any],
    *,
    pushed: Collection[str] | None,
    active: bool | None = None,
    password: str | None = None,
) -> dict[str, Any]:
    """§5.1: the GET body with Okta's managed attributes overwritten, everything else echoed.

    `pushed` limits which app attributes are written (None: all); `active`/`password` are
    set only when given. A cleared attribute follows Quirks.cleared_value, and only where
    the GET body has it.
    """
    body = copy.deepcopy(dict(current))
    cleared = app.quirks.cleared_value
    for name, namespace, external in _sent_attributes(app, pushed):
        value = profile.get(name)
        if _empty(value) and cleared == "omit":
            continue
        target = body if _is_core(namespace) else _extension(body, namespace, not _empty(value), app.quirks)
        if target is None:
            continue
        if _empty(value):
            set_external(target, external, "" if cleared == "empty" else None, create=False)
        else:
            set_external(target, external, value)
    if active is not None:
        body[_key(body, "active")] = active
    if password is not None:
        body[_key(body, "password")] = password
    return body


def _extension(body: dict[str, Any], urn: str, create: bool, quirks: Quirks) -> dict[str, Any] | None:
    """The body's object for an extension URN, added (and listed in `schemas`) when needed."""
    key = _key(body, urn)
    found = body.get(key)
    if isinstance(found, dict):
        return found
    if not create:
        return None
    made: dict[str, Any] = {}
    body[key] = made
    schemas = body.get("schemas")
    listed = isinstance(schemas, list) and any(_same(s, urn) for s in schemas)
    if _listed(urn, quirks) and isinstance(schemas, list) and not listed:
        schemas.append(urn)
    return made


def patch_op(*operations: Mapping[str, Any]) -> dict[str, Any]:
    """A PatchOp message (RFC 7644 §3.5.2) with Okta's lowercase ops."""
    return {"schemas": [urns.PATCH_OP], "Operations": [dict(op) for op in operations]}


def active_patch(active: bool) -> dict[str, Any]:
    """§6.1/§6.2 [D]: no path, lowercase replace, boolean value."""
    return patch_op({"op": "replace", "value": {"active": active}})


def password_patch(password: str) -> dict[str, Any]:
    """§7 [I]: same value-object style as the documented active PATCH."""
    return patch_op({"op": "replace", "value": {"password": password}})


# ---- groups ------------------------------------------------------------------------------


def member_json(member: Member) -> dict[str, Any]:
    """{"value", "display"}: no `type`, no `$ref` (§8.3 [D] S1, [O] S15)."""
    return {"value": member.value, "display": member.display}


def group_create_body(name: str) -> dict[str, Any]:
    """§8.1 [D] S1: POST /Groups always with `members: []`."""
    return {"schemas": [urns.CORE_GROUP], "displayName": name, "members": []}


def group_put_body(group_id: str, name: str, members: Sequence[Member], quirks: Quirks) -> dict[str, Any]:
    """AIW §8.1/§8.3: the full group with every member (display null per setting, §14.11)."""
    null = quirks.aiw_member_display == "null"
    listed = [member_json(Member(m.value, None if null else m.display)) for m in members]
    return {"schemas": [urns.CORE_GROUP], "id": group_id, "displayName": name, "members": listed}


def rename_patch(group_id: str, name: str) -> dict[str, Any]:
    """§8.4 [D]: no-path replace carrying the id and the (new or current) displayName."""
    return patch_op({"op": "replace", "value": {"id": group_id, "displayName": name}})


def replace_members_patch(members: Sequence[Member]) -> dict[str, Any]:
    """'Push Now' (§8.3 [D]): replace `members` with the full list, possibly []."""
    return patch_op({"op": "replace", "path": "members", "value": [member_json(m) for m in members]})


def remove_member_path(scim_id: str) -> str:
    return f"members[value eq {json.dumps(scim_id, ensure_ascii=False)}]"


def membership_patches(
    added: Sequence[Member], removed: Sequence[str], batch_size: int
) -> list[dict[str, Any]]:
    """§8.3: one remove op per member, all adds of a batch in one add op, ≤ batch_size each.

    Removals come first, as in Okta's example; how Okta orders a split change is [I].
    """
    changes: list[tuple[str, Any]] = [("remove", r) for r in removed]
    changes += [("add", a) for a in added]
    bodies = []
    for start in range(0, len(changes), batch_size):
        chunk = changes[start : start + batch_size]
        ops: list[dict[str, Any]] = [
            {"op": "remove", "path": remove_member_path(v)} for kind, v in chunk if kind == "remove"
        ]
        adds = [member_json(v) for kind, v in chunk if kind == "add"]
        if adds:
            ops.append({"op": "add", "path": "members", "value": adds})
        bodies.append(patch_op(*ops))
    return bodies
