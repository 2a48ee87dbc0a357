"""A scripted server whose User schema is smaller than RFC 7643 §4.1's, as django-scim2-server
1.1.0's is: a check built on an attribute it does not define carries one it does, or is skipped.

Its /Schemas defines no displayName or title, and emails without type or display. It keeps only
what it defines (RFC 7644 §3.3: the server "is free to alter and/or ignore POSTed content") and
refuses a PATCH path to anything else with 400 invalidPath (RFC 7644 §3.5.2).
"""

from __future__ import annotations

import json
import re
from typing import Any

from simulator.scim import urns
from tests.suites.support import Response, failing, provider, run_suites

DROPPED = ("displayName", "title")  # optional User attributes (RFC 7643 §4.1.1)
DROPPED_EMAIL = ("type", "display")  # optional sub-attributes of emails (RFC 7643 §2.4)
PATH = re.compile(r"(?P<attr>[^.\[]+)(?:\[(?P<filter>[^\]]*)\])?(?:\.(?P<sub>.+))?")
# The checks that used to patch, or expect back, displayName, title, emails.type or emails.display
VEHICLES = {"DISC-PATCH-001": "passed", "PROJ-WRITE-002": "passed", "PROJ-WRITE-003": "passed",
            "PATCH-USR-ADD-001": "passed", "PATCH-USR-FILTER-001": "skipped",
            "PATCH-ERR-NOTARGET-002": "passed", "PATCH-ERR-VALUE-001": "passed", "USR-CREATE-014": "passed",
            **{f"ETAG-{op}": "passed" for op in ("GET-001", "PUT-001", "PATCH-001", "DELETE-001",
                                                 "PUT-002", "VERSION-001")}}
FILES = ["users/test_create.py", "discovery/test_features.py", "projection/test_write.py",
         "patch/test_users.py", "patch/test_errors.py", "etag/test_conditional.py"]
SELECTED = " or ".join((
    "test_advertised_patch_works", "test_put_response_honours_excluded_attributes",
    "test_patch_response_honours_attributes", "test_add_to_multi_valued_appends",
    "test_replace_through_value_filter", "test_replace_filter_matching_nothing",
    "test_value_of_wrong_type", "test_conditional", "test_create_response_keeps_the_other_values_sent"))


def _undefined(path: str) -> bool:
    """Whether a PATCH path names an attribute this server does not define."""
    found = PATH.fullmatch(path)
    if found is None:
        return False
    if found["attr"] in DROPPED:
        return True
    compared = (found["filter"] or "").split(" ", 1)[0]
    return found["attr"] == "emails" and (found["sub"] in DROPPED_EMAIL or compared in DROPPED_EMAIL)


def _patches_undefined(request: bytes) -> bool:
    operations = json.loads(request or b"{}").get("Operations") or []
    return any(isinstance(op.get("path"), str) and _undefined(op["path"]) for op in operations)


def _trim_user(user: dict[str, Any]) -> None:
    for name in DROPPED:
        user.pop(name, None)
    for email in user.get("emails") or []:
        for sub in DROPPED_EMAIL:
            email.pop(sub, None)


def _trim_schema(schema: dict[str, Any]) -> None:
    schema["attributes"] = [a for a in schema["attributes"] if a["name"] not in DROPPED]
    emails = next(a for a in schema["attributes"] if a["name"] == "emails")
    emails["subAttributes"] = [s for s in emails["subAttributes"] if s["name"] not in DROPPED_EMAIL]


def _smaller_user_schema(resp: Response) -> None:
    if resp.method == "PATCH" and "/Users/" in resp.path and _patches_undefined(resp.request):
        resp.status = 400
        resp.set_json({"schemas": [urns.ERROR], "status": "400", "scimType": "invalidPath",
                       "detail": "The path names an attribute the User schema does not define."})
        return
    body = resp.json if resp.status in (200, 201) and resp.body.strip() else None
    if not isinstance(body, dict):
        return
    for doc in [body, *(r for r in body.get("Resources") or [] if isinstance(r, dict))]:
        if doc.get("id") == urns.CORE_USER:
            _trim_schema(doc)
        elif urns.CORE_USER in (doc.get("schemas") or []):
            _trim_user(doc)
    resp.set_json(body)


def test_checks_carry_an_attribute_the_target_defines() -> None:
    """These checks failed a correct server that defines none of displayName, title, emails.type
    and emails.display (django-scim2-server 1.1.0 publishes such a User schema): they patched, or
    expected back, an attribute its /Schemas does not define (ETAG-PATCH-001 and ETAG-PUT-002
    where it supports ETags); PATCH-USR-ADD-001 and USR-CREATE-014 judged its emails by type. Now
    they pick one it defines, and the Entra-style emails[type eq "work"] replace is skipped, saying why."""
    with provider(rewrite=_smaller_user_schema) as url:
        summary = run_suites(url, FILES, "-k", SELECTED)
    assert (failing(summary), summary["exit_code"]) == (set(), 0)
    assert {c["id"]: c["outcome"] for c in summary["checks"]} == VEHICLES
    (skipped,) = (c for c in summary["checks"] if c["outcome"] == "skipped")
    assert "the target's User schema in /Schemas defines no emails.type" in skipped["message"]
