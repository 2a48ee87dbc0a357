"""PATCH engine (RFC 7644 §3.5.2): RFC examples, Okta and Entra request forms, errors."""

from __future__ import annotations

import copy
from types import MappingProxyType
from typing import Any

import pytest

from simulator.provider.patch import apply_patch
from simulator.provider.patch_request import PatchError
from simulator.scim import urns
from simulator.scim.schema import AttributeDef, ResourceSchema, SchemaDef

ENT = urns.ENTERPRISE_USER
IVANTI = "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User"
BABS = "2819c223-7f76-453a-919d-413861904646"
MANDY = "902c246b-6245-4190-8e05-00816be7344a"
JOHN = "26118915-6090-4610-87e4-49d8ca9f808d"


def _multi(name: str, *extra: AttributeDef, read_only: bool = False) -> AttributeDef:
    mut = "readOnly" if read_only else "readWrite"
    subs = (
        AttributeDef("value", mutability=mut),
        AttributeDef("display", mutability=mut),
        AttributeDef("type", mutability=mut),
        AttributeDef("primary", type="boolean", mutability=mut),
        *extra,
    )
    return AttributeDef(
        name, type="complex", multi_valued=True, mutability=mut, sub_attributes=subs
    )


def user_schema() -> ResourceSchema:
    """Core User + EnterpriseUser + a vendor extension, shaped like RFC 7643 §4 and §8.7."""
    core = SchemaDef(
        urns.CORE_USER,
        "User",
        "User Account",
        (
            AttributeDef("userName", required=True, uniqueness="server"),
            AttributeDef(
                "name",
                type="complex",
                sub_attributes=tuple(
                    AttributeDef(n) for n in ("formatted", "familyName", "givenName", "middleName")
                ),
            ),
            AttributeDef("displayName"),
            AttributeDef("nickName"),
            AttributeDef("active", type="boolean"),
            AttributeDef("password", mutability="writeOnly", returned="never"),
            _multi("emails"),
            _multi("phoneNumbers"),
            AttributeDef(
                "addresses",
                type="complex",
                multi_valued=True,
                sub_attributes=(
                    *(
                        AttributeDef(n)
                        for n in (
                            "formatted",
                            "streetAddress",
                            "locality",
                            "region",
                            "postalCode",
                            "country",
                            "type",
                        )
                    ),
                    AttributeDef("primary", type="boolean"),
                ),
            ),
            _multi("groups", read_only=True),
        ),
    )
    enterprise = SchemaDef(
        ENT,
        "EnterpriseUser",
        "Enterprise User",
        (
            AttributeDef("employeeNumber"),
            AttributeDef("department"),
            AttributeDef(
                "manager",
                type="complex",
                sub_attributes=(
                    AttributeDef("value"),
                    AttributeDef("$ref", type="reference", reference_types=("User",)),
                    AttributeDef("displayName", mutability="readOnly"),
                ),
            ),
        ),
    )
    ivanti = SchemaDef(
        IVANTI,
        "IvantiUser",
        "Vendor extension",
        (
            AttributeDef("custAttr1"),
            AttributeDef("badgeId", mutability="immutable"),
        ),
    )
    return ResourceSchema(core, (enterprise, ivanti))


def group_schema() -> ResourceSchema:
    core = SchemaDef(
        urns.CORE_GROUP,
        "Group",
        "Group",
        (
            AttributeDef("displayName", required=True),
            AttributeDef(
                "members",
                type="complex",
                multi_valued=True,
                sub_attributes=(
                    AttributeDef("value", mutability="immutable"),
                    AttributeDef("display"),
                    AttributeDef(
                        "$ref",
                        type="reference",
                        mutability="immutable",
                        reference_types=("User", "Group"),
                    ),
                    AttributeDef(
                        "type", mutability="immutable", canonical_values=("User", "Group")
                    ),
                ),
            ),
        ),
    )
    return ResourceSchema(core)


USERS, GROUPS = user_schema(), group_schema()


def a_user() -> dict[str, Any]:
    return {
        "schemas": [urns.CORE_USER, ENT],
        "id": BABS,
        "userName": "bjensen@example.com",
        "name": {"familyName": "Jensen", "givenName": "Barbara"},
        "displayName": "Babs Jensen",
        "active": True,
        "emails": [
            {"value": "bjensen@example.com", "type": "work", "primary": True},
            {"value": "babs@jensen.org", "type": "home"},
        ],
        "addresses": [
            {
                "type": "work",
                "streetAddress": "100 Universal City Plaza",
                "locality": "Hollywood",
                "postalCode": "91608",
                "country": "USA",
                "primary": True,
            }
        ],
        "groups": [{"value": "g1", "display": "Tour Guides"}],
        ENT: {
            "employeeNumber": "701984",
            "department": "Tour Operations",
            "manager": {"value": JOHN, "displayName": "John Smith"},
        },
        "meta": {"resourceType": "User", "version": 'W/"3694e05e9dff590"'},
    }


