"""PATCH /Users/{id} as identity providers send it (RFC 7644 §3.5.2): Okta's no-path value
objects for deactivate, reactivate and password push, and Microsoft Entra's capitalised op names
and string booleans."""

from __future__ import annotations

import pytest

from simulator.scim.paths import user_path
from suites.client import ScimClient
from suites.expect import expect, expect_equal, expect_status, value_at
from suites.factory import Factory
from suites.patch.ops import PATCH_OK, patch_body, patch_ok, precondition, read_back
from suites.target import Target

RFC = "RFC7644 §3.5.2"


@pytest.mark.check("PATCH-USR-NOPATH-001", level="MUST", refs=["RFC7644 §3.5.2.3"], okta=True,
                   caught_by=["patch-requires-path", "deactivate-deletes"])
def test_okta_deactivate(target: Target, client: ScimClient, factory: Factory) -> None:
    """Okta's deactivate {"op":"replace","value":{"active":false}} makes the user inactive.

    RFC 7644 §3.5.2.3: "If the "path" parameter is omitted, the target is assumed to be the
    resource itself. In this case, the "value" attribute SHALL contain a list of one or more
    attributes that are to be replaced." Okta sends exactly this body on unassignment.
    """
    target.require("patch")
    path = user_path(factory.user()["id"])
    patch_ok(client, path, {"op": "replace", "value": {"active": False}})
    reply, user = read_back(client, path)
    expect_equal(user.get("active"), False, "active after Okta's deactivate", reply)


@pytest.mark.check("PATCH-USR-NOPATH-002", level="MUST", refs=["RFC7644 §3.5.2.3"], okta=True,
                   caught_by=["patch-requires-path", "deactivate-deletes"])
def test_okta_reactivate(target: Target, client: ScimClient, factory: Factory) -> None:
    """Okta's reactivate {"op":"replace","value":{"active":true}} sets a deactivated user active.

    RFC 7644 §3.5.2.3: "If the "path" parameter is omitted, the target is assumed to be the
    resource itself." Okta reactivates a re-assigned user with this body.
    """
    target.require("patch")
    path = user_path(factory.user()["id"])
    off = client.patch(path, patch_body({"op": "replace", "path": "active", "value": False}))
    precondition(off, "PATCH active=false deactivates the user", 200, 204)
    patch_ok(client, path, {"op": "replace", "value": {"active": True}})
    reply, user = read_back(client, path)
    expect_equal(user.get("active"), True, "active after Okta's reactivate", reply)


@pytest.mark.check("PATCH-USR-PASSWORD-001", level="MUST",
                   refs=["RFC7643 §4.1.1", "RFC7644 §3.5.2.3"], okta=True,
                   caught_by=["patch-requires-path", "password-returned"])
def test_okta_password_push(target: Target, client: ScimClient, factory: Factory) -> None:
    """Okta's password push {"op":"replace","value":{"password":…}} is accepted and never echoed.

    RFC 7643 §4.1.1: "The cleartext value or the hashed value of a password SHALL NOT be
    returnable by a service provider." Okta's body is inferred (okta-scim.md §7): the same
    no-path value object as its deactivate. Runs only when changePassword.supported is true.
    """
    target.require("patch")
    target.require("changePassword")
    path = user_path(factory.user()["id"])
    secret = factory.faker.password(length=16)
    reply = patch_ok(client, path, {"op": "replace", "value": {"password": secret}})
    for what, (shown, body) in (("the PATCH response", (reply, reply.body)),
                                ("a GET", read_back(client, path))):
        expect("password" not in body and secret not in str(body),
               f"no password in {what}", f"password returned: {body.get('password')!r}", shown)


@pytest.mark.check("PATCH-USR-OPCASE-001", level="MAY", refs=[RFC],
                   caught_by=["patch-op-case-sensitive"])
