"""PUT /Users/{id} (RFC 7644 §3.5.1)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from simulator.scim.paths import user_path
from suites.client import ScimClient
from suites.expect import expect, expect_equal, expect_object, expect_status
from suites.factory import Factory
from suites.target import Target
from suites.users.common import (
    created_id,
    given_name,
    has_fraction,
    meta_of,
    parse_time,
    replaced,
    scim_type,
)

BOGUS_META = {"resourceType": "User", "created": "2001-01-01T00:00:00Z",
              "lastModified": "2001-01-01T00:00:00Z", "version": 'W/"scimcert-bogus"'}


def _renamed(body: dict[str, Any], given: str) -> dict[str, Any]:
    """body with name.givenName replaced."""
    name = body.get("name")
    return {**body, "name": {**(name if isinstance(name, dict) else {}), "givenName": given}}


@pytest.mark.check("USR-REPLACE-001", level="SHOULD", refs=["RFC7644 §3.5.1"], okta=True)
def test_put_replaces_the_values_sent(factory: Factory, client: ScimClient) -> None:
    """PUT answers 200 with the new values, and a later GET shows them.

    RFC 7644 §3.5.1: readWrite attributes: "Any values provided SHALL replace the existing
    attribute values"; "Unless otherwise specified, a successful PUT operation returns a 200 OK
    response code and the entire resource within the response body". That second sentence has
    no RFC 2119 keyword, hence SHOULD; the SHALL is judged at MUST by USR-REPLACE-003/005,
    GRP-REPLACE-001 and EXT-PUT-001, which take a 204 as well. Okta pushes every profile change
    this way and needs the 200 with the user (okta-scim.md §10).
    """
    body = factory.user_body()
    path = user_path(created_id(factory.user(**body)))
    reply = expect_status(client.put(path, _renamed(body, "Replaced")), 200)
    expect_equal(given_name(expect_object(reply)), "Replaced", "name.givenName", reply)
    again = expect_status(client.get(path), 200)
    expect_equal(given_name(again.body), "Replaced", "name.givenName", again)


@pytest.mark.check("USR-REPLACE-002", level="MAY", refs=["RFC7644 §3.5.1"], caught_by=["put-keeps-omitted"])
def test_put_clears_omitted_optional_attributes(factory: Factory, client: ScimClient) -> None:
    """PUT without an optional attribute clears it (or defaults it) instead of keeping the old value.

    RFC 7644 §3.5.1: omitted readWrite attributes "MAY be assumed to be not asserted by the
    client. The service provider MAY assume that any existing values are to be cleared, or ...
    MAY assign a default value". The RFC words are MAY, so keeping the old value (merging, as
    PATCH would) is reported at that level.
    """
    body = factory.user_body(title="Engineer")
    path = user_path(created_id(factory.user(**body)))
    expect_status(client.put(path, {k: v for k, v in body.items() if k != "title"}), 200, 204)
    again = expect_status(client.get(path), 200)
    expect(again.body.get("title") != "Engineer", "title no longer 'Engineer' after a PUT without it",
           again.body, again)


@pytest.mark.check("USR-REPLACE-003", level="MUST", refs=["RFC7644 §3.5.1", "RFC7643 §2.5"],
                   caught_by=["put-keeps-omitted"])
def test_put_null_and_empty_array_clear_values(factory: Factory, client: ScimClient, target: Target) -> None:
    """PUT with "title": null and "phoneNumbers": [] clears both attributes.

    RFC 7644 §3.5.1: "Clients that want to override a server's defaults MAY specify "null" for a
    single-valued attribute, or an empty array "[]" for a multi-valued attribute, to clear all
    values." RFC 7643 §2.5: "Unassigned attributes, the null value, or empty array (in the case
    of a multi-valued attribute) SHALL be considered to be equivalent in "state"." A phone type
    is sent only where the target's schema defines one.
    """
    target.require_attributes("User", "title", "phoneNumbers")
    typed = {"type": "work"} if target.defines("User", "phoneNumbers.type") else {}
    phones = [{"value": "+1-415-555-0100", **typed}]
    body = factory.user_body(title="Engineer", phoneNumbers=phones)
    path = user_path(created_id(factory.user(**body)))
    expect_status(client.put(path, {**body, "title": None, "phoneNumbers": []}), 200, 204)
    again = expect_status(client.get(path), 200)
    expect(again.body.get("title") is None and not again.body.get("phoneNumbers"),
           "no title and no phoneNumbers", again.body, again)


@pytest.mark.check("USR-REPLACE-004", level="MUST", refs=["RFC7644 §3.5.1", "RFC7643 §3.1"],
                   caught_by=["put-rejects-readonly-echo"])
def test_put_ignores_read_only_values(factory: Factory, client: ScimClient) -> None:
    """PUT with made-up meta and groups values succeeds and leaves them as the server had them.

    RFC 7644 §3.5.1: "SCIM clients MAY send all attributes, regardless of each attribute's
    mutability"; readOnly: "Any values provided SHALL be ignored." RFC 7643 §3.1: meta "SHALL
    be ignored when provided by clients."
    """
    body = factory.user_body()
    created = factory.user(**body)
    bogus = {**body, "meta": BOGUS_META, "groups": [{"value": "scimcert-no-such-group", "display": "x"}]}
    path = user_path(created_id(created))
    reply = replaced(client, path, client.put(path, bogus))
    got = expect_object(reply)
    expect_equal(meta_of(got).get("created"), meta_of(created).get("created"), "meta.created", reply)
    groups = got.get("groups")
    groups = groups if isinstance(groups, list) else []
    expect(all(isinstance(g, dict) and g.get("value") != "scimcert-no-such-group" for g in groups),
           "groups not taken from the request", groups, reply)


@pytest.mark.check("USR-REPLACE-005", level="MUST", refs=["RFC7644 §3.5.1"], okta=True,
                   caught_by=["put-rejects-readonly-echo"])
def test_put_accepts_okta_echo_of_get_body(factory: Factory, client: ScimClient) -> None:
    """PUT of the GET body itself (id, meta and all) with one change is accepted (Okta's PUT).

    RFC 7644 §3.5.1: "clients that have previously retrieved the entire resource in advance and
    revised it MAY replace the resource using an HTTP PUT"; readOnly values "SHALL be ignored".
    Okta's profile push echoes the GET body, server-owned id and meta included (okta-scim.md §5.1).
    """
    path = user_path(created_id(factory.user()))
    current = expect_object(expect_status(client.get(path), 200))
    reply = replaced(client, path, client.put(path, _renamed(current, "Echoed")))
    expect_equal(given_name(expect_object(reply)), "Echoed", "name.givenName", reply)


@pytest.mark.check("USR-REPLACE-006", level="SHOULD", refs=["RFC7643 §3.1"], caught_by=["meta-missing"])
def test_put_moves_last_modified_forward(factory: Factory, client: ScimClient) -> None:
    """A PUT that changes the user moves meta.lastModified forward.

    RFC 7643 §3.1: lastModified is "The most recent DateTime that the details of this resource
    were updated at the service provider". The sentence carries no RFC 2119 keyword, hence
    SHOULD. (ETag and meta.version changes are the etag suite's matter.) The PUT changes both
    displayName and name.givenName, so a server that keeps only one of them (mlflow-oidc-auth
    keeps no givenName) still sees a change; USR-REPLACE-001 judges whether givenName was kept.
    """
    body = factory.user_body()
    created = factory.user(**body)
    before = meta_of(created)
    time.sleep(0.02 if has_fraction(before.get("lastModified")) else 1.1)  # let a coarse clock tick
    path = user_path(created_id(created))
    moved = {**_renamed(body, "Moved"), "displayName": f"Moved {body.get('displayName') or ''}".strip()}
    reply = replaced(client, path, client.put(path, moved))
    after = meta_of(expect_object(reply))
    old, new = parse_time(before.get("lastModified")), parse_time(after.get("lastModified"))
    expect(old is not None and new is not None and new > old,
           f"meta.lastModified later than {before.get('lastModified')!r}", after, reply)


@pytest.mark.check("USR-REPLACE-007", level="MUST", refs=["RFC7643 §4.1", "RFC7644 §3.12"],
                   caught_by=["duplicate-username-allowed"])
def test_put_to_a_taken_username_is_refused(factory: Factory, client: ScimClient,
                                            target: Target) -> None:
    """PUT that gives a user another user's userName is refused (409, or 400 "uniqueness").

    RFC 7643 §4.1: userName "MUST be unique across the service provider's entire set of Users".
    RFC 7644 §3.12 lists "uniqueness" for PUT ("One or more of the attribute values are already
    in use or are reserved") and 409 Conflict; either status is accepted here. Where the
    target's /Schemas makes userName immutable (or readOnly), a 400 "mutability" is skipped:
    RFC 7644 §3.5.1 answers a changed immutable value that way, and uniqueness is then never
    reached (as PATCH-ERR-UNIQUE-001 skips).
    """
    taken = factory.user_body()
    factory.user(**taken)
    body = factory.user_body()
    path = user_path(created_id(factory.user(**body)))
    reply = expect_status(client.put(path, {**body, "userName": taken["userName"]}), 409, 400)
    rs = target.resource_schema("User")
    found = rs.resolve(None, "userName") if rs else None
    fixed = found.leaf.mutability if found is not None else None
    if fixed in ("immutable", "readOnly") and reply.status == 400 and scim_type(reply) == "mutability":
        pytest.skip(f"the target's User schema declares userName {fixed} and the PUT was refused "
                    "with 400 mutability (RFC 7644 §3.5.1): uniqueness is not reached")
    if scim_type(reply) is not None or reply.status == 400:
        expect_equal(scim_type(reply), "uniqueness", "scimType", reply)
