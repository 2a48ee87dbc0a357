"""Okta's import (okta-scim.md §3): pages of 100 until totalResults, from the engine's plans."""

from __future__ import annotations

import pytest

from simulator.okta import engine
from suites.config import RunConfig
from suites.expect import expect
from suites.okta.support import OktaSender, expect_outcome, flow_step, okta_app


@pytest.mark.check("OKTA-IMPORT-001", level="MUST", refs=["RFC7644 §3.4.2.4", "Okta §3"], okta=True,
                   caught_by=["count-ignored", "list-counts-as-strings", "unstable-paging"])
def test_import_reads_every_page_once(okta: OktaSender, scim_config: RunConfig,
                                      crowd: list[dict[str, str]]) -> None:
    """Import Now: startIndex=1&count=100 paging reads every user exactly once over several pages.

    RFC 7644 §3.4.2.4: "startIndex  The 1-based index of the first query result." Okta needs
    integer counters and an order that is stable across pages (§3).
    """
    outcome = okta.drive(engine.import_users(okta_app(scim_config)))
    expect_outcome(outcome, okta)
    seen = [str(r.get("id")) for r in outcome.resources]
    pages = outcome.summary.pages if outcome.summary else 0
    expect(pages >= 2, "more than one page of 100", f"{pages} page(s)", okta.last)
    missing = [u["id"] for u in crowd if seen.count(u["id"]) != 1]
    expect(not missing, f"each run user imported exactly once{okta.declined_note()}",
           f"{len(missing)} missing or repeated{_short_pages(okta)}", okta.last)


def _short_pages(okta: OktaSender) -> str:
    """Why users went missing when the target pages in fewer than 100: RFC 7644 §3.4.2.4 lets it
    ("MAY return fewer results"), but Okta asks for startIndex 1, 101, 201… (okta-scim.md §3)."""
    pages = zip(okta.sent, okta.replies, strict=True)
    sizes = [len(reply.body.get("Resources") or []) for request, reply in pages
             if request.method == "GET" and request.path == "/Users" and "count=100" in request.query
             and "filter=" not in request.query]
    short = [size for size in sizes[:-1] if size < 100]
    if not short:
        return ""
    return (f"; the target answered count=100 with pages of {max(short)}: RFC 7644 §3.4.2.4 allows "
            "that, but Okta asks for startIndex 1, 101, 201… and never reads the rest of each 100")


@pytest.mark.check("OKTA-IMPORT-002", level="MUST", refs=["RFC7644 §3.4.2", "Okta §3"], okta=True,
                   readonly=True,
                   caught_by=["empty-result-not-listresponse", "list-counts-as-strings"])
def test_import_groups(okta: OktaSender, scim_config: RunConfig) -> None:
    """Import Now for groups: GET /Groups?startIndex=1&count=100 pages answer ListResponses.

    RFC 7644 §3.4.2: "totalResults ... REQUIRED"; Okta needs integer counters (§3).
    """
    flow_step("import", "import.groups", okta, scim_config)
