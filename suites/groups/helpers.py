"""Small helpers shared by the Group checks: paths and member lists."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simulator.scim.paths import group_path
from suites.client import Reply, ScimClient
from suites.target import Target


def attribute(resource: Mapping[str, Any], name: str) -> Any:
    """The value of a top-level attribute, its name matched case-insensitively (RFC 7643 §2.1)."""
    return next((v for k, v in resource.items() if k.casefold() == name.casefold()), None)


def unassigned(resource: Mapping[str, Any], name: str) -> bool:
    """Absent, null or [] — equivalent states by RFC 7643 §2.5."""
    return attribute(resource, name) in (None, [])


def members(group: Mapping[str, Any]) -> list[dict[str, Any]]:
    found = attribute(group, "members")
    return [m for m in found if isinstance(m, dict)] if isinstance(found, list) else []


def member_values(group: Mapping[str, Any]) -> list[str]:
    """The members' value sub-attributes, sorted (member order carries no meaning)."""
    return sorted(str(attribute(m, "value")) for m in members(group))


def members_returned(target: Target) -> str:
    """The 'returned' characteristic the target declares for Group.members (RFC default: default)."""
    rs = target.resource_schema("Group")
    attr = rs.core.attribute("members") if rs is not None else None
    return attr.returned if attr is not None else "default"


def read_members(client: ScimClient, target: Target, gid: str) -> Reply:
    """GET the group so that its members show, asking for them when the target returns them on request."""
    params = {"attributes": "members"} if members_returned(target) == "request" else None
    return client.get(group_path(gid), params=params)
