"""Exact bodies of okta-scim.md §4.2a, §5.1, §6–§9, Profile Editor names, wire encoding."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from simulator.okta import payloads, wire
from simulator.okta.mapping import ExpressionError, app_profile, evaluate, pushed_on_update
from simulator.okta.model import (
    DEFAULT_ATTRIBUTES,
    DEFAULT_MAPPINGS,
    AppAttribute,
    AppUser,
    AttributeMapping,
    OktaUser,
    PushSettings,
    Quirks,
)
from simulator.okta.payloads import Member
from simulator.scim import urns
from tests.okta.support import app, sample_user

ACME = "urn:ietf:params:scim:schemas:extension:acme:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def same(actual: object, expected: object) -> None:
    """Equal including key order (Okta's field order is part of the replay)."""
    assert json.dumps(actual) == json.dumps(expected)


def create_body(app_instance=None, user=None, app_user=None, password="1mz050nq"):
    inst = app_instance or app()
    person = user or sample_user()
    profile = app_profile(inst, person, app_user)
    return payloads.create_user_body(inst, profile, external_id=person.id, password=password)


def test_create_body_is_okta_sample_4_2a():
    same(
        create_body(),
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "test.user@okta.local",
            "name": {"givenName": "Test", "familyName": "User"},
            "emails": [{"primary": True, "value": "test.user@okta.local", "type": "work"}],
            "displayName": "Test User",
            "locale": "en-US",
            "externalId": "00ujl29u0le5T6Aj10h7",
            "groups": [],
            "password": "1mz050nq",
            "active": True,
        },
    )


def acme_app():
    attrs = (*DEFAULT_ATTRIBUTES, AppAttribute("costCode", "costCode", ACME))
    maps = {**DEFAULT_MAPPINGS, "costCode": AttributeMapping("user.costCode")}
    return app(attributes=attrs, mappings=maps)


def test_combined_enterprise_and_custom_example_9():
    user = OktaUser(
        "00u18ep2sjmnGT1wk698",
        {
            "login": "ava.nguyen@example.com",
            "firstName": "Ava",
            "lastName": "Nguyen",
            "email": "ava.nguyen@example.com",
            "title": "Sales Manager",
            "locale": "en-US",
            "department": "Sales",
            "employeeNumber": "1042",
            "managerId": "9f1c…",
            "manager": "Helen Cho",
            "costCode": "CC-77",
        },
    )
    same(
        create_body(acme_app(), user, password="q8Zr4mPa"),
        {
            "schemas": [
                "urn:ietf:params:scim:schemas:core:2.0:User",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                "urn:ietf:params:scim:schemas:extension:acme:2.0:User",
            ],
            "userName": "ava.nguyen@example.com",
            "name": {"givenName": "Ava", "familyName": "Nguyen"},
            "emails": [{"primary": True, "value": "ava.nguyen@example.com", "type": "work"}],
            "title": "Sales Manager",
            "displayName": "Ava Nguyen",
            "locale": "en-US",
            "externalId": "00u18ep2sjmnGT1wk698",
            "groups": [],
            "password": "q8Zr4mPa",
            "active": True,
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
                "department": "Sales",
                "employeeNumber": "1042",
                "manager": {"value": "9f1c…", "displayName": "Helen Cho"},
            },
            "urn:ietf:params:scim:schemas:extension:acme:2.0:User": {"costCode": "CC-77"},
        },
    )


def test_custom_urn_kept_out_of_schemas_when_configured():
    inst = replace(acme_app(), quirks=Quirks(list_custom_urns_in_schemas=False))
    body = create_body(inst, sample_user(costCode="X", department="R&D"))
    assert body["schemas"] == [urns.CORE_USER, urns.ENTERPRISE_USER]
    assert body[ACME] == {"costCode": "X"}


