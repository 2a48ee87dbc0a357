"""What a server refuses: wrong types, unknown extensions, missing required ones (RFC 7644 §3.12)."""

from __future__ import annotations

import pytest

from simulator.scim import urns
from simulator.scim.schema import SchemaDef
from suites.client import Reply, ScimClient
from suites.expect import expect_status
from suites.extensions.data import (
    definition,
    expect_rejected,
    first_simple,
    patch,
    simple_values,
    user_with,
    value_for,
    wrong_type,
)
from suites.factory import Factory
from suites.target import Target

UNKNOWN = "urn:ietf:params:scim:schemas:extension:scimcert-unknown:2.0:User"
TYPES = ["extension-type-unchecked"]


@pytest.mark.check("EXT-TYPE-001", level="SHOULD", refs=["RFC7644 §3.12", "RFC7643 §2.3"],
                   caught_by=TYPES)
def test_post_wrong_type_is_invalid_value(factory: Factory, extensions: dict[str, SchemaDef],
                                          urn: str, typed_attribute: str) -> None:
    """POST with a string for an integer, boolean, decimal or dateTime extension attribute → 400.

    RFC 7644 §3.12: "invalidValue  A required value was missing, or the value specified was not
    compatible with the operation or attribute type (see Section 2.2 of [RFC7643])"; scimType is
    "OPTIONAL", so a 400 without one passes (one that is given must be invalidValue).
    """
    attr = definition(extensions[urn], typed_attribute)
    body = factory.user_body(schemas=[urns.CORE_USER, urn], **{urn: {attr.name: wrong_type(attr)}})
    expect_rejected(factory.post_user(body), "invalidValue", f"{urn}:{attr.name} = {wrong_type(attr)!r}")


@pytest.mark.check("EXT-TYPE-002", level="SHOULD", refs=["RFC7644 §3.12", "RFC7644 §3.5.2"],
                   caught_by=TYPES)
def test_patch_wrong_type_is_invalid_value(factory: Factory, client: ScimClient, target: Target,
                                           extensions: dict[str, SchemaDef], urn: str,
                                           typed_attribute: str) -> None:
    """PATCH replace of an integer, boolean, decimal or dateTime extension attribute with a string → 400.

    RFC 7644 §3.12: "invalidValue ... the value specified was not compatible with the operation
    or attribute type"; scimType is "OPTIONAL" (a given one must be invalidValue).
    """
    target.require("patch")
    attr = definition(extensions[urn], typed_attribute)
    user = user_with(factory, urn, {attr.name: value_for(attr, factory.faker)})
    op = {"op": "replace", "path": f"{urn}:{attr.name}", "value": wrong_type(attr)}
    reply = patch(client, user, op)
    if reply.status == 400 and reply.body.get("scimType") == "invalidPath":
        pytest.skip("URN-qualified PATCH paths are refused (see EXT-PATCH-001)")
    expect_rejected(reply, "invalidValue", f"{urn}:{attr.name} = {wrong_type(attr)!r}")


@pytest.mark.check("EXT-TYPE-003", level="MAY", refs=["RFC7643 §7", "RFC7644 §3.12"])
def test_canonical_values_enforced(factory: Factory, extensions: dict[str, SchemaDef],
                                   urn: str) -> None:
    """A value outside an attribute's declared canonicalValues is refused with 400 invalidValue.

    RFC 7643 §7: "canonicalValues  A collection of suggested canonical values that MAY be used
    ... In some cases, service providers MAY choose to ignore unsupported values." Hence MAY.
    """
    attr = next((a for a in extensions[urn].attributes if a.canonical_values and a.type == "string"
                 and not a.multi_valued and a.mutability == "readWrite"), None)
    if attr is None:
        pytest.skip(f"no attribute of {urn} declares canonicalValues")
    bad = "-".join(attr.canonical_values) + "-scimcert"
    body = factory.user_body(schemas=[urns.CORE_USER, urn], **{urn: {attr.name: bad}})
    expect_rejected(factory.post_user(body), "invalidValue", f"{urn}:{attr.name} = {bad!r}")


