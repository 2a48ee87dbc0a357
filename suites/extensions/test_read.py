"""Reading extension data back: GET, list, filter and projection (RFC 7644 §3.4, §3.10)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from simulator.scim.schema import AttributeDef, SchemaDef
from suites.client import ScimClient
from suites.expect import expect, expect_status, ids_of
from suites.extensions.data import (
    definition,
    ext_data,
    ext_value,
    fetch,
    other_value,
    same,
    simple_values,
    user_with,
)
from suites.factory import Factory
from suites.filter.query import string
from suites.target import Target

STORED = ["drops-extension"]
LISTING = ["filter-ignored", "startindex-zero-based"]


Made = tuple[AttributeDef, Any, dict[str, Any]]  # the attribute, its value, the user holding it


@pytest.fixture(scope="module")
def made() -> dict[tuple[str, str], Made]:
    """Users holding one extension attribute each, by (URN, attribute): the checks that only read
    them (EXT-READ-001, EXT-FILTER-001, EXT-PROJ-001/002) share one user per attribute."""
    return {}


def _made(factory: Factory, extensions: dict[str, SchemaDef], urn: str, attribute: str,
          made: dict[tuple[str, str], Made]) -> Made:
    if (urn, attribute) not in made:
        attr = definition(extensions[urn], attribute)
        value = simple_values(factory.faker, extensions[urn], only=attr)[attr.name]
        made[urn, attribute] = attr, value, user_with(factory, urn, {attr.name: value})
    return made[urn, attribute]


@pytest.mark.check("EXT-READ-001", level="MUST", refs=["RFC7644 §3.4.1", "RFC7643 §3.3"], okta=True,
                   caught_by=STORED, ext_op="read")
def test_get_returns_extension_value(factory: Factory, client: ScimClient,
                                     extensions: dict[str, SchemaDef], urn: str, attribute: str,
                                     made: dict[tuple[str, str], Made]) -> None:
    """GET /Users/{id} returns the extension attribute stored at creation.

    RFC 7643 §3.3: "... the extension attributes are contained within a sub-object keyed by the
    schema extension URI"; Okta's "verify the custom attribute" step reads it this way.
    """
    attr, value, user = _made(factory, extensions, urn, attribute, made)
    reply, body = fetch(client, user)
    got = ext_value(body, urn, attr.name)
    expect(same(attr, value, got), f"{urn}:{attr.name} = {value!r}", repr(got), reply)


@pytest.mark.check("EXT-READ-002", level="MUST", refs=["RFC7644 §3.4.2"], okta=True,
                   caught_by=[*STORED, *LISTING])
def test_list_returns_extension_data(factory: Factory, client: ScimClient, target: Target,
                                     extensions: dict[str, SchemaDef], urn: str) -> None:
    """Listing users (filtered by userName, as Okta looks users up) returns their extension data.

    RFC 7644 §3.4.2: query responses return the matching resources with the attributes "that
    would be returned by default" — extension attributes included.
    """
    target.require("filter")
    data = simple_values(factory.faker, extensions[urn])
    user = user_with(factory, urn, data)
    reply = client.get("/Users", params={"filter": f"userName eq {json.dumps(user['userName'])}"})
    expect_status(reply, 200)
    found = [r for r in reply.body.get("Resources") or [] if isinstance(r, dict)]
    expect(ids_of(found) == [user["id"]], f"exactly user {user['id']}", ids_of(found), reply)
    expect(bool(ext_data(found[0], urn)), f"{urn} data in the listed user", found[0], reply)


@pytest.mark.check("EXT-FILTER-001", level="SHOULD", refs=["RFC7644 §3.4.2.2", "RFC7644 §3.10"],
                   caught_by=[*STORED, *LISTING, "filter-miss-404"], ext_op="filter")
def test_filter_on_urn_qualified_attribute(factory: Factory, client: ScimClient, target: Target,
                                           extensions: dict[str, SchemaDef], urn: str,
                                           attribute: str, made: dict[tuple[str, str], Made]) -> None:
    """A filter on the URN-qualified attribute finds the user with that value and not another.

    RFC 7644 §3.10: attributes "are uniquely identified by prefixing the attribute name with its
    schema URN"; clients "SHOULD fully qualify extended attributes"; §3.4.2.2 filters use that
    notation (e.g. urn:...:User:custAttr1 eq "x"). A provider may decline a filter on an
    attribute it does not filter on (400, §3.12 invalidFilter): the check is then skipped.
    """
    target.require("filter")
    attr, value, user = _made(factory, extensions, urn, attribute, made)
    mine = f'userName eq {string(user["userName"])}'
    for wanted, compare in ((value, [user["id"]]), (other_value(attr, factory.faker, value), [])):
        text = f"{urn}:{attr.name} eq {string(wanted)} and {mine}"
        reply = client.get("/Users", params={"filter": text})
        if reply.status == 400:
            pytest.skip(f"the target declines filters on {urn}:{attr.name} (400)")
        expect_status(reply, 200)
        got = ids_of(reply.body.get("Resources") or [])
        expect(got == compare, f"filter {text!r} finds {compare or 'nobody'}", got, reply)


@pytest.mark.check("EXT-PROJ-001", level="MUST", refs=["RFC7644 §3.4.2.5", "RFC7644 §3.10"],
                   caught_by=[*STORED, "attributes-ignored"], ext_op="project")
def test_attributes_with_urn_qualified_name(factory: Factory, client: ScimClient,
                                            extensions: dict[str, SchemaDef], urn: str,
                                            attribute: str, made: dict[tuple[str, str], Made]) -> None:
    """attributes=urn:...:attr returns that extension attribute and no default-only attributes.

    RFC 7644 §3.4.2.5: "attributes  A multi-valued list of strings indicating the names of
    resource attributes to return in the response, overriding the set of attributes that would
    be returned by default. Attribute names MUST be in standard attribute notation (Section 3.10)".
    """
    attr, value, user = _made(factory, extensions, urn, attribute, made)
    reply, body = fetch(client, user, attributes=f"{urn}:{attr.name}")
    got = ext_value(body, urn, attr.name)
    expect(same(attr, value, got), f"{urn}:{attr.name} = {value!r}", repr(got), reply)
    expect("displayName" not in body, "no displayName (not asked for)", sorted(body), reply)


@pytest.mark.check("EXT-PROJ-002", level="MUST", refs=["RFC7644 §3.4.2.5", "RFC7644 §3.10"],
                   caught_by=["excluded-attributes-ignored"], ext_op="project")
def test_excluded_attributes_with_urn_qualified_name(factory: Factory, client: ScimClient,
                                                     extensions: dict[str, SchemaDef], urn: str,
                                                     attribute: str,
                                                     made: dict[tuple[str, str], Made]) -> None:
    """excludedAttributes=urn:...:attr leaves that attribute out and keeps the others.

    RFC 7644 §3.4.2.5: "excludedAttributes  A multi-valued list of strings indicating the names
    of resource attributes to be removed from the default set of attributes to return."
    """
    attr, _, user = _made(factory, extensions, urn, attribute, made)
    reply, body = fetch(client, user, excludedAttributes=f"{urn}:{attr.name}")
    expect(ext_value(body, urn, attr.name) is None, f"no {urn}:{attr.name}", body.get(urn), reply)
    expect("userName" in body, "userName still returned", sorted(body), reply)
