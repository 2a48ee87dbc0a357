"""What /ServiceProviderConfig advertises agrees with what the server does (RFC 7643 §5)."""

from __future__ import annotations

import secrets

import pytest

from simulator.scim import urns
from simulator.scim.paths import user_path
from suites.client import Reply, ScimClient
from suites.expect import (
    describe,
    expect,
    expect_equal,
    expect_header,
    expect_object,
    expect_status,
    fail,
    value_at,
)
from suites.factory import Factory
from suites.filter.query import listed
from suites.pagination.totals import FILL_LIMIT, count_users, cursor_paged
from suites.sort.scope import scope_attributes, scope_filters, scoped_search
from suites.target import Target

OBSERVE_LIMIT = FILL_LIMIT  # create resources to observe maxResults only up to this


def _patch_op(path: str, value: object) -> dict[str, object]:
    return {"schemas": [urns.PATCH_OP], "Operations": [{"op": "replace", "path": path, "value": value}]}


@pytest.mark.check("DISC-FILTER-001", level="MUST", refs=["RFC7643 §5", "RFC7644 §3.4.2.2"], okta=True,
                   caught_by=["filter-ignored", "startindex-zero-based"])
def test_advertised_filter_is_applied(target: Target, factory: Factory, client: ScimClient) -> None:
    """With filter.supported, `userName eq "<name>"` returns exactly that user.

    RFC 7643 §5: filter "supported: A Boolean value specifying whether or not the operation is
    supported." RFC 7644 §3.4.2.2: eq — "The attribute and operator values must be identical for
    a match." Okta links accounts by this very request (okta-scim.md §4.1).
    """
    target.require("filter")
    user, _other = factory.user(), factory.user()  # a second user, so that ignoring the filter shows
    reply = expect_status(client.get("/Users", params={"filter": f'userName eq "{user["userName"]}"'}), 200)
    found = [r.get("id") for r in expect_object(reply).get("Resources") or [] if isinstance(r, dict)]
    expect_equal(found, [user["id"]], "the ids of Resources", reply)


@pytest.mark.check("DISC-FILTER-002", level="MUST", refs=["RFC7644 §3.4.2.2", "RFC7643 §5"], okta=True,
                   caught_by=["filter-unsupported-ignored"])
def test_unadvertised_filter_is_declined_not_ignored(target: Target, factory: Factory,
                                                     client: ScimClient) -> None:
    """Without filter.supported, `userName eq "<name>"` is declined with 400, or applied; never ignored.

    RFC 7644 §3.4.2.2: "When specified, only those resources matching the filter expression SHALL
    be returned", and "Providers MUST decline to filter results if the specified filter operation
    is not recognized and return an HTTP 400 error with a "scimType" error of "invalidFilter"".
    Okta looks a user up by this very request before it creates one, and links the first resource
    the list returns (okta-scim.md §4.1): an unfiltered list makes it write to somebody else.
    """
    if target.supports("filter"):
        pytest.skip("the target advertises filter.supported: DISC-FILTER-001 judges its filter")
    user, _other = factory.user(), factory.user()  # a second user, so that ignoring the filter shows
    reply = client.get("/Users", params={"filter": f'userName eq "{user["userName"]}"'})
    if reply.status == 400:
        return
    expect_status(reply, 200, 400)
    found = [r.get("id") for r in expect_object(reply).get("Resources") or [] if isinstance(r, dict)]
    expect(set(found) <= {user["id"]}, "400 invalidFilter, or only the user named in the filter",
           f"{len(found)} resources, {len(set(found) - {user['id']})} of them other users", reply)


@pytest.mark.check("DISC-ETAG-001", level="MUST", refs=["RFC7643 §5", "RFC7644 §3.14"],
                   caught_by=["no-etag"])
def test_advertised_etag_is_sent(target: Target, factory: Factory, client: ScimClient) -> None:
    """With etag.supported, GET of a user carries an ETag header.

    RFC 7644 §3.14: "When supported, SCIM ETags MUST be specified as an HTTP header and SHOULD be
    specified within the "version" attribute contained in the resource's "meta" attribute."
    """
    target.require("etag")
    user = factory.user()
    reply = expect_status(client.get(user_path(user["id"])), 200)
    expect_header(reply, "ETag")


@pytest.mark.check("DISC-ETAG-002", level="MUST", refs=["RFC7644 §3.14", "RFC7232 §3.2"],
                   caught_by=["etag-ignored", "no-etag"])
