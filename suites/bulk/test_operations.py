"""BulkRequests that create, reference, patch and delete Users and Groups (RFC 7644 §3.7–§3.7.3).

Every resource a BulkRequest creates reaches the run's ledger from the BulkResponse before the
next request (suites/bulkcreates.py), and the cleanup deletes it like any other."""

from __future__ import annotations

import copy
import secrets
from typing import Any

import pytest

from simulator.scim import urns
from simulator.scim.ownership import lookup_filter, lookup_hits
from suites.bulk.request import (
    expect_op_status,
    new_bulk_id,
    post,
    resource_path_of,
    result_of,
    results,
    send,
)
from suites.bulkcreates import status_of
from suites.client import ScimClient
from suites.expect import expect, expect_equal, expect_object, expect_status, value_at
from suites.factory import Factory
from suites.ledger import Ledger
from suites.target import Target


@pytest.mark.check("BULK-OPS-001", level="MUST", refs=["RFC7644 §3.7", "RFC7644 §3.7.2", "RFC7644 §3.7.3"],
                   caught_by=["bulk-no-location"])
def test_bulk_posts_create_what_they_report(target: Target, factory: Factory, client: ScimClient) -> None:
    """A BulkRequest POSTing a user and a group is answered 200 with a BulkResponse: each POST
    with its bulkId, status 201 and a location where GET finds the resource it sent.

    RFC 7644 §3.7: "Bulk responses are identified using the following URI:
    "urn:ietf:params:scim:api:messages:2.0:BulkResponse"."; §3.7.2: "The service provider MUST
    return the same "bulkId" together with the newly created resource."; §3.7.3: "The service
    provider response MUST include the result of all processed operations. A "location"
    attribute that includes the resource's endpoint MUST be returned for all operations except
    for failed POST operations (which have no location)." The status is the one "that would
    have been returned if a single HTTP request would have been used": 201 for a create (§3.3).
    """
    target.require_resource("Group")
    user, group = factory.user_body(), factory.group_body()
    uid, gid = new_bulk_id("user"), new_bulk_id("group")
    reply = send(target, client, [post("User", uid, user), post("Group", gid, group)])
    found = results(reply)
    for bulk_id, kind, attr, sent in ((uid, "User", "userName", user), (gid, "Group", "displayName", group)):
        result = result_of(found, bulk_id, reply)
        expect(str(result.get("method") or "").upper() == "POST", f'"method": "POST" for {bulk_id}',
               result.get("method"), reply)
        expect_op_status(result, (201,), f"the POST of {bulk_id}", reply)
        read = expect_status(client.get(resource_path_of(result, kind, f"the POST of {bulk_id}", reply)), 200)
        expect_equal(str(expect_object(read).get(attr) or "").casefold(), str(sent[attr]).casefold(),
                     f"{attr} of the {kind.lower()} at the location of {bulk_id}", read)


@pytest.mark.check("BULK-REF-001", level="MUST", refs=["RFC7644 §3.7.2"],
                   caught_by=["bulk-ids-unresolved", "bulk-no-location"])
def test_bulk_id_names_a_new_member(target: Target, factory: Factory, client: ScimClient) -> None:
    """A group POSTed with the member "bulkId:<the user's bulkId>" holds the user created by an
    earlier operation of the same request.

    RFC 7644 §3.7.2: "In order to add the new "User" to the "Group", the client must use the
    surrogate id attribute, "bulkId", to reference the User. The "bulkId" attribute value must be
    prepended with the literal "bulkId:"; e.g., if the bulkId is 'qwerty', the value is
    "bulkId:qwerty". The service provider MUST replace the string "bulkId:qwerty" with the
    permanent resource id once created."
    """
    target.require_resource("Group")
    uid, gid = new_bulk_id("member"), new_bulk_id("team")
    group = factory.group_body()
    group["members"] = [{"value": f"bulkId:{uid}"}]
    reply = send(target, client, [post("User", uid, factory.user_body()), post("Group", gid, group)])
    found = results(reply)
    user_result, group_result = result_of(found, uid, reply), result_of(found, gid, reply)
    expect_op_status(user_result, (201,), f"the POST of the user {uid}", reply)
    expect_op_status(group_result, (201,), f'the POST of the group naming "bulkId:{uid}" as a member', reply)
    user_read = expect_status(client.get(resource_path_of(user_result, "User", uid, reply)), 200)
    user_id = expect_object(user_read).get("id")
    read = expect_status(client.get(resource_path_of(group_result, "Group", gid, reply)), 200)
    members = [m.get("value") for m in expect_object(read).get("members") or [] if isinstance(m, dict)]
    expect(members == [user_id], f'members [{user_id!r}] (the user "bulkId:{uid}" named)', members, read)


