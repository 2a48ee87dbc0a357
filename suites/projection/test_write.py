"""attributes and excludedAttributes on the responses of POST, PUT and PATCH (RFC 7644 §3.9)."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.scim import urns
from simulator.scim.paths import user_path
from suites.client import ScimClient
from suites.expect import expect_equal, value_at
from suites.factory import Factory
from suites.projection.shape import always_returned, expect_absent, expect_present, projected
from suites.target import Target

REPLACEABLE = ("schemas", "userName", "name", "emails", "displayName", "locale", "externalId",
               "active")


def replacement(factory: Factory, user: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A PUT body: the client-owned attributes of user (no id, meta or groups), changed, with its
    data of the extensions the target requires."""
    return factory.replacing(user, {**{k: user[k] for k in REPLACEABLE if k in user}, **changes})


@pytest.mark.check("PROJ-WRITE-001", level="MUST", refs=["RFC7644 §3.9", "RFC7644 §3.3"],
                   caught_by=["attributes-ignored"])
def test_post_response_honours_attributes(factory: Factory, target: Target) -> None:
    """POST /Users?attributes=userName answers with id and userName only.

    RFC 7644 §3.9: "Clients MAY request a partial resource representation on any operation
    that returns a resource within the response" and, for "attributes": "When specified, the
    default list of attributes SHALL be overridden".
    """
    reply = factory.post_user(factory.user_body(), params={"attributes": "userName"})
    body = projected(reply, 200, 201)
    expect_present(body, ("id", "userName"), reply)
    expect_absent(body, ("displayName", "emails", "name"), reply, always_returned(target, "User"))


@pytest.mark.check("PROJ-WRITE-002", level="MUST", refs=["RFC7644 §3.9", "RFC7644 §3.5.1"],
                   caught_by=["excluded-attributes-ignored"])
def test_put_response_honours_excluded_attributes(factory: Factory, client: ScimClient,
                                                  target: Target) -> None:
    """PUT /Users/{id}?excludedAttributes=emails,name answers without emails and name.

    RFC 7644 §3.9: "excludedAttributes: When specified, each resource returned MUST contain
    the minimum set of resource attributes. Additionally, the default set of attributes minus
    those attributes listed in "excludedAttributes" is returned."
    """
    user = factory.user()
    body_in = replacement(factory, user, displayName=factory.faker.name())
    reply = client.put(user_path(user["id"]), body_in, params={"excludedAttributes": "emails,name"})
    if reply.status == 204:  # RFC 7644 §3.5.1's "returns a 200 OK" carries no RFC 2119 keyword
        pytest.skip("PUT answered 204 No Content: no representation to project")
    body = projected(reply)
    expect_absent(body, ("emails", "name"), reply, always_returned(target, "User"))
    # displayName is optional (RFC 7643 §4.1.1): expected back only where /Schemas defines it
    kept = ("id", "userName", "displayName") if target.defines("User", "displayName") else ("id", "userName")
    expect_present(body, kept, reply)


@pytest.mark.check("PROJ-WRITE-003", level="MUST", refs=["RFC7644 §3.9", "RFC7644 §3.5.2"],
                   caught_by=["attributes-ignored"])
def test_patch_response_honours_attributes(factory: Factory, client: ScimClient,
                                           target: Target) -> None:
    """PATCH /Users/{id}?attributes=displayName (or name.givenName) answers with id and it only.

    RFC 7644 §3.5.2: "the server either MUST return a 200 OK response code and the entire
    resource within the response body, subject to the "attributes" query parameter (see
    Section 3.9), or MAY return HTTP status code 204 (No Content)". displayName is optional
    (RFC 7643 §4.1.1): a target whose User schema in /Schemas lacks it is patched and projected
    through name.givenName.
    """
    target.require("patch")
    attr = target.pick_attribute("User", "displayName", "name.givenName")
    user = factory.user()
    new_value = factory.faker.name()
    patch = {"schemas": [urns.PATCH_OP],
             "Operations": [{"op": "replace", "path": attr, "value": new_value}]}
    reply = client.patch(user_path(user["id"]), patch, params={"attributes": attr})
    if reply.status == 204:
        pytest.skip("PATCH answered 204 No Content: no representation to project")
    body = projected(reply)
    expect_equal(value_at(body, attr), new_value, attr, reply)
    others = tuple(n for n in ("userName", "emails", "name") if n != attr.split(".")[0])
    expect_absent(body, others, reply, always_returned(target, "User"))