def test_attribute_without_namespace_is_not_sent():
    attrs = (*DEFAULT_ATTRIBUTES, AppAttribute("legacy", "legacyCode", None))
    inst = app(attributes=attrs, mappings={**DEFAULT_MAPPINGS, "legacy": AttributeMapping("user.legacy")})
    body = create_body(inst, sample_user(legacy="L-1"))
    assert "legacyCode" not in json.dumps(body)
    assert "L-1" not in json.dumps(body)


def test_primary_and_secondary_phone_numbers():
    body = create_body(user=sample_user(primaryPhone="415.123.4567", mobilePhone="415.000.1111"))
    assert body["phoneNumbers"] == [
        {"primary": True, "value": "415.123.4567"},
        {"primary": False, "value": "415.000.1111"},
    ]


def test_no_email_means_no_emails_element():
    assert "emails" not in create_body(user=sample_user(email=None))


def test_roles_selector_with_quoted_value():
    doc: dict = {}
    payloads.set_external(doc, "roles.^[primary==true].value", "admin")
    payloads.set_external(doc, "addresses.^[type=='work'].locality", "Paris")
    payloads.set_external(doc, 'addresses.^[type=="work"].country', "FR")
    assert doc == {
        "roles": [{"primary": True, "value": "admin"}],
        "addresses": [{"type": "work", "locality": "Paris", "country": "FR"}],
    }


@pytest.mark.parametrize("bad", ["", "emails.^[primary==true]", "a..b", "^[primary==true].value"])
def test_unreadable_external_names_are_rejected(bad):
    with pytest.raises(ValueError):
        payloads.parse_external_name(bad)


# §5.1: the 2018 capture's GET body; Okta PUTs it back with its attributes overwritten.
GET_BODY = {
    "id": "23a35c27-23d3-4c03-b4c5-6443c09e7173",
    "externalId": "00uq2kqg7YTkFo3cY0g3",
    "meta": {"resourceType": "User", "created": "2018-03-27T19:59:26.000Z", "version": "v1.0"},
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    "userName": "jane.doe@example.com",
    "displayName": "Jane Doe",
    "locale": "en_US",
    "active": True,
    "emails": [
        {"value": "jane.doe@example.com", "type": "work", "primary": True},
        {"value": "jd@home.example", "type": "home", "primary": False},
    ],
    "name": {"familyName": "Doe", "givenName": "Jane", "formatted": "Jane Doe"},
    "groups": [],
    "x-unknown": {"kept": 1},
}


def jane(**changes):
    profile = {
        "login": "jane.doe@example.com",
        "firstName": "Jane",
        "lastName": "Doe",
        "email": "jane.doe@example.com",
        "locale": "en_US",
    }
    return OktaUser("00uq2kqg7YTkFo3cY0g3", {**profile, **changes})


def merged(user, inst=None, **kw):
    inst = inst or app()
    profile = app_profile(inst, user, None)
    return payloads.merged_user_body(inst, GET_BODY, profile, pushed=pushed_on_update(inst, None), **kw)


def test_put_echoes_get_body_with_changes_5_1():
    expected = json.loads(json.dumps(GET_BODY))
    expected["displayName"] = "Janet Doe"
    expected["name"]["givenName"] = "Janet"
    expected["emails"][0]["value"] = "janet@example.com"
    same(merged(jane(firstName="Janet", email="janet@example.com")), expected)


def test_put_leaves_active_alone_and_adds_password_only_when_given():
    body = merged(jane())
    assert body == GET_BODY
    assert merged(jane(), password="TkdFNVdIVkxhM2c9")["password"] == "TkdFNVdIVkxhM2c9"
    assert merged(jane(), active=False)["active"] is False


def test_put_adds_extension_under_urn_and_lists_it():
    body = merged(jane(department="Sales"))
    assert body["schemas"] == [urns.CORE_USER, urns.ENTERPRISE_USER]
    assert body[urns.ENTERPRISE_USER] == {"department": "Sales"}
    assert list(body)[-1] == urns.ENTERPRISE_USER


