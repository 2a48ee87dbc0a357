"""Extension URNs and attribute names are case-insensitive (RFC 7643 §2.1; RFC 7644 §3.10)."""

from __future__ import annotations

import pytest

from simulator.scim import urns
from simulator.scim.schema import SchemaDef
from suites.client import ScimClient
from suites.expect import expect, expect_status
from suites.extensions.data import (
    expect_value,
    ext_value,
    fetch,
    first_simple,
    other_value,
    patch,
    same,
    simple_attributes,
    simple_values,
    user_with,
)
from suites.factory import Factory
from suites.target import Target

CASE = ["drops-extension", "extension-case-sensitive"]


def _swap(text: str) -> str:
    """'urn:ietf:...:User' -> 'URN:IETF:...:USER': the same name in another case."""
    return text.swapcase()


@pytest.mark.check("EXT-CASE-001", level="SHOULD", refs=["RFC7643 §2.1", "RFC7644 §3.10"], caught_by=CASE)
def test_post_with_other_case_names(factory: Factory, client: ScimClient,
                                    extensions: dict[str, SchemaDef], urn: str) -> None:
    """POST with the URN key and attribute names in another case stores the values.

    RFC 7643 §2.1: "Attribute names are case insensitive"; RFC 7644 §3.10 qualifies attribute
    names with their schema URN. That the URN prefix is matched the same way is an inference
    (RFC 8141 leaves the case of a URN's specific string to its namespace), and this check
    changes the case of both, hence SHOULD.
    """
    ext = extensions[urn]
    data = simple_values(factory.faker, ext)
    body = factory.user_body(schemas=[urns.CORE_USER, urn],
                             **{_swap(urn): {_swap(k): v for k, v in data.items()}})
    reply = factory.post_user(body)
    expect_status(reply, 200, 201)
    after, got = fetch(client, reply.body)
    for attr in simple_attributes(ext):
        value = ext_value(got, urn, attr.name)
        expect(same(attr, data[attr.name], value), f"{urn}:{attr.name} = {data[attr.name]!r}",
               repr(value), after)


@pytest.mark.check("EXT-CASE-002", level="SHOULD", refs=["RFC7643 §2.1", "RFC7644 §3.10"],
                   caught_by=[*CASE, "extension-path-rejected"])
def test_patch_path_in_other_case(factory: Factory, client: ScimClient, target: Target,
                                  extensions: dict[str, SchemaDef], urn: str) -> None:
    """PATCH replace with the URN-qualified path in another case changes the attribute.

    RFC 7643 §2.1: "Attribute names are case insensitive"; the path is attribute notation
    (RFC 7644 §3.10). SHOULD, as EXT-CASE-001: the URN prefix's case is an inference.
    """
    target.require("patch")
    ext = extensions[urn]
    attr = first_simple(ext)
    value = simple_values(factory.faker, ext, only=attr)[attr.name]
    user = user_with(factory, urn, {attr.name: value})
    new = other_value(attr, factory.faker, value)
    reply = patch(client, user, {"op": "replace", "path": _swap(f"{urn}:{attr.name}"), "value": new})
    expect_value(client, user, urn, attr, new, reply)