def a_group() -> dict[str, Any]:
    return {
        "schemas": [urns.CORE_GROUP],
        "id": "g1",
        "displayName": "Tour Guides",
        "members": [
            {"value": BABS, "display": "Babs Jensen", "type": "User"},
            {"value": MANDY, "display": "Mandy Pepperidge"},
        ],
        "meta": {"resourceType": "Group", "version": 'W/"1"'},
    }


def body(*ops: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [urns.PATCH_OP], "Operations": list(ops)}


def patch_user(*ops: dict[str, Any], user: dict[str, Any] | None = None) -> dict[str, Any]:
    return apply_patch(user if user is not None else a_user(), body(*ops), USERS)


def patch_group(*ops: dict[str, Any]) -> dict[str, Any]:
    return apply_patch(a_group(), body(*ops), GROUPS)


def refused(resource: dict[str, Any], schema: ResourceSchema, payload: Any) -> PatchError:
    before = copy.deepcopy(resource)
    with pytest.raises(PatchError) as caught:
        apply_patch(resource, payload, schema)
    assert resource == before
    assert caught.value.status == 400
    return caught.value


def user_error(*ops: dict[str, Any]) -> PatchError:
    return refused(a_user(), USERS, body(*ops))


def group_error(*ops: dict[str, Any]) -> PatchError:
    return refused(a_group(), GROUPS, body(*ops))


def member_values(group: dict[str, Any]) -> list[str]:
    return [m["value"] for m in group.get("members", [])]


# --- envelope --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        None,
        [],
        "add",
        {"Operations": [{"op": "add", "value": {"nickName": "x"}}]},
        {"schemas": urns.PATCH_OP, "Operations": [{"op": "add", "value": {"nickName": "x"}}]},
        {"schemas": [urns.CORE_USER], "Operations": [{"op": "add", "value": {"nickName": "x"}}]},
        {"schemas": [urns.PATCH_OP]},
        {"schemas": [urns.PATCH_OP], "Operations": []},
        {"schemas": [urns.PATCH_OP], "Operations": {"op": "add"}},
    ],
    ids=[
        "null",
        "array",
        "string",
        "no-schemas",
        "schemas-not-list",
        "wrong-schema",
        "no-operations",
        "empty-operations",
        "operations-object",
    ],
)
def test_malformed_envelope_is_invalid_syntax(payload: Any) -> None:
    assert refused(a_user(), USERS, payload).scim_type == "invalidSyntax"


@pytest.mark.parametrize(
    "op",
    [
        "not-an-object",
        {"path": "nickName", "value": "x"},
        {"op": "copy", "path": "nickName", "value": "x"},
        {"op": 1, "path": "nickName", "value": "x"},
        {"op": "move", "from": "nickName", "path": "displayName"},
    ],
    ids=["not-object", "no-op", "unknown-op", "numeric-op", "json-patch-move"],
)
def test_malformed_operation_is_invalid_syntax_and_names_its_index(op: Any) -> None:
    error = user_error({"op": "add", "path": "nickName", "value": "ok"}, op)
    assert error.scim_type == "invalidSyntax"
    assert "Operations[1]" in error.detail


@pytest.mark.parametrize("name", ["Add", "REPLACE", "rEpLaCe"])
def test_op_names_are_case_insensitive(name: str) -> None:
    assert patch_user({"op": name, "path": "nickName", "value": "Babs"})["nickName"] == "Babs"


def test_remove_op_name_is_case_insensitive() -> None:
    assert "displayName" not in patch_user({"op": "Remove", "path": "displayName"})


# --- RFC 7644 §3.5.2 examples ----------------------------------------------------------------


def test_rfc_add_member() -> None:
    """§3.5.2.1: add a member to a group."""
    new = {"display": "Babs Jensen", "$ref": f"https://example.com/v2/Users/{JOHN}", "value": JOHN}
    group = patch_group({"op": "add", "path": "members", "value": [new]})
    assert group["members"][-1] == new
    assert member_values(group) == [BABS, MANDY, JOHN]


def test_rfc_add_without_path_emails_and_nickname() -> None:
    """§3.5.2.1: value object without path; 'nickname' lands in the canonical 'nickName'."""
    user = patch_user(
        {
            "op": "add",
            "value": {
                "emails": [
                    {"value": "babs@jensen.org", "type": "home"},
                    {"value": "babs@example.org", "type": "other"},
                ],
                "nickname": "Babs",
            },
        }
    )
    assert user["nickName"] == "Babs" and "nickname" not in user
    assert [e["value"] for e in user["emails"]] == [
        "bjensen@example.com",
        "babs@jensen.org",
        "babs@example.org",
    ]