def expect_refused_or_ignored(reply: Reply, what: str) -> None:
    """400, or a 200/201 that ignored it (DISC-EXT-002 judges undeclared data returned); a 5xx fails."""
    __tracebackhide__ = True
    if reply.status not in (200, 201):
        expect_rejected(reply, None, what)


@pytest.mark.check("EXT-UNKNOWN-001", level="SHOULD", refs=["RFC7643 §3", "RFC7644 §3.12", "RFC7644 §3.3"],
                   readonly=False)
def test_unknown_urn_in_schemas_is_refused(factory: Factory) -> None:
    """POST listing an unknown extension URN in "schemas" is refused (400) or ignored, never a 5xx.

    RFC 7643 §3: "schemas ... URIs that are used to indicate the namespaces of the SCIM schemas";
    a schema the server does not support cannot describe the body — RFC 7644 §3.12 invalidValue
    or invalidSyntax ("did not conform to the request schema"), in the table implementers
    "SHOULD" follow. Ignoring it is allowed too: RFC 7644 §3.3, "the server is free to alter
    and/or ignore POSTed content".
    """
    reply = factory.post_user(factory.user_body(schemas=[urns.CORE_USER, UNKNOWN]))
    expect_refused_or_ignored(reply, "unknown schema")


@pytest.mark.check("EXT-UNKNOWN-002", level="SHOULD", refs=["RFC7643 §3.3", "RFC7644 §3.12", "RFC7644 §3.3"])
def test_unknown_urn_key_is_refused(factory: Factory) -> None:
    """POST with data under an unknown extension URN key is refused (400) or ignored, never a 5xx.

    RFC 7644 §3.12: "invalidValue ... the value specified was not compatible with the operation
    or attribute type ... or resource schema (see Section 4 of [RFC7643])"; RFC 7644 §3.3 lets
    the server "ignore POSTed content" instead.
    """
    body = factory.user_body(schemas=[urns.CORE_USER, UNKNOWN], **{UNKNOWN: {"costCode": "CC-77"}})
    expect_refused_or_ignored(factory.post_user(body), "unknown extension")


@pytest.mark.check("EXT-UNKNOWN-003", level="SHOULD", refs=["RFC7643 §3.3", "RFC7644 §3.12", "RFC7644 §3.3"])
def test_unknown_attribute_of_extension_is_refused(factory: Factory, extensions: dict[str, SchemaDef],
                                                   urn: str) -> None:
    """POST with an attribute the extension does not define is refused (400) or ignored, never a 5xx.

    RFC 7644 §3.12: "invalidValue ... not compatible with ... resource schema"; RFC 7644 §3.3 lets
    the server "ignore POSTed content" instead (a refusal tells the vendor of a mapping mistake).
    """
    first_simple(extensions[urn])
    data = {**simple_values(factory.faker, extensions[urn]), "scimcertNoSuchAttribute": "x"}
    body = factory.user_body(schemas=[urns.CORE_USER, urn], **{urn: data})
    expect_refused_or_ignored(factory.post_user(body), "undefined extension attribute")


@pytest.mark.check("EXT-REQ-001", level="MUST", refs=["RFC7643 §6"])
def test_required_extension_missing_is_refused(factory: Factory, target: Target, urn: str) -> None:
    """A User POST without an extension that /ResourceTypes declares required → 400.

    RFC 7643 §6: "required ... If true, a resource of this type MUST include this schema
    extension and also include any attributes declared as required in this schema extension."
    """
    rtype = target.resource_type("User") or {}
    entry = next((e for e in rtype.get("schemaExtensions") or [] if isinstance(e, dict)
                  and str(e.get("schema", "")).casefold() == urn.casefold()), {})
    if entry.get("required") is not True:
        pytest.skip(f"{urn} is not declared required")
    body = {k: v for k, v in factory.user_body().items() if k.casefold() != urn.casefold()}
    body["schemas"] = [s for s in body["schemas"] if s.casefold() != urn.casefold()]
    reply = factory.post_user(body)
    expect_status(reply, 400)


