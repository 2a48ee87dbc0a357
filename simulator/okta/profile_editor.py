"""Profile Editor attributes with constant mappings, as an Okta admin adds them for a target whose
resource type requires an extension (RFC 7643 §6).

Okta sends only the attributes its app profile maps (okta-scim.md §9), so the admin of such a
target adds attributes with the extension URN as external namespace and maps a value into each.
`with_mappings` gives an engine flow's app those attributes; `mapping_simulator` configures them,
through the admin API, on the app a simulator-driven flow (Okta's CRUD test) installs. Which
values a target needs is the caller's to say (the suites read it from the target's /Schemas).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from simulator.okta.flowdata import FlowError
from simulator.okta.flowstate import AdminSend, SimulatorFactory
from simulator.okta.model import AppAttribute, AppInstance, AttributeMapping
from simulator.okta.plan import Send
from simulator.okta.wire import ScimResponse

Mapped = tuple[tuple[AppAttribute, AttributeMapping], ...]  # Profile Editor attribute, its mapping
OKTA_TYPES = {bool: "boolean", int: "integer", float: "number"}  # else string (okta-admin-api.md §10)
SOURCE = "oty1scimcertdefault0"  # the simulator's Okta user profile: a mapping's source


def constant_mappings(values: Mapping[str, Mapping[str, Any]]) -> Mapped:
    """An app attribute with a constant mapping for each value, given by extension URN and then
    attribute name (a complex attribute's by sub-attribute)."""
    return tuple((AppAttribute(_name(urn, external), external, urn, _okta_type(value), external),
                  AttributeMapping(_literal(value)))
                 for urn, data in values.items() for external, value in _leaves(data))


def describe(mapped: Mapped) -> str:
    """'URN a, b; URN2 c': the mapped external names by namespace, for one line of output."""
    by_urn: dict[str, list[str]] = {}
    for attr, _ in mapped:
        by_urn.setdefault(str(attr.external_namespace), []).append(attr.external_name)
    return "; ".join(f"{urn} {', '.join(names)}" for urn, names in by_urn.items())


def _leaves(data: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """(external name, value) pairs; Okta's external names reach sub-attributes ("manager.value")
    but no list, so a multi-valued attribute gets no mapping."""
    for name, value in data.items():
        if isinstance(value, dict):
            yield from ((f"{name}.{sub}", v) for sub, v in value.items())
        elif not isinstance(value, list):
            yield name, value


def _name(urn: str, external: str) -> str:
    parts = urn.split(":")
    short = parts[-3] if len(parts) >= 3 else urn  # 'urn:...:ivanti:2.0:User' -> 'ivanti'
    return re.sub(r"\W", "_", f"scimcert_{short}_{external}")


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
