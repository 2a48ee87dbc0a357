"""PATCH /Groups/{id} (RFC 7644 §3.5.2) in the shapes Okta's group push sends (okta-scim.md §8)."""

from __future__ import annotations

import time

import pytest

from simulator.scim.paths import group_path
from suites.client import ScimClient
from suites.expect import describe, expect, expect_equal
from suites.factory import Factory
from suites.patch.ops import (
    PATCH_OK,
    member_ids,
    patch_body,
    patch_ok,
    read_back,
    typed_group,
    typed_member,
    users,
)
from suites.target import Target
from suites.users.common import has_fraction, meta_of, parse_time


@pytest.fixture(autouse=True)
def _groups_offered(target: Target) -> None:
    """The group PATCH checks run only where /ResourceTypes offers Groups."""
    target.require_resource("Group")


def _member(user: dict[str, object]) -> dict[str, object]:
    """A member as Okta sends it: value and display, no type and no $ref."""
    return {"value": user["id"], "display": user["userName"]}


def _ref_filter(user: dict[str, object]) -> str:
    return f'members[value eq "{user["id"]}"]'


@pytest.mark.check("PATCH-GRP-ADD-001", level="MUST", refs=["RFC7644 §3.5.2.1", "RFC7643 §4.2"],
                   okta=True, caught_by=["members-require-type"])
def test_add_member_without_type(target: Target, client: ScimClient, factory: Factory) -> None:
    """add to "members" with Okta's {value, display} (no "type") adds the member.

    RFC 7644 §3.5.2.1: "If the target location specifies a multi-valued attribute, a new value
    is added to the attribute." RFC 7643 §4.2 does not require "type"; Okta never sends it.
    The members before the add are the ones the server showed (GRP-CREATE-005 judges creation).
    """
    target.require("patch")
    first, second = users(factory, 2)
    path = group_path(typed_group(factory, [first["id"]])["id"])
    before = member_ids(read_back(client, path)[1])
    patch_ok(client, path, {"op": "add", "path": "members", "value": [_member(second)]})
    reply, group = read_back(client, path)
    expect_equal(member_ids(group), sorted([*before, second["id"]]),
                 "member ids after the add", reply)


@pytest.mark.check("PATCH-GRP-ADD-002", level="SHOULD", refs=["RFC7644 §3.5.2.1"], okta=True)
def test_add_existing_member_is_a_success(target: Target, client: ScimClient,
                                          factory: Factory) -> None:
    """Re-adding a member the group already has is answered with success.

    RFC 7644 §3.5.2.1: "If the target location already contains the value specified, no changes
    SHOULD be made to the resource, and a success response SHOULD be returned." A member is
    identified by its "value" (RFC 7643 §4.2), so Okta's {value, display} re-adds the member
    created as {value, type}; Okta does this when it links a push to an existing group, and an
    error there fails the push.
    """
    target.require("patch")
    (user,) = users(factory, 1)
    path = group_path(typed_group(factory, [user["id"]])["id"])
    patch_ok(client, path, {"op": "add", "path": "members", "value": [_member(user)]})


@pytest.mark.check("PATCH-GRP-ADD-003", level="SHOULD", refs=["RFC7644 §3.5.2.1"],
                   caught_by=["member-readd-duplicates"])
def test_add_existing_member_lists_it_once(target: Target, client: ScimClient,
                                           factory: Factory) -> None:
    """A member re-added to a group is still listed once.

    RFC 7644 §3.5.2.1: "If the target location already contains the value specified, no changes
    SHOULD be made to the resource". Not okta: Okta does not read the members back, so a
    duplicate does not break its push (okta-scim.md §8.3).
    """
    target.require("patch")
    (user,) = users(factory, 1)
    path = group_path(typed_group(factory, [user["id"]])["id"])
    patch_ok(client, path, {"op": "add", "path": "members", "value": [_member(user)]})
    reply, group = read_back(client, path)
    expect_equal(member_ids(group), [user["id"]], "member ids after the re-add", reply)


@pytest.mark.check("PATCH-GRP-ADD-004", level="MUST", refs=["RFC7644 §3.5.2.1", "RFC7643 §3.1"],
                   caught_by=["noop-patch-touches"])
def test_add_existing_member_keeps_last_modified(target: Target, client: ScimClient,
                                                 factory: Factory) -> None:
    """A member re-added to a group, exactly as the group holds it, leaves meta.lastModified as it was.

    RFC 7644 §3.5.2.1: "If the target location already contains the value specified, no changes
    SHOULD be made to the resource, and a success response SHOULD be returned. Unless other
    operations change the resource, this operation SHALL NOT change the modify timestamp of the
    resource." The PATCH holds that one operation, and re-adds the member as the group was created
    with it ({value, type}), so the group already contains the value specified. The check waits for
    the target's clock to tick first (20 ms where timestamps carry fractions of a second, else
    1.1 s). It skips where the group shows no meta.lastModified (the meta checks judge that), where
    the re-add is refused (PATCH-GRP-ADD-002 judges that) and where it changed the members (a
    duplicate, which PATCH-GRP-ADD-003 judges: the timestamp then moves with a real change). Not
    okta: Okta never reads lastModified.
    """
    target.require("patch")
    (user,) = users(factory, 1)
    path = group_path(typed_group(factory, [user["id"]])["id"])
    held = read_back(client, path)[1]
    before = meta_of(held).get("lastModified")
    if parse_time(before) is None:
        pytest.skip(f"the group shows no meta.lastModified to compare (meta.lastModified {before!r})")
    time.sleep(0.02 if has_fraction(before) else 1.1)  # a timestamp moved by the re-add would show
    readd = client.patch(path, patch_body({"op": "add", "path": "members",
                                           "value": [typed_member(factory, user["id"])]}))
    if readd.status not in PATCH_OK:
        pytest.skip(f"the re-add was refused ({describe(readd)}); PATCH-GRP-ADD-002 judges that")
    reply, group = read_back(client, path)
    if member_ids(group) != member_ids(held):
        pytest.skip(f"the re-add changed the members ({len(member_ids(held))} listed before, "
                    f"{len(member_ids(group))} after), so the timestamp may move; "
                    "PATCH-GRP-ADD-003 judges that")
    after = meta_of(group).get("lastModified")
    expect(parse_time(after) == parse_time(before),
           f"meta.lastModified still {before!r} after a PATCH that only re-added a member the group holds",
           f"meta.lastModified {after!r}", reply)


