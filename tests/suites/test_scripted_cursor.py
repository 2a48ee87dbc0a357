"""Scripted responses for the cursor checks (RFC 9865): a target that does not advertise cursor
paging, and the branches of the walks that no provider deviation reaches."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from simulator.scim import urns
from suites.catalogue import catalogue
from tests.suites.scripted import scripted
from tests.suites.support import Response, Rewrite, failing, provider, run_suites

CURSOR_CHECKS = {e.id for e in catalogue() if e.suite == "cursor"}
SPC_CHECKS = {"CURSOR-SPC-001", "CURSOR-SPC-002"}


def _spc(edit: dict[str, Any]) -> Rewrite:
    def rewrite(resp: Response) -> None:
        if resp.path.endswith("/ServiceProviderConfig") and resp.status == 200:
            body = resp.json
            if edit.get("pagination") is None:
                body.pop("pagination", None)
            else:
                body["pagination"] = {**body["pagination"], **edit["pagination"]}
            resp.set_json(body)

    return rewrite


def _skipped(summary: dict[str, Any]) -> dict[str, str]:
    return {c["id"]: c["message"] for c in summary["checks"] if c["outcome"] == "skipped"}


def test_a_target_without_pagination_skips_every_cursor_check_saying_why() -> None:
    """RFC 9865 §4: a provider implementing cursors "SHOULD include" pagination in
    /ServiceProviderConfig; a target without it (every server before RFC 9865) is not judged."""
    with provider(rewrite=_spc({"pagination": None})) as url:
        summary = run_suites(url, ["cursor"])
    skipped = _skipped(summary)
    assert set(skipped) == CURSOR_CHECKS and summary["exit_code"] == 0
    reason = ('/ServiceProviderConfig has no pagination attribute; RFC 9865 §4: "A SCIM service '
              'provider implementing cursor-based pagination SHOULD include"')
    assert all(reason in m for m in skipped.values())


def test_a_target_without_cursors_has_only_its_pagination_attribute_judged() -> None:
    """pagination.cursor false: the attribute is judged (CURSOR-SPC-*), cursor paging is not."""
    with provider(rewrite=_spc({"pagination": {"cursor": False}})) as url:
        summary = run_suites(url, ["cursor"])
    skipped = _skipped(summary)
    assert set(skipped) == CURSOR_CHECKS - SPC_CHECKS and failing(summary) == set()
    assert all("pagination.cursor is not true in /ServiceProviderConfig (it is False)" in m
               for m in skipped.values())


def _endless(resp: Response) -> None:
    """The last page of a cursor-paged GET carries a nextCursor too: the request's own cursor."""
    cursor = parse_qs(resp.query, keep_blank_values=True).get("cursor")
    body = resp.json if resp.method == "GET" and resp.status == 200 and cursor else None
    if isinstance(body, dict) and "nextCursor" not in body and body.get("Resources"):
        body["nextCursor"] = cursor[0]
        resp.set_json(body)


@scripted("CURSOR-WALK-001")
def test_a_walk_that_never_ends_fails_walk_checks() -> None:
    """nextCursor "MUST be omitted from a response only to indicate that there are no more result
    pages": a target that never omits it sends the walk round in circles, for the page bound."""
    with provider(rewrite=_endless) as url:
        summary = run_suites(url, ["cursor"], "-k", "reach_every or each_resource_once")
    assert failing(summary) == {"CURSOR-WALK-001", "CURSOR-WALK-002"}
    (walk,) = [c for c in summary["checks"] if c["id"] == "CURSOR-WALK-001"]
    assert "Expected: a page without nextCursor within 16 pages of 3 over 7 matches" in walk["message"]


def _numeric_cursors(resp: Response) -> None:
    """nextCursor as a JSON number, as a server handing out its row offset might."""
    body = resp.json if resp.method == "GET" and resp.status == 200 else None
    if isinstance(body, dict) and isinstance(body.get("nextCursor"), str):
        body["nextCursor"] = 3
        resp.set_json(body)


@scripted("CURSOR-FIRST-001")
def test_a_cursor_that_is_no_string_fails_the_checks_that_read_it() -> None:
    with provider(rewrite=_numeric_cursors) as url:
        summary = run_suites(url, ["cursor"], "-k", "not above_max")
    found = failing(summary)
    assert found == {"CURSOR-FIRST-001", "CURSOR-WALK-001", "CURSOR-WALK-002", "CURSOR-CHARS-001",
                     "CURSOR-SORT-001", "CURSOR-PREV-002"}
    (first,) = [c for c in summary["checks"] if c["id"] == "CURSOR-FIRST-001"]
    assert "Expected: nextCursor as a string (RFC 9865 §2)" in first["message"]


def _error_without_scim_type(resp: Response) -> None:
    """The forged cursor's 400 without scimType: a generic Bad Request."""
    body = resp.json if resp.status == 400 else None
    if isinstance(body, dict) and body.get("scimType") == "invalidCursor":
        resp.set_json({"schemas": [urns.ERROR], "status": "400", "detail": "Bad Request"})


@scripted("CURSOR-ERR-001")
def test_a_forged_cursor_refused_without_invalid_cursor_fails() -> None:
    with provider(rewrite=_error_without_scim_type) as url:
        summary = run_suites(url, ["cursor"], "-k", "forged")
    assert failing(summary) == {"CURSOR-ERR-001"}
    assert "Expected: scimType \"invalidCursor\"" in summary["checks"][0]["message"]
