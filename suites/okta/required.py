"""Okta against a target whose User resource type requires an extension (RFC 7643 §6).

Okta sends only the attributes its app profile maps (okta-scim.md §9), so the admin of such a
target adds Profile Editor attributes with the extension URN as external namespace and maps a
value into them; the Okta suite's app does the same, and Okta's requests then carry the data.
Okta's SPEC test sends fixed bodies that no mapping changes (§11.1): there the target refuses
Okta's create, and the check's failure says why.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from faker import Faker

from simulator.okta.flowdata import FlowError
from simulator.okta.flows import AdminSend, SimulatorFactory
from simulator.okta.model import AppAttribute, AppInstance, AttributeMapping
from simulator.okta.plan import Send
from simulator.okta.wire import ScimRequest, ScimResponse
from simulator.scim.schema import SchemaDef
from suites.extensions.data import key_of
from suites.extensions.discovery import short
from suites.factory import required_data

Mapped = tuple[tuple[AppAttribute, AttributeMapping], ...]  # Profile Editor attribute, its mapping
OKTA_TYPES = {bool: "boolean", int: "integer", float: "number"}  # else string (okta-admin-api.md §10)
SOURCE = "oty1scimcertdefault0"  # the simulator's Okta user profile: a mapping's source


def required_mappings(required: tuple[SchemaDef, ...], faker: Faker) -> Mapped:
    """An app attribute with a constant mapping for each value the required extensions need."""
    return tuple((AppAttribute(_name(ext.id, external), external, ext.id, _okta_type(value), external),
                  AttributeMapping(_literal(value)))
                 for ext in required for external, value in _leaves(required_data(ext, faker)))


def _leaves(data: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(external name, value) pairs; Okta's external names reach sub-attributes ("manager.value")
    but no list, so a multi-valued attribute gets no mapping."""
    for name, value in data.items():
        if isinstance(value, dict):
            yield from ((f"{name}.{sub}", v) for sub, v in value.items())
        elif not isinstance(value, list):
            yield name, value


def _name(urn: str, external: str) -> str:
    return re.sub(r"\W", "_", f"scimcert_{short(urn)}_{external}")


def _okta_type(value: Any) -> str:
    return OKTA_TYPES.get(type(value), "string")


def _literal(value: Any) -> str:
    """value as an Okta Expression Language literal."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    quote = '"' if "'" in str(value) else "'"
    return f"{quote}{value}{quote}"


def with_mappings(app: AppInstance, mapped: Mapped) -> AppInstance:
    """The app with the mapped attributes added to its profile and mappings."""
    if not mapped:
        return app
    return replace(app, attributes=(*app.attributes, *(a for a, _ in mapped)),
                   mappings={**app.mappings, **{a.name: m for a, m in mapped}})


def mapping_simulator(simulator: SimulatorFactory, mapped: Mapped) -> SimulatorFactory:
    """A simulator whose app, once a flow installs it, has the mapped attributes, as the target's
    Okta admin sets it up (Okta's CRUD test runs against the vendor's configured app, §11.2)."""
    if not mapped:
        return simulator

    def make(send: Send) -> AdminSend:
        admin = simulator(send)

        def call(method: str, target: str, body: Any = None) -> ScimResponse:
            response = admin(method, target, body)
            installed = method == "POST" and target.split("?", 1)[0] == "/api/v1/apps" and response.ok
            if installed:
                _configure(admin, str((response.json_object() or {}).get("id")), mapped)
            return response

        return call

    return make


def _configure(admin: AdminSend, app_id: str, mapped: Mapped) -> None:
    """Profile Editor attributes and their mappings, through the admin API as the flows do."""
    properties = {a.name: {"title": a.title, "type": a.type, "externalName": a.external_name,
                           "externalNamespace": a.external_namespace, "scope": "NONE"} for a, _ in mapped}
    schema = {"definitions": {"custom": {"id": "#custom", "type": "object", "properties": properties}}}
    _admin_ok(admin, "POST", f"/api/v1/meta/schemas/apps/{app_id}/default", schema)
    found = _admin_ok(admin, "GET", f"/api/v1/mappings?sourceId={SOURCE}&targetId={app_id}", None)
    mapping_id = (found.body or [{}])[0].get("id") if isinstance(found.body, list) else None
    expressions = {a.name: {"expression": m.expression, "pushStatus": "PUSH"} for a, m in mapped}
    _admin_ok(admin, "POST", f"/api/v1/mappings/{mapping_id}", {"properties": expressions})


def _admin_ok(admin: AdminSend, method: str, target: str, body: Any) -> ScimResponse:
    response = admin(method, target, body)
    if not response.ok:
        raise FlowError(f"mapping the attributes the target requires: {method} {target} answered "
                        f"{response.status} {response.text[:300]}")
    return response


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


def refused_note(required: tuple[SchemaDef, ...], request: ScimRequest | None) -> str:
    """Why Okta's create failed, when its body lacks an extension the target requires."""
    body = request.body if request is not None else None
    if request is None or (request.method, request.path) != ("POST", "/Users") or not isinstance(body, dict):
        return ""
    missing = [e.id for e in required if key_of(body, e.id) is None]
    if not missing:
        return ""
    return (f" (Okta's body carries no {', '.join(missing)} data, which the target's User resource type "
            "requires (RFC 7643 §6); Okta sends its fixed SPEC test bodies as they are and otherwise "
            "only mapped attributes (okta-scim.md §9, §11.1), so Okta fails here too)")
