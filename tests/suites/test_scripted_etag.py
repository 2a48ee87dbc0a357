"""Scripted bad responses for the etag checks that no provider deviation reproduces."""

from __future__ import annotations

from tests.suites.scripted import scripted
from tests.suites.support import Response, failing, provider, run_suites

FROZEN = 'W/"frozen"'  # never one of the provider's real versions


def frozen_version(resp: Response) -> None:
    """Every response shows the same ETag and meta.version, whatever changed."""
    if "ETag" in resp.headers:
        resp.headers["ETag"] = FROZEN
    body = resp.json if resp.body.strip().startswith(b"{") else None
    if isinstance(body, dict) and isinstance(body.get("meta"), dict) and "version" in body["meta"]:
        body["meta"]["version"] = FROZEN
        resp.set_json(body)


@scripted("ETAG-VERSION-001")
def test_a_version_that_never_changes_fails_the_conditional_checks() -> None:
    with provider(rewrite=frozen_version) as url:
        summary = run_suites(url, ["etag"])
    assert failing(summary) == {"ETAG-GET-001", "ETAG-PUT-001", "ETAG-PATCH-001", "ETAG-DELETE-001",
                                "ETAG-PUT-002", "ETAG-VERSION-001"}


def stale_is_409(resp: Response) -> None:
    """A stale If-Match refused with 409 Conflict, RFC 7644 Table 8's code for a version mismatch."""
    if resp.status == 412:
        resp.status = 409
        resp.set_json({**resp.json, "status": "409"})


def test_a_stale_version_refused_with_409_fails_nothing() -> None:
    with provider(rewrite=stale_is_409) as url:
        summary = run_suites(url, ["etag"])
    assert (failing(summary), summary["exit_code"]) == (set(), 0)
