"""Scripted responses of a correct server for the Okta checks: none may fail on them."""

from __future__ import annotations

from simulator.scim import urns
from tests.suites.support import Response, Rewrite, failing, provider, run_suites


def unique_emails() -> Rewrite:
    """A server that refuses a second user with an email already in use (409 uniqueness), as
    @better-auth/scim 1.7 does: RFC 7644 §3.3 lets creation conflict with existing resources."""
    seen: set[str] = set()

    def rewrite(resp: Response) -> None:
        if resp.method != "POST" or not resp.path.endswith("/Users") or resp.status != 201:
            return
        emails = {e["value"].casefold() for e in resp.json.get("emails", []) if "value" in e}
        if emails & seen:
            resp.status = 409
            resp.set_json({"schemas": [urns.ERROR], "status": "409", "scimType": "uniqueness",
                           "detail": "A user already uses this email"})
        seen.update(emails)

    return rewrite


def test_spec_test_setup_users_do_not_share_an_email() -> None:
    """Each SPEC-test check creates its own "existing" user; they used to share one email, so the
    second was refused on such a server and OKTA-SPEC-002 failed on a setup of our making."""
    with provider(rewrite=unique_emails()) as url:
        summary = run_suites(url, ["okta"], "-k", "test_spec")
    assert failing(summary) == set()