def test_rfc_remove_one_member() -> None:
    group = patch_group({"op": "remove", "path": f'members[value eq "{BABS}"]'})
    assert member_values(group) == [MANDY]


def test_rfc_remove_all_members() -> None:
    assert "members" not in patch_group({"op": "remove", "path": "members"})


def test_rfc_remove_then_add_one_member() -> None:
    group = patch_group(
        {"op": "remove", "path": f'members[value eq "{BABS}"]'},
        {"op": "add", "path": "members", "value": [{"value": JOHN, "display": "John"}]},
    )
    assert member_values(group) == [MANDY, JOHN]


def test_rfc_remove_all_then_add_members() -> None:
    group = patch_group(
        {"op": "remove", "path": "members"},
        {"op": "add", "path": "members", "value": [{"value": JOHN}, {"value": "u9"}]},
    )
    assert member_values(group) == [JOHN, "u9"]


def test_rfc_remove_multi_valued_with_and_filter() -> None:
    user = patch_user({"op": "remove", "path": 'emails[type eq "work" and value ew "example.com"]'})
    assert [e["type"] for e in user["emails"]] == ["home"]


def test_rfc_replace_members() -> None:
    group = patch_group(
        {"op": "replace", "path": "members", "value": [{"display": "John", "value": JOHN}]}
    )
    assert group["members"] == [{"display": "John", "value": JOHN}]


def test_rfc_replace_work_address_element() -> None:
    address = {
        "type": "work",
        "streetAddress": "911 Universal City Plaza",
        "locality": "Hollywood",
        "postalCode": "91608",
        "country": "US",
        "formatted": "911 Universal City Plaza\nHollywood, CA 91608 US",
        "primary": True,
    }
    user = patch_user({"op": "replace", "path": 'addresses[type eq "work"]', "value": address})
    assert user["addresses"] == [address]


def test_rfc_replace_sub_attribute_through_filter() -> None:
    user = patch_user(
        {
            "op": "replace",
            "path": 'addresses[type eq "work"].streetAddress',
            "value": "1010 Broadway Ave",
        }
    )
    assert user["addresses"][0]["streetAddress"] == "1010 Broadway Ave"
    assert user["addresses"][0]["locality"] == "Hollywood"


def test_rfc_replace_without_path_replaces_all_emails() -> None:
    user = patch_user(
        {
            "op": "replace",
            "value": {
                "emails": [{"value": "bjensen@example.com", "type": "work", "primary": True}],
                "nickname": "Babs",
            },
        }
    )
    assert user["emails"] == [{"value": "bjensen@example.com", "type": "work", "primary": True}]
    assert user["nickName"] == "Babs"


def test_rfc_replace_email_value_through_filter() -> None:
    user = patch_user(
        {"op": "replace", "path": 'emails[type eq "work"].value', "value": "babs@example.net"}
    )
    assert user["emails"][0] == {"value": "babs@example.net", "type": "work", "primary": True}


# --- Okta forms ------------------------------------------------------------------------------


@pytest.mark.parametrize("active", [False, True])
def test_okta_deactivate_and_reactivate_without_path(active: bool) -> None:
    user = patch_user({"op": "replace", "value": {"active": active}})
    assert user["active"] is active


def test_okta_password_sync() -> None:
    assert patch_user({"op": "replace", "value": {"password": "N3wP@ssw0rd"}})["password"] == (
        "N3wP@ssw0rd"
    )


def test_okta_add_members_without_type() -> None:
    group = patch_group(
        {
            "op": "add",
            "path": "members",
            "value": [{"value": JOHN, "display": "test.user@okta.local"}],
        }
    )
    assert group["members"][-1] == {"value": JOHN, "display": "test.user@okta.local"}


def test_okta_one_remove_per_member() -> None:
    group = patch_group(
        {"op": "remove", "path": f'members[value eq "{BABS}"]'},
        {"op": "remove", "path": f'members[value eq "{MANDY}"]'},
    )
    assert "members" not in group


def test_okta_push_now_replaces_full_list() -> None:
    group = patch_group(
        {
            "op": "replace",
            "path": "members",
            "value": [{"value": MANDY, "display": "M"}, {"value": JOHN}],
        }
    )
    assert member_values(group) == [MANDY, JOHN]


def test_okta_push_now_with_empty_list_clears_members() -> None:
    group = patch_group({"op": "replace", "path": "members", "value": []})
    assert "members" not in group  # RFC 7643 §2.5: an empty array is unassigned
    assert group["displayName"] == "Tour Guides"


def test_okta_rename_echoing_the_same_id_is_accepted() -> None:
    group = patch_group({"op": "replace", "value": {"id": "g1", "displayName": "New Name"}})
    assert group["displayName"] == "New Name" and group["id"] == "g1"


