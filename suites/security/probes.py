"""Helpers of the security checks: refused credentials, password scans and leak counting."""

from __future__ import annotations

import base64
import json
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from simulator.scim.paths import resource_path
from suites.client import Reply, ScimClient
from suites.config import Auth
from suites.expect import describe, fail
from suites.target import Target


@dataclass(frozen=True, slots=True)
class Credentials:
    """What a probe sends instead of the configured credentials; label never holds a secret."""

    label: str
    headers: tuple[tuple[str, str], ...] = ()


NONE = Credentials("no credentials")
NON_TOKEN = Credentials("'Authorization: non-token' (Okta's SPEC test step 11)",
                        (("Authorization", "non-token"),))


def require_auth(auth: Auth) -> None:
    """Skip the calling check when the run has no credentials: nothing says the target wants some."""
    if auth.kind == "none":
        pytest.skip("no credentials configured (--scim-token, --scim-basic or --scim-header)")


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def wrong(auth: Auth) -> list[Credentials]:
    """Well-formed credentials of the configured kind that are not the configured ones."""
    junk = "scimcert-wrong-" + secrets.token_hex(8)
    if auth.kind == "basic":
        user, _, password = auth.value.partition(":")
        return [Credentials("Basic credentials with a wrong password",
                            (("Authorization", _basic(user, junk)),)),
                Credentials("the configured Basic password with 'junk' appended",
                            (("Authorization", _basic(user, password + "junk")),))]
    name, value = next(iter(auth.headers().items()))
    if auth.kind == "bearer":
        return [Credentials("a wrong bearer token", (("Authorization", f"Bearer {junk}"),)),
                Credentials("the configured bearer token with 'junk' appended",
                            (("Authorization", value + "junk"),))]
    scheme, sep, _ = value.partition(" ")
    bad = f"{scheme} {junk}" if name.lower() == "authorization" and sep else junk
    return [Credentials(f"a wrong {name} header", ((name, bad),)),
            Credentials(f"the configured {name} header with 'junk' appended", ((name, value + "junk"),))]


def malformed(auth: Auth) -> list[Credentials]:
    """Authorization headers that carry no usable credentials at all."""
    name, value = next(iter(auth.headers().items()))
    scheme = value.split(" ", 1)[0] if name.lower() == "authorization" and " " in value else "Bearer"
    return [Credentials(f"'Authorization: {scheme}' (scheme without credentials)",
                        (("Authorization", scheme),)),
            Credentials("'Authorization: Basic garbage'", (("Authorization", "Basic garbage"),)),
            NON_TOKEN]


def send(client: ScimClient, method: str, path: str, creds: Credentials, **kw: Any) -> Reply:
    """The request without the configured credentials, carrying creds instead."""
    headers = dict(creds.headers)
    if client.session.cookies:  # a session cookie could authenticate the probe by itself
        headers["Cookie"] = ""
    return client.request(method, path, auth=False, headers=headers, **kw)


# RFC 7644 §3.12 names 401 for "The authorization header is invalid or missing" under
# "Implementers SHOULD handle the identified HTTP status codes as described below", and RFC 6750
# §3.1 says a resource server "SHOULD respond with the HTTP 401" to an invalid token; RFC 9110
# §15.5.4 lets a server refuse with 403 too. A refusal is either; SEC-AUTH-009 rates 401 itself.
REFUSED = (401, 403)


def expect_refused(reply: Reply, creds: Credentials, *codes: int) -> None:
    """The probe was refused: answered with one of codes (401 or 403 unless told)."""
    __tracebackhide__ = True
    wanted = codes or REFUSED
    if reply.status not in wanted:
        shown = " or ".join(str(c) for c in wanted)
        fail(f"HTTP {shown} for a request with {creds.label}", describe(reply), reply)


def resource_paths(client: ScimClient, target: Target) -> list[str]:
    """/Users, /Groups (unless the target's ResourceTypes leave Groups out) and one member of each.

    The member is an existing one when the collection lists any, else a made-up id.
    """
    collections = ["/Users"]
    if target.resource_type("Group") is not None or not target.resource_types():
        collections.append("/Groups")
    paths = list(collections)
    for collection in collections:
        found = listed_in(client.get(collection, params={"startIndex": 1, "count": 1}).json)
        rid = found[0].get("id") if found and isinstance(found[0].get("id"), str) else None
        paths.append(resource_path(collection.lstrip("/"), rid or "scimcert-" + secrets.token_hex(8)))
    return paths


def listed_in(body: Any) -> list[dict[str, Any]]:
    """The resources a list answer carries: a ListResponse's Resources, or a bare array."""
    items = body.get("Resources") if isinstance(body, dict) else body
    return [r for r in items if isinstance(r, dict)] if isinstance(items, list) else []


def total_of(body: Any) -> int:
    """totalResults as a number (0 when absent or not a count)."""
    raw = body.get("totalResults") if isinstance(body, dict) else None
    text = str(raw) if isinstance(raw, int | str) and not isinstance(raw, bool) else ""
    return int(text) if text.isdigit() else 0


def strong_password() -> str:
    """A fresh password that passes common complexity policies."""
    return f"Sc1m-{secrets.token_urlsafe(12)}-9zQ!"


def password_paths(document: Any) -> Iterator[str]:
    """JSON paths of every member named password (case-insensitive, URN-qualified or not)."""
    stack: list[tuple[str, Any]] = [("$", document)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                here = f"{path}.{key}"
                if str(key).casefold().rsplit(":", 1)[-1] == "password":
                    yield here
                stack.append((here, value))
        elif isinstance(node, list):
            stack.extend((f"{path}[{i}]", item) for i, item in enumerate(node))


PASSWORD_MEMBER = re.compile(r'"(?:[^"\\]*:)?password"\s*:', re.IGNORECASE)


def password_members(text: str) -> list[str]:
    """Where a response body has password members; a body cut short or broken is searched as text."""
    document = parse(text)
    if document is not None:
        return list(password_paths(document))
    found = PASSWORD_MEMBER.search(text)
    return [f"offset {found.start()} of a body too large or broken to parse"] if found else []


def parse(text: str | None) -> Any:
    """A body as JSON; None when empty, not JSON, or nested beyond the parser."""
    try:
        return json.loads(text) if text and text.strip() else None
    except (ValueError, RecursionError):
        return None


def expect_no_password(reply: Reply, *passwords: str) -> None:
    """The response neither has a password member nor contains a cleartext password anywhere."""
    __tracebackhide__ = True
    found = list(password_paths(reply.json))
    if found:
        fail("no password attribute in the response (returned: never)", f"password at {found[0]}", reply)
    if any(p in reply.text for p in passwords):
        fail("the cleartext password nowhere in the response", "the cleartext password in the body", reply)
