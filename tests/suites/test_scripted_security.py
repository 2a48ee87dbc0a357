"""Scripted bad responses for the security checks no deviation reaches, and their credential probes."""

from __future__ import annotations

import base64

from simulator.scim import urns
from suites.config import Auth
from suites.security.probes import malformed, wrong
from tests.suites.scripted import scripted
from tests.suites.support import TOKEN, Response, failing, provider, run_suites

AUTH_CHECKS = {f"SEC-AUTH-00{n}" for n in range(1, 10)}


def _bare_401(resp: Response) -> None:
    """401s without a WWW-Authenticate challenge and without a detail."""
    if resp.status != 401:
        return
    for name in [k for k in resp.headers if k.lower() == "www-authenticate"]:
        del resp.headers[name]
    body = resp.json
    body.pop("detail", None)
    resp.set_json(body)


@scripted("SEC-AUTH-007", "SEC-AUTH-008")
def test_401_without_challenge_or_detail() -> None:
    with provider(rewrite=_bare_401) as url:
        summary = run_suites(url, ["security"])
    assert failing(summary) == {"SEC-AUTH-007", "SEC-AUTH-008"}


def _create_crashes(resp: Response) -> None:
    """POST /Users answers 500 wherever it refused the request with a 4xx other than 401."""
    refused = 400 <= resp.status < 500 and resp.status != 401
    if resp.method == "POST" and resp.path.endswith("/Users") and refused:
        resp.status = 500
        resp.set_json({"schemas": [urns.ERROR], "status": "500", "detail": "Internal server error."})


@scripted("SEC-LIMIT-001", "SEC-LIMIT-002")
def test_oversized_and_nested_bodies_crash() -> None:
    with provider(rewrite=_create_crashes) as url:
        summary = run_suites(url, ["security"])
    assert failing(summary) == {"SEC-LIMIT-001", "SEC-LIMIT-002"}


def test_header_auth_probes_against_the_provider() -> None:
    """With --scim-header the auth checks derive their probes from the header and still pass."""
    header = f"Authorization: Bearer {TOKEN}"
    with provider() as url:
        good = run_suites(url, ["security"], "-k", "test_auth", "--scim-header", header, token="")
    with provider("auth-not-enforced") as url:
        bad = run_suites(url, ["security"], "-k", "test_auth", "--scim-header", header, token="")
    # and SEC-AUTH-010, judged on the header's scheme ("bearer …"), which a target without auth takes
    assert {c["id"]: c["outcome"] for c in good["checks"]} == dict.fromkeys(AUTH_CHECKS | {"SEC-AUTH-010"},
                                                                           "passed")
    assert failing(bad) == AUTH_CHECKS


def test_probes_follow_the_configured_auth_kind() -> None:
    basic = Auth("basic", "alice:s3cret")
    sent = [dict(c.headers)["Authorization"] for c in wrong(basic)]
    decoded = [base64.b64decode(v.removeprefix("Basic ")).decode() for v in sent]
    assert decoded[0].startswith("alice:scimcert-wrong-") and decoded[1] == "alice:s3cretjunk"
    assert dict(malformed(basic)[0].headers) == {"Authorization": "Basic"}
    custom = Auth("header", "X-Api-Key: k-123")
    assert [dict(c.headers).keys() for c in wrong(custom)] == [{"X-Api-Key": ""}.keys()] * 2
    assert dict(wrong(custom)[1].headers) == {"X-Api-Key": "k-123junk"}
    assert dict(malformed(custom)[0].headers) == {"Authorization": "Bearer"}
    ssws = Auth("header", "Authorization: SSWS abc")
    assert dict(wrong(ssws)[0].headers)["Authorization"].startswith("SSWS scimcert-wrong-")
    assert all("s3cret" not in c.label and "abc" not in c.label for c in wrong(basic) + wrong(ssws))