def test_okta_rename_with_a_different_id_is_mutability() -> None:
    error = group_error({"op": "replace", "value": {"id": "other", "displayName": "New"}})
    assert error.scim_type == "mutability"
    assert "Operations[0]" in error.detail and "'id'" in error.detail


def test_okta_no_path_replace_with_members_id_and_name() -> None:
    group = patch_group(
        {"op": "replace", "value": {"members": [], "id": "g1", "displayName": "Renamed"}}
    )
    assert "members" not in group and group["displayName"] == "Renamed"


def test_adding_a_present_member_changes_nothing() -> None:
    """§3.5.2.1: "If the target location already contains the value specified, no changes"."""
    group = patch_group(
        {"op": "add", "path": "members", "value": [{"value": BABS, "display": "Other display"}]}
    )
    assert group == a_group()


# --- Microsoft Entra forms -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "stored"),
    [("False", False), ("True", True), ("false", False), ("TRUE", True), (False, False)],
)
def test_entra_string_booleans_on_path(sent: Any, stored: bool) -> None:
    user = patch_user({"op": "Replace", "path": "active", "value": sent})
    assert user["active"] is stored


def test_entra_string_boolean_in_value_object() -> None:
    assert patch_user({"op": "Replace", "value": {"active": "False"}})["active"] is False


def test_entra_string_boolean_on_filtered_primary() -> None:
    user = patch_user({"op": "Replace", "path": 'emails[type eq "home"].primary', "value": "True"})
    assert [e.get("primary") for e in user["emails"]] == [False, True]


@pytest.mark.parametrize(
    ("path", "value"),
    [("displayName", "True"), ("nickName", "false"), ("active", "yes"), ("active", "1")],
)
def test_only_true_false_strings_on_boolean_targets_are_coerced(path: str, value: str) -> None:
    assert patch_user({"op": "Replace", "path": path, "value": value})[path] == value


def test_entra_replace_work_email_value() -> None:
    user = patch_user(
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "new@example.com"}
    )
    assert user["emails"][0]["value"] == "new@example.com"


def test_entra_add_work_email_when_none_exists_builds_it_from_the_filter() -> None:
    user = a_user()
    user["emails"] = [{"value": "babs@jensen.org", "type": "home"}]
    out = patch_user(
        {"op": "Add", "path": 'emails[type eq "work"].value', "value": "work@example.com"},
        user=user,
    )
    assert out["emails"][-1] == {"type": "work", "value": "work@example.com"}


def test_entra_add_to_missing_multi_valued_attribute_through_filter() -> None:
    out = patch_user(
        {"op": "Add", "path": 'phoneNumbers[type eq "mobile"].value', "value": "+1 555 0100"}
    )
    assert out["phoneNumbers"] == [{"type": "mobile", "value": "+1 555 0100"}]


def test_entra_add_with_filter_match_sets_sub_attribute() -> None:
    out = patch_user({"op": "Add", "path": 'emails[type eq "home"].display', "value": "Home"})
    assert out["emails"][1] == {"value": "babs@jensen.org", "type": "home", "display": "Home"}


@pytest.mark.parametrize("op", ["Add", "Replace"])
def test_entra_enterprise_employee_number_path(op: str) -> None:
    out = patch_user({"op": op, "path": f"{ENT}:employeeNumber", "value": "42"})
    assert out[ENT]["employeeNumber"] == "42"
    assert out[ENT]["department"] == "Tour Operations"


def test_entra_manager_path_with_value_object() -> None:
    user = a_user()
    del user[ENT]
    user["schemas"] = [urns.CORE_USER]
    out = patch_user({"op": "Add", "path": f"{ENT}:manager", "value": {"value": MANDY}}, user=user)
    assert out[ENT] == {"manager": {"value": MANDY}}
    assert out["schemas"] == [urns.CORE_USER, ENT]


def test_entra_manager_replace_merges_and_keeps_server_display_name() -> None:
    out = patch_user({"op": "Replace", "path": f"{ENT}:manager", "value": {"value": MANDY}})
    assert out[ENT]["manager"] == {"value": MANDY, "displayName": "John Smith"}


def test_entra_manager_sub_attribute_path() -> None:
    out = patch_user({"op": "Replace", "path": f"{ENT}:manager.value", "value": MANDY})
    assert out[ENT]["manager"]["value"] == MANDY


def test_entra_remove_manager() -> None:
    out = patch_user({"op": "Remove", "path": f"{ENT}:manager"})
    assert "manager" not in out[ENT]


def test_entra_no_path_dotted_and_urn_keys() -> None:
    out = patch_user(
        {
            "op": "Replace",
            "value": {
                "name.givenName": "Anne",
                f"{ENT}:employeeNumber": "7",
                'emails[type eq "work"].value': "anne@example.com",
                "displayName": "Anne J",
            },
        }
    )
    assert out["name"] == {"familyName": "Jensen", "givenName": "Anne"}
    assert out[ENT]["employeeNumber"] == "7"
    assert out["emails"][0]["value"] == "anne@example.com"
    assert out["displayName"] == "Anne J"