def test_op_names_any_case(target: Target, client: ScimClient, factory: Factory) -> None:
    """An op written "Replace" (as Microsoft Entra sends it) is accepted like "replace".

    RFC 7644 §3.5.2: each operation has an "op" member "whose value indicates the operation to
    perform and MAY be one of "add", "remove", or "replace"" — the RFC names the values but says
    nothing of case (only filter operators are "case insensitive", §3.4.2.2), so a server that
    matches them exactly breaks no RFC sentence, hence MAY; Entra capitalises them.
    """
    target.require("patch")
    target.require_attributes("User", "title")
    path = user_path(factory.user(title="Buyer")["id"])
    op = {"op": "Replace", "path": "title", "value": "Senior Buyer"}
    reply = client.patch(path, patch_body(op))
    if reply.status not in PATCH_OK:  # the op's case, or any replace of title? A control tells.
        precondition(client.patch(path, patch_body({**op, "op": "replace"})),
                     "op 'replace' of title succeeds, as a control (PATCH-USR-REPLACE-001 judges it)",
                     *PATCH_OK)
        expect_status(reply, *PATCH_OK)
    after, user = read_back(client, path)
    expect_equal(user.get("title"), "Senior Buyer", "title after op 'Replace'", after)


@pytest.mark.check("PATCH-USR-PATHCASE-001", level="SHOULD", refs=["RFC7643 §2.1", "RFC7644 §3.10", RFC],
                   caught_by=["core-path-case-sensitive"],
                   evidence={"core-path-case-sensitive": r"(?m)^PATCH \S+ -> 400$"})
def test_path_names_any_case(target: Target, client: ScimClient, factory: Factory) -> None:
    """A PATCH path written "NAME.FAMILYNAME" changes name.familyName as "name.familyName" does.

    RFC 7643 §2.1: "Attribute names are case insensitive and are often "camel-cased" (e.g.,
    "camelCase")." No requirement keyword, hence SHOULD (EXT-CASE-001/002 judge extension names
    alike); RFC 7644 §3.10 builds a PATCH path of those names. Where the replace is refused or
    not kept, the same replace spelt "name.familyName" tells the path's case from a target that
    refuses or keeps no replaced familyName at all (PATCH-USR-REPLACE-002 judges that, and this
    check skips).
    """
    target.require("patch")
    target.require_attributes("User", "name.familyName")
    path = user_path(factory.user()["id"])
    op = {"op": "replace", "path": "NAME.FAMILYNAME", "value": "Okafor"}
    reply = client.patch(path, patch_body(op))
    after, kept = None, None
    if reply.status in PATCH_OK:
        after, user = read_back(client, path)
        kept = value_at(user, "name.familyName")
        if kept == "Okafor":
            return
    control = client.patch(path, patch_body({**op, "path": "name.familyName", "value": "Adeyemi"}))
    if control.status not in PATCH_OK or value_at(read_back(client, path)[1], "name.familyName") != "Adeyemi":
        pytest.skip(f"a replace of name.familyName is not kept either (the control answered "
                    f"{control.status}), whatever the path's case: PATCH-USR-REPLACE-002 judges that")
    if after is None:
        expect_status(reply, *PATCH_OK)
    else:
        expect_equal(kept, "Okafor", 'name.familyName after a replace of "NAME.FAMILYNAME"', after)


@pytest.mark.check("PATCH-USR-ENTRA-001", level="MAY", refs=[RFC, "RFC7643 §2.3.2"],
                   caught_by=["patch-op-case-sensitive", "deactivate-deletes"])
def test_entra_disable(target: Target, client: ScimClient, factory: Factory) -> None:
    """Entra's disable {"op":"Replace","path":"active","value":"False"} deactivates the user.

    RFC 7643 §2.3.2 booleans are JSON true/false, so the string "False" is not valid SCIM; but
    Microsoft Entra sends it by default (okta-scim.md §12), and tolerating it is a MAY.
    """
    target.require("patch")
    path = user_path(factory.user()["id"])
    patch_ok(client, path, {"op": "Replace", "path": "active", "value": "False"})
    reply, user = read_back(client, path)
    expect_equal(user.get("active"), False, "active after Entra's disable", reply)
