"""Realistic resources for checks: run-prefixed names from Faker, each one put in the ledger."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from faker import Faker

from simulator.scim import urns
from simulator.scim.paths import resource_path
from simulator.scim.schema import AttributeDef, SchemaDef
from suites.client import Reply, ScimClient
from suites.config import RunConfig
from suites.expect import describe, fail
from suites.extensions.data import key_of, lists_urn, simple_attributes, value_for
from suites.ledger import Ledger


@dataclass
class Factory:
    """Builds and creates Users and Groups that belong to this run."""

    client: ScimClient
    ledger: Ledger
    config: RunConfig
    faker: Faker = field(default_factory=Faker)
    required: tuple[SchemaDef, ...] = ()  # User extensions the target requires (RFC 7643 §6)
    required_groups: tuple[SchemaDef, ...] = ()  # Group extensions the target requires
    core: SchemaDef | None = None  # the target's User schema: the attributes it marks required
    core_groups: SchemaDef | None = None  # the target's Group schema
    _serial: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _creations: dict[str, Reply] = field(default_factory=dict)  # created id -> the reply that created it

    def __post_init__(self) -> None:
        self.faker.seed_instance(self.config.run_id)

    def user_name(self) -> str:
        """A unique userName: scimcert-<runid>-<realistic name><n>@example.com."""
        return f"{self.config.prefix}{self.faker.user_name()}{next(self._serial)}@example.com"

    def group_name(self) -> str:
        return f"{self.config.prefix}{self.faker.job()} {next(self._serial)}"

    def user_body(self, **overrides: Any) -> dict[str, Any]:
        """plain_user_body() with data for each required extension the overrides do not give."""
        return self.with_required(self.plain_user_body(**overrides))

    def with_required(self, body: dict[str, Any], kind: str = "User") -> dict[str, Any]:
        """body plus data, listed in "schemas", for each extension kind's resource type requires that
        it lacks: RFC 7643 §6, "If true, a resource of this type MUST include this schema extension";
        and a value for each attribute the target's core schema marks required that body lacks."""
        fill_required(body, self.core_groups if kind == "Group" else self.core, self.faker)
        if kind == "Group":
            self._member_refs(body)
        for ext in self._required(kind):
            if key_of(body, ext.id) is not None:
                continue  # the caller's own data for it, listed in "schemas" as the caller chose
            body[ext.id] = required_data(ext, self.faker)
            _list_urn(body, ext.id)
        return body

    def replacing(self, resource: dict[str, Any], body: dict[str, Any], kind: str = "User") -> dict[str, Any]:
        """A PUT body that replaces resource (a kind): body plus resource's data of each extension
        the target requires. RFC 7644 §3.5.1 replaces every attribute, and RFC 7643 §6 requires it."""
        for ext in self._required(kind):
            key = key_of(resource, ext.id)
            if key is not None and key_of(body, ext.id) is None:
                body[key] = resource[key]
                _list_urn(body, ext.id)
        return self.with_required(body, kind)

    def requires(self, urn: str, kind: str = "User") -> bool:
        """Whether the target's kind resource type marks urn required (RFC 7643 §6)."""
        return any(ext.id.casefold() == urn.casefold() for ext in self._required(kind))

    def defines(self, path: str, kind: str = "User") -> bool:
        """Whether the target's kind core schema defines path ("members.type"); an unread one does."""
        schema = self.core_groups if kind == "Group" else self.core
        name, _, sub = path.partition(".")
        attr = schema.attribute(name) if schema else None
        return schema is None or (attr is not None and (not sub or attr.sub(sub) is not None))

    def _member_refs(self, body: dict[str, Any]) -> None:
        """Each member a "$ref" (the member's URI, RFC 7643 §4.2) where the target's Group schema
        marks members.$ref required and the member has none."""
        attr = self.core_groups.attribute("members") if self.core_groups else None
        ref = attr.sub("$ref") if attr else None
        if ref is None or not ref.required:
            return
        for member in _items(body.get("members")):
            if "value" in member and "$ref" not in member:
                kind = "Groups" if member.get("type") == "Group" else "Users"
                member["$ref"] = self.client.base + resource_path(kind, str(member["value"]))

    def _required(self, kind: str) -> tuple[SchemaDef, ...]:
        return self.required_groups if kind == "Group" else self.required

    def plain_user_body(self, **overrides: Any) -> dict[str, Any]:
        """Okta's create body (okta-scim.md §4.2a) with realistic values, less what the target's
        User schema does not define (the okta suite sends Okta's own); overrides win."""
        given, family = self.faker.first_name(), self.faker.last_name()
        name = overrides.get("userName") or self.user_name()
        body: dict[str, Any] = {
            "schemas": [urns.CORE_USER],
            "userName": name,
            "name": {"givenName": given, "familyName": family},
            "emails": [{"primary": True, "value": name, "type": "work"}],
            "displayName": f"{given} {family}",
            "locale": "en-US",
            "externalId": "00u" + self.faker.pystr(min_chars=17, max_chars=17),
            "active": True,
        }
        body = trimmed(body, self.core)
        body.update(overrides)
        return body

    def taken_name_body(self, user_name: str) -> dict[str, Any]:
        """user_body() for another user that asks for user_name (already taken, or a case variant of
        one), with an email of its own: a server may refuse an email in use too (RFC 7644 §3.3,
        "conflicts with existing resources"), and that 409 would hide one for the userName."""
        body = self.user_body()
        body["userName"] = user_name
        return body

    def group_body(self, members: list[str] | tuple[str, ...] = (), **overrides: Any) -> dict[str, Any]:
        """Okta's push body (okta-scim.md §8.1), with data for each Group extension the target
        requires that the overrides do not give; overrides win."""
        body: dict[str, Any] = {"schemas": [urns.CORE_GROUP], "displayName": self.group_name(),
                                "members": [{"value": m} for m in members]}
        body.update(overrides)
        return self.with_required(body, "Group")

    def post_user(self, body: dict[str, Any], **kw: Any) -> Reply:
        """POST /Users; the client puts whatever is created into the ledger before returning."""
        return self.client.post("/Users", body, **kw)

    def post_group(self, body: dict[str, Any], **kw: Any) -> Reply:
        return self.client.post("/Groups", body, **kw)

    def user(self, **overrides: Any) -> dict[str, Any]:
        """A created user (precondition of many checks); fails clearly when creation fails."""
        __tracebackhide__ = True
        return self.create_user(self.user_body(**overrides))

    def create_user(self, body: dict[str, Any]) -> dict[str, Any]:
        __tracebackhide__ = True
        return self._created(self.post_user(body), "User")

    def users(self, bodies: Iterable[dict[str, Any]], in_flight: int = 4) -> list[dict[str, Any]]:
        """Create many users (a check's setup, not its subject) with a few POSTs in flight, as
        Okta's own provisioning does; results in the order of the bodies. Bodies are built by
        the caller, so Faker's values stay reproducible from the run id."""
        __tracebackhide__ = True
        with ThreadPoolExecutor(max_workers=in_flight) as pool:
            return list(pool.map(self.create_user, bodies))

    def group(self, members: list[str] | tuple[str, ...] = (), **overrides: Any) -> dict[str, Any]:
        __tracebackhide__ = True
        reply = self.post_group(self.group_body(members, **overrides))
        return self._created(reply, "Group")

    def creation(self, resource: dict[str, Any]) -> Reply | None:
        """The reply that created resource (one this factory made): what a failure that judges
        the created resource names as its evidence."""
        return self._creations.get(str(resource.get("id")))

    def _created(self, reply: Reply, kind: str) -> dict[str, Any]:
        __tracebackhide__ = True
        if reply.status not in (200, 201) or not isinstance(reply.body.get("id"), str):
            fail(f"(precondition) POST /{kind}s creates the {kind.lower()}", describe(reply), reply)
        self._creations[reply.body["id"]] = reply
        return reply.body


