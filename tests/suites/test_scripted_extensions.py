"""Scripted bad responses for the extension checks that no provider deviation reproduces.

One rewrite breaks four checks at once: an Ivanti schema whose attributes lack "multiValued" and
declare canonicalValues the server ignores, an Ivanti extension /ResourceTypes calls required
although the server does not enforce it, and PATCH errors turned into 200s. Another says every
user carries the Ivanti schema (apart: where Ivanti is required, every user does).
"""

from __future__ import annotations

from typing import Any

from tests.suites.scripted import scripted
from tests.suites.support import Response, failing, provider, run_suites

IVANTI = "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User"
CHECKS = {"EXT-DISC-002", "EXT-TYPE-002", "EXT-TYPE-003", "EXT-REQ-001"}
TESTS = ("test_extension_schema_is_well_formed or test_patch_wrong_type or test_canonical_values"
         " or test_required_extension")


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
    else:
        return
    resp.set_json(body)


@scripted(*sorted(CHECKS))
def test_scripted_extension_misbehaviour_fails_its_checks() -> None:
    with provider(rewrite=misbehave) as url:
        summary = run_suites(url, ["extensions"], "-k", TESTS)
    assert failing(summary) == CHECKS


def lists_ivanti_everywhere(resp: Response) -> None:
    """Every user read back lists the Ivanti schema, with or without Ivanti data."""
    body = resp.json if resp.status == 200 and resp.body.strip() else None
    if resp.method == "GET" and "/Users/" in resp.path and isinstance(body, dict):
        body["schemas"] = [*body.get("schemas", []), IVANTI]
        resp.set_json(body)


@scripted("EXT-CREATE-003")
def test_schemas_listing_an_absent_extension_fails_its_check() -> None:
    with provider(rewrite=lists_ivanti_everywhere) as url:
        summary = run_suites(url, ["extensions"], "-k", "test_schemas_omits_extension")
    assert failing(summary) == {"EXT-CREATE-003"}


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
