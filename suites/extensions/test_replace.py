"""PUT and extension data: replaced when sent, cleared when left out (RFC 7644 §3.5.1)."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.scim import urns
from simulator.scim.paths import user_path
from simulator.scim.schema import SchemaDef
from suites.client import ScimClient
from suites.expect import expect, expect_status, fail
from suites.extensions.data import (
    definition,
    expect_value,
    ext_data,
    ext_entry,
    fetch,
    holds_data,
    other_value,
    simple_values,
    skip_if_required,
    user_with,
)
from suites.factory import Factory

READ_ONLY = ("id", "meta", "groups")


def describe_keys(user: dict[str, Any]) -> str:
    return f"keys {sorted(user)}"


def _echo(user: dict[str, Any]) -> dict[str, Any]:
    """The user as a client would PUT it back, without the server-owned attributes."""
    return {k: v for k, v in user.items() if k not in READ_ONLY}


@pytest.mark.check("EXT-PUT-001", level="MUST", refs=["RFC7644 §3.5.1"], okta=True,
                   caught_by=["drops-extension"], ext_op="put")
def test_put_with_extension_replaces_value(factory: Factory, client: ScimClient,
                                           extensions: dict[str, SchemaDef], urn: str,
                                           attribute: str) -> None:
    """PUT carrying a new extension value replaces the old one (Okta's profile push).

    RFC 7644 §3.5.1: "readWrite ... Any values provided SHALL replace the existing attribute
    values." Okta pushes a changed custom attribute with GET + PUT (okta-scim.md §5.1).
    """
    attr = definition(extensions[urn], attribute)
    value = simple_values(factory.faker, extensions[urn], only=attr)[attr.name]
    user = user_with(factory, urn, {attr.name: value})
    new = other_value(attr, factory.faker, value)
    body = {**_echo(user), "schemas": [urns.CORE_USER, urn], urn: {attr.name: new}}
    reply = client.put(user_path(user["id"]), body)
    expect_value(client, user, urn, attr, new, reply)


@pytest.mark.check("EXT-PUT-002", level="MAY", refs=["RFC7644 §3.5.1"],
                   caught_by=["drops-extension", "extension-not-cleared-on-put", "put-keeps-omitted"],
                   ext_op="put")
def test_put_without_extension_clears_it(factory: Factory, client: ScimClient,
                                         extensions: dict[str, SchemaDef], urn: str) -> None:
    """PUT without the extension object clears the user's extension data.

    RFC 7644 §3.5.1: "Attributes whose mutability is "readWrite" that are omitted from the request
    body MAY be assumed to be not asserted by the client. The service provider MAY assume that any
    existing values are to be cleared" — hence MAY; a server that keeps them must say so. Only the
    data is judged: a URN key left as null, {} or null attributes holds none (RFC 7643 §2.5), and
    "schemas" is EXT-CREATE-003's.
    """
    skip_if_required(factory, urn, "a PUT without it cannot clear it: the server refuses that PUT")
    user = user_with(factory, urn, simple_values(factory.faker, extensions[urn]))
    if not ext_data(user, urn):
        fail(f"(precondition) the created user carries {urn} data", describe_keys(user),
             factory.creation(user))
    body = {k: v for k, v in _echo(user).items() if k.casefold() != urn.casefold()}
    body["schemas"] = [urns.CORE_USER]
    reply = client.put(user_path(user["id"]), body)
    expect_status(reply, 200, 204)
    after, got = fetch(client, user)
    expect(not holds_data(got, urn), f"no {urn} data", ext_entry(got, urn), after)
