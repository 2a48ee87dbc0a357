"""PATCH of extension attributes, with and without URN-qualified paths (RFC 7644 §3.5.2)."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.scim.schema import AttributeDef, SchemaDef
from suites.client import ScimClient
from suites.expect import expect, expect_status
from suites.extensions.data import (
    definition,
    expect_value,
    ext_entry,
    fetch,
    holds_data,
    other_value,
    patch,
    simple_attributes,
    simple_values,
    skip_if_required,
    user_with,
)
from suites.factory import Factory
from suites.target import Target

STORED = ["drops-extension"]
PATH = [*STORED, "extension-path-rejected"]
NO_PATH = [*STORED, "patch-requires-path"]


def _setup(factory: Factory, target: Target, extensions: dict[str, SchemaDef], urn: str,
           attribute: str, with_value: bool = True) -> tuple[AttributeDef, Any, dict[str, Any]]:
    target.require("patch")
    attr = definition(extensions[urn], attribute)
    value = simple_values(factory.faker, extensions[urn], only=attr)[attr.name]
    data = {attr.name: value} if with_value else {}
    others = {k: v for k, v in simple_values(factory.faker, extensions[urn]).items() if k != attr.name}
    if not (data or others) and factory.requires(urn):  # RFC 7643 §6: the user must hold some of it
        data = {attr.name: other_value(attr, factory.faker, value)}
    return attr, value, user_with(factory, urn, {**others, **data})


@pytest.mark.check("EXT-PATCH-001", level="MUST", refs=["RFC7644 §3.5.2.1", "RFC7644 §3.10"],
                   caught_by=PATH, ext_op="patch-path")
def test_patch_add_with_urn_path(factory: Factory, client: ScimClient, target: Target,
                                 extensions: dict[str, SchemaDef], urn: str, attribute: str) -> None:
    """PATCH add with path "urn:...:attr" sets an extension attribute the user did not have.

    RFC 7644 §3.10: clients "SHOULD fully qualify extended attributes with the associated schema
    extension URN"; §3.5.2.1: "If the target location does not exist, the attribute and value are
    added." Where the extension is required (RFC 7643 §6) and attr is its only attribute, the user
    holds another value, which the add replaces (§3.5.2.1: "the existing value is replaced").
    """
    attr, value, user = _setup(factory, target, extensions, urn, attribute, with_value=False)
    reply = patch(client, user, {"op": "add", "path": f"{urn}:{attr.name}", "value": value})
    expect_value(client, user, urn, attr, value, reply)


@pytest.mark.check("EXT-PATCH-002", level="MUST", refs=["RFC7644 §3.5.2.3", "RFC7644 §3.10"],
                   okta=True, caught_by=PATH, ext_op="patch-path")
def test_patch_replace_with_urn_path(factory: Factory, client: ScimClient, target: Target,
                                     extensions: dict[str, SchemaDef], urn: str, attribute: str) -> None:
    """PATCH replace with path "urn:...:attr" changes the extension attribute.

    RFC 7644 §3.5.2.3: "The "replace" operation replaces the value at the target location
    specified by the "path"."
    """
    attr, value, user = _setup(factory, target, extensions, urn, attribute)
    new = other_value(attr, factory.faker, value)
    reply = patch(client, user, {"op": "replace", "path": f"{urn}:{attr.name}", "value": new})
    expect_value(client, user, urn, attr, new, reply)


@pytest.mark.check("EXT-PATCH-003", level="MUST", refs=["RFC7644 §3.5.2.2", "RFC7644 §3.10"],
                   caught_by=["extension-path-rejected"], ext_op="remove")
def test_patch_remove_with_urn_path(factory: Factory, client: ScimClient, target: Target,
                                    extensions: dict[str, SchemaDef], urn: str, attribute: str) -> None:
    """PATCH remove with path "urn:...:attr" unassigns the extension attribute.

    RFC 7644 §3.5.2.2: "If the target location is a single-value attribute, the attribute and its
    associated value is removed, and the attribute SHALL be considered unassigned."
    """
    if [a.name for a in simple_attributes(extensions[urn])] == [attribute]:
        skip_if_required(factory, urn, f"removing {attribute}, its only attribute, is refused")
    attr, _, user = _setup(factory, target, extensions, urn, attribute)
    reply = patch(client, user, {"op": "remove", "path": f"{urn}:{attr.name}"})
    expect_value(client, user, urn, attr, None, reply)


@pytest.mark.check("EXT-PATCH-004", level="MUST", refs=["RFC7644 §3.5.2.3", "okta-scim.md §5.3"],
                   okta=True, caught_by=NO_PATH, ext_op="patch-no-path")
def test_patch_without_path_urn_object(factory: Factory, client: ScimClient, target: Target,
                                       extensions: dict[str, SchemaDef], urn: str, attribute: str) -> None:
    """PATCH replace without path whose value holds {"urn:...": {attr: v}} changes the attribute.

    RFC 7644 §3.5.2.3: "If the "path" parameter is omitted, the target is assumed to be the
    resource itself. In this case, the "value" attribute SHALL contain a list of one or more
    attributes that are to be replaced." Okta's profile PATCH uses this form (okta-scim.md §5.3).
    """
    attr, value, user = _setup(factory, target, extensions, urn, attribute)
    new = other_value(attr, factory.faker, value)
    reply = patch(client, user, {"op": "replace", "value": {urn: {attr.name: new}}})
    expect_value(client, user, urn, attr, new, reply)


@pytest.mark.check("EXT-PATCH-005", level="MAY", refs=["RFC7644 §3.5.2.3", "RFC7644 §3.10"],
                   caught_by=NO_PATH, ext_op="patch-no-path")
def test_patch_without_path_dotted_urn_key(factory: Factory, client: ScimClient, target: Target,
                                           extensions: dict[str, SchemaDef], urn: str,
                                           attribute: str) -> None:
    """PATCH replace without path whose value has the key "urn:...:attr" (Entra) changes it.

    RFC 7644 §3.5.2.3 asks for "a list of one or more attributes" in the value; a URN-qualified
    key is attribute notation (§3.10) rather than the resource's own shape, so accepting it is
    a MAY — Microsoft Entra sends exactly this.
    """
    attr, value, user = _setup(factory, target, extensions, urn, attribute)
    new = other_value(attr, factory.faker, value)
    reply = patch(client, user, {"op": "replace", "value": {f"{urn}:{attr.name}": new}})
    expect_value(client, user, urn, attr, new, reply)


@pytest.mark.check("EXT-PATCH-006", level="MAY", refs=["RFC7644 §3.5.2.2", "RFC7644 §3.10"],
                   caught_by=["extension-path-rejected"], ext_op="remove")
def test_patch_remove_whole_extension(factory: Factory, client: ScimClient, target: Target,
                                      extensions: dict[str, SchemaDef], urn: str) -> None:
    """PATCH remove with the bare extension URN as path removes all its data.

    RFC 7644 §3.10's path grammar names attributes ("urn:...:User:attr"), not a bare schema URN,
    so this is a MAY; servers that support it must leave no data behind. A URN key left as null,
    {} or null attributes holds none (RFC 7643 §2.5), and "schemas" is EXT-CREATE-003's.
    """
    target.require("patch")
    skip_if_required(factory, urn, "removing all its data is refused, not a removal to check")
    user = user_with(factory, urn, simple_values(factory.faker, extensions[urn]))
    reply = patch(client, user, {"op": "remove", "path": urn})
    expect_status(reply, 200, 204)
    after, body = fetch(client, user)
    expect(not holds_data(body, urn), f"no {urn} data", ext_entry(body, urn), after)
