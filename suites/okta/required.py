"""Okta against a target whose resource types require an extension (RFC 7643 §6).

Okta sends only the attributes its app profile maps (okta-scim.md §9), so the admin of a target
whose User resource type requires an extension adds Profile Editor attributes with the extension
URN as external namespace and maps a value into them (simulator/okta/profile_editor.py); the Okta
suite's app does the same, and Okta's requests then carry the data. Okta's SPEC test sends fixed
bodies that no mapping changes (§11.1), and Okta's group push sends a group's displayName and
members only (§8.1): there the target refuses Okta's request, and the check's failure says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from faker import Faker

from simulator.okta.profile_editor import Mapped, constant_mappings
from simulator.okta.wire import ScimRequest
from simulator.scim.schema import SchemaDef
from suites.extensions.data import key_of
from suites.factory import required_data


def required_mappings(required: tuple[SchemaDef, ...], faker: Faker) -> Mapped:
    """An app attribute with a constant mapping for each value the required extensions need."""
    return constant_mappings({ext.id: required_data(ext, faker) for ext in required})


SetupBody = Callable[[ScimRequest], ScimRequest]


def setup_with_required(required: tuple[SchemaDef, ...], faker: Faker, setup: frozenset[str]) -> SetupBody:
    """The flow's own preconditions (setup steps, not Okta's requests) create users with the
    required extensions' data: e.g. the user the SPEC test expects to exist already."""

    def amend(request: ScimRequest) -> ScimRequest:
        body = request.body
        if request.step not in setup or (request.method, request.path) != ("POST", "/Users") \
                or not isinstance(body, dict):
            return request
        missing = [e for e in required if key_of(body, e.id) is None]
        if not missing:
            return request
        schemas = [*body.get("schemas", []), *(e.id for e in missing)]
        return replace(request, body={**body, "schemas": schemas,
                                      **{e.id: required_data(e, faker) for e in missing}})

    return amend


def refused_note(required: tuple[SchemaDef, ...], request: ScimRequest | None,
                 required_groups: tuple[SchemaDef, ...] = ()) -> str:
    """Why Okta's request failed, when its body lacks an extension the target requires: a user
    create (required: the User resource type's), or a group push's create or PUT (required_groups)."""
    body = request.body if request is not None else None
    if request is None or not isinstance(body, dict):
        return ""
    if (request.method, request.path) == ("POST", "/Users"):
        return _note(required, body, "User", "Okta sends its fixed SPEC test bodies as they are and "
                     "otherwise only mapped attributes (okta-scim.md §9, §11.1)")
    if request.method in ("POST", "PUT") and request.path.startswith("/Groups"):
        return _note(required_groups, body, "Group", "Okta pushes a group's displayName and members "
                     "only, and no Okta mapping adds Group extension data (okta-scim.md §8.1, §9)")
    return ""


def _note(required: tuple[SchemaDef, ...], body: dict[str, Any], kind: str, okta_sends: str) -> str:
    missing = [e.id for e in required if key_of(body, e.id) is None]
    if not missing:
        return ""
    whose = "Okta's body" if kind == "User" else "Okta's group push body"
    return (f" ({whose} carries no {', '.join(missing)} data, which the target's {kind} resource type "
            f"requires (RFC 7643 §6); {okta_sends}, so Okta fails here too)")