@pytest.mark.check("PATCH-GRP-REMOVE-001", level="MUST", refs=["RFC7644 §3.5.2.2"], okta=True,
                   caught_by=["member-filter-path-unsupported"])
def test_remove_members_by_value_filter(target: Target, client: ScimClient,
                                        factory: Factory) -> None:
    """Okta's removal, one 'members[value eq "…"]' operation per member, removes just those.

    RFC 7644 §3.5.2.2: "If the target location is a multi-valued attribute and a complex filter
    is specified comparing a "value", the values matched by the filter are removed."
    """
    target.require("patch")
    gone1, gone2, stays = users(factory, 3)
    path = group_path(typed_group(factory, [gone1["id"], gone2["id"], stays["id"]])["id"])
    patch_ok(client, path, {"op": "remove", "path": _ref_filter(gone1)},
             {"op": "remove", "path": _ref_filter(gone2)})
    reply, group = read_back(client, path)
    expect_equal(member_ids(group), [stays["id"]], "member ids after the removes", reply)


@pytest.mark.check("PATCH-GRP-MEMBERSHIP-001", level="MUST", refs=["RFC7644 §3.5.2"], okta=True,
                   caught_by=["member-filter-path-unsupported", "members-require-type"])
def test_okta_membership_update(target: Target, client: ScimClient, factory: Factory) -> None:
    """Okta's membership PATCH, a remove and an add in one request, applies both.

    RFC 7644 §3.5.2: "Operations are applied sequentially in the order they appear in the
    array." Okta sends removes ('members[value eq "…"]') and adds ({value, display}) together.
    """
    target.require("patch")
    leaver, joiner = users(factory, 2)
    path = group_path(typed_group(factory, [leaver["id"]])["id"])
    patch_ok(client, path, {"op": "remove", "path": _ref_filter(leaver)},
             {"op": "add", "path": "members", "value": [_member(joiner)]})
    reply, group = read_back(client, path)
    expect_equal(member_ids(group), [joiner["id"]], "member ids after the PATCH", reply)


@pytest.mark.check("PATCH-GRP-REPLACE-001", level="MUST", refs=["RFC7644 §3.5.2.3"], okta=True,
                   caught_by=["members-require-type"])
def test_replace_members_with_full_list(target: Target, client: ScimClient,
                                        factory: Factory) -> None:
    """Okta's "Push Now", replace "members" with the full list, leaves exactly that list.

    RFC 7644 §3.5.2.3: "If the target location is a multi-valued attribute and no filter is
    specified, the attribute and all values are replaced."
    """
    target.require("patch")
    old, kept, new = users(factory, 3)
    path = group_path(typed_group(factory, [old["id"], kept["id"]])["id"])
    value = [_member(kept), _member(new)]
    patch_ok(client, path, {"op": "replace", "path": "members", "value": value})
    reply, group = read_back(client, path)
    expect_equal(member_ids(group), sorted([kept["id"], new["id"]]),
                 "member ids after the replace", reply)


@pytest.mark.check("PATCH-GRP-REPLACE-002", level="MUST", refs=["RFC7644 §3.5.2.3", "RFC7643 §2.5"],
                   okta=True)
def test_replace_members_with_empty_list(target: Target, client: ScimClient,
                                         factory: Factory) -> None:
    """replace "members" with [] (Okta's "Push Now" of an empty group) leaves no members.

    RFC 7644 §3.5.2.3: "the attribute and all values are replaced"; RFC 7643 §2.5: "Unassigned
    attributes, the null value, or empty array (in the case of a multi-valued attribute) SHALL
    be considered to be equivalent in "state"."
    """
    target.require("patch")
    a, b = users(factory, 2)
    path = group_path(typed_group(factory, [a["id"], b["id"]])["id"])
    patch_ok(client, path, {"op": "replace", "path": "members", "value": []})
    reply, group = read_back(client, path)
    expect_equal(member_ids(group), [], "member ids after replace with []", reply)


@pytest.mark.check("PATCH-GRP-RENAME-001", level="SHOULD",
                   refs=["RFC7644 §3.5.2.3", "RFC7643 §3.1"], okta=True,
                   caught_by=["group-rename-rejects-id", "patch-requires-path"])
def test_okta_rename_with_id(target: Target, client: ScimClient, factory: Factory) -> None:
    """Okta's rename {"op":"replace","value":{"id":<group id>,"displayName":…}} renames the group.

    RFC 7644 §3.5.2: "a client MUST NOT modify an attribute that has mutability "readOnly""; the
    id Okta echoes is the group's own, so nothing read-only changes. The RFC does not say how to
    treat an unchanged readOnly value in PATCH, hence SHOULD; Okta sends it on every rename.
    """
    target.require("patch")
    group = factory.group()
    path = group_path(group["id"])
    name = f"{group['displayName']} (renamed)"
    patch_ok(client, path, {"op": "replace", "value": {"id": group["id"], "displayName": name}})
    reply, group = read_back(client, path)
    expect_equal(group.get("displayName"), name, "displayName after the rename", reply)