def test_entra_remove_members_with_value_list() -> None:
    group = patch_group(
        {"op": "Remove", "path": "members", "value": [{"value": BABS}, {"value": "not-a-member"}]}
    )
    assert member_values(group) == [MANDY]


def test_entra_add_members_with_null_ref() -> None:
    group = patch_group({"op": "Add", "path": "members", "value": [{"value": JOHN, "$ref": None}]})
    assert group["members"][-1] == {"value": JOHN}


# --- extensions ------------------------------------------------------------------------------


def test_custom_extension_add_creates_container_and_declares_schema() -> None:
    out = patch_user({"op": "add", "path": f"{IVANTI}:custAttr1", "value": "blue"})
    assert out[IVANTI] == {"custAttr1": "blue"}
    assert out["schemas"] == [urns.CORE_USER, ENT, IVANTI]


def test_custom_extension_replace_and_remove() -> None:
    user = a_user()
    user[IVANTI] = {"custAttr1": "blue"}
    user["schemas"].append(IVANTI)
    replaced = patch_user(
        {"op": "replace", "path": f"{IVANTI}:custAttr1", "value": "red"}, user=user
    )
    assert replaced[IVANTI] == {"custAttr1": "red"}
    removed = patch_user({"op": "remove", "path": f"{IVANTI}:custAttr1"}, user=user)
    assert IVANTI not in removed and IVANTI not in removed["schemas"]


def test_remove_whole_extension_by_bare_urn() -> None:
    out = patch_user({"op": "remove", "path": ENT})
    assert ENT not in out and out["schemas"] == [urns.CORE_USER]


def test_remove_absent_extension_is_a_no_op() -> None:
    assert patch_user({"op": "remove", "path": IVANTI}) == a_user()


def test_extension_object_in_no_path_value_merges() -> None:
    out = patch_user(
        {"op": "replace", "value": {ENT: {"department": "Sales"}, IVANTI: {"custAttr1": "x"}}}
    )
    assert out[ENT]["department"] == "Sales" and out[ENT]["employeeNumber"] == "701984"
    assert out[IVANTI] == {"custAttr1": "x"}


def test_add_with_bare_extension_urn_path() -> None:
    out = patch_user({"op": "add", "path": IVANTI, "value": {"custAttr1": "v"}})
    assert out[IVANTI] == {"custAttr1": "v"}


def test_extension_urn_is_case_insensitive_and_written_canonically() -> None:
    out = patch_user({"op": "add", "path": f"{IVANTI.upper()}:CUSTATTR1", "value": "v"})
    assert out[IVANTI] == {"custAttr1": "v"}
    assert [k for k in out if k.casefold() == IVANTI.casefold()] == [IVANTI]


def test_stored_extension_key_in_other_case_is_reused_not_duplicated() -> None:
    user = a_user()
    user[ENT.lower()] = user.pop(ENT)
    out = patch_user({"op": "replace", "path": f"{ENT}:department", "value": "Sales"}, user=user)
    assert [k for k in out if k.casefold() == ENT.casefold()] == [ENT]
    assert out[ENT]["department"] == "Sales" and out[ENT]["employeeNumber"] == "701984"


# --- attribute names are case-insensitive ----------------------------------------------------


@pytest.mark.parametrize(
    ("path", "key"),
    [("USERNAME", "userName"), ("displayname", "displayName"), ("NickName", "nickName")],
)
def test_path_names_write_the_canonical_key(path: str, key: str) -> None:
    out = patch_user({"op": "replace", "path": path, "value": "v"})
    assert out[key] == "v"
    assert [k for k in out if k.casefold() == key.casefold()] == [key]


def test_sub_attribute_path_is_case_insensitive() -> None:
    out = patch_user({"op": "replace", "path": "Name.GivenName", "value": "Anne"})
    assert out["name"] == {"familyName": "Jensen", "givenName": "Anne"}


def test_value_keys_are_canonicalised() -> None:
    out = patch_user(
        {"op": "add", "path": "EMAILS", "value": [{"Value": "x@example.com", "TYPE": "other"}]}
    )
    assert out["emails"][-1] == {"value": "x@example.com", "type": "other"}


def test_filter_and_sub_attribute_case_insensitive() -> None:
    out = patch_user({"op": "replace", "path": 'Emails[TYPE eq "WORK"].VALUE', "value": "w@x"})
    assert out["emails"][0] == {"value": "w@x", "type": "work", "primary": True}