def test_advertised_etag_answers_if_none_match(target: Target, factory: Factory,
                                               client: ScimClient) -> None:
    """With etag.supported, GET with If-None-Match of the current ETag answers 304.

    RFC 7644 §3.14: "If the resource has not changed, the service provider simply returns an
    empty body with a 304 "Not Modified" response code." RFC 7232 §3.2: when the condition is
    false the origin server "MUST respond with ... the 304 (Not Modified) status code if the
    request method is GET" (as ETAG-GET-001, here from the advertisement's side).
    """
    target.require("etag")
    user = factory.user()
    first = expect_status(client.get(user_path(user["id"])), 200)
    etag = first.headers.get("ETag") or (first.body.get("meta") or {}).get("version")
    expect(isinstance(etag, str) and bool(etag), "an ETag header or meta.version", describe(first), first)
    reply = client.get(user_path(user["id"]), headers={"If-None-Match": str(etag)})
    expect_status(reply, 304)


@pytest.mark.check("DISC-SORT-001", level="MUST", refs=["RFC7643 §5", "RFC7644 §3.4.2.3"],
                   caught_by=["sort-ignored", "unstable-paging", "startindex-zero-based"])
def test_advertised_sort_orders_results(target: Target, factory: Factory, client: ScimClient) -> None:
    """With sort.supported, sortBy=userName orders five users ascending, and descending on request.

    RFC 7644 §3.4.2.3: "The "sortBy" parameter specifies the attribute whose value SHALL be used
    to order the returned responses." "If a value for "sortBy" is provided and no "sortOrder" is
    specified, "sortOrder" SHALL default to ascending." Five users in two orders leave a server
    that does not sort one chance in 14400 of passing by luck.
    """
    target.require("sort")
    target.require("filter")
    stem = f"{factory.config.prefix}sort{secrets.token_hex(3)}-"
    scoped = scope_attributes(target, stem)
    made = {c: factory.user(userName=f"{stem}{c}@example.com", **scoped)["id"] for c in "dbeac"}
    ascending = [made[c] for c in sorted(made)]
    for order, wanted in ((None, ascending), ("descending", ascending[::-1])):
        params = {"sortBy": "userName", **({"sortOrder": order} if order else {})}
        reply = scoped_search(client, stem, bool(scoped), **params)  # and its later pages
        if reply.status == 400:  # scimType is OPTIONAL (RFC 7644 §3.12): any 400 declines
            tried = " and ".join(f"`{f}`" for f in scope_filters(stem, bool(scoped)))
            pytest.skip(f"the target refuses {tried}, so the check cannot isolate its users")
        got = [r.get("id") for r in listed(reply)]
        expect_equal([rid for rid in got if rid in wanted], wanted,
                     f"the users in {order or 'ascending'} userName order", reply)


# run_wide: it runs after every other check, so in a full run the users PAGE-MAX-001 created
# (more than maxResults, up to 250) are still there and it creates none of its own.
@pytest.mark.check("DISC-MAXRESULTS-001", level="SHOULD", refs=["RFC7643 §5", "RFC7644 §3.4.2.4"],
                   run_wide=True, caught_by=["max-results-ignored"])
def test_max_results_is_honoured(target: Target, factory: Factory, client: ScimClient) -> None:
    """A count above filter.maxResults never returns more than maxResults resources.

    RFC 7643 §5: "maxResults: An integer value specifying the maximum number of resources
    returned in a response." The definition carries no keyword, hence SHOULD (as PAGE-MAX-001);
    a 400 (RFC 7644 §3.12 tooMany) returns nothing and passes. Observable only when more than
    maxResults users exist; up to 250 the check creates the missing ones (it runs last, so in a
    full run PAGE-MAX-001's are there already), above that it is skipped. Where a cursor-paged
    list leaves totalResults out (RFC 9865 §2), it counts the users by nextCursor.
    """
    limit = target.max_results
    if limit is None:
        pytest.skip("/ServiceProviderConfig advertises no filter.maxResults")
    params = {"count": str(limit + 1), "startIndex": "1"}
    reply = expect_status(client.get("/Users", params=params), 200, 400)
    total = _total(client, target, reply, limit + 1)
    if reply.status == 200 and isinstance(total, int) and total <= limit <= OBSERVE_LIMIT:
        factory.users([factory.user_body() for _ in range(limit + 1 - total)])
        reply = expect_status(client.get("/Users", params=params), 200, 400)
    if reply.status == 400:
        return  # refusing the count does not return more than maxResults
    returned = reply.body.get("Resources") or []
    total = _total(client, target, reply, limit + 1)
    if len(returned) <= limit and not (isinstance(total, int) and total > limit):
        pytest.skip(f"no more than maxResults={limit} users exist (totalResults {total}), so the limit "
                    f"cannot be observed; the check creates at most {OBSERVE_LIMIT + 1}")
    expect(len(returned) <= limit, f"at most maxResults={limit} resources",
           f"{len(returned)} resources for count={limit + 1}", reply)