@pytest.mark.check("BULK-REF-002", level="SHOULD", refs=["RFC7644 §3.7", "RFC7644 §3.7.2"],
                   caught_by=["bulk-ids-unresolved", "bulk-path-ids-unresolved", "bulk-no-location"],
                   evidence={"bulk-no-location": "a location naming"})
def test_bulk_id_in_a_path_patches_and_deletes(target: Target, factory: Factory, client: ScimClient) -> None:
    """After two user POSTs, a PATCH of /Users/bulkId:<first> and a DELETE of
    /Users/bulkId:<second> in the same request take effect on the users created.

    RFC 7644 §3.7 defines bulkId as "a surrogate resource id enabling clients to uniquely identify
    newly created resources in the response and cross-reference new resources in and across
    operations within a bulk request", and §3.7.2: "The service provider MUST replace the string
    "bulkId:qwerty" with the permanent resource id once created." That MUST is worded for a
    reference in an operation's data (BULK-REF-001); a later operation's path ("all other "method"
    values must specify the path to a specific resource", §3.7) naming the new resource by its
    bulkId rests on the definition alone, hence SHOULD. A PATCH is answered 200 or 204 (§3.5.2), a
    DELETE 204 (§3.6); a target without patch.supported gets a PUT of the whole user instead.
    """
    attr = target.pick_attribute("User", "displayName", "name.givenName")
    first, second = factory.user_body(), factory.user_body()
    aid, bid = new_bulk_id("kept"), new_bulk_id("gone")
    wanted = f"{value_at(first, attr) or 'Bulk'} {secrets.token_hex(2)}"
    change: dict[str, Any]
    if target.supports("patch"):
        change = {"method": "PATCH", "path": f"/Users/bulkId:{aid}", "data": {
            "schemas": [urns.PATCH_OP], "Operations": [{"op": "replace", "path": attr, "value": wanted}]}}
    else:
        change = {"method": "PUT", "path": f"/Users/bulkId:{aid}", "data": _with(first, attr, wanted)}
    reply = send(target, client, [post("User", aid, first), post("User", bid, second), change,
                                  {"method": "DELETE", "path": f"/Users/bulkId:{bid}"}])
    found = results(reply)
    kept, gone = result_of(found, aid, reply), result_of(found, bid, reply)
    expect_op_status(kept, (201,), f"the POST of {aid}", reply)
    expect_op_status(gone, (201,), f"the POST of {bid}", reply)
    rest = [r for r in found if r.get("bulkId") not in (aid, bid)]
    methods = [str(r.get("method") or "").upper() for r in rest]
    expect(methods == [change["method"], "DELETE"], f"results of the {change['method']} and the DELETE",
           [r.get("method") for r in rest], reply)
    expect_op_status(rest[0], (200, 204), f"the {change['method']} of /Users/bulkId:{aid}", reply)
    expect_op_status(rest[1], (204,), f"the DELETE of /Users/bulkId:{bid}", reply)
    read = expect_status(client.get(resource_path_of(kept, "User", aid, reply)), 200)
    expect_equal(value_at(expect_object(read), attr), wanted, f"{attr} after the bulk {change['method']}",
                 read)
    expect_status(client.get(resource_path_of(gone, "User", bid, reply)), 404)


def _with(body: dict[str, Any], attr: str, value: Any) -> dict[str, Any]:
    """body with attr (e.g. displayName, name.givenName) set to value."""
    changed = copy.deepcopy(body)
    head, _, sub = attr.partition(".")
    if sub:
        changed.setdefault(head, {})[sub] = value
    else:
        changed[head] = value
    return changed


@pytest.mark.check("BULK-REF-003", level="MUST", refs=["RFC7644 §3.7.1", "RFC7644 §3.7.2", "RFC7643 §4.2"],
                   caught_by=["bulk-unresolved-refs-dropped", "bulk-cycle-duplicates", "bulk-ids-unresolved",
                              "bulk-no-location"],
                   evidence={"bulk-unresolved-refs-dropped": r"holding the group[^\n]*\nReceived: \[\]",
                             "bulk-cycle-duplicates": "created its group more than once"})