def test_no_path_key_case_insensitive() -> None:
    out = patch_user({"op": "replace", "value": {"DISPLAYNAME": "B", "Name": {"GIVENNAME": "C"}}})
    assert out["displayName"] == "B" and out["name"]["givenName"] == "C"
    assert "DISPLAYNAME" not in out and "GIVENNAME" not in out["name"]


# --- single-valued and complex attributes ----------------------------------------------------


def test_add_complex_merges_sub_attributes() -> None:
    out = patch_user({"op": "add", "path": "name", "value": {"middleName": "Jane"}})
    assert out["name"] == {"familyName": "Jensen", "givenName": "Barbara", "middleName": "Jane"}


def test_replace_complex_leaves_unspecified_sub_attributes() -> None:
    """§3.5.2.3: "Sub-attributes that are not specified ... are left unchanged"."""
    out = patch_user({"op": "replace", "path": "name", "value": {"givenName": "Anne"}})
    assert out["name"] == {"familyName": "Jensen", "givenName": "Anne"}


def test_replace_complex_with_null_sub_attribute_unassigns_it() -> None:
    out = patch_user({"op": "replace", "path": "name", "value": {"givenName": None}})
    assert out["name"] == {"familyName": "Jensen"}


def test_replace_missing_attribute_acts_as_add() -> None:
    user = a_user()
    del user["name"]
    out = patch_user({"op": "replace", "path": "name.givenName", "value": "Anne"}, user=user)
    assert out["name"] == {"givenName": "Anne"}


def test_replace_with_null_unassigns() -> None:
    assert "displayName" not in patch_user({"op": "replace", "path": "displayName", "value": None})


def test_remove_sub_attribute() -> None:
    assert patch_user({"op": "remove", "path": "name.givenName"})["name"] == {
        "familyName": "Jensen"
    }


def test_removing_last_sub_attribute_unassigns_complex() -> None:
    out = patch_user(
        {"op": "remove", "path": "name.givenName"}, {"op": "remove", "path": "name.familyName"}
    )
    assert "name" not in out


@pytest.mark.parametrize(
    "path", ["nickName", "name.middleName", "phoneNumbers", f"{IVANTI}:custAttr1"]
)
def test_removing_an_absent_attribute_is_a_no_op(path: str) -> None:
    assert patch_user({"op": "remove", "path": path}) == a_user()


def test_complex_attribute_needs_an_object() -> None:
    error = user_error({"op": "replace", "path": "name", "value": "Barbara"})
    assert error.scim_type == "invalidValue" and "Operations[0]" in error.detail


# --- multi-valued attributes -----------------------------------------------------------------


def test_add_single_item_not_in_a_list() -> None:
    out = patch_user({"op": "add", "path": "emails", "value": {"value": "o@x", "type": "other"}})
    assert out["emails"][-1] == {"value": "o@x", "type": "other"}


def test_add_existing_email_is_not_duplicated() -> None:
    out = patch_user(
        {"op": "add", "path": "emails", "value": [{"type": "home", "value": "babs@jensen.org"}]}
    )
    assert len(out["emails"]) == 2


def test_new_primary_clears_the_other_primaries() -> None:
    out = patch_user(
        {
            "op": "add",
            "path": "emails",
            "value": [{"value": "n@x", "type": "other", "primary": True}],
        }
    )
    assert [e.get("primary") for e in out["emails"]] == [False, None, True]


def test_primary_set_through_filter_clears_the_others() -> None:
    out = patch_user({"op": "replace", "path": 'emails[type eq "home"].primary', "value": True})
    assert [e.get("primary") for e in out["emails"]] == [False, True]


def test_add_through_filter_without_sub_attribute_merges_into_match() -> None:
    out = patch_user({"op": "add", "path": 'emails[type eq "home"]', "value": {"display": "H"}})
    assert out["emails"][1] == {"value": "babs@jensen.org", "type": "home", "display": "H"}


def test_remove_sub_attribute_of_matched_elements() -> None:
    out = patch_user({"op": "remove", "path": 'emails[type eq "work"].primary'})
    assert out["emails"][0] == {"value": "bjensen@example.com", "type": "work"}


def test_replace_multi_valued_without_filter_replaces_everything() -> None:
    out = patch_user({"op": "replace", "path": "emails", "value": {"value": "only@x"}})
    assert out["emails"] == [{"value": "only@x"}]


def test_remove_multi_valued_with_value_items() -> None:
    out = patch_user({"op": "remove", "path": "emails", "value": [{"value": "babs@jensen.org"}]})
    assert [e["value"] for e in out["emails"]] == ["bjensen@example.com"]


