"""Stored records → SCIM representations (RFC 7643 §3) with meta, derived groups and members."""

from __future__ import annotations

from typing import Any

from simulator.provider.projection import Projection, apply_projection
from simulator.provider.records import Record
from simulator.provider.service import Provider
from simulator.scim import urns
from simulator.scim.paths import resource_path
from simulator.scim.schema import AttributeDef


def location(base_url: str, rec: Record) -> str:
    """meta.location and the Location header: the id escaped as a path segment, so any id makes a
    valid URI (RFC 7643 §3.1 lets ids hold any character; RFC 3986 §3.3)."""
    return base_url + resource_path(f"{rec.kind}s", rec.id)


def full(provider: Provider, rec: Record, base_url: str) -> dict[str, Any]:
    """Everything the server would return by default, plus returned-never values."""
    rs = provider.schema_of(rec.kind)
    ext_ids = [e.id for e in rs.extensions if rec.data.get(e.id)]
    out: dict[str, Any] = {"schemas": [rs.core.id, *ext_ids], "id": rec.id}
    out.update(rec.data)
    if rec.kind == "Group" and rec.data.get("members"):
        out["members"] = [_member(provider, m, base_url) for m in rec.data["members"]]
    if rec.kind == "User":
        groups = provider.group_refs(rec.id)
        if groups:
            out["groups"] = [{**g, "$ref": base_url + resource_path("Groups", g["value"])} for g in groups]
    if "unassigned-as-null" in provider.deviations:
        out = _with_unassigned(rs.core.attributes, out)
        for ext in rs.extensions:
            if isinstance(out.get(ext.id), dict):
                out[ext.id] = _with_unassigned(ext.attributes, out[ext.id])
    out["meta"] = _meta(provider, rec, base_url)
    return out


def _with_unassigned(attrs: tuple[AttributeDef, ...], data: dict[str, Any]) -> dict[str, Any]:
    """data with its unassigned attributes spelled out as null or [] (RFC 7643 §2.5: the same
    state), sub-attributes of complex values too; a copy, as stored values are shared."""
    out = dict(data)
    for attr in attrs:
        if attr.returned not in ("always", "default"):
            continue
        value = out.get(attr.name)
        if value is None:
            out[attr.name] = [] if attr.multi_valued else None
        elif attr.is_complex and isinstance(value, dict):
            out[attr.name] = _with_unassigned(attr.sub_attributes, value)
        elif attr.is_complex and isinstance(value, list):
            out[attr.name] = [_with_unassigned(attr.sub_attributes, v) if isinstance(v, dict) else v
                              for v in value]
    return out


def _meta(provider: Provider, rec: Record, base_url: str) -> dict[str, Any]:
    meta = {
        "resourceType": rec.kind,
        "created": rec.created,
        "lastModified": rec.last_modified,
        "location": location(base_url, rec),
        "version": provider.etag(rec),
    }
    if not provider.etags:
        del meta["version"]
    return meta


def _member(provider: Provider, member: dict[str, Any], base_url: str) -> dict[str, Any]:
    kind = member.get("type", "User")
    ref = base_url + resource_path(f"{kind}s", member["value"])
    out = {"value": member["value"], "$ref": ref, "type": kind}
    target = provider.store.peek(kind, member["value"])
    if target is None:
        return out  # a dangling member (delete-keeps-memberships) has nothing to show
    display = target.data.get("displayName") or target.data.get("userName")
    if display:
        out["display"] = display
    return out


def render(
    provider: Provider, rec: Record, base_url: str, projection: Projection | None = None
) -> dict[str, Any]:
    """The representation a client receives, after projection and deviations."""
    devs = provider.deviations
    rep = full(provider, rec, base_url)
    proj = projection or Projection()
    if "attributes-ignored" in devs:
        proj = Projection(excluded=proj.excluded)
    if "excluded-attributes-ignored" in devs:
        proj = Projection(attributes=proj.attributes)
    out = apply_projection(rep, provider.schema_of(rec.kind), proj)
    if "password-returned" in devs and "password" in rec.data:
        out["password"] = rec.data["password"]
    if "meta-missing" in devs:
        out.pop("meta", None)
    return out


def list_response(provider: Provider, total: int, start: int, resources: list[dict[str, Any]],
                  count: int | None = None) -> Any:
    """A ListResponse (RFC 7644 §3.4.2), or the broken shapes some deviations produce."""
    devs = provider.deviations
    if total == 0 and "empty-result-not-listresponse" in devs:
        return []
    if count == 0 and "count-zero-total-only" in devs:
        return {"schemas": [urns.LIST_RESPONSE], "totalResults": total}
    numbers: list[Any] = [total, start, len(resources)]
    if "list-counts-as-strings" in devs:
        numbers = [str(n) for n in numbers]
    body = {
        "schemas": [urns.LIST_RESPONSE],
        "totalResults": numbers[0],
        "startIndex": numbers[1],
        "itemsPerPage": numbers[2],
        "Resources": resources,
    }
    if "list-counters-when-paged" in devs and start == 1 and len(resources) == total:
        del body["startIndex"], body["itemsPerPage"]  # the whole result: no partial page
    return body


def cursor_list_response(total: int | None, resources: list[dict[str, Any]], next_cursor: str | None,
                         previous_cursor: str | None) -> dict[str, Any]:
    """A cursor-paged ListResponse (RFC 9865 §2): nextCursor unless it is the last page,
    previousCursor unless it is the first; no startIndex, which a cursor page has none of; no
    totalResults where total is None (RFC 9865 §2: a cursor-paging provider MAY omit it)."""
    body: dict[str, Any] = {"schemas": [urns.LIST_RESPONSE]}
    if total is not None:
        body["totalResults"] = total
    body["itemsPerPage"] = len(resources)
    if previous_cursor is not None:
        body["previousCursor"] = previous_cursor
    if next_cursor is not None:
        body["nextCursor"] = next_cursor
    body["Resources"] = resources
    return body
