"""Scripted bad responses proving the errors checks that no provider deviation reproduces can fail."""

from __future__ import annotations

import time
from email.utils import formatdate

from simulator.scim import urns
from tests.suites.scripted import scripted
from tests.suites.support import Response, failing, provider, run_suites

BROKEN = {"ERR-SCIMTYPE-001", "ERR-SYNTAX-001", "ERR-BODY-002", "ERR-ME-001", "ERR-OKTA-001",
          "ERR-STATUS-001"}


def _break_errors(resp: Response) -> None:
    """Malformed JSON gets an invented scimType; /Me crashes; a missing user's 404 body says
    status "400" and has no detail (still a schema-valid Error, so ERR-BODY-001 passes)."""
    if resp.method == "POST" and resp.path.endswith("/Users") and resp.status == 400:
        resp.set_json({**resp.json, "scimType": "badJson"})
    elif resp.path.endswith("/Me"):
        resp.status = 500
        resp.set_json({"schemas": [urns.ERROR], "status": "500", "detail": "scripted crash"})
    elif resp.method == "GET" and "/Users/" in resp.path and resp.status == 404:
        resp.set_json({"schemas": [urns.ERROR], "status": "400"})


@scripted(*BROKEN)
def test_bad_error_details_fail_the_error_checks() -> None:
    with provider(rewrite=_break_errors) as url:
        summary = run_suites(url, ["errors"])
    assert failing(summary) == BROKEN


def _unknown_id_is_400(resp: Response) -> None:
    """An unknown user id answered 400 with a valid Error body: Table 8's 404 is only a SHOULD."""
    if resp.method == "GET" and "/Users/" in resp.path and resp.status == 404:
        resp.status = 400
        resp.set_json({"schemas": [urns.ERROR], "status": "400", "detail": "No such user id."})


def test_an_unknown_id_answered_400_fails_only_the_404_checks() -> None:
    """ERR-BODY-001 (MUST) judges the body; the status is the SHOULD of ERR-OKTA-001/ERR-MEDIA-002."""
    with provider(rewrite=_unknown_id_is_400) as url:
        summary = run_suites(url, ["errors"])
    assert failing(summary) == {"ERR-OKTA-001", "ERR-MEDIA-002"}


def _me_without_a_subject(resp: Response) -> None:
    """Canaille 0.3.6: /Me is served (GET, PUT, PATCH, DELETE; OPTIONS lists them), but a
    client's token has no user, so GET /Me answers 404 with a SCIM Error."""
    if resp.method == "GET" and resp.path.endswith("/Me"):
        resp.status = 404
        resp.set_json({"schemas": [urns.ERROR], "status": "404", "detail": "404 Not Found"})


def _me_not_routed(resp: Response) -> None:
    """No /Me route at all: every method, OPTIONS too, answers 404 (better-auth 1.7.5)."""
    if resp.path.endswith("/Me"):
        resp.status = 404
        resp.headers.pop("Allow", None)
        resp.set_json({"schemas": [urns.ERROR], "status": "404", "detail": "Not found"})


def test_me_404_for_credentials_without_a_resource_is_skipped() -> None:
    with provider(rewrite=_me_without_a_subject) as url:
        summary = run_suites(url, ["errors"])
    me = next(c for c in summary["checks"] if c["id"] == "ERR-ME-001")
    assert (failing(summary), me["outcome"]) == (set(), "skipped")


def test_me_404_without_a_me_route_fails() -> None:
    with provider(rewrite=_me_not_routed) as url:
        summary = run_suites(url, ["errors"])
    assert failing(summary) == {"ERR-ME-001"}


def _retry_after_as_date(resp: Response) -> None:
    """The rate-limited condition's 429s say when to retry as an HTTP-date (RFC 9110 §10.2.3)."""
    if resp.status == 429:
        resp.headers["Retry-After"] = formatdate(time.time() + 1, usegmt=True)


def test_a_429_with_an_http_date_fails_only_the_retry_after_check() -> None:
    """RFC 9110 allows an HTTP-date; Okta reads only seconds and waits 5 minutes for anything else:
    ERR-RATE-001 (MAY) fails, naming the date, and the run itself still waits as told and passes."""
    with provider("rate-limited=5", rewrite=_retry_after_as_date) as url:
        summary = run_suites(url, ["errors"])
    assert failing(summary) == {"ERR-RATE-001"}
    message = next(c["message"] for c in summary["checks"] if c["id"] == "ERR-RATE-001")
    assert "-> 429 with Retry-After: " in message and " GMT" in message
    assert summary["exit_code"] == 0  # a MAY fails the run only at --fail-on may