# --- mutability ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "op",
    [
        {"op": "replace", "path": "id", "value": "new"},
        {"op": "remove", "path": "id"},
        {"op": "add", "path": "meta", "value": {"version": "x"}},
        {"op": "replace", "path": "meta.version", "value": 'W/"2"'},
        {"op": "add", "path": "groups", "value": [{"value": "g2"}]},
        {"op": "remove", "path": "groups"},
        {"op": "replace", "path": 'groups[value eq "g1"].display', "value": "x"},
        {"op": "replace", "path": f"{ENT}:manager.displayName", "value": "Boss"},
        {"op": "replace", "value": {"groups": [{"value": "g2"}]}},
        {"op": "add", "value": {"id": "different"}},
        {"op": "remove", "path": "userName"},
        {"op": "replace", "path": "userName", "value": None},
    ],
    ids=[
        "replace-id",
        "remove-id",
        "add-meta",
        "meta-version",
        "add-groups",
        "remove-groups",
        "groups-filter",
        "manager-displayName",
        "no-path-groups",
        "no-path-other-id",
        "remove-required",
        "null-required",
    ],
)
def test_mutability_violations(op: dict[str, Any]) -> None:
    error = user_error({"op": "replace", "path": "nickName", "value": "ok"}, op)
    assert error.scim_type == "mutability"
    assert "Operations[1]" in error.detail


def test_remove_read_only_attribute_that_is_absent_is_still_mutability() -> None:
    user = a_user()
    del user["groups"]
    assert refused(user, USERS, body({"op": "remove", "path": "groups"})).scim_type == (
        "mutability"
    )


def test_no_path_echo_of_unchanged_read_only_values_is_ignored() -> None:
    user = a_user()
    out = patch_user(
        {
            "op": "replace",
            "value": {
                "id": BABS,
                "groups": user["groups"],
                "schemas": ["anything"],
                "meta": {"version": "other"},
                "displayName": "B",
            },
        }
    )
    assert out == {**user, "displayName": "B"}


def test_read_only_sub_attributes_in_values_are_ignored() -> None:
    user = a_user()
    del user[ENT]["manager"]
    out = patch_user(
        {"op": "add", "path": f"{ENT}:manager", "value": {"value": MANDY, "displayName": "Forged"}},
        user=user,
    )
    assert out[ENT]["manager"] == {"value": MANDY}


@pytest.mark.parametrize(
    "op",
    [
        {"op": "replace", "path": f'members[value eq "{BABS}"].value', "value": JOHN},
        {"op": "replace", "path": f'members[value eq "{BABS}"]', "value": {"value": JOHN}},
        {"op": "replace", "path": f'members[value eq "{BABS}"].type', "value": "Group"},
        {"op": "remove", "path": f'members[value eq "{BABS}"].value'},
    ],
    ids=["value-via-sub-path", "value-via-element", "type-change", "value-unset"],
)
def test_immutable_member_sub_attributes_cannot_change(op: dict[str, Any]) -> None:
    error = group_error(op)
    assert error.scim_type == "mutability" and "Operations[0]" in error.detail


def test_immutable_sub_attribute_may_be_set_when_unassigned() -> None:
    group = patch_group({"op": "add", "path": f'members[value eq "{MANDY}"].type', "value": "User"})
    assert group["members"][1]["type"] == "User"


def test_replacing_member_element_with_same_value_is_allowed() -> None:
    group = patch_group(
        {
            "op": "replace",
            "path": f'members[value eq "{MANDY}"]',
            "value": {"value": MANDY, "display": "Mandy P."},
        }
    )
    assert group["members"][1] == {"value": MANDY, "display": "Mandy P."}


def test_immutable_attribute_set_once_then_frozen() -> None:
    path = f"{IVANTI}:badgeId"
    first = patch_user({"op": "add", "path": path, "value": "B-1"})
    assert first[IVANTI] == {"badgeId": "B-1"}
    again = apply_patch(first, body({"op": "replace", "path": path, "value": "B-1"}), USERS)
    assert again == first
    error = refused(first, USERS, body({"op": "replace", "path": path, "value": "B-2"}))
    assert error.scim_type == "mutability"


def test_removing_extension_with_immutable_value_is_mutability() -> None:
    user = patch_user({"op": "add", "path": f"{IVANTI}:badgeId", "value": "B-1"})
    assert refused(user, USERS, body({"op": "remove", "path": IVANTI})).scim_type == ("mutability")