def _list_urn(body: dict[str, Any], urn: str) -> None:
    """List urn in body's "schemas" (RFC 7643 §3: the schemas of the attributes present)."""
    schemas = body.get("schemas")
    if isinstance(schemas, list) and not lists_urn(body, urn):
        body["schemas"] = [*schemas, urn]


COMMON = frozenset({"schemas", "id", "externalid", "meta"})  # RFC 7643 §3.1, in no core schema


def trimmed(body: dict[str, Any], schema: SchemaDef | None) -> dict[str, Any]:
    """body without the attributes and sub-attributes schema does not define: a server may refuse
    them (RFC 7644 §3.12 invalidSyntax: "did not conform to the request schema")."""
    if schema is None:
        return body
    out: dict[str, Any] = {}
    for key, value in body.items():
        attr = schema.attribute(key)
        if attr is not None or key.casefold() in COMMON:
            out[key] = _trimmed_value(value, attr)
    return out


def _trimmed_value(value: Any, attr: AttributeDef | None) -> Any:
    """value without the sub-attributes a complex attr does not define."""
    if attr is None or not attr.is_complex or not attr.sub_attributes:
        return value
    items = [{k: v for k, v in i.items() if attr.sub(k)} for i in _items(value)]
    return items if attr.multi_valued else (items[0] if items else value)


