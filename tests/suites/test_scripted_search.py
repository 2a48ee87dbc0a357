"""Scripted /.search responses: a target that does not serve /.search gets only skips from the
search checks, and one that serves it is judged on every request it refuses."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from simulator.scim import urns
from suites.catalogue import catalogue
from tests.suites.support import Response, failing, provider, run_suites

SEARCH_CHECKS = {e.id for e in catalogue() if e.suite == "search"}


def not_served(status: int) -> Callable[[Response], None]:
    """Answer every POST …/.search as a server without the route or the operation does."""

    def rewrite(resp: Response) -> None:
        if resp.method != "POST" or not resp.path.endswith("/.search"):
            return
        resp.status = status
        if status == 501:
            resp.set_json({"schemas": [urns.ERROR], "status": "501", "detail": "Not implemented."})
        else:  # a framework's own page, not a SCIM error
            resp.headers["Content-Type"] = "text/html"
            resp.body = b"<html><body>Not Found</body></html>" if status == 404 else b""

    return rewrite


@pytest.mark.parametrize("status", [404, 405, 501])
def test_a_target_without_search_gets_only_skips(status: int) -> None:
    """RFC 7644 §3.4.3: "Clients MAY execute queries [...] using the HTTP POST verb combined with
    the "/.search" path extension": a target that does not serve it is not wrong."""
    with provider(rewrite=not_served(status)) as url:
        summary = run_suites(url, ["search"])
    outcomes = {c["id"]: (c["outcome"], c["message"]) for c in summary["checks"]}
    assert set(outcomes) == SEARCH_CHECKS
    assert {o for o, _ in outcomes.values()} == {"skipped"}, outcomes
    assert all("does not serve POST " in m and f"(HTTP {status} to a SearchRequest)" in m
               for _, m in outcomes.values()), outcomes
    assert summary["exit_code"] == 0


def refuse_projection(resp: Response) -> None:
    """Serve /.search, but answer 501 to a SearchRequest that asks for attributes."""
    if resp.method == "POST" and resp.path.endswith("/.search") and b'"attributes"' in resp.request:
        resp.status = 501
        resp.set_json({"schemas": [urns.ERROR], "status": "501",
                       "detail": "attributes are not supported"})


def test_a_target_that_serves_search_is_judged_on_what_it_refuses() -> None:
    """A 501 to one SearchRequest is no reason to skip where a bare one answers 200: the endpoint
    is served, and the body's attributes parameter "MUST be supported" (RFC 7644 §3.4.2.5)."""
    with provider(rewrite=refuse_projection) as url:
        summary = run_suites(url, ["search"])
    assert failing(summary) == {"SEARCH-PROJ-001"}
