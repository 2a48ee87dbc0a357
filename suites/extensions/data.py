"""Values that fit an extension attribute, and reading extension data back from responses."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
from faker import Faker

from simulator.scim import urns
from simulator.scim.paths import user_path
from simulator.scim.schema import AttributeDef, SchemaDef
from suites.client import Reply, ScimClient
from suites.expect import describe, expect, expect_status, fail

if TYPE_CHECKING:
    from suites.factory import Factory

WRITABLE_TYPES = frozenset({"string", "integer", "boolean", "decimal", "dateTime", "reference"})


def simple_attributes(ext: SchemaDef, kinds: frozenset[str] = WRITABLE_TYPES) -> list[AttributeDef]:
    """Single-valued readWrite attributes a client can set, read back and change."""
    return [a for a in ext.attributes
            if a.type in kinds and not a.multi_valued and a.mutability == "readWrite"]


def simple_values(faker: Faker, ext: SchemaDef, only: AttributeDef | None = None) -> dict[str, Any]:
    """Values for every simple attribute of ext (or only one), keyed by attribute name."""
    attrs = [only] if only is not None else simple_attributes(ext)
    return {a.name: value_for(a, faker) for a in attrs}


def value_for(attr: AttributeDef, faker: Faker) -> Any:
    """A realistic value of attr's type (one of its canonical values when it declares some)."""
    if attr.canonical_values:
        return faker.random_element(attr.canonical_values)
    kind = attr.type
    if kind == "integer":
        return faker.random_int(1_000, 999_999)
    if kind == "boolean":
        return faker.pybool()
    if kind == "decimal":
        return round(faker.pyfloat(min_value=1, max_value=9_999), 2)
    if kind == "dateTime":
        return faker.date_time(tzinfo=UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    if kind == "reference":
        return faker.url() + faker.uuid4()
    return f"{faker.word().title()}-{faker.random_int(10_000, 99_999)}"


def other_value(attr: AttributeDef, faker: Faker, old: Any) -> Any:
    """A value of attr's type that differs from old."""
    if attr.type == "boolean":
        return not old
    if len(attr.canonical_values) == 1:
        return old
    for _ in range(20):
        new = value_for(attr, faker)
        if new != old:
            return new
    raise AssertionError(f"no second value for {attr.name}")


def wrong_type(attr: AttributeDef) -> Any:
    """A value a strict server refuses: a string where a number, boolean or date belongs."""
    return "not a date" if attr.type == "dateTime" else "yes" if attr.type == "boolean" else "twelve"


def same(attr: AttributeDef, sent: Any, got: Any) -> bool:
    """Equal as SCIM values: dateTimes as instants, decimals as numbers."""
    if attr.type == "dateTime" and isinstance(sent, str) and isinstance(got, str):
        try:
            return _instant(sent) == _instant(got)
        except ValueError:
            return False
    if attr.type == "decimal" and not isinstance(got, bool) and isinstance(got, (int, float)):
        return float(got) == float(sent)
    return bool(got == sent and type(got) is type(sent))


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def key_of(doc: dict[str, Any], name: str) -> str | None:
    """The key of doc that is name, compared case-insensitively (RFC 7643 §2.1)."""
    return next((k for k in doc if isinstance(k, str) and k.casefold() == name.casefold()), None)


def ext_data(doc: dict[str, Any], urn: str) -> dict[str, Any] | None:
    """The object under the extension URN key, or None."""
    key = key_of(doc, urn)
    found = doc.get(key) if key is not None else None
    return found if isinstance(found, dict) else None


def holds_data(doc: dict[str, Any], urn: str) -> bool:
    """Whether doc has data under the extension URN key: absent, null, {} and an object of only
    null or empty values hold none (RFC 7643 §2.5: "Unassigned attributes, the null value, or
    empty array (in the case of a multi-valued attribute) SHALL be considered to be equivalent in
    "state"")."""
    key = key_of(doc, urn)
    return key is not None and _assigned(doc[key])


def _assigned(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_assigned(v) for v in value.values())
    if isinstance(value, list):
        return any(_assigned(v) for v in value)
    return value is not None


def ext_entry(doc: dict[str, Any], urn: str) -> dict[str, Any]:
    """What doc holds under the extension URN key, as received ({} when it has no such key)."""
    key = key_of(doc, urn)
    return {key: doc[key]} if key is not None else {}


def ext_value(doc: dict[str, Any], urn: str, name: str) -> Any:
    """The value of urn:name in a resource, or None."""
    data = ext_data(doc, urn) or {}
    key = key_of(data, name)
    return data.get(key) if key is not None else None


def lists_urn(doc: dict[str, Any], urn: str) -> bool:
    schemas = doc.get("schemas")
    return isinstance(schemas, list) and any(
        isinstance(s, str) and s.casefold() == urn.casefold() for s in schemas)


def definition(ext: SchemaDef, name: str) -> AttributeDef:
    found = ext.attribute(name)
    assert found is not None, f"{ext.id} has no attribute {name}"
    return found


def user_with(factory: Factory, urn: str, data: dict[str, Any]) -> dict[str, Any]:
    """A created user carrying data under urn (its URN listed in schemas, as RFC 7643 §3 asks)."""
    return factory.user(schemas=[urns.CORE_USER, urn], **{urn: data})


def fetch(client: ScimClient, user: dict[str, Any], **params: Any) -> tuple[Reply, dict[str, Any]]:
    """GET the user (optionally projected); fails clearly when the server cannot read it."""
    __tracebackhide__ = True
    reply = client.get(user_path(user["id"]), params=params or None)
    expect_status(reply, 200)
    return reply, reply.body


def expect_value(client: ScimClient, user: dict[str, Any], urn: str, attr: AttributeDef,
                 wanted: Any, after: Reply) -> None:
    """A GET of user shows wanted as urn:attr (None: the attribute is gone)."""
    __tracebackhide__ = True
    expect_status(after, 200, 204)
    reply, body = fetch(client, user)
    got = ext_value(body, urn, attr.name)
    ok = got is None if wanted is None else same(attr, wanted, got)
    if not ok:
        what = "no value" if wanted is None else json.dumps(wanted)
        fail(f"after {after.exchange.request_line}: GET shows {urn}:{attr.name} = {what}",
             f"{json.dumps(got)} ({describe(reply)})", reply)


def patch(client: ScimClient, user: dict[str, Any], *ops: dict[str, Any]) -> Reply:
    return client.patch(user_path(user["id"]), {"schemas": [urns.PATCH_OP], "Operations": list(ops)})


def expect_rejected(reply: Reply, scim_type: str | None, what: str) -> None:
    """A 400; a scimType it carries must be scim_type (RFC 7644 §3.12: scimType is OPTIONAL).

    A 5xx or a 2xx fails.
    """
    __tracebackhide__ = True
    expect_status(reply, 400)
    given = reply.body.get("scimType")
    if scim_type is not None and given is not None:
        expect(given == scim_type, f'{what}: 400 with scimType "{scim_type}" (or none)',
               describe(reply), reply)


def skip_if_required(factory: Factory, urn: str, why: str) -> None:
    """Skip a check that cannot apply where the target requires urn: RFC 7643 §6, "If true, a
    resource of this type MUST include this schema extension"; why says what that rules out."""
    if factory.requires(urn):
        pytest.skip(f"the User resource type marks {urn} required (RFC 7643 §6: \"a resource of this "
                    f"type MUST include this schema extension\"), so {why}")


def first_simple(ext: SchemaDef) -> AttributeDef:
    """The first simple writable attribute of ext; skips the check when there is none."""
    attrs = simple_attributes(ext)
    if not attrs:
        pytest.skip(f"{ext.id} has no single-valued readWrite simple attribute")
    return attrs[0]
