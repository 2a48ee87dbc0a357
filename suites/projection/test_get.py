"""attributes and excludedAttributes on GET /Users/{id} (RFC 7644 §3.4.2.5, §3.9, §3.10).

The checks that only read a plain user share one (`subject`); the extension and password checks
create users with the values they look for.
"""

from __future__ import annotations

from typing import Any

import pytest

from simulator.scim import urns
from suites.client import ScimClient
from suites.expect import expect, expect_equal
from suites.factory import Factory
from suites.projection.shape import always_returned, expect_absent, expect_present, get_user, projected
from suites.target import Target

DEFAULTS = ("displayName", "emails", "name", "externalId", "locale", "active")


@pytest.fixture(scope="module")
def subject(factory: Factory) -> dict[str, Any]:
    """A user with Okta's create body (every default attribute set), only read by the checks."""
    return factory.user()


@pytest.mark.check("PROJ-GET-001", level="MUST", refs=["RFC7644 §3.4.2.5", "RFC7644 §3.9"],
                   caught_by=["attributes-ignored"])
def test_attributes_returns_only_what_was_asked(subject: dict[str, Any], client: ScimClient,
                                                target: Target) -> None:
    """attributes=userName returns id and userName, and none of the other defaults.

    RFC 7644 §3.9: "attributes: When specified, the default list of attributes SHALL be
    overridden, and each resource returned MUST contain the minimum set of resource attributes
    and any attributes or sub-attributes explicitly requested by the "attributes" parameter."
    "schemas" may be left out: RFC 7644 §3.4.2's own example answers attributes=userName with id
    and userName only ("id" is returned because ... "always").
    """
    reply = get_user(client, subject["id"], attributes="userName")
    body = projected(reply)
    expect_present(body, ("id", "userName"), reply)
    expect_absent(body, DEFAULTS, reply, always_returned(target, "User"))


@pytest.mark.check("PROJ-GET-002", level="MUST", refs=["RFC7644 §3.4.2.5", "RFC7644 §3.9"],
                   caught_by=["excluded-attributes-ignored"])
def test_excluded_attributes_removes_them(subject: dict[str, Any], client: ScimClient,
                                          target: Target) -> None:
    """excludedAttributes=emails,displayName removes those two and keeps the other defaults.

    RFC 7644 §3.9: "excludedAttributes: When specified, each resource returned MUST contain
    the minimum set of resource attributes. Additionally, the default set of attributes minus
    those attributes listed in "excludedAttributes" is returned."
    """
    reply = get_user(client, subject["id"], excludedAttributes="emails,displayName")
    body = projected(reply)
    expect_absent(body, ("emails", "displayName"), reply, always_returned(target, "User"))
    expect_present(body, ("id", "userName", "name"), reply)


@pytest.mark.check("PROJ-GET-003", level="MUST", refs=["RFC7644 §3.4.2.5", "RFC7643 §3.1"])
def test_excluded_attributes_keeps_id(subject: dict[str, Any], client: ScimClient) -> None:
    """excludedAttributes=id has no effect: id is returned "always".

    RFC 7644 §3.4.2.5: excludedAttributes "SHALL have no effect on attributes whose schema
    "returned" setting is "always""; RFC 7643 §3.1 gives id the "returned" characteristic
    "always".
    """
    reply = get_user(client, subject["id"], excludedAttributes="id")
    expect_equal(projected(reply).get("id"), subject["id"], "id", reply)


@pytest.mark.check("PROJ-GET-004", level="MUST", refs=["RFC7644 §3.9", "RFC7644 §3.10"],
                   caught_by=["attributes-ignored"])
