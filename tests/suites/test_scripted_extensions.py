"""Scripted bad responses for the extension checks that no provider deviation reproduces.

One rewrite breaks five checks at once: an Ivanti schema whose attributes lack "multiValued" and
declare canonicalValues the server ignores, an Ivanti extension /ResourceTypes calls required
although the server does not enforce it, every user said to carry the Ivanti schema, and PATCH
errors turned into 200s.
"""

from __future__ import annotations

from typing import Any

from tests.suites.scripted import scripted
from tests.suites.support import Response, failing, provider, run_suites

IVANTI = "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User"
CHECKS = {"EXT-DISC-002", "EXT-TYPE-002", "EXT-TYPE-003", "EXT-REQ-001", "EXT-CREATE-003"}
TESTS = ("test_extension_schema_is_well_formed or test_patch_wrong_type or test_canonical_values"
         " or test_required_extension or test_schemas_omits_extension")


def _bad_ivanti(doc: dict[str, Any]) -> None:
    for attr in doc.get("attributes", []):
        attr.pop("multiValued", None)
        if attr["name"] == "custAttr1":
            attr["canonicalValues"] = ["Gold", "Silver"]


def misbehave(resp: Response) -> None:
    body = resp.json if resp.status < 500 and resp.body.strip() else None
    if not isinstance(body, dict):
        return
    if resp.path.endswith("/Schemas"):
        for doc in body.get("Resources", []):
            if doc.get("id") == IVANTI:
                _bad_ivanti(doc)
    elif resp.path.endswith("/ResourceTypes"):
        for rtype in body.get("Resources", []):
            for ext in rtype.get("schemaExtensions", []):
                ext["required"] = ext["required"] or ext["schema"] == IVANTI
    elif resp.method == "PATCH" and resp.status == 400:
        resp.status, body = 200, {}
    elif resp.method == "GET" and "/Users/" in resp.path and resp.status == 200:
        body["schemas"] = [*body.get("schemas", []), IVANTI]
    else:
        return
    resp.set_json(body)


@scripted(*sorted(CHECKS))
def test_scripted_extension_misbehaviour_fails_its_checks() -> None:
    with provider(rewrite=misbehave) as url:
        summary = run_suites(url, ["extensions"], "-k", TESTS)
    assert failing(summary) == CHECKS


UNKNOWN_CHECKS = {"EXT-UNKNOWN-001", "EXT-UNKNOWN-002", "EXT-UNKNOWN-003"}


def crash_on_unknown(resp: Response) -> None:
    """A server whose unknown-extension handling crashes: every refused POST becomes a 500."""
    if resp.method == "POST" and resp.path.endswith("/Users") and resp.status == 400:
        resp.status = 500
        resp.set_json({"detail": "KeyError: 'urn:…'"})


@scripted(*sorted(UNKNOWN_CHECKS))
def test_unknown_extensions_answered_with_500_fail_their_checks() -> None:
    with provider(rewrite=crash_on_unknown) as url:
        summary = run_suites(url, ["extensions"], "-k", "unknown")
    assert failing(summary) == UNKNOWN_CHECKS
