"""Users and Groups endpoints (RFC 7644 §3.3–§3.6), /.search, /Bulk (§3.7), and the unsupported /Me."""

from __future__ import annotations

import dataclasses

from flask import Blueprint, Response, request

from simulator.provider import bulk, render
from simulator.provider.cursors import cursor_page
from simulator.provider.errors import ScimError
from simulator.provider.listing import Query, paginate, parse_query, select
from simulator.provider.projection import Projection
from simulator.provider.records import Record
from simulator.provider.service import etag_matches
from simulator.provider.web import base_url, provider, read_json, scim_json
from simulator.scim import urns

bp = Blueprint("resources", __name__)
KINDS = {"Users": "User", "Groups": "Group"}


def _kind(collection: str) -> str:
    kind = KINDS.get(collection)
    if kind is None:
        raise ScimError(404, f"No SCIM endpoint at {request.path}.")
    return kind


def _projection() -> Projection:
    return Projection.from_params(request.args.get("attributes"), request.args.get("excludedAttributes"))


def _resource(rec: Record, status: int = 200) -> Response:
    prov = provider()
    base = base_url()
    body = render.render(prov, rec, base, _projection())
    headers = _etag_header(rec)
    if status == 201:
        if "created-returns-200" in prov.deviations:
            status = 200
        if "location-mismatch" in prov.deviations:
            headers["Location"] = render.location("http://scim.internal:8080/v2", rec)
        elif "no-location-header" not in prov.deviations:
            headers["Location"] = render.location(base, rec)
    return scim_json(body, status, headers)


def _etag_header(rec: Record) -> dict[str, str]:
    prov = provider()
    return {"ETag": prov.etag(rec)} if prov.etags else {}


@bp.post("/<any(Users, Groups):collection>")
def create(collection: str) -> Response:
    rec = provider().create(_kind(collection), read_json())
    return _resource(rec, 201)


@bp.get("/<any(Users, Groups):collection>/<rid>")
def get(collection: str, rid: str) -> Response:
    prov = provider()
    rec = prov.get(_kind(collection), rid)
    if_none = request.headers.get("If-None-Match")
    if if_none and prov.conditional and etag_matches(if_none, rec.etag):
        return Response(status=304, headers=_etag_header(rec))
    return _resource(rec)


@bp.put("/<any(Users, Groups):collection>/<rid>")
def replace(collection: str, rid: str) -> Response:
    rec = provider().replace(_kind(collection), rid, read_json(), request.headers.get("If-Match"))
    return _resource(rec)


@bp.patch("/<any(Users, Groups):collection>/<rid>")
def patch(collection: str, rid: str) -> Response:
    prov = provider()
    if "patch-unsupported" in prov.deviations:
        raise ScimError(501, "PATCH is not supported: patch.supported is false in /ServiceProviderConfig.")
    rec = prov.patch(_kind(collection), rid, read_json(), request.headers.get("If-Match"))
    projected = "attributes" in request.args or "excludedAttributes" in request.args
    if "patch-no-content" in prov.deviations and not projected:
        return Response(status=204, headers=_etag_header(rec))
    return _resource(rec)


@bp.delete("/<any(Users, Groups):collection>/<rid>")
def delete(collection: str, rid: str) -> Response:
    provider().delete(_kind(collection), rid, request.headers.get("If-Match"))
    return Response(status=204)


@bp.get("/<any(Users, Groups):collection>")
def list_resources(collection: str) -> Response:
    if "negative-count-refused" in provider().deviations and request.args.get("count", "").startswith("-"):
        raise ScimError(400, "Negative indexing is not supported.")  # the bug, as django-scim2 words it
    return _list([_kind(collection)], parse_query(request.args))


@bp.post("/<any(Users, Groups):collection>/.search")
def search(collection: str) -> Response:
    return _list([_kind(collection)], _search_query())


@bp.post("/.search")
def search_root() -> Response:
    return _list(list(KINDS.values()), _search_query())


def _search_query() -> Query:
    body = read_json()
    if not isinstance(body, dict) or urns.SEARCH_REQUEST not in (body.get("schemas") or []):
        raise ScimError(
            400, f"A search body must be a JSON object with schemas [{urns.SEARCH_REQUEST}].", "invalidSyntax"
        )
    devs = provider().deviations
    if "search-requires-filter" in devs and not body.get("filter"):
        raise ScimError(400, "No filter query specified")
    if "search-reads-filter-only" in devs:  # the rest as the list handler reads it: from the URL
        return parse_query({**request.args.to_dict(), "filter": body.get("filter")}, from_body=True)
    if "search-ignores-cursor" in devs:  # cursors added to GET only: the body's is never read
        body = {k: v for k, v in body.items() if k != "cursor"}
    return parse_query(body, from_body=True)


def _list(kinds: list[str], query: Query) -> Response:
    prov = provider()
    if query.cursor is None and "cursor-only" in prov.deviations:  # RFC 9865 §2.3; startIndex ignored
        query = dataclasses.replace(query, cursor="")
    if query.cursor == "" and "empty-cursor-ignored" in prov.deviations:
        query = dataclasses.replace(query, cursor=None)  # the bug: `if cursor:` reads an empty cursor as none
    if query.cursor is not None and "cursor-sort-ignored" in prov.deviations:
        query = dataclasses.replace(query, sort_by=None)
    records = _select_all(kinds, query)
    if not records and query.filter and "filter-miss-404" in prov.deviations:
        raise ScimError(404, "No resources match the filter.")
    base = base_url()
    if query.cursor is not None:  # RFC 9865 §2.4: a cursor parameter asks for cursor paging
        cpage = cursor_page(prov, kinds, query, records)
        found = [render.render(prov, r, base, query.projection) for r in cpage.records]
        return scim_json(render.cursor_list_response(cpage.total, found, cpage.next, cpage.previous))
    page = paginate(prov, records, query)
    items = [render.render(prov, r, base, query.projection) for r in page.records]
    return scim_json(render.list_response(prov, page.total, query.start_index, items, query.count))


def _select_all(kinds: list[str], query: Query) -> list[Record]:
    """One kind, or (root search) every kind whose schema the filter fits (RFC 7644 §3.4.2.1)."""
    if len(kinds) == 1:
        return select(provider(), kinds[0], query)
    records: list[Record] = []
    errors: list[ScimError] = []
    for kind in kinds:
        try:
            records.extend(select(provider(), kind, query))
        except ScimError as exc:
            if exc.scim_type not in ("invalidFilter", "invalidValue"):
                raise
            errors.append(exc)
    if len(errors) == len(kinds):
        raise errors[0]
    return records


@bp.route("/Me", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def me() -> Response:
    raise ScimError(501, "/Me is not implemented by this service provider.")


@bp.route("/Bulk", methods=["POST"])
def bulk_request() -> Response:
    """POST /Bulk (RFC 7644 §3.7, simulator/provider/bulk.py); 501 under bulk-unsupported."""
    prov = provider()
    if not bulk.supported(prov):
        raise ScimError(501, "Bulk operations are not supported (see /ServiceProviderConfig).")
    bulk.check_size(prov, request.content_length)
    return scim_json(bulk.run(prov, read_json(), base_url()))
