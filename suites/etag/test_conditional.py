"""Conditional requests with If-None-Match and If-Match (RFC 7644 §3.14, RFC 7232 §3)."""

from __future__ import annotations

import pytest

from simulator.scim import urns
from simulator.scim.paths import user_path
from suites.client import ScimClient
from suites.etag.versions import change, read, versioned_user
from suites.expect import expect, expect_equal, expect_status, value_at
from suites.factory import Factory
from suites.target import Target

# RFC 7644 §3.12 Table 8 gives both for a stale version: 412 "Resource has changed on the
# server" and 409 "The specified version number does not match the resource's latest version".
STALE = (412, 409)


@pytest.mark.check("ETAG-GET-001", level="MUST", refs=["RFC7644 §3.14", "RFC7232 §3.2"],
                   caught_by=["etag-ignored", "no-etag"])
def test_if_none_match_current_answers_304(factory: Factory, client: ScimClient,
                                           target: Target) -> None:
    """GET with If-None-Match set to the current ETag answers 304 Not Modified.

    RFC 7644 §3.14: "If the resource has not changed, the service provider simply returns an
    empty body with a 304 (Not Modified) response code." RFC 7232 §3.2: the origin server
    "MUST respond with ... the 304 (Not Modified) status code if the request method is GET".
    """
    target.require("etag")
    path = user_path(factory.user()["id"])
    _, etag, _ = read(client, path)
    expect_status(client.get(path, headers={"If-None-Match": etag}), 304)


@pytest.mark.check("ETAG-PUT-001", level="MUST", refs=["RFC7644 §3.14", "RFC7644 §3.12",
                                                       "RFC7232 §3.1"],
                   caught_by=["etag-ignored", "no-etag"])
def test_put_with_stale_if_match_is_refused(factory: Factory, client: ScimClient,
                                            target: Target) -> None:
    """PUT with a stale If-Match answers 412 (or 409) and changes nothing.

    RFC 7644 §3.14: If-Match ensures "that the requested operation succeeds only if the
    supplied ETag matches the latest service provider resource"; §3.12 lists 412 "Failed to
    update. Resource has changed on the server." for PUT, and 409 for "The specified version
    number does not match the resource's latest version number", so either refusal passes.
    RFC 7232 §3.1: "An origin server MUST NOT perform the requested method if a received
    If-Match condition evaluates to false".
    """
    target.require("etag")
    v, new = versioned_user(factory, client, target), change(target, factory)
    expect_status(client.put(v.path, new.replacing(factory, v.user), headers={"If-Match": v.stale}), *STALE)
    after, _, reply = read(client, v.path)
    expect_equal(value_at(after, new.attr), value_at(v.user, new.attr), f"{new.attr} (unchanged)", reply)


@pytest.mark.check("ETAG-PATCH-001", level="MUST", refs=["RFC7644 §3.14", "RFC7644 §3.12",
                                                         "RFC7232 §3.1"],
                   caught_by=["etag-ignored", "no-etag"])
def test_patch_with_stale_if_match_is_refused(factory: Factory, client: ScimClient,
                                              target: Target) -> None:
    """PATCH with a stale If-Match answers 412 (or 409) and changes nothing.

    RFC 7644 §3.14: "the client MAY supply an If-Match header ... for PUT and PATCH operations
    to ensure that the requested operation succeeds only if the supplied ETag matches the
    latest service provider resource"; §3.12 lists 412 for PATCH, and 409 for a version number
    that "does not match the resource's latest version number".
    """
    target.require("etag")
    target.require("patch")
    v, new = versioned_user(factory, client, target), change(target, factory)
    patch = {"schemas": [urns.PATCH_OP],
             "Operations": [{"op": "replace", "path": new.attr, "value": new.value}]}
    expect_status(client.patch(v.path, patch, headers={"If-Match": v.stale}), *STALE)
    after, _, reply = read(client, v.path)
    expect_equal(value_at(after, new.attr), value_at(v.user, new.attr), f"{new.attr} (unchanged)", reply)


@pytest.mark.check("ETAG-DELETE-001", level="MUST", refs=["RFC7644 §3.12", "RFC7232 §3.1"],
                   caught_by=["etag-ignored", "no-etag"])
def test_delete_with_stale_if_match_is_refused(factory: Factory, client: ScimClient,
                                               target: Target) -> None:
    """DELETE with a stale If-Match answers 412 (or 409) and the user stays.

    RFC 7644 §3.12 lists 412 (Precondition Failed) "Failed to update. Resource has changed on
    the server." for DELETE, and 409 (Conflict) for a version number that "does not match the
    resource's latest version number". RFC 7232 §3.1: "An origin server MUST NOT perform the
    requested method if a received If-Match condition evaluates to false".
    """
    target.require("etag")
    v = versioned_user(factory, client, target)
    expect_status(client.delete(v.path, headers={"If-Match": v.stale}), *STALE)
    expect_status(client.get(v.path), 200)


@pytest.mark.check("ETAG-PUT-002", level="SHOULD", refs=["RFC7644 §3.14", "RFC7232 §3.1"],
                   caught_by=["no-etag"])
def test_put_with_current_if_match_succeeds(factory: Factory, client: ScimClient,
                                            target: Target) -> None:
    """PUT with the current ETag in If-Match succeeds.

    RFC 7644 §3.14 shows If-Match with the weak ETag the server returned
    (If-Match: W/"e180ee84f0671b1") so that the operation "succeeds only if the supplied ETag
    matches the latest service provider resource". RFC 7232 §3.1 asks for the strong
    comparison, under which a weak ETag never matches; SCIM's example does not, hence SHOULD.
    """
    target.require("etag")
    v, new = versioned_user(factory, client, target), change(target, factory)
    reply = client.put(v.path, new.replacing(factory, v.user), headers={"If-Match": v.etag})
    expect_status(reply, 200, 204)
    after, _, got = read(client, v.path)
    expect_equal(value_at(after, new.attr), new.value, f"{new.attr} (replaced)", got)


@pytest.mark.check("ETAG-VERSION-001", level="SHOULD", refs=["RFC7644 §3.14", "RFC7232 §2.1", "RFC7232 §2.3"],
                   caught_by=["no-etag"])
def test_version_changes_after_a_modification(factory: Factory, client: ScimClient,
                                              target: Target) -> None:
    """A modification gives the resource a new ETag, and If-None-Match with the old one reads it.

    RFC 7232 §2.3: an entity-tag is "an opaque validator for differentiating between multiple
    representations of the same resource, regardless of whether those multiple representations
    are due to resource state changes over time"; §2.1: an origin server "SHOULD change a weak
    entity-tag whenever it considers prior representations to be unacceptable as a substitute
    for the current representation".
    """
    target.require("etag")
    path = user_path(factory.user()["id"])
    before, first, _ = read(client, path)
    expect_status(client.put(path, change(target, factory).replacing(factory, before)), 200, 204)
    _, second, reply = read(client, path)
    expect(second != first, f"an ETag other than {first} after the PUT", f"ETag {second}", reply)
    expect_status(client.get(path, headers={"If-None-Match": first}), 200)
