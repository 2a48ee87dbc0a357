"""Discovery endpoints (RFC 7644 §4): built from the same definitions that drive behaviour."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from simulator.provider import bulk
from simulator.provider.cursors import pagination_config
from simulator.provider.errors import ScimError
from simulator.provider.service import Provider, ResourceType
from simulator.provider.web import base_url, provider, scim_json
from simulator.scim import urns
from simulator.scim.schema import SchemaDef

bp = Blueprint("discovery", __name__)

RFC6750 = "https://www.rfc-editor.org/info/rfc6750"


FILTER_OFF = frozenset({"filter-unsupported", "filter-unsupported-ignored"})  # filter.supported false


@bp.before_request
def _no_filters() -> None:
    """RFC 7644 §4: "Query parameters described in Section 3.4.2, such as filtering, sorting, and
    pagination, SHALL be ignored. If a "filter" is provided, the service provider SHOULD respond
    with HTTP status code 403 (Forbidden) to ensure that clients cannot incorrectly assume that
    any matching conditions specified in a filter are true." """
    if request.args.get("filter") and "discovery-filter-ignored" not in provider().deviations:
        raise ScimError(403, "Filtering is not supported on discovery endpoints.")


def service_provider_config(prov: Provider, base: str) -> dict[str, Any]:
    """What the provider supports, as it actually behaves."""
    return {
        "schemas": [urns.SERVICE_PROVIDER_CONFIG],
        "documentationUri": "https://www.rfc-editor.org/info/rfc7644",
        "patch": {"supported": "patch-unsupported" not in prov.deviations},
        "bulk": {"supported": True, "maxOperations": bulk.MAX_OPERATIONS,
                 "maxPayloadSize": bulk.advertised_max_payload(prov)}
        if bulk.supported(prov) else {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": not prov.deviations.active & FILTER_OFF,
                   "maxResults": prov.max_results},
        "changePassword": {"supported": "change-password-unsupported" not in prov.deviations},
        "sort": {"supported": "sort-unsupported" not in prov.deviations},
        "etag": {"supported": "etag-unsupported" not in prov.deviations},
        "pagination": pagination_config(prov),  # RFC 9865 §4
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "OAuth Bearer Token",
                "description": "Authentication with a bearer token (Authorization: Bearer <token>).",
                "specUri": RFC6750,
                "primary": True,
            }
        ],
        "meta": {"resourceType": "ServiceProviderConfig", "location": f"{base}/ServiceProviderConfig"},
    }


def advertised_extensions(prov: Provider, rtype: ResourceType) -> tuple[SchemaDef, ...]:
    if "extension-not-advertised" in prov.deviations:
        return ()
    return rtype.schema.extensions


def resource_type_json(prov: Provider, rtype: ResourceType, base: str) -> dict[str, Any]:
    required = rtype.schema.required_extensions
    return {
        "schemas": [urns.RESOURCE_TYPE],
        "id": rtype.name,
        "name": rtype.name,
        "endpoint": rtype.endpoint,
        "description": rtype.description,
        "schema": rtype.schema.core.id,
        "schemaExtensions": [
            {"schema": e.id, "required": e.id in required} for e in advertised_extensions(prov, rtype)
        ],
        "meta": {"resourceType": "ResourceType", "location": f"{base}/ResourceTypes/{rtype.name}"},
    }


def all_schemas(prov: Provider) -> list[SchemaDef]:
    out: dict[str, SchemaDef] = {}
    for rtype in prov.types.values():
        out.setdefault(rtype.schema.core.id, rtype.schema.core)
        for ext in advertised_extensions(prov, rtype):
            out.setdefault(ext.id, ext)
    return list(out.values())


def _listing(items: list[dict[str, Any]]) -> Response:
    if "discovery-lists-paged" in provider().deviations:
        items = _paged(items)
    return scim_json(
        {
            "schemas": [urns.LIST_RESPONSE],
            "totalResults": len(items),
            "startIndex": 1,
            "itemsPerPage": len(items),
            "Resources": items,
        }
    )


def _paged(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The discovery-lists-paged bug: startIndex and count applied as on a resource list."""
    def number(name: str, default: int) -> int:
        text = request.args.get(name, "")
        return int(text) if text.strip().lstrip("-").isdigit() else default

    start = max(1, number("startIndex", 1))
    return items[start - 1:start - 1 + max(0, number("count", len(items)))]


@bp.get("/ServiceProviderConfig")
def get_service_provider_config() -> Response:
    return scim_json(service_provider_config(provider(), base_url()))


@bp.get("/ResourceTypes")
def list_resource_types() -> Response:
    prov = provider()
    return _listing([resource_type_json(prov, t, base_url()) for t in prov.types.values()])


@bp.get("/ResourceTypes/<name>")
def get_resource_type(name: str) -> Response:
    prov = provider()
    for rtype in prov.types.values():
        if rtype.name.casefold() == name.casefold():
            return scim_json(resource_type_json(prov, rtype, base_url()))
    raise ScimError(404, f"No resource type {name!r}.")


@bp.get("/Schemas")
def list_schemas() -> Response:
    base = base_url()
    return _listing([s.to_json(f"{base}/Schemas/{s.id}") for s in all_schemas(provider())])


@bp.get("/Schemas/<path:urn>")
def get_schema(urn: str) -> Response:
    for schema in all_schemas(provider()):
        if schema.id.casefold() == urn.casefold():
            return scim_json(schema.to_json(f"{base_url()}/Schemas/{schema.id}"))
    raise ScimError(404, f"No schema {urn!r}.")
