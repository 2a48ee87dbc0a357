"""Scripted bad responses proving the groups checks that no provider deviation reproduces can fail."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote_plus

from simulator.scim import urns
from tests.suites.scripted import scripted
from tests.suites.support import Response, Rewrite, failing, provider, run_suites

GROUP_ITEM = re.compile(r"/Groups/[^/]+$")


def _break_create(resp: Response) -> None:
    """POST /Groups: members not an array on success; an unknown member accepted as 201."""
    if resp.method != "POST" or not resp.path.endswith("/Groups"):
        return
    if resp.status == 201:
        resp.set_json({**resp.json, "members": "everyone"})
    elif resp.status == 400:
        resp.status = 201
        resp.set_json({"schemas": [urns.CORE_GROUP], "id": "scripted-dangling", "displayName": "x"})


def _break_reads(resp: Response) -> None:
    """Reads lie in ways only one check each looks at; DELETE answers 200 instead of 204."""
    item = GROUP_ITEM.search(resp.path) is not None
    if resp.method == "DELETE" and item and resp.status == 204:
        resp.status = 200
        resp.set_json({})
    elif resp.method == "GET" and item and resp.status == 200:
        body = resp.json
        if not resp.query:  # GET by id with no parameters: only GRP-READ-001 compares displayName
            body["displayName"] += " (renamed)"
        for member in body.get("members") or []:
            member["type"] = "Group"
        resp.set_json(body)
    elif resp.method == "GET" and resp.path.endswith("/Groups") and "SCIMCERT-" in unquote_plus(resp.query):
        resp.set_json({"schemas": [urns.LIST_RESPONSE], "totalResults": 0, "startIndex": 1,
                       "itemsPerPage": 0, "Resources": []})  # the upper-cased displayName finds nothing


@scripted("GRP-CREATE-002", "GRP-CREATE-004", "GRP-CREATE-006")
def test_bad_create_responses_fail_the_create_checks() -> None:
    with provider(rewrite=_break_create) as url:
        summary = run_suites(url, ["groups"], "-k", "test_create")
    assert failing(summary) == {"GRP-CREATE-002", "GRP-CREATE-004", "GRP-CREATE-006"}


@scripted("GRP-READ-001", "GRP-READ-003", "GRP-DELETE-001", "GRP-MEMBERSHIP-001")
def test_bad_reads_and_delete_fail_their_checks() -> None:
    with provider(rewrite=_break_reads) as url:
        summary = run_suites(url, ["groups"])
    assert failing(summary) == {"GRP-READ-001", "GRP-READ-003", "GRP-DELETE-001", "GRP-MEMBERSHIP-001"}


def _users_only(resp: Response) -> None:
    """A server that offers Users only: no Group resource type or schema, and /Groups is 404."""
    body = resp.json if resp.method == "GET" and resp.status == 200 and resp.body.strip() else None
    if "/Groups" in resp.path:
        resp.status = 404
        resp.set_json({"schemas": [urns.ERROR], "status": "404", "detail": "Not found."})
    elif isinstance(body, dict) and resp.path.endswith(("/ResourceTypes", "/Schemas")):
        body["Resources"] = [r for r in body.get("Resources", [])
                             if r.get("name") != "Group" and r.get("id") != urns.CORE_GROUP]
        body["totalResults"] = body["itemsPerPage"] = len(body["Resources"])
        resp.set_json(body)


def test_a_users_only_server_fails_no_group_check() -> None:
    """RFC 7644 §4: /ResourceTypes says which resources a server offers; Groups may be absent."""
    with provider(rewrite=_users_only) as url:
        summary = run_suites(url, ["groups", "patch", "projection", "filter", "search", "bulk"])
    assert (failing(summary), summary["exit_code"]) == (set(), 0)
    # the bulk checks that POST groups through /Bulk (which the rewrite does not refuse) skip too
    skipped = {c["id"] for c in summary["checks"] if c["outcome"] == "skipped"
               and "/ResourceTypes lists no Group resource type" in c["message"]}
    assert {"BULK-OPS-001", "BULK-REF-001", "BULK-REF-003"} <= skipped


def _taken_name_refused(scim_type: str) -> Rewrite:
    """A second POST /Groups with a displayName already created is answered 409 with scim_type."""
    names: set[str] = set()

    def rewrite(resp: Response) -> None:
        if resp.method != "POST" or not resp.path.endswith("/Groups") or resp.status != 201:
            return
        name = json.loads(resp.request).get("displayName")
        if name in names:
            resp.status = 409
            resp.set_json({"schemas": [urns.ERROR], "status": "409", "scimType": scim_type,
                           "detail": "displayName is taken."})
        names.add(name)

    return rewrite


def test_a_taken_group_name_may_be_refused_with_409_uniqueness_only() -> None:
    """RFC 7643 §8.7.1: displayName "uniqueness": "none", so 201 and 409 uniqueness (RFC 7644 §3.3)
    both pass GRP-CREATE-007; a 409 naming another scimType fails it."""
    outcomes: dict[str, set[str]] = {}
    for scim_type in ("uniqueness", "invalidValue"):
        with provider(rewrite=_taken_name_refused(scim_type)) as url:
            outcomes[scim_type] = failing(run_suites(url, ["groups"], "-k", "taken_display_name"))
    assert outcomes == {"uniqueness": set(), "invalidValue": {"GRP-CREATE-007"}}
