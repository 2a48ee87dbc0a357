"""Small helpers shared by the /Users checks: paths, error keywords, timestamps, comparisons."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from simulator.scim import urns
from suites.client import Reply, ScimClient
from suites.expect import expect_status

# Okta's SPEC test step 4 asks for this id; no server generates it.
MISSING_ID = "010101001010101011001010101011"
PASSWORD = "Sc1mcert-Pa55word!"  # strong enough for common password policies
_DATETIME = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?", re.IGNORECASE)


def created_id(body: Mapping[str, Any]) -> str:
    """The id of a user the factory created (the factory already required it)."""
    return str(body["id"])


def scim_type(reply: Reply) -> Any:
    """The scimType of an error body, or None."""
    return reply.body.get("scimType")


def active_patch(active: bool) -> dict[str, Any]:
    """Okta's (de)activation PATCH: no path, lower-case op, a value object (okta-scim.md §6.1)."""
    return {"schemas": [urns.PATCH_OP], "Operations": [{"op": "replace", "value": {"active": active}}]}


def replaced(client: ScimClient, path: str, reply: Reply) -> Reply:
    """The user after a successful PUT: the 200's body, or a GET after a 204.

    RFC 7644 §3.5.1 says a successful PUT "returns a 200 OK response code and the entire
    resource" without an RFC 2119 keyword; USR-REPLACE-001 rates that (SHOULD), the other PUT
    checks judge what was stored.
    """
    __tracebackhide__ = True
    expect_status(reply, 200, 204)
    return reply if reply.status == 200 else expect_status(client.get(path), 200)


def find_by_username(client: ScimClient, user_name: str) -> Reply:
    """GET /Users?filter=userName eq "..."&startIndex=1&count=100, Okta's lookup (okta-scim.md §4.1)."""
    return client.get("/Users", params={"filter": f"userName eq {json.dumps(user_name)}",
                                        "startIndex": 1, "count": 100})


def listed(reply: Reply) -> list[dict[str, Any]]:
    """The Resources of a ListResponse, tolerating junk."""
    items = reply.body.get("Resources")
    return [r for r in items if isinstance(r, dict)] if isinstance(items, list) else []


def meta_of(body: Mapping[str, Any]) -> dict[str, Any]:
    """The meta object of a resource ({} when absent or not an object)."""
    meta = body.get("meta")
    return meta if isinstance(meta, dict) else {}


def given_name(doc: Mapping[str, Any]) -> Any:
    """name.givenName of a returned user, or None."""
    name = doc.get("name")
    return name.get("givenName") if isinstance(name, dict) else None


def parse_time(value: Any) -> datetime | None:
    """An xsd:dateTime (RFC 7643 §2.3.5) as an aware datetime; no zone is read as UTC."""
    match = _DATETIME.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return None
    fraction = (match[2] or "0")[:6].ljust(6, "0")
    zone = (match[3] or "Z").upper().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(f"{match[1]}.{fraction}{zone}")
    except ValueError:
        return None
    return parsed.astimezone(UTC)


def has_fraction(value: Any) -> bool:
    """True when a timestamp carries sub-second digits."""
    match = _DATETIME.fullmatch(value) if isinstance(value, str) else None
    return bool(match and match[2])


def leaked_password(doc: Mapping[str, Any]) -> Any:
    """The value of any attribute named password (names are case-insensitive, RFC 7643 §2.1)."""
    return next((v for k, v in doc.items() if k.casefold() == "password" and v is not None), None)


def echo_problems(sent: Mapping[str, Any], got: Mapping[str, Any]) -> list[str]:
    """How a returned user differs from the userName, name and active sent: what Okta's SPEC test
    step 6 asserts of the created user (okta-scim.md §11.1)."""
    problems = []
    if str(got.get("userName", "")).casefold() != str(sent["userName"]).casefold():
        problems.append(f"userName {got.get('userName')!r} (sent {sent['userName']!r})")
    name = got.get("name")
    name = name if isinstance(name, dict) else {}
    for part in ("givenName", "familyName"):
        if part in sent.get("name", {}) and name.get(part) != sent["name"][part]:
            problems.append(f"name.{part} {name.get(part)!r} (sent {sent['name'][part]!r})")
    if "active" in sent and got.get("active") != sent["active"]:
        problems.append(f"active {got.get('active')!r} (sent {sent['active']!r})")
    return problems


def kept_problems(sent: Mapping[str, Any], got: Mapping[str, Any],
                  defines: Callable[[str], bool] = lambda _: True) -> list[str]:
    """How a returned user differs from the emails (value, type, primary) and externalId sent:
    values Okta does not read back. Only what the target's User schema defines is judged (a
    server without emails.type cannot keep one)."""
    problems = []
    kept = [k for k in ("type", "primary") if defines(f"emails.{k}")]
    for email in sent.get("emails", []) if defines("emails") else []:
        if not _has_email(got.get("emails"), {k: v for k, v in email.items() if k == "value" or k in kept}):
            problems.append(f"emails {got.get('emails')!r} (sent {email!r})")
    if "externalId" in sent and defines("externalId") and got.get("externalId") != sent["externalId"]:
        problems.append(f"externalId {got.get('externalId')!r} (sent {sent['externalId']!r})")
    return problems


def _has_email(emails: Any, wanted: Mapping[str, Any]) -> bool:
    # email values are caseExact=false (RFC 7643 §8.7.1); type and primary must survive as sent
    return isinstance(emails, list) and any(
        isinstance(e, dict) and str(e.get("value", "")).casefold() == str(wanted["value"]).casefold()
        and all(e.get(k) == wanted[k] for k in ("type", "primary") if k in wanted)
        for e in emails
    )