# --- other errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "scim_type"),
    [
        ({"op": "add", "path": "favouriteColour", "value": "x"}, "invalidPath"),
        ({"op": "replace", "path": "name.nickname", "value": "x"}, "invalidPath"),
        ({"op": "add", "path": "urn:example:acme:2.0:User:level", "value": 1}, "invalidPath"),
        ({"op": "remove", "path": "urn:example:acme:2.0:User"}, "invalidPath"),
        ({"op": "add", "path": 'emails[type eq "work"', "value": "x"}, "invalidPath"),
        ({"op": "add", "path": "emails..value", "value": "x"}, "invalidPath"),
        ({"op": "replace", "path": 'name[givenName eq "x"]', "value": {}}, "invalidPath"),
        ({"op": "replace", "path": 123, "value": "x"}, "invalidPath"),
        ({"op": "remove", "path": urns.CORE_USER}, "invalidPath"),
        ({"op": "replace", "path": 'emails[colour eq "red"].value', "value": "x"}, "invalidFilter"),
        ({"op": "add", "path": "nickName"}, "invalidValue"),
        ({"op": "replace", "path": "nickName"}, "invalidValue"),
        ({"op": "add", "path": "nickName", "value": None}, "invalidValue"),
        ({"op": "add"}, "invalidValue"),
        ({"op": "replace", "value": "not an object"}, "invalidValue"),
        ({"op": "add", "value": {ENT: "not an object"}}, "invalidValue"),
        ({"op": "remove"}, "noTarget"),
        ({"op": "remove", "value": {"nickName": "x"}}, "noTarget"),
        ({"op": "replace", "path": 'emails[type eq "pager"].value', "value": "x"}, "noTarget"),
        ({"op": "replace", "path": 'emails[type eq "pager"]', "value": {"value": "x"}}, "noTarget"),
        ({"op": "remove", "path": 'emails[type eq "pager"]'}, "noTarget"),
        ({"op": "remove", "path": 'phoneNumbers[type eq "work"]'}, "noTarget"),
        ({"op": "add", "path": 'emails[value ew "@nowhere.org"].value', "value": "x"}, "noTarget"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_errors_name_the_operation_index_and_path(op: dict[str, Any], scim_type: str) -> None:
    error = user_error(
        {"op": "add", "path": "nickName", "value": "ok"},
        {"op": "replace", "path": "displayName", "value": "ok"},
        op,
    )
    assert error.scim_type == scim_type
    assert error.detail.startswith("Operations[2]")
    if isinstance(op.get("path"), str):
        assert op["path"] in error.detail


def test_error_in_no_path_value_names_the_key() -> None:
    error = user_error({"op": "replace", "value": {"displayName": "x", "shoeSize": 9}})
    assert error.scim_type == "invalidPath"
    assert "Operations[0]" in error.detail and "shoeSize" in error.detail


def test_error_for_add_with_non_eq_filter_and_no_match() -> None:
    error = user_error(
        {"op": "add", "path": 'emails[type eq "x" or type eq "y"].value', "value": "v"}
    )
    assert error.scim_type == "noTarget"


# --- atomicity, ordering, no mutation --------------------------------------------------------


def test_failing_later_operation_changes_nothing() -> None:
    user = a_user()
    snapshot = copy.deepcopy(user)
    with pytest.raises(PatchError) as caught:
        apply_patch(
            user,
            body(
                {"op": "replace", "path": "displayName", "value": "Changed"},
                {"op": "add", "path": "members", "value": []},
            ),
            USERS,
        )
    assert "Operations[1]" in caught.value.detail
    assert user == snapshot


def test_operations_apply_in_order() -> None:
    out = patch_user(
        {"op": "remove", "path": "emails"},
        {"op": "add", "path": "emails", "value": {"value": "a@x", "type": "work"}},
        {"op": "replace", "path": 'emails[type eq "work"].value', "value": "b@x"},
    )
    assert out["emails"] == [{"value": "b@x", "type": "work"}]


def test_later_operation_sees_earlier_one_through_filter() -> None:
    group = patch_group(
        {"op": "add", "path": "members", "value": [{"value": JOHN}]},
        {"op": "remove", "path": f'members[value eq "{JOHN}"]'},
    )
    assert member_values(group) == [BABS, MANDY]


def test_input_is_never_mutated_and_result_shares_nothing() -> None:
    user = a_user()
    snapshot = copy.deepcopy(user)
    out = patch_user(
        {"op": "add", "path": "emails", "value": {"value": "n@x", "primary": True}},
        {"op": "replace", "path": "name.givenName", "value": "Anne"},
        {"op": "remove", "path": f"{ENT}:manager"},
        user=user,
    )
    assert user == snapshot
    assert out is not user and out["name"] is not user["name"]
    assert out["emails"] is not user["emails"] and out[ENT] is not user[ENT]


def test_result_of_noop_patch_equals_input_but_is_a_copy_sharing_untouched_values() -> None:
    user = a_user()
    out = patch_user({"op": "remove", "path": "nickName"}, user=user)
    # Copy-on-write: a new top-level dict, but values no operation touched are shared.
    assert out == user and out is not user and out["emails"] is user["emails"]


def test_mapping_input_that_is_not_a_dict_is_accepted() -> None:
    out = apply_patch(
        MappingProxyType(a_group()),
        body({"op": "replace", "path": "displayName", "value": "X"}),
        GROUPS,
    )
    assert out["displayName"] == "X"
