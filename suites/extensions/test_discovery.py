"""Each extension under test is described by the target's discovery endpoints (RFC 7644 §4)."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.scim.schema import SchemaDef
from suites.client import Reply
from suites.expect import expect, expect_schema, expect_status, fail
from suites.target import Target

DISCOVERY = ["extension-not-advertised"]


def _schema_doc(target: Target, urn: str) -> dict[str, Any] | None:
    return next((d for d in target.schema_docs()
                 if str(d.get("id", "")).casefold() == urn.casefold()), None)


@pytest.mark.check("EXT-DISC-001", level="SHOULD", refs=["RFC7644 §4", "RFC7643 §7"], readonly=True,
                   caught_by=DISCOVERY)
def test_extension_listed_in_schemas(target: Target, urn: str) -> None:
    """The extension's schema is listed by GET /Schemas.

    RFC 7644 §4: "/Schemas: An HTTP GET to this endpoint is used to retrieve information about
    resource schemas supported by a SCIM service provider." An extension that works but is not
    listed cannot be imported by clients that read the schema (Okta's OIN "Import User Schema").
    """
    reply = target.fetch("/Schemas")
    expect_status(reply, 200)
    expect(_schema_doc(target, urn) is not None, f"a schema with id {urn} in /Schemas",
           [d.get("id") for d in target.schema_docs()], reply)


@pytest.mark.check("EXT-DISC-002", level="MUST", refs=["RFC7643 §7"], readonly=True)
def test_extension_schema_is_well_formed(target: Target, extensions: dict[str, SchemaDef],
                                         urn: str) -> None:
    """The extension's schema document is well formed and defines every attribute under test.

    RFC 7643 §7: each attribute definition carries "name", "type", "multiValued", ... and the
    "attributes" of a schema "A complex attribute that includes the attributes of a schema."
    """
    doc = _schema_doc(target, urn)
    if doc is None:
        pytest.skip(f"{urn} is not in /Schemas (see EXT-DISC-001)")
    reply = target.fetch("/Schemas")
    expect_schema(doc, "schema", reply)
    served = SchemaDef.from_json(doc)
    for attr in extensions[urn].attributes:
        found = served.attribute(attr.name)
        if found is None or found.type != attr.type:
            fail(f"{urn} defines {attr.name} of type {attr.type}",
                 f"{found.type if found else 'no such attribute'}", reply)


@pytest.mark.check("EXT-DISC-003", level="MUST", refs=["RFC7643 §6"], readonly=True,
                   caught_by=DISCOVERY)
def test_extension_in_user_resource_type(target: Target, urn: str) -> None:
    """The User resource type lists the extension in schemaExtensions with a boolean "required".

    RFC 7643 §6: "schemaExtensions ... schema  The URI of an extended schema ... REQUIRED.
    required  A Boolean value that specifies whether or not the schema extension is required for
    the resource type. ... REQUIRED."
    """
    reply = target.fetch("/ResourceTypes")
    rtype = target.resource_type("User")
    if rtype is None:
        fail("a User resource type in /ResourceTypes", "none", reply)
    entries = [e for e in rtype.get("schemaExtensions") or [] if isinstance(e, dict)
               and str(e.get("schema", "")).casefold() == urn.casefold()]
    expect(len(entries) == 1, f"one schemaExtensions entry for {urn}", rtype.get("schemaExtensions"), reply)
    expect(isinstance(entries[0].get("required"), bool), '"required": true or false',
           entries[0], reply)


@pytest.mark.check("EXT-DISC-004", level="SHOULD", refs=["RFC7644 §4"], readonly=True,
                   caught_by=DISCOVERY)
def test_extension_schema_by_urn(target: Target, urn: str) -> None:
    """GET /Schemas/{urn} returns the extension's schema.

    RFC 7644 §4: "Individual schema definitions can be returned by appending the schema URI to
    the /Schemas endpoint. For example: /Schemas/urn:ietf:params:scim:schemas:core:2.0:User".
    """
    reply: Reply = target.client.get(f"/Schemas/{urn}")
    expect_status(reply, 200)
    expect(str(reply.body.get("id", "")).casefold() == urn.casefold(), f'"id": "{urn}"',
           reply.body.get("id"), reply)