@pytest.mark.parametrize(("mode", "value"), [("empty", ""), ("null", None)])
def test_cleared_attribute_on_put(mode, value):
    inst = app(quirks=Quirks(cleared_value=mode))
    body = merged(jane(locale=None), inst)
    assert body["locale"] == value


def test_cleared_attribute_omitted_and_never_invented():
    assert merged(jane(locale=None), app(quirks=Quirks(cleared_value="omit")))["locale"] == "en_US"
    assert "title" not in merged(jane(title=None))


def test_create_only_mapping_is_not_pushed_on_update():
    maps = {**DEFAULT_MAPPINGS, "locale": AttributeMapping("user.locale", push=False)}
    inst = app(mappings=maps)
    assert merged(jane(locale="fr_FR"), inst)["locale"] == "en_US"
    assert create_body(inst, sample_user(locale="fr_FR"))["locale"] == "fr_FR"


def test_assignment_profile_overrides_mapping():
    app_user = AppUser("00u1", profile={"title": "Boss"}, user_name="custom@x")
    body = create_body(user=sample_user(title="Worker"), app_user=app_user)
    assert body["title"] == "Boss"
    assert body["userName"] == "custom@x"


def test_deactivate_and_reactivate_patch_6():
    same(
        payloads.active_patch(False),
        {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": False}}]},
    )
    same(
        payloads.active_patch(True),
        {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": True}}]},
    )


def test_password_patch_7():
    same(
        payloads.password_patch("N3wP@ssw0rd"),
        {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"password": "N3wP@ssw0rd"}}]},
    )


def test_group_create_body_8_1():
    same(
        payloads.group_create_body("Test SCIMv2"),
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": "Test SCIMv2",
            "members": [],
        },
    )


def test_membership_patch_example_8_3():
    bodies = payloads.membership_patches(
        [Member("23a35c27-23d3-4c03-b4c5-6443c09e7173", "test.user@okta.local")],
        ["89bb1940-b905-4575-9e7f-6f887cfb368e"],
        100,
    )
    same(
        bodies,
        [
            {
                "schemas": [PATCH],
                "Operations": [
                    {"op": "remove", "path": 'members[value eq "89bb1940-b905-4575-9e7f-6f887cfb368e"]'},
                    {
                        "op": "add",
                        "path": "members",
                        "value": [
                            {
                                "value": "23a35c27-23d3-4c03-b4c5-6443c09e7173",
                                "display": "test.user@okta.local",
                            }
                        ],
                    },
                ],
            }
        ],
    )


def test_one_remove_op_per_member():
    (body,) = payloads.membership_patches([], ["a", "b", "c"], 100)
    assert body["Operations"] == [
        {"op": "remove", "path": 'members[value eq "a"]'},
        {"op": "remove", "path": 'members[value eq "b"]'},
        {"op": "remove", "path": 'members[value eq "c"]'},
    ]


def test_batches_mix_removes_then_adds():
    adds = [Member(f"u{i}", f"u{i}@x") for i in range(150)]
    first, second, third = payloads.membership_patches(adds, [f"r{i}" for i in range(60)], 100)
    assert [op["op"] for op in first["Operations"]] == ["remove"] * 60 + ["add"]
    assert len(first["Operations"][-1]["value"]) == 40
    assert [len(b["Operations"][0]["value"]) for b in (second, third)] == [100, 10]


def test_push_now_replace_and_empty_8_3():
    same(
        payloads.replace_members_patch([Member("id1", "a@x")]),
        {
            "schemas": [PATCH],
            "Operations": [
                {"op": "replace", "path": "members", "value": [{"value": "id1", "display": "a@x"}]}
            ],
        },
    )
    same(
        payloads.replace_members_patch([]),
        {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "members", "value": []}]},
    )


def test_rename_patch_8_4():
    same(
        payloads.rename_patch("g-1", "New Name"),
        {
            "schemas": [PATCH],
            "Operations": [{"op": "replace", "value": {"id": "g-1", "displayName": "New Name"}}],
        },
    )


