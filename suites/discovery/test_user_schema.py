"""The target's declared User schema agrees with the users it returns (RFC 7643 §2, §4.1, §7)."""

from __future__ import annotations

import secrets
from typing import Any

import pytest

from simulator.scim import urns
from simulator.scim.paths import user_path
from simulator.scim.schema import COMMON_ATTRIBUTES, AttributeDef, ResourceSchema
from suites.client import Reply, ScimClient
from suites.expect import expect, expect_object, expect_status, fail
from suites.factory import Factory
from suites.target import Target

NOT_SHOWN = ("never", "request")  # returned values under which an attribute may be absent


def _user_schema(target: Target) -> ResourceSchema:
    __tracebackhide__ = True
    found = target.resource_schema("User")
    if found is None:
        fail(f"(precondition) a well-formed {urns.CORE_USER} in /Schemas", "none",
             target.fetch("/Schemas"))
    return found


def _created(factory: Factory, body: dict[str, Any]) -> tuple[dict[str, Any], Reply | None]:
    """Create body; when the target refuses it, fall back to a plain user (no reply to inspect)."""
    reply = factory.post_user(body)
    if reply.status in (200, 201) and isinstance(reply.body.get("id"), str):
        return reply.body, reply
    return factory.user(), None


def _undeclared(doc: dict[str, Any], rs: ResourceSchema) -> list[str]:
    """Top-level and extension attributes of doc that the declared schemas do not define."""
    out = []
    for key, value in doc.items():
        if key.casefold() == "schemas":
            out += [f"schemas value {u}" for u in value or [] if str(u).casefold() not in
                    {s.casefold() for s in rs.schema_ids}]
        elif (ext := rs.extension(key)) is not None:
            out += [f"{key}:{k}" for k in (value or {}) if ext.attribute(k) is None]
        elif urns.is_urn(key):
            out.append(f"extension {key} (not in the User schemaExtensions)")
        elif rs.resolve(None, key) is None:
            out.append(f"attribute {key}")
    return out


@pytest.mark.check("DISC-EXT-002", level="MUST", refs=["RFC7643 §3", "RFC7643 §6", "RFC7644 §4"],
                   caught_by=["extension-not-advertised"])
def test_returned_attributes_are_declared(target: Target, factory: Factory, client: ScimClient) -> None:
    """Every attribute and schema URI of a returned user is declared for the User resource type.

    RFC 7643 §6: schemaExtensions is "A list of URIs of the resource type's schema extensions";
    RFC 7644 §4: /Schemas "SHALL return all supported schemas". The user is created with
    enterprise extension data; a target that refuses the extension gets a plain user.
    """
    rs = _user_schema(target)
    enterprise = {"employeeNumber": secrets.token_hex(4), "department": "Certification"}
    body = factory.user_body(schemas=[urns.CORE_USER, urns.ENTERPRISE_USER],
                             **{urns.ENTERPRISE_USER: enterprise})
    user, _ = _created(factory, body)
    reply = expect_status(client.get(user_path(user["id"])), 200)
    extra = _undeclared(expect_object(reply), rs)
    expect(not extra, "only attributes and schemas declared in /ResourceTypes and /Schemas",
           f"undeclared: {', '.join(extra)}", reply)


def _never_names(rs: ResourceSchema) -> set[str]:
    names = {"password"}  # RFC 7643 §4.1.1, whatever the target declares
    for schema in (rs.core, *rs.extensions):
        names |= {a.name.casefold() for a in schema.attributes if a.returned == "never"}
    return names


def _shown(doc: dict[str, Any], never: set[str]) -> list[str]:
    found = [k for k in doc if k.casefold() in never]
    for value in doc.values():
        if isinstance(value, dict):
            found += [k for k in value if k.casefold() in never]
    return found


@pytest.mark.check("DISC-USER-001", level="MUST", refs=["RFC7643 §4.1.1", "RFC7643 §7"],
                   caught_by=["password-returned"])
def test_returned_never_attributes_are_not_returned(target: Target, factory: Factory,
                                                    client: ScimClient) -> None:
    """Attributes declared returned "never" (password above all) are absent from responses.

    RFC 7643 §7: "never  The attribute is never returned." §4.1.1: "The cleartext value or the
    hashed value of a password SHALL NOT be returnable by a service provider."
    """
    never = _never_names(_user_schema(target))
    body = factory.user_body(password=f"Sc1m!{secrets.token_urlsafe(12)}aZ9")
    user, created = _created(factory, body)
    fetched = expect_status(client.get(user_path(user["id"])), 200)
    for reply in (r for r in (created, fetched) if r is not None):
        shown = _shown(expect_object(reply), never)
        expect(not shown, "no returned:never attribute in the response", f"returned: {shown}", reply)


def _missing_required(doc: dict[str, Any], attrs: tuple[AttributeDef, ...]) -> list[str]:
    missing = []
    for attr in attrs:
        key = next((k for k in doc if k.casefold() == attr.name.casefold()), None)
        value = doc.get(key) if key is not None else None
        if attr.required and attr.returned not in NOT_SHOWN and value in (None, "", [], {}):
            missing.append(attr.name)
        for item in (value if isinstance(value, list) else [value]):
            if isinstance(item, dict) and attr.sub_attributes:
                missing += [f"{attr.name}.{m}" for m in _missing_required(item, attr.sub_attributes)]
    return missing


@pytest.mark.check("DISC-USER-002", level="MUST", refs=["RFC7643 §2.2", "RFC7643 §7"])
def test_required_attributes_are_returned(target: Target, factory: Factory, client: ScimClient) -> None:
    """A created user carries every attribute its declared schema marks required.

    RFC 7643 §7: "required  A Boolean value that specifies whether or not the attribute is
    required." Attributes returned "never" or "request" are exempt. Sub-attributes count
    wherever their parent is present.
    """
    rs = _user_schema(target)
    user = factory.user()
    reply = expect_status(client.get(user_path(user["id"])), 200)
    missing = _missing_required(expect_object(reply), (*rs.core.attributes, *COMMON_ATTRIBUTES))
    expect(not missing, "every required attribute of the declared User schema",
           f"missing: {', '.join(missing)}", reply)