def test_bulk_circular_references(target: Target, factory: Factory, client: ScimClient,
                                  ledger: Ledger) -> None:
    """Two groups POSTed in one BulkRequest, each naming the other as a member by its bulkId, are
    both created holding each other, or the operations of the cycle answer 409 and create nothing.

    RFC 7644 §3.7.1: "The service provider MUST try to resolve circular cross-references between
    resources in a single bulk job but MAY stop after a failed attempt and instead return HTTP
    status code 409 (Conflict)." Its example is this one: group A with member "bulkId:B" and group
    B with member "bulkId:A". A group as a member is a nested group, which RFC 7643 §4.2 leaves to
    the target ("The intention of the "Group" type is to allow the service provider to support
    nested groups"): the check skips where the target's Group schema names no "Group" among
    members.type's canonicalValues or members.$ref's referenceTypes. Where the target filters, each
    name is looked up afterwards: a POST resolved by creating its group twice (SCIMMY 1.3.5 keeps
    a copy without members, which the other group holds) fails, and every copy joins the ledger.
    """
    target.require_resource("Group")
    require_nested_groups(target)
    aid, bid = new_bulk_id("cycle-a"), new_bulk_id("cycle-b")
    first, second = factory.group_body(), factory.group_body()
    first["members"] = [{"value": f"bulkId:{bid}", "type": "Group"}]
    second["members"] = [{"value": f"bulkId:{aid}", "type": "Group"}]
    reply = send(target, client, [post("Group", aid, first), post("Group", bid, second)])
    found = results(reply)
    ops = {aid: result_of(found, aid, reply), bid: result_of(found, bid, reply)}
    codes = {bulk_id: status_of(result) for bulk_id, result in ops.items()}
    named = _groups_named(target, client, ledger, (first, second))
    if set(codes.values()) == {409}:
        made = {name: ids for name, ids in named.items() if ids}
        expect(not made, "no group of the two POSTs answered 409", f"groups {made} exist", reply)
        return
    expect(set(codes.values()) == {201}, "both POSTs answered 201 (the cycle resolved) or both 409 (RFC "
           "7644 §3.7.1: the service provider MAY stop and return 409)", f"statuses {codes}", reply)
    twice = {name: ids for name, ids in named.items() if len(ids) > 1}
    expect(not twice, "one group for each POST of the cycle",
           f"groups of the same name {twice}: a POST of the cycle created its group more than once", reply)
    reads = {bulk_id: expect_status(client.get(resource_path_of(result, "Group", bulk_id, reply)), 200)
             for bulk_id, result in ops.items()}
    for holder, member in ((aid, bid), (bid, aid)):
        read, wanted = reads[holder], expect_object(reads[member]).get("id")
        members = [m.get("value") for m in expect_object(read).get("members") or [] if isinstance(m, dict)]
        expect(members == [wanted], f'the group {holder} holding the group "bulkId:{member}" '
               f"(members [{wanted!r}])", members, read)


def require_nested_groups(target: Target) -> None:
    """Skip the calling check where the target's Group schema in /Schemas names no "Group"
    among members.type's canonicalValues or members.$ref's referenceTypes (an unreadable schema
    skips nothing)."""
    rs = target.resource_schema("Group")
    if rs is None:
        return
    named = [d.leaf for d in (rs.resolve(None, "members", "type"), rs.resolve(None, "members", "$ref")) if d]
    kinds = {str(v).casefold() for d in named for v in (*d.canonical_values, *d.reference_types)}
    if "group" not in kinds:
        pytest.skip('the target\'s Group schema names no "Group" member type (members.type canonicalValues, '
                    "members.$ref referenceTypes): it advertises no nested groups")


def _groups_named(target: Target, client: ScimClient, ledger: Ledger,
                  groups: tuple[dict[str, Any], ...]) -> dict[str, list[str]]:
    """The ids of the groups named as each POSTed group, where the target filters ({} where it
    does not); each joins the ledger, so the cleanup deletes whatever the request created, even
    a copy the BulkResponse does not report."""
    if not target.supports("filter"):
        return {}
    named: dict[str, list[str]] = {}
    for group in groups:
        name = group["displayName"]
        listed = expect_status(client.get("/Groups", params={"filter": lookup_filter("Group", name)}), 200)
        # only a list of exactly that name counts: a target that ignores the filter lists others
        named[name] = lookup_hits("Group", name, listed.json) or []
        for gid in named[name]:
            ledger.add_once("Group", gid, name)
    return named
