"""Scripted bad responses proving the discovery checks that no provider deviation reproduces can fail."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_plus

from simulator.scim import urns
from tests.suites.scripted import scripted
from tests.suites.support import Response, failing, provider, run_suites

IVANTI = "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User"
DOCUMENT_CHECKS = {"DISC-SPC-001", "DISC-MAXRESULTS-001", "DISC-RTYPE-001", "DISC-RTYPE-003",
                   "DISC-SCHEMA-001", "DISC-SCHEMA-002", "DISC-EXT-001"}
BY_ID_CHECKS = {"DISC-RTYPE-002", "DISC-SCHEMA-003", "DISC-SCHEMA-004", "DISC-RTYPE-004"}
BEHAVIOUR_CHECKS = {"DISC-PATCH-001", "DISC-PASSWORD-001", "DISC-BULK-001", "DISC-USER-002"}


def _break_group_schema(schema: dict[str, Any]) -> None:
    for attr in schema["attributes"]:
        if attr["name"] == "displayName":
            del attr["multiValued"]  # only the JSON Schema of RFC 7643 §7 notices
        if attr["name"] == "members":
            del attr["subAttributes"]  # only SchemaDef.from_json notices


def _break_documents(resp: Response) -> None:
    """The three listings: SPC without authenticationSchemes and with maxResults 2; ResourceTypes
    as a bare array with Group at /groups; Schemas without Ivanti and with a broken Group schema."""
    if resp.method != "GET" or resp.status != 200:
        return
    body = resp.json
    if resp.path.endswith("/ServiceProviderConfig"):
        del body["authenticationSchemes"]
        body["filter"]["maxResults"] = 2
    elif resp.path.endswith("/ResourceTypes"):
        body = body["Resources"]
        next(r for r in body if r["name"] == "Group")["endpoint"] = "/groups"
    elif resp.path.endswith("/Schemas"):
        body["Resources"] = [s for s in body["Resources"] if s["id"] != IVANTI]
        _break_group_schema(next(s for s in body["Resources"] if s["id"] == urns.CORE_GROUP))
    else:
        return
    resp.set_json(body)


def _break_by_id(resp: Response) -> None:
    """Single ResourceType and Schema reads differ from the listings; unknown ones answer 200."""
    by_id = "/ResourceTypes/" in resp.path or "/Schemas/" in resp.path
    if resp.method != "GET" or not by_id:
        return
    if resp.status == 404:
        resp.status = 200
        resp.set_json({})
    elif resp.path.endswith(("/ResourceTypes/User", f"/Schemas/{urns.CORE_USER}")):
        resp.set_json({**resp.json, "description": "not what /ResourceTypes and /Schemas list"})


def _break_behaviour(resp: Response) -> None:
    """PATCH of users fails, /Bulk answers as if it ran though bulk.supported is false, and GET of a
    user omits the required userName."""
    user_item = "/Users/" in resp.path
    if resp.method == "PATCH" and user_item and resp.status == 200:
        resp.status = 400
        resp.set_json({"schemas": [urns.ERROR], "status": "400", "scimType": "invalidValue",
                       "detail": "scripted refusal"})
    elif resp.method == "POST" and resp.path.endswith("/Bulk"):
        resp.status = 200
        resp.set_json({"schemas": [urns.BULK_RESPONSE], "Operations": []})
    elif resp.method == "GET" and user_item and resp.status == 200:
        resp.set_json({k: v for k, v in resp.json.items() if k != "userName"})


@scripted(*DOCUMENT_CHECKS)
def test_broken_discovery_documents_fail_the_document_checks() -> None:
    with provider(rewrite=_break_documents) as url:
        summary = run_suites(url, ["discovery"])
    assert failing(summary) == DOCUMENT_CHECKS


@scripted(*BY_ID_CHECKS)
def test_inconsistent_reads_by_id_fail_the_by_id_checks() -> None:
    with provider(rewrite=_break_by_id) as url:
        summary = run_suites(url, ["discovery"])
    assert failing(summary) == BY_ID_CHECKS


@scripted(*BEHAVIOUR_CHECKS)
def test_features_that_do_not_work_fail_the_feature_checks() -> None:
    with provider("bulk-unsupported", rewrite=_break_behaviour) as url:
        summary = run_suites(url, ["discovery"])
    assert failing(summary) == BEHAVIOUR_CHECKS


def _without_bulk_endpoint(resp: Response) -> None:
    """A server without bulk (bulk.supported false, the bulk-unsupported condition) and without a
    /Bulk route: 404, as for any endpoint it lacks."""
    if resp.method == "POST" and resp.path.endswith("/Bulk"):
        resp.status = 404
        resp.set_json({"schemas": [urns.ERROR], "status": "404", "detail": "Not found."})


def _declines_sw_without_scim_type(resp: Response) -> None:
    """A server that refuses `sw` with a bare 400 (scimType is OPTIONAL, RFC 7644 §3.12)."""
    if resp.method == "GET" and resp.path.endswith("/Users") and " sw " in unquote_plus(resp.query):
        resp.status = 400
        resp.set_json({"schemas": [urns.ERROR], "status": "400", "detail": "sw is not supported."})


def test_no_bulk_endpoint_and_a_bare_filter_decline_are_no_failures() -> None:
    """Both are allowed by RFC 7644 §3.12: a run against them fails nothing, and DISC-SORT-001
    selects its users by `userType eq` instead of the declined `sw` (suites/sort/scope.py)."""
    def rewrite(resp: Response) -> None:
        _without_bulk_endpoint(resp)
        _declines_sw_without_scim_type(resp)

    with provider("bulk-unsupported", rewrite=rewrite) as url:
        summary = run_suites(url, ["discovery"], "-k", "bulk or sort")
    assert {c["id"]: c["outcome"] for c in summary["checks"]} == {
        "DISC-BULK-001": "passed", "DISC-SORT-001": "passed"}


def _filter_unadvertised(resp: Response) -> None:
    """/ServiceProviderConfig says filter.supported false; the provider still applies filters."""
    if resp.method == "GET" and resp.status == 200 and resp.path.endswith("/ServiceProviderConfig"):
        resp.set_json({**resp.json, "filter": {**resp.json["filter"], "supported": False}})


def test_an_unadvertised_filter_that_is_applied_passes() -> None:
    """RFC 7644 §3.4.2.2 asks that only matching resources be returned, or a 400 invalidFilter: a
    target that applies a filter it does not advertise passes DISC-FILTER-002 (and
    filter-unsupported-ignored, which ignores it, fails it: test_selftest)."""
    with provider(rewrite=_filter_unadvertised) as url:
        summary = run_suites(url, ["discovery"], "-k", "filter_is_applied or filter_is_declined")
    outcomes = {c["id"]: c["outcome"] for c in summary["checks"]}
    assert outcomes == {"DISC-FILTER-001": "skipped", "DISC-FILTER-002": "passed"}


def _apply_discovery_filters(resp: Response) -> None:
    """A filter on /Schemas or /ResourceTypes applied instead of refused: 200 and only the core
    User documents (the ones the checks' filters name)."""
    if resp.method == "GET" and resp.status == 403 and "filter=" in resp.query:
        listing = "/Schemas" if resp.path.endswith("/Schemas") else "/ResourceTypes"
        wanted = {"id": urns.CORE_USER} if listing == "/Schemas" else {"name": "User"}
        key, value = next(iter(wanted.items()))
        resp.status = 200
        resp.set_json({"schemas": [urns.LIST_RESPONSE], "totalResults": 1, "startIndex": 1, "itemsPerPage": 1,
                       "Resources": [{key: value, "schemas": [urns.SCHEMA if listing == "/Schemas"
                                                               else urns.RESOURCE_TYPE]}]})


def test_a_discovery_filter_that_is_applied_fails_both_query_checks() -> None:
    """RFC 7644 §4: filtering "SHALL be ignored" (DISC-QUERY-001) and "SHOULD" get 403
    (DISC-QUERY-002): a listing of only the documents the filter matches fails both."""
    with provider(rewrite=_apply_discovery_filters) as url:
        summary = run_suites(url, ["discovery/test_queries.py"])
    assert failing(summary) == {"DISC-QUERY-001", "DISC-QUERY-002"}
    messages = [c["message"] for c in summary["checks"] if c["id"] == "DISC-QUERY-001"]
    assert messages and all("filtering SHALL be ignored" in m for m in messages)
