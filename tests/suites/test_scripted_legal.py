"""Responses the RFCs allow, made by editing the compliant provider's: no check may fail on them.

The provider's conditions (simulator/scim/deviation_variants.py) model the legal choices that
change what a server does; these rewrites model the ones that only change how an answer looks.
"""

from __future__ import annotations

from typing import Any

from tests.suites.support import Response, failing, provider, run_suites


def _resources(body: dict[str, Any]) -> list[dict[str, Any]]:
    listed = body.get("Resources")
    return [r for r in [body, *(listed if isinstance(listed, list) else [])] if isinstance(r, dict)]


def _reworded(resp: Response) -> None:
    """Each response says the same thing another way, all of it legal:
    - multi-valued attributes in reverse order (RFC 7643 §2.4: no order is implied);
    - name.formatted filled in, and the first email marked primary (RFC 7644 §3.3: the server "is
      free to alter and/or ignore POSTed content"), members and groups with "$ref";
    - error bodies with vendor members beside detail and status (RFC 7644 §3.12 lists the members
      a server includes, not the only ones it may), and a charset on the media type."""
    media = resp.headers.get("Content-Type", "")
    if media.startswith("application/scim+json") and "charset" not in media:
        resp.headers["Content-Type"] = "application/scim+json; charset=utf-8"
    body = resp.json if resp.body.strip() and media.startswith("application/scim+json") else None
    if not isinstance(body, dict):
        return
    if resp.status >= 400:
        body.update(errorCode="E0000001", timestamp="2026-11-29T00:00:00Z")
    for resource in _resources(body) if resp.status < 300 else ():
        name = resource.get("name")
        if isinstance(name, dict) and "formatted" not in name:
            name["formatted"] = f"{name.get('givenName', '')} {name.get('familyName', '')}".strip()
        emails = resource.get("emails")
        if isinstance(emails, list) and emails and not any(e.get("primary") for e in emails):
            emails[0]["primary"] = True
        for key, kind in (("members", "Users"), ("groups", "Groups")):
            for ref in resource.get(key) or ():
                ref.setdefault("$ref", f"http://127.0.0.1/scim/v2/{kind}/{ref.get('value')}")
        for key in ("emails", "members", "groups", "phoneNumbers", "schemas"):
            if isinstance(resource.get(key), list):
                resource[key] = resource[key][::-1]
    resp.set_json(body)


def test_legal_rewordings_fail_no_check() -> None:
    with provider(rewrite=_reworded) as url:
        summary = run_suites(url)
    assert (failing(summary), summary["exit_code"]) == (set(), 0), {
        c["id"]: c["message"][:300] for c in summary["checks"] if c["outcome"] in ("failed", "error")}