@pytest.mark.parametrize(("mode", "display"), [("userName", "a@x"), ("null", None)])
def test_aiw_group_put_body(mode, display):
    same(
        payloads.group_put_body("g-1", "Team", [Member("id1", "a@x")], Quirks(aiw_member_display=mode)),
        {
            "schemas": [urns.CORE_GROUP],
            "id": "g-1",
            "displayName": "Team",
            "members": [{"value": "id1", "display": display}],
        },
    )


def test_expressions():
    profile = {"email": "a@x", "firstName": "A", "lastName": "B"}
    email_type = DEFAULT_MAPPINGS["emailType"].expression
    assert evaluate(email_type, profile) == "work"
    assert evaluate(email_type, {"email": ""}) == ""
    assert evaluate(email_type, {}) == ""
    assert evaluate('user.firstName + " " + user.lastName', profile) == "A B"
    assert evaluate('user.firstName + " " + user.middleName', profile) is None
    assert evaluate("'lit'", {}) == "lit"
    assert evaluate("42", {}) == 42 and evaluate("-1.5", {}) == -1.5  # typed custom attributes
    assert evaluate("user.x == null || user.x == 'y'", {"x": "y"}) is True


@pytest.mark.parametrize("bad", ["String.len(user.x)", "user.a.b", "user.x +", "(user.x", "user.x ? 'a'"])
def test_unsupported_expressions(bad):
    with pytest.raises(ExpressionError):
        evaluate(bad, {})


def test_batch_size_bounds():
    assert PushSettings(batch_size=1000).batch_size == 1000
    for bad in (99, 1001):
        with pytest.raises(ValueError, match="100 to 1000"):
            PushSettings(batch_size=bad)


def test_query_encoding_1_3():
    assert wire.lookup_query("userName", "test.user@okta.local") == (
        "filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100"
    )
    assert wire.lookup_query("userName", "jane.doe@example.com", "+") == (
        "filter=userName+eq+%22jane.doe%40example.com%22&startIndex=1&count=100"
    )
    assert wire.lookup_query("displayName", 'Say "hi"') == (
        "filter=displayName%20eq%20%22Say%20%5C%22hi%5C%22%22&startIndex=1&count=100"
    )
    assert wire.page_query(101, 100) == "startIndex=101&count=100"


def test_headers_and_auth_1_1():
    assert wire.okta_headers(wire.BearerAuth("abc"), with_body=True) == (
        ("Accept", "application/scim+json"),
        ("Accept-Charset", "utf-8"),
        ("Content-Type", "application/scim+json; charset=utf-8"),
        ("User-Agent", "Okta SCIM Client 1.0.0"),
        ("Authorization", "Bearer abc"),
        ("Accept-Encoding", "gzip,deflate"),
    )
    get = dict(wire.okta_headers(wire.BasicAuth("Aladdin", "open sesame"), with_body=False))
    assert "Content-Type" not in get
    assert get["Authorization"] == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
    header = wire.HeaderAuth("xyz", name="X-Api-Key", template="Token {token}")
    assert dict(wire.okta_headers(header, False))["X-Api-Key"] == "Token xyz"
    for auth in (wire.BearerAuth("a"), wire.BasicAuth("u", "p"), header):
        assert wire.auth_from_json(auth.to_json()) == auth


def test_redaction_hides_token_and_passwords():
    req = wire.ScimRequest(
        "s", "POST", "https://x", "/Users", headers=(("Authorization", "Bearer t"),),
        body={"password": "p", "Operations": [{"value": {"password": "q"}}]},
    )  # fmt: skip
    shown = req.redacted()
    assert shown.header("Authorization") == wire.REDACTED
    r = wire.REDACTED
    assert shown.body == {"password": r, "Operations": [{"value": {"password": r}}]}
    assert req.body["password"] == "p"
