"""The enterprise manager, a complex extension attribute, as Entra and Okta edit it (RFC 7643 §4.3)."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.scim import urns
from simulator.scim.schema import SchemaDef
from suites.client import Reply, ScimClient
from suites.expect import expect, expect_status, fail
from suites.extensions.data import ext_value, fetch, patch, user_with
from suites.factory import Factory
from suites.target import Target

EXT = urns.ENTERPRISE_USER
MANAGER = f"{EXT}:manager"
CAUGHT = ["drops-extension"]
pytestmark = pytest.mark.usefixtures("enterprise_supported")  # where the target has the extension


def _pair(factory: Factory, target: Target, extensions: dict[str, SchemaDef],
          with_manager: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """A manager and a report (the report has the manager set when with_manager)."""
    target.require("patch")
    ext = extensions.get(EXT)
    manager_def = ext.attribute("manager") if ext else None
    if manager_def is None or manager_def.sub("value") is None:
        pytest.skip("the enterprise extension with manager.value is not under test")
    boss = factory.user()
    data = {"manager": {"value": boss["id"]}} if with_manager else {"department": "Sales"}
    return boss, user_with(factory, EXT, data)


def _manager_id(client: ScimClient, user: dict[str, Any], after: Reply) -> Any:
    expect_status(after, 200, 204)
    _, body = fetch(client, user)
    return _manager_of(body)


def _manager_of(user: dict[str, Any]) -> Any:
    manager = ext_value(user, EXT, "manager")
    return manager.get("value") if isinstance(manager, dict) else manager


@pytest.mark.check("EXT-MGR-001", level="MUST", refs=["RFC7643 §4.3", "RFC7644 §3.5.2.1"],
                   caught_by=[*CAUGHT, "extension-path-rejected"])
def test_patch_sets_manager(factory: Factory, client: ScimClient, target: Target,
                            extensions: dict[str, SchemaDef]) -> None:
    """PATCH add path "urn:...:enterprise:2.0:User:manager" with {"value": id} sets the manager.

    RFC 7643 §4.3: "manager  The user's manager. A complex type that optionally allows service
    providers to represent organizational hierarchy by referencing the "id" attribute of another
    User."
    """
    boss, user = _pair(factory, target, extensions, with_manager=False)
    reply = patch(client, user, {"op": "add", "path": MANAGER, "value": {"value": boss["id"]}})
    got = _manager_id(client, user, reply)
    expect(got == boss["id"], f"manager.value = {boss['id']}", repr(got), reply)


@pytest.mark.check("EXT-MGR-002", level="MUST", refs=["RFC7643 §4.3", "RFC7644 §3.5.2.3"],
                   caught_by=[*CAUGHT, "extension-path-rejected"])
def test_patch_changes_manager_value(factory: Factory, client: ScimClient, target: Target,
                                     extensions: dict[str, SchemaDef]) -> None:
    """PATCH replace path "urn:...:User:manager.value" changes the manager (Entra's form).

    RFC 7644 §3.10: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value" is
    attribute notation for the sub-attribute; §3.5.2.3 replaces the value at that path.
    """
    _, user = _pair(factory, target, extensions, with_manager=True)
    other = factory.user()
    reply = patch(client, user, {"op": "replace", "path": f"{MANAGER}.value", "value": other["id"]})
    got = _manager_id(client, user, reply)
    expect(got == other["id"], f"manager.value = {other['id']}", repr(got), reply)


@pytest.mark.check("EXT-MGR-003", level="MUST", refs=["RFC7643 §4.3", "RFC7644 §3.5.2.2"],
                   caught_by=[*CAUGHT, "extension-path-rejected"])
def test_patch_removes_manager(factory: Factory, client: ScimClient, target: Target,
                               extensions: dict[str, SchemaDef]) -> None:
    """PATCH remove path "urn:...:User:manager" unassigns the manager.

    RFC 7644 §3.5.2.2: "If the target location is a single-value attribute, the attribute and its
    associated value is removed, and the attribute SHALL be considered unassigned."
    """
    boss, user = _pair(factory, target, extensions, with_manager=True)
    before, body = fetch(client, user)
    if _manager_of(body) != boss["id"]:
        fail(f"(precondition) the created user has manager.value = {boss['id']}", repr(_manager_of(body)),
             before)
    reply = patch(client, user, {"op": "remove", "path": MANAGER})
    got = _manager_id(client, user, reply)
    expect(got is None, "no manager", repr(got), reply)


@pytest.mark.check("EXT-MGR-004", level="MUST", refs=["RFC7643 §4.3", "RFC7644 §3.5.2.3"],
                   okta=True, caught_by=[*CAUGHT, "patch-requires-path"])
def test_patch_without_path_sets_manager(factory: Factory, client: ScimClient, target: Target,
                                         extensions: dict[str, SchemaDef]) -> None:
    """PATCH replace without path, value {enterprise URN: {"manager": {"value": id}}}, sets it.

    RFC 7644 §3.5.2.3: without a path "the "value" attribute SHALL contain a list of one or more
    attributes that are to be replaced"; Okta maps manager.value this way (okta-scim.md §9).
    """
    boss, user = _pair(factory, target, extensions, with_manager=False)
    reply = patch(client, user, {"op": "replace", "value": {EXT: {"manager": {"value": boss["id"]}}}})
    got = _manager_id(client, user, reply)
    expect(got == boss["id"], f"manager.value = {boss['id']}", repr(got), reply)