def _total(client: ScimClient, target: Target, reply: Reply, up_to: int) -> object:
    """The reply's totalResults; where a cursor-paged list leaves it out (RFC 9865 §2), the users
    counted by nextCursor, up to up_to at least."""
    total = reply.body.get("totalResults")
    if reply.status == 200 and total is None and cursor_paged(reply, target):
        return count_users(client, target, up_to)
    return total


@pytest.mark.check("DISC-PATCH-001", level="MUST", refs=["RFC7643 §5", "RFC7644 §3.5.2"])
def test_advertised_patch_works(target: Target, factory: Factory, client: ScimClient) -> None:
    """With patch.supported, a PATCH replace of displayName (or name.givenName) takes effect.

    RFC 7644 §3.5.2: "On successful completion, the server either MUST return a 200 OK response
    code and the entire resource within the response body ... or MAY return HTTP status code 204
    (No Content)". displayName is optional (RFC 7643 §4.1.1): a target whose User schema in
    /Schemas lacks it is patched through name.givenName.
    """
    target.require("patch")
    attr = target.pick_attribute("User", "displayName", "name.givenName")
    user = factory.user()
    wanted = f"{value_at(user, attr) or 'Patched'} {secrets.token_hex(2)}"
    reply = expect_status(client.patch(user_path(user["id"]), _patch_op(attr, wanted)), 200, 204)
    after = reply if reply.status == 200 else expect_status(client.get(user_path(user["id"])), 200)
    expect_equal(value_at(expect_object(after), attr), wanted, f"{attr} after the PATCH", after)


@pytest.mark.check("DISC-BULK-001", level="SHOULD", refs=["RFC7643 §5", "RFC7644 §3.7", "RFC7644 §3.12"])
def test_bulk_endpoint_agrees_with_bulk_supported(target: Target, client: ScimClient) -> None:
    """POST /Bulk is refused (501, 404 or 405) when bulk.supported is false, and exists when true.

    RFC 7644 §3.12, Table 8: 501 Not Implemented — "Service provider does not support the request
    operation"; 404 Not Found — "Specified resource (e.g., User) or endpoint does not exist";
    "Implementers SHOULD handle the identified HTTP status codes as described below." A server
    without bulk may have no /Bulk endpoint at all, so 404 (or 405, RFC 7231 §6.5.5) is as right
    as 501; answering as if bulk ran is not. RFC 7644 §3.7: a BulkRequest is answered with a
    BulkResponse. The probe sends no operation (so nothing is written); "Operations" is
    REQUIRED, so a server may refuse the empty list with 400 — that still shows the endpoint exists.
    """
    reply = client.post("/Bulk", {"schemas": [urns.BULK_REQUEST], "Operations": []})
    if not target.supports("bulk"):
        expect_status(reply, 501, 404, 405)
        return
    body = expect_object(expect_status(reply, 200, 400))
    if reply.status == 200:
        expect(urns.BULK_RESPONSE in (body.get("schemas") or []), f"schemas containing {urns.BULK_RESPONSE}",
               body.get("schemas"), reply)


@pytest.mark.check("DISC-PASSWORD-001", level="MUST", refs=["RFC7643 §5", "RFC7643 §4.1.1"])
def test_advertised_change_password_works(target: Target, factory: Factory, client: ScimClient) -> None:
    """With changePassword.supported, setting a user's password succeeds.

    RFC 7643 §5: changePassword "supported: A Boolean value specifying whether or not the
    operation is supported." The change is sent as a PATCH when patch is supported, else a PUT.
    """
    target.require("changePassword")
    user = factory.user()
    password = f"Sc1m!{secrets.token_urlsafe(12)}aZ9"
    if target.supports("patch"):
        reply = client.patch(user_path(user["id"]), _patch_op("password", password))
    else:
        body = {k: v for k, v in user.items() if k not in ("id", "meta", "groups")}
        reply = client.put(user_path(user["id"]), {**body, "password": password})
    if reply.status not in (200, 204):
        fail("200 or 204 to a password change", describe(reply), reply)
