"""Creating users with extension data (RFC 7643 §3, §3.3; RFC 7644 §3.3)."""

from __future__ import annotations

import pytest

from simulator.scim import urns
from simulator.scim.schema import SchemaDef
from suites.client import ScimClient
from suites.expect import expect, expect_status, fail
from suites.extensions.data import (
    definition,
    ext_data,
    ext_value,
    fetch,
    lists_urn,
    same,
    simple_values,
    skip_if_required,
)
from suites.extensions.discovery import is_enterprise
from suites.factory import Factory

STORED = ["drops-extension"]


@pytest.mark.check("EXT-CREATE-001", level="SHOULD", refs=["RFC7644 §3.3", "RFC7643 §3.3"],
                   okta=True, caught_by=STORED, ext_op="create")
def test_post_returns_extension_value(factory: Factory, extensions: dict[str, SchemaDef],
                                      urn: str, attribute: str) -> None:
    """POST with an extension attribute answers 201 with the value under the extension's URN key.

    RFC 7644 §3.3: "The response body SHOULD contain the service provider's representation of the
    newly created resource." RFC 7643 §3.3: extension attributes are carried in a sub-object
    keyed by the extension's schema URN.
    """
    attr = definition(extensions[urn], attribute)
    value = simple_values(factory.faker, extensions[urn], only=attr)[attr.name]
    reply = factory.post_user(factory.user_body(schemas=[urns.CORE_USER, urn], **{urn: {attr.name: value}}))
    expect_status(reply, 200, 201)
    got = ext_value(reply.body, urn, attr.name)
    expect(same(attr, value, got), f"{urn}:{attr.name} = {value!r} in the POST response", repr(got), reply)


@pytest.mark.check("EXT-CREATE-002", level="MUST", refs=["RFC7643 §3"], caught_by=STORED)
def test_schemas_lists_extension_when_present(factory: Factory, client: ScimClient,
                                              extensions: dict[str, SchemaDef], urn: str) -> None:
    """A user with extension data lists the extension URN in "schemas" (POST and GET responses).

    RFC 7643 §3: "schemas ... an array of Strings containing URIs that are used to indicate the
    namespaces of the SCIM schemas that define the attributes present in the current JSON
    structure." A response without the data needs no URN; a user that lost it fails as a
    precondition (EXT-READ-001 judges the loss).
    """
    data = simple_values(factory.faker, extensions[urn])
    user = factory.user(schemas=[urns.CORE_USER, urn], **{urn: data})
    reply, body = fetch(client, user)
    if not ext_data(body, urn):  # then "schemas" rightly leaves it out: name the real cause
        fail(f"(precondition) the user read back keeps its {urn} data (EXT-READ-001 judges that)",
             f"no {urn} data", reply)
    for doc, where in ((user, "POST"), (body, "GET")):
        if ext_data(doc, urn):  # "schemas" names the schemas of the attributes present
            expect(lists_urn(doc, urn), f'{where} response "schemas" contains {urn}', doc.get("schemas"),
                   reply)


@pytest.mark.check("EXT-CREATE-003", level="SHOULD", refs=["RFC7643 §3"])
def test_schemas_omits_extension_when_absent(factory: Factory, client: ScimClient, urn: str) -> None:
    """A user without extension data does not list the extension URN in "schemas".

    RFC 7643 §3: "schemas" names the schemas "that define the attributes present in the current
    JSON structure"; a schema none of whose attributes is present is not one of them.
    """
    skip_if_required(factory, urn, "no user is without its data")
    user = factory.user()
    reply, body = fetch(client, user)
    if ext_data(body, urn):
        pytest.skip(f"the server gives new users {urn} data of its own")
    expect(not lists_urn(body, urn), f'"schemas" without {urn} (no {urn} data present)',
           body.get("schemas"), reply)


@pytest.mark.check("EXT-CREATE-004", level="MAY", refs=["RFC7643 §3", "okta-scim.md §9"], okta=True,
                   caught_by=[*STORED, "extension-requires-schemas-entry"])
def test_okta_body_without_schemas_entry(factory: Factory, client: ScimClient,
                                         extensions: dict[str, SchemaDef], urn: str) -> None:
    """A POST whose extension URN is a key but missing from "schemas" is accepted and stored.

    RFC 7643 §3 expects "schemas" to name every schema whose attributes are present, so the
    RFC lets a server refuse this body (hence MAY); Okta sends custom-namespace attributes under
    the URN key and documents only the core URN in "schemas" (okta-scim.md §9), so refusing it
    breaks Okta provisioning of those attributes. Not so for the enterprise URN, which Okta lists
    in "schemas" when it sends enterprise attributes (okta-scim.md §9, [O] S21): skipped.
    """
    if is_enterprise(urn):
        pytest.skip(f'Okta lists {urn} in "schemas" with its data (okta-scim.md §9), and RFC 7643 §3 '
                    "lets a server refuse a body that does not")
    data = simple_values(factory.faker, extensions[urn])
    reply = factory.post_user(factory.user_body(schemas=[urns.CORE_USER], **{urn: data}))
    expect_status(reply, 200, 201)
    _, body = fetch(client, reply.body)
    if not ext_data(body, urn):
        fail(f"{urn} data stored: {data}", "no extension data on GET", reply)
