"""PATCH /Users/{id} (RFC 7644 §3.5.2): paths, add without a path, order, atomicity, responses
(the bodies Okta and Microsoft Entra send: test_idp_bodies.py)."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.scim import urns
from simulator.scim.paths import user_path
from suites.client import ScimClient
from suites.expect import expect, expect_equal, expect_object, expect_status
from suites.factory import Factory
from suites.patch.ops import email_pairs, patch_body, patch_ok, read_back
from suites.target import Target

RFC = "RFC7644 §3.5.2"


@pytest.mark.check("PATCH-USR-REPLACE-001", level="MUST", refs=["RFC7644 §3.5.2.3"])
def test_replace_simple_attribute(target: Target, client: ScimClient, factory: Factory) -> None:
    """replace with a simple path ("title") changes that attribute.

    RFC 7644 §3.5.2.3: "If the target location is a single-value attribute, the attributes
    value is replaced."
    """
    target.require("patch")
    target.require_attributes("User", "title")
    path = user_path(factory.user(title="Engineer")["id"])
    patch_ok(client, path, {"op": "replace", "path": "title", "value": "Staff Engineer"})
    reply, user = read_back(client, path)
    expect_equal(user.get("title"), "Staff Engineer", "title after the PATCH", reply)


@pytest.mark.check("PATCH-USR-REPLACE-002", level="MUST",
                   refs=["RFC7644 §3.5.2.3", "RFC7644 §3.10"])
def test_replace_sub_attribute(target: Target, client: ScimClient, factory: Factory) -> None:
    """replace with a sub-attribute path ("name.familyName") changes only that sub-attribute.

    RFC 7644 §3.5.2: "The "path" attribute value is a String containing an attribute path
    describing the target of the operation" (e.g. "name.familyName", Figure 8). Skipped where
    /Schemas defines no name.familyName or name.givenName.
    """
    target.require("patch")
    target.require_attributes("User", "name.familyName", "name.givenName")
    user = factory.user()
    path = user_path(user["id"])
    patch_ok(client, path, {"op": "replace", "path": "name.familyName", "value": "Okonkwo-Smith"})
    reply, got = read_back(client, path)
    name = got.get("name") or {}
    expect_equal(name.get("familyName"), "Okonkwo-Smith", "name.familyName after the PATCH", reply)
    expect_equal(name.get("givenName"), _given_name(user), "name.givenName (not patched)", reply)


@pytest.mark.check("PATCH-USR-REPLACE-003", level="MUST", refs=["RFC7644 §3.5.2.3"])
def test_replace_complex_keeps_other_sub_attributes(target: Target, client: ScimClient,
                                                    factory: Factory) -> None:
    """replace of a complex attribute ("name") leaves the sub-attributes it does not name.

    RFC 7644 §3.5.2.3: "If the target location specifies a complex attribute, a set of
    sub-attributes SHALL be specified in the "value" parameter, which replaces any existing
    values or adds where an attribute did not previously exist. Sub-attributes that are not
    specified in the "value" parameter are left unchanged." Skipped where /Schemas defines no
    name.familyName or name.givenName.
    """
    target.require("patch")
    target.require_attributes("User", "name.familyName", "name.givenName")
    user = factory.user()
    path = user_path(user["id"])
    patch_ok(client, path, {"op": "replace", "path": "name", "value": {"familyName": "Lindqvist"}})
    reply, got = read_back(client, path)
    name = got.get("name") or {}
    expect_equal(name.get("familyName"), "Lindqvist", "name.familyName after the PATCH", reply)
    expect_equal(name.get("givenName"), _given_name(user), "name.givenName (not named)", reply)


def _given_name(user: dict[str, Any]) -> Any:
    """The givenName the target kept when it created the user (None when it kept none: RFC 7644
    §3.3 lets it "ignore POSTed content", and a PATCH of familyName must not make one up)."""
    name = user.get("name")
    return name.get("givenName") if isinstance(name, dict) else None


@pytest.mark.check("PATCH-USR-ADD-001", level="MUST", refs=["RFC7644 §3.5.2.1"])
def test_add_to_multi_valued_appends(target: Target, client: ScimClient, factory: Factory) -> None:
    """add to "emails" appends the new value and keeps the existing one.

    RFC 7644 §3.5.2.1: "If the target location specifies a multi-valued attribute, a new value
    is added to the attribute." Where the target's User schema in /Schemas defines no
    emails.type, the addresses alone are judged; where it defines no emails at all (they are
    optional, RFC 7643 §4.1.2), the check is skipped.
    """
    target.require("patch")
    target.require_attributes("User", "emails.value")
    typed = target.defines("User", "emails.type")
    user = factory.user()
    path = user_path(user["id"])
    home = f"home.{user['userName']}"
    value = [{"value": home, "type": "home"}] if typed else [{"value": home}]
    patch_ok(client, path, {"op": "add", "path": "emails", "value": value})
    reply, got = read_back(client, path)
    wanted: list[tuple[Any, Any]] = [("work", user["userName"]), ("home", home)]
    found = email_pairs(got)
    if not typed:  # the addresses alone
        wanted, found = [(None, v) for _, v in wanted], [(None, v) for _, v in found]
    wanted, found = sorted(wanted, key=repr), sorted(found, key=repr)
    expect(found == wanted, f"emails (type, value) {wanted}", got.get("emails"), reply)


@pytest.mark.check("PATCH-USR-FILTER-001", level="MUST", refs=["RFC7644 §3.5.2.3"],
                   caught_by=["member-filter-path-unsupported"])
def test_replace_through_value_filter(target: Target, client: ScimClient, factory: Factory) -> None:
    """replace of 'emails[type eq "work"].value' changes the work address only (Entra's update).

    RFC 7644 §3.5.2.3: "If the target location is a complex multi-valued attribute with a value
    selection filter ("valuePath") and a specific sub-attribute (e.g., "addresses[type eq
    "work"].streetAddress"), the matching sub-attribute of all matching records is replaced."
    """
    target.require("patch")
    target.require_attributes("User", "emails.type")  # the filter's attribute: where /Schemas defines it
    name = factory.user_name()
    user = factory.user(userName=name, emails=[{"value": name, "type": "work", "primary": True},
                                               {"value": f"home.{name}", "type": "home"}])
    path = user_path(user["id"])
    patch_ok(client, path, {"op": "replace", "path": 'emails[type eq "work"].value',
                            "value": f"new.{name}"})
    reply, got = read_back(client, path)
    wanted = sorted([("work", f"new.{name}"), ("home", f"home.{name}")], key=repr)
    expect(email_pairs(got) == wanted, f"emails (type, value) {wanted}", got.get("emails"), reply)


@pytest.mark.check("PATCH-USR-PRIMARY-001", level="MUST", refs=["RFC7644 §3.5.2", "RFC7643 §2.4"],
                   caught_by=["primary-not-settled"])
def test_a_new_primary_clears_the_old_one(target: Target, client: ScimClient, factory: Factory) -> None:
    """add of an email with "primary": true leaves it the user's only primary email.

    RFC 7644 §3.5.2: "For multi-valued attributes, a PATCH operation that sets a value's
    "primary" sub-attribute to "true" SHALL cause the server to automatically set "primary" to
    "false" for any other values in the array."; RFC 7643 §2.4: "The primary attribute value
    "true" MUST appear no more than once." The user starts with a primary work email. A target
    that does not keep the added email (one email per user) is skipped: PATCH-USR-ADD-001 judges
    adds.
    """
    target.require("patch")
    target.require_attributes("User", "emails.primary")
    name = factory.user_name()
    work = [{"value": name, "type": "work", "primary": True}]
    path = user_path(factory.user(userName=name, emails=work)["id"])
    added = f"home.{name}"
    patch_ok(client, path, {"op": "add", "path": "emails",
                            "value": [{"value": added, "type": "home", "primary": True}]})
    reply, user = read_back(client, path)
    emails = [e for e in user.get("emails") or [] if isinstance(e, dict)]
    if not any(str(e.get("value")).casefold() == added.casefold() for e in emails):
        pytest.skip(f"the target did not keep the added email (emails {emails})")
    primaries = [str(e.get("value")) for e in emails if e.get("primary") is True]
    expect([p.casefold() for p in primaries] == [added.casefold()], f"{added!r} the only primary email",
           f"primary emails {primaries}", reply)


REMOVABLE = ("nickName", "title", "displayName", "externalId")  # optional single-valued strings


@pytest.mark.check("PATCH-USR-REMOVE-001", level="MUST", refs=["RFC7644 §3.5.2.2"])
def test_remove_single_valued(target: Target, client: ScimClient, factory: Factory) -> None:
    """remove with a simple path ("nickName", else "title") unassigns the attribute.

    RFC 7644 §3.5.2.2: "If the target location is a single-value attribute, the attribute and its
    associated value is removed, and the attribute SHALL be considered unassigned." The path is
    the first of nickName, title, displayName and externalId that the target's User schema in
    /Schemas defines as writable and not required (all four are optional in RFC 7643 §4.1).
    """
    target.require("patch")
    name = next((a for a in REMOVABLE if target.defines("User", a) and target.clearable("User", a)), None)
    if name is None:
        pytest.skip(f"the target's User schema in /Schemas defines none of {', '.join(REMOVABLE)} "
                    "as writable and not required")
    path = user_path(factory.user(**{name: "Babs"})["id"])
    patch_ok(client, path, {"op": "remove", "path": name})
    reply, user = read_back(client, path)
    expect_equal(user.get(name), None, f"{name} after the remove", reply)


@pytest.mark.check("PATCH-USR-NOPATH-003", level="MUST", refs=["RFC7644 §3.5.2.1"],
                   caught_by=["patch-requires-path"])
def test_add_without_path(target: Target, client: ScimClient, factory: Factory) -> None:
    """add without a path adds the attributes of its value object.

    RFC 7644 §3.5.2.1: "If omitted, the target location is assumed to be the resource itself.
    The "value" parameter contains a set of attributes to be added to the resource."
    """
    target.require("patch")
    target.require_attributes("User", "nickName", "userType")
    path = user_path(factory.user()["id"])
    patch_ok(client, path, {"op": "add", "value": {"nickName": "Sunny", "userType": "Employee"}})
    reply, user = read_back(client, path)
    expect_equal([user.get("nickName"), user.get("userType")], ["Sunny", "Employee"],
                 "[nickName, userType] after the PATCH", reply)


@pytest.mark.check("PATCH-USR-ORDER-001", level="MUST", refs=[RFC])
def test_operations_apply_in_order(target: Target, client: ScimClient, factory: Factory) -> None:
    """Several operations in one request are all applied, in the order given.

    RFC 7644 §3.5.2: "Operations are applied sequentially in the order they appear in the array.
    Each operation in the sequence is applied to the target resource; the resulting resource
    becomes the target of the next operation."
    """
    target.require("patch")
    target.require_attributes("User", "title", "nickName")
    path = user_path(factory.user(title="Analyst")["id"])
    patch_ok(client, path, {"op": "remove", "path": "title"},
             {"op": "add", "path": "title", "value": "Principal Analyst"},
             {"op": "replace", "path": "nickName", "value": "Ace"})
    reply, user = read_back(client, path)
    expect_equal([user.get("title"), user.get("nickName")], ["Principal Analyst", "Ace"],
                 "[title, nickName] after remove title, add title, replace nickName", reply)


@pytest.mark.check("PATCH-USR-ATOMIC-001", level="MUST", refs=[RFC], caught_by=["patch-not-atomic"])
def test_failed_request_changes_nothing(target: Target, client: ScimClient,
                                        factory: Factory) -> None:
    """A request whose second operation is invalid fails and leaves the resource unchanged.

    RFC 7644 §3.5.2: "A PATCH request, regardless of the number of operations, SHALL be treated
    as atomic. If a single operation encounters an error condition, the original SCIM resource
    MUST be restored, and a failure status SHALL be returned." The original is what the server
    showed before the request (a server that dropped the title at creation has none to restore).
    """
    target.require("patch")
    path = user_path(factory.user(title="Designer")["id"])
    original = read_back(client, path)[1].get("title")
    # The second op is a remove without a path, which §3.5.2.2 says fails with 400 noTarget.
    reply = client.patch(path, patch_body({"op": "replace", "path": "title", "value": "Changed"},
                                          {"op": "remove"}))
    expect(reply.status is not None and reply.status >= 400,
           "a failure status for the request", f"HTTP {reply.status}", reply)
    after, user = read_back(client, path)
    expect_equal(user.get("title"), original, "title after the failed request", after)


@pytest.mark.check("PATCH-USR-EXT-001", level="MUST", refs=["RFC7644 §3.10", "RFC7644 §3.5.2.3"],
                   caught_by=["drops-extension"])
def test_replace_extension_attribute(target: Target, client: ScimClient, factory: Factory) -> None:
    """replace with a URN-qualified path sets an enterprise extension attribute.

    RFC 7644 §3.10: "Clients MAY omit core schema attribute URN prefixes but SHOULD fully
    qualify extended attributes with the associated schema extension URN to avoid naming
    conflicts." Entra updates employeeNumber this way. Skipped without the extension.
    """
    target.require("patch")
    schema = target.resource_schema("User")
    if schema is None or schema.extension(urns.ENTERPRISE_USER) is None:
        pytest.skip("the target does not advertise the enterprise User extension")
    path = user_path(factory.user()["id"])
    patch_ok(client, path, {"op": "replace", "path": f"{urns.ENTERPRISE_USER}:employeeNumber",
                            "value": "E-7041"})
    reply, user = read_back(client, path)
    ext = user.get(urns.ENTERPRISE_USER) or {}
    expect_equal(ext.get("employeeNumber"), "E-7041", "employeeNumber after the PATCH", reply)


@pytest.mark.check("PATCH-USR-RESPONSE-001", level="MUST", refs=[RFC])
def test_success_response(target: Target, client: ScimClient, factory: Factory) -> None:
    """A successful PATCH answers 204, or 200 with the whole resource, change applied.

    RFC 7644 §3.5.2: "On successful completion, the server either MUST return a 200 OK response
    code and the entire resource within the response body ... or MAY return HTTP status code
    204 (No Content) and the appropriate response headers for a successful PATCH request."
    """
    target.require("patch")
    target.require_attributes("User", "title")
    user = factory.user()
    reply = patch_ok(client, user_path(user["id"]),
                     {"op": "replace", "path": "title", "value": "CFO"})
    if reply.status == 200:
        body = expect_object(reply)
        got = [body.get("id"), body.get("userName"), body.get("title")]
        expect_equal(got, [user["id"], user["userName"], "CFO"], "[id, userName, title]", reply)


@pytest.mark.check("PATCH-USR-ATTRS-001", level="MUST", refs=[RFC, "RFC7644 §3.9"])
def test_attributes_parameter_forces_200(target: Target, client: ScimClient,
                                         factory: Factory) -> None:
    """PATCH with ?attributes=… answers 200 with a body, never 204 (projection: PROJ-WRITE-003).

    RFC 7644 §3.5.2: "The server MUST return a 200 OK if the "attributes" parameter is
    specified in the request."
    """
    target.require("patch")
    target.require_attributes("User", "title")
    path = user_path(factory.user()["id"])
    reply = client.patch(path, patch_body({"op": "replace", "path": "title", "value": "COO"}),
                         params={"attributes": "userName"})
    body = expect_object(expect_status(reply, 200))
    expect("id" in body, "the patched user (with its id) in the body", sorted(body), reply)