def test_attributes_selects_a_sub_attribute(subject: dict[str, Any], client: ScimClient,
                                            target: Target) -> None:
    """attributes=name.givenName returns name with givenName only.

    RFC 7644 §3.9: each resource "MUST contain the minimum set of resource attributes and any
    attributes or sub-attributes explicitly requested"; §3.10: "Sub-attributes of complex
    attributes are referenced by appending a period (".") followed by the sub-attribute name".
    A target that kept no givenName of the user (RFC 7644 §3.3: it "is free to alter and/or
    ignore POSTed content") is asked for a sub-attribute of name it kept (familyName, then
    formatted); skipped when it kept none.
    """
    found_name = subject.get("name")
    kept: dict[str, Any] = found_name if isinstance(found_name, dict) else {}
    sub = next((s for s in ("givenName", "familyName", "formatted") if kept.get(s)), None)
    if sub is None:
        pytest.skip("the target kept no givenName, familyName or formatted of the user's name")
    reply = get_user(client, subject["id"], attributes=f"name.{sub}")
    body = projected(reply)
    found = body.get("name")
    name = found if isinstance(found, dict) else {}
    expect_equal(name.get(sub), kept[sub], f"name.{sub}", reply)
    others = [s for s in ("givenName", "familyName") if s != sub and s in name]
    expect(not others, f"name without {' or '.join(s for s in ('givenName', 'familyName') if s != sub)}"
           " (not requested)", name, reply)
    expect_absent(body, ("userName", "emails"), reply, always_returned(target, "User"))


@pytest.mark.check("PROJ-GET-005", level="MUST", refs=["RFC7644 §3.9", "RFC7644 §3.10"],
                   caught_by=["attributes-ignored", "drops-extension"])
def test_attributes_selects_an_extension_attribute(factory: Factory, client: ScimClient,
                                                   target: Target) -> None:
    """attributes=<enterprise URN>:department returns that one extension attribute.

    RFC 7644 §3.10: "attributes are uniquely identified by prefixing the attribute name with
    its schema URN separated by a colon"; §3.9: the default set "SHALL be overridden".
    """
    rs = target.resource_schema("User")
    if rs is None or rs.extension(urns.ENTERPRISE_USER) is None:
        pytest.skip("the User resource type does not advertise the enterprise extension")
    ext = {"department": "Tax", "employeeNumber": factory.faker.numerify("E#####")}
    user = factory.user(schemas=[urns.CORE_USER, urns.ENTERPRISE_USER], **{urns.ENTERPRISE_USER: ext})
    reply = get_user(client, user["id"], attributes=f"{urns.ENTERPRISE_USER}:department")
    body = projected(reply)
    expect_equal(body.get(urns.ENTERPRISE_USER), {"department": "Tax"},
                 f"{urns.ENTERPRISE_USER} (department only)", reply)
    expect_absent(body, ("userName", "name"), reply, always_returned(target, "User"))


@pytest.mark.check("PROJ-GET-006", level="MUST", refs=["RFC7644 §3.9", "RFC7644 §3.10"],
                   caught_by=["excluded-attributes-ignored"])
def test_excluded_attributes_accepts_a_urn_qualified_name(subject: dict[str, Any], client: ScimClient,
                                                          target: Target) -> None:
    """excludedAttributes with the fully qualified core name of displayName removes it.

    RFC 7644 §3.10: "the core User resource attribute 'userName' is identified as
    "urn:ietf:params:scim:schemas:core:2.0:User:userName". Clients MAY omit core schema
    attribute URN prefixes".
    """
    reply = get_user(client, subject["id"], excludedAttributes=f"{urns.CORE_USER}:displayName")
    body = projected(reply)
    expect_absent(body, ("displayName",), reply, always_returned(target, "User"))
    expect_present(body, ("id", "userName"), reply)


@pytest.mark.check("PROJ-GET-007", level="MUST", refs=["RFC7643 §4.1.1", "RFC7643 §7"],
                   caught_by=["password-returned"])
def test_password_is_never_returned(factory: Factory, client: ScimClient) -> None:
    """A password is not returned, not even when attributes asks for it.

    RFC 7643 §4.1.1, password: "The cleartext value or the hashed value of a password SHALL
    NOT be returnable by a service provider." RFC 7643 §7, returned: "never. The attribute is
    never returned."
    """
    user = factory.user(password=factory.faker.password(length=16))
    reply = get_user(client, user["id"], attributes="userName,password")
    body = projected(reply)
    expect("password" not in body, "no password in the representation",
           f"password = {body.get('password')!r}", reply)
