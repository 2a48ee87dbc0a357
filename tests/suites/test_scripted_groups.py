"""Scripted bad responses proving the groups checks that no provider deviation reproduces can fail."""

from __future__ import annotations

import re
from urllib.parse import unquote_plus

from simulator.scim import urns
from tests.suites.scripted import scripted
from tests.suites.support import Response, failing, provider, run_suites

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
