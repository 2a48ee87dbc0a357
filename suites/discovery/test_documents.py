"""The discovery documents themselves: /ServiceProviderConfig, /ResourceTypes, /Schemas (RFC 7644 §4)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from simulator.scim import urns
from simulator.scim.schema import SchemaDef, SchemaDefinitionError
from suites.client import ScimClient
from suites.expect import expect, expect_equal, expect_object, expect_schema, expect_status, fail
from suites.pagination.totals import list_schema
from suites.target import Target

UNKNOWN_SCHEMA = "urn:ietf:params:scim:schemas:extension:scimcert-no-such-schema:2.0:User"
UNKNOWN_TYPE = "ScimcertNoSuchType"


def _without_meta(doc: dict[str, Any]) -> dict[str, Any]:
    # meta may legitimately differ between two reads (e.g. a freshly computed lastModified).
    return {k: v for k, v in doc.items() if k != "meta"}


def _listed(target: Target, path: str, kind: str) -> list[dict[str, Any]]:
    """The Resources of a discovery listing, after checking it is a 200 ListResponse."""
    __tracebackhide__ = True
    reply = expect_status(target.fetch(path), 200)
    body = expect_object(reply)
    expect_schema(body, list_schema(reply, target), reply)  # totalResults: RFC 9865 §2
    resources = body.get("Resources") or []
    for item in resources:
        expect_schema(item, kind, reply)
    return list(resources)


@pytest.mark.check("DISC-SPC-001", level="MUST", refs=["RFC7644 §4", "RFC7643 §5"], readonly=True)
def test_service_provider_config_is_valid(target: Target) -> None:
    """GET /ServiceProviderConfig answers 200 with a valid ServiceProviderConfig.

    RFC 7644 §4: "An HTTP GET to this endpoint will return a JSON structure that describes the
    SCIM specification features available on a service provider." RFC 7643 §5 marks patch, bulk,
    filter, changePassword, sort, etag and authenticationSchemes REQUIRED.
    """
    reply = expect_status(target.fetch("/ServiceProviderConfig"), 200)
    expect_schema(expect_object(reply), "service-provider-config", reply)


@pytest.mark.check("DISC-RTYPE-001", level="MUST", refs=["RFC7644 §4", "RFC7643 §6"], readonly=True)
def test_resource_types_listing_is_valid(target: Target) -> None:
    """GET /ResourceTypes answers 200 with a ListResponse of valid ResourceTypes.

    RFC 7644 §4: "When returning multiple ResourceTypes or Schemas, the message form described
    by "urn:ietf:params:scim:api:messages:2.0:ListResponse" (ListResponse) form SHALL be used."
    RFC 7643 §6: name, endpoint and schema are REQUIRED. (RFC 7643 §8.6 shows a bare JSON array;
    RFC 7644 §4 is the normative text.)
    """
    resources = _listed(target, "/ResourceTypes", "resource-type")
    expect(bool(resources), "at least one resource type in Resources", "an empty listing",
           target.fetch("/ResourceTypes"))


@pytest.mark.check("DISC-SCHEMA-001", level="MUST", refs=["RFC7644 §4", "RFC7643 §7"], readonly=True)
def test_schemas_listing_is_valid(target: Target) -> None:
    """GET /Schemas answers 200 with a ListResponse of valid schema definitions.

    RFC 7644 §4: "An HTTP GET to the endpoint "/Schemas" SHALL return all supported schemas in
    ListResponse format." RFC 7643 §7 defines each attribute's name, type, multiValued and the
    mutability, returned and uniqueness keywords.
    """
    resources = _listed(target, "/Schemas", "schema")
    expect(bool(resources), "at least one schema in Resources", "an empty listing", target.fetch("/Schemas"))


@pytest.mark.check("DISC-SCHEMA-002", level="MUST", refs=["RFC7643 §2.1", "RFC7643 §7"], readonly=True)
def test_attribute_definitions_are_well_formed(target: Target) -> None:
    """Every attribute definition in /Schemas is well formed, sub-attributes included.

    RFC 7643 §2.1: attribute names are ATTRNAME (ALPHA *(nameChar)); §7: "subAttributes: When an
    attribute is of type "complex", "subAttributes" defines a set of sub-attributes"; types,
    mutability, returned and uniqueness take only the values §7 lists; names are unique.
    """
    reply = target.fetch("/Schemas")
    docs = target.schema_docs()
    expect(bool(docs), "schema definitions in /Schemas", "none", reply)
    problems = []
    for doc in docs:
        try:
            SchemaDef.from_json(doc)
        except SchemaDefinitionError as exc:
            problems.append(str(exc))
    if problems:
        fail("well-formed attribute definitions (RFC 7643 §7)", "; ".join(problems[:5]), reply)


@pytest.mark.check("DISC-RTYPE-002", level="SHOULD", refs=["RFC7644 §4"], readonly=True)
def test_resource_type_by_id_equals_listing(target: Target, client: ScimClient) -> None:
    """GET /ResourceTypes/<User id> returns the User resource type exactly as listed.

    RFC 7644 §4: "In cases where a request is for a specific "ResourceType" or "Schema", the
    single JSON object is returned in the same way that a single User or Group is retrieved."
    The RFC shows the form but states no requirement keyword for it, hence SHOULD.
    """
    listed = target.resource_type("User")
    if listed is None:
        fail("(precondition) a User resource type in /ResourceTypes", "none", target.fetch("/ResourceTypes"))
    name = str(listed.get("id") or listed.get("name"))
    reply = expect_status(client.get(f"/ResourceTypes/{quote(name)}"), 200)
    expect_equal(_without_meta(expect_object(reply)), _without_meta(listed),
                 "the listed User resource type (meta aside)", reply)


@pytest.mark.check("DISC-SCHEMA-003", level="SHOULD", refs=["RFC7644 §4"], readonly=True)
def test_schema_by_id_equals_listing(target: Target, client: ScimClient) -> None:
    """GET /Schemas/<core User URN> returns the User schema exactly as listed.

    RFC 7644 §4: "In cases where a request is for a specific "ResourceType" or "Schema", the
    single JSON object is returned in the same way that a single User or Group is retrieved."
    """
    folded = urns.CORE_USER.casefold()
    listed = next((d for d in target.schema_docs() if str(d.get("id", "")).casefold() == folded), None)
    if listed is None:
        fail(f"(precondition) {urns.CORE_USER} in /Schemas", "not listed", target.fetch("/Schemas"))
    reply = expect_status(client.get(f"/Schemas/{listed['id']}"), 200)
    expect_equal(_without_meta(expect_object(reply)), _without_meta(listed),
                 "the listed User schema (meta aside)", reply)


KINDS = [("User", "Users", urns.CORE_USER), ("Group", "Groups", urns.CORE_GROUP)]


@pytest.mark.check("DISC-RTYPE-003", level="MUST", refs=["RFC7644 §3.2", "RFC7643 §6", "RFC7643 §8.6"],
                   readonly=True)
@pytest.mark.parametrize(("kind", "collection", "core"), KINDS, ids=[k[0] for k in KINDS])
def test_core_resource_types_are_described(target: Target, client: ScimClient, kind: str,
                                           collection: str, core: str) -> None:
    """/ResourceTypes describes User (and Group, when /Groups is served) with the RFC endpoint and schema.

    RFC 7644 §4: /ResourceTypes "is used to discover the types of resources available on a SCIM
    service provider (e.g., Users and Groups)"; §3.2 places User at /Users and Group at /Groups;
    RFC 7643 §4 names their core schema URIs. A server without Groups need not list Group.
    """
    rtype = target.resource_type(kind)
    if rtype is None:
        probe = client.get(f"/{collection}", params={"count": "0"}) if kind == "Group" else None
        if probe is not None and probe.status != 200:
            return  # no Group resource type and no /Groups: consistent
        fail(f"a {kind} resource type in /ResourceTypes", "none listed", target.fetch("/ResourceTypes"))
    endpoint = str(rtype.get("endpoint", "")).rstrip("/")
    expect(endpoint in (f"/{collection}", collection) or endpoint.endswith(f"/{collection}"),
           f"{kind} endpoint /{collection}", rtype.get("endpoint"), target.fetch("/ResourceTypes"))
    expect(str(rtype.get("schema", "")).casefold() == core.casefold(), f"{kind} schema {core}",
           rtype.get("schema"), target.fetch("/ResourceTypes"))


@pytest.mark.check("DISC-EXT-001", level="MUST", refs=["RFC7643 §6", "RFC7644 §4"], readonly=True)
def test_schema_extensions_resolve_in_schemas(target: Target) -> None:
    """Every schemaExtensions entry names a schema that /Schemas defines.

    RFC 7643 §6: "schema: The URI of an extended schema, e.g., "urn:edu:2.0:Staff". This MUST
    be equal to the "id" attribute of a "Schema" resource. REQUIRED." RFC 7644 §4: /Schemas
    "SHALL return all supported schemas".
    """
    known = {str(d.get("id", "")).casefold() for d in target.schema_docs()}
    missing = []
    for rtype in target.resource_types():
        for ext in rtype.get("schemaExtensions") or []:
            urn = ext.get("schema") if isinstance(ext, dict) else None
            if not isinstance(urn, str) or urn.casefold() not in known:
                missing.append(f"{rtype.get('name')}: {urn!r}")
    expect(not missing, "every schemaExtensions[].schema defined in /Schemas",
           f"not in /Schemas: {', '.join(missing)}", target.fetch("/Schemas"))


@pytest.mark.check("DISC-SCHEMA-004", level="SHOULD", refs=["RFC7644 §3.12", "RFC7644 §4"], readonly=True)
def test_unknown_schema_is_404(client: ScimClient) -> None:
    """GET /Schemas/<an unknown URN> answers 404.

    RFC 7644 §3.12, Table 8: 404 Not Found — "Specified resource (e.g., User) or endpoint does not
    exist"; "Implementers SHOULD handle the identified HTTP status codes as described below."
    """
    expect_status(client.get(f"/Schemas/{UNKNOWN_SCHEMA}"), 404)


@pytest.mark.check("DISC-RTYPE-004", level="SHOULD", refs=["RFC7644 §3.12", "RFC7644 §4"], readonly=True)
def test_unknown_resource_type_is_404(client: ScimClient) -> None:
    """GET /ResourceTypes/<an unknown name> answers 404.

    RFC 7644 §3.12, Table 8: 404 Not Found — "Specified resource (e.g., User) or endpoint does not
    exist"; "Implementers SHOULD handle the identified HTTP status codes as described below."
    """
    expect_status(client.get(f"/ResourceTypes/{UNKNOWN_TYPE}"), 404)