def _items(value: Any) -> list[dict[str, Any]]:
    return [i for i in (value if isinstance(value, list) else [value]) if isinstance(i, dict)]


def fill_required(body: dict[str, Any], schema: SchemaDef | None, faker: Faker) -> None:
    """Give body a value for each writable attribute schema marks required (RFC 7643 §7: "required")
    that it lacks, and for each required sub-attribute of the single-valued complex ones it carries
    (name.formatted). Multi-valued complex attributes (members, emails) and references are left as
    they are: no made-up value fits them."""
    for attr in (schema.attributes if schema else ()):
        key = next((k for k in body if k.casefold() == attr.name.casefold()), None)
        if (attr.multi_valued and attr.is_complex) or attr.type == "reference":
            continue
        if key is None and attr.required and attr.mutability != "readOnly":
            body[attr.name] = _value(attr, faker)
        elif key is not None and attr.is_complex and isinstance(body[key], dict):
            _fill_subs(body[key], attr, faker)


def _fill_subs(item: dict[str, Any], attr: AttributeDef, faker: Faker) -> None:
    """item's missing required writable sub-attributes; name.formatted joins the name's parts."""
    for sub in attr.sub_attributes:
        if not sub.required or sub.mutability == "readOnly" or sub.type == "reference" or any(
                k.casefold() == sub.name.casefold() for k in item):
            continue
        parts = [str(item[p]) for p in ("givenName", "familyName") if isinstance(item.get(p), str)]
        formatted = sub.name == "formatted" and attr.name == "name" and parts
        item[sub.name] = " ".join(parts) if formatted else value_for(sub, faker)


def required_data(ext: SchemaDef, faker: Faker) -> dict[str, Any]:
    """Values for the simple attributes of a required extension and for its required attributes."""
    needed = (a for a in ext.attributes if a.required and a.mutability != "readOnly")
    wanted = [*simple_attributes(ext), *needed]
    return {a.name: _value(a, faker) for a in dict.fromkeys(wanted)}


def _value(attr: AttributeDef, faker: Faker) -> Any:
    """A value of attr's type: complex ones get their writable simple sub-attributes."""
    one = ({s.name: value_for(s, faker) for s in attr.sub_attributes if s.mutability != "readOnly"}
           if attr.is_complex else value_for(attr, faker))
    return [one] if attr.multi_valued else one
