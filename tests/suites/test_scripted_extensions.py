"""Scripted bad responses for the extension checks that no provider deviation reproduces.

One rewrite breaks four checks at once: an Ivanti schema whose attributes lack "multiValued" and
declare canonicalValues the server ignores, an Ivanti extension /ResourceTypes calls required
although the server does not enforce it, and PATCH errors turned into 200s. Another says every
user carries the Ivanti schema (apart: where Ivanti is required, every user does).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any
from urllib.parse import parse_qs

import pytest

from simulator.provider.app import create_app
from simulator.provider.server import start_in_thread
from simulator.provider.service import ProviderConfig
from simulator.scim import urns
from simulator.scim.extensions import parse_extension_spec
from tests.suites.scripted import scripted
from tests.suites.support import IVANTI_SPEC, TOKEN, Response, failing, provider, run_suites

IVANTI = "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User"
UNKNOWN = "urn:ietf:params:scim:schemas:extension:scimcert-unknown:2.0:User"  # EXT-UNKNOWN-*'s
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


def omits_extension_urns(resp: Response) -> None:
    """Users keep their extension data, but "schemas" names only the core schema."""
    body = resp.json if resp.status in (200, 201) and resp.body.strip() else None
    if "/Users" in resp.path and isinstance(body, dict) and "userName" in body:
        body["schemas"] = [urns.CORE_USER]
        resp.set_json(body)


@scripted("EXT-CREATE-002")
def test_schemas_without_a_present_extension_fails_its_check() -> None:
    """The precondition (the data is kept) holds here, so the check judges "schemas" itself."""
    with provider(rewrite=omits_extension_urns) as url:
        summary = run_suites(url, ["extensions"], "-k", "test_schemas_lists_extension_when_present")
    assert failing(summary) == {"EXT-CREATE-002"}
    (check,) = summary["checks"]
    assert "(precondition)" not in check["message"] and '"schemas" contains' in check["message"]


ACME = "urn:example:params:scim:schemas:extension:acme:2.0:User"
# What a user read back without an extension's data shows of it: RFC 7643 §2.5 makes unassigned,
# null and empty equivalent in state.
CLEARED_FORMS: dict[str, Any] = {urns.ENTERPRISE_USER: None, ACME: {},
                                 IVANTI: {"custAttr1": None, "level": None, "vip": None}}


def keeps_cleared_extensions_listed(resp: Response) -> None:
    """A user read back keeps every extension listed in "schemas", its key null, {} or null
    attributes when the data is gone (as servers that serialise every extension do)."""
    body = resp.json if resp.method == "GET" and resp.status == 200 and "/Users/" in resp.path else None
    if not isinstance(body, dict) or "userName" not in body:
        return
    for urn, form in CLEARED_FORMS.items():
        if urn not in body:
            body[urn] = form
            body["schemas"] = [*body.get("schemas", []), urn]
    resp.set_json(body)


def test_cleared_extension_left_as_null_or_empty_passes_the_clearing_checks() -> None:
    """EXT-PUT-002 and EXT-PATCH-006 judge the data: a URN key left null, {} or with null
    attributes is cleared (they used to fail; "schemas" is EXT-CREATE-003's)."""
    extensions = (IVANTI_SPEC, f"{ACME}=costCode")
    with provider(extensions=extensions, rewrite=keeps_cleared_extensions_listed) as url:
        summary = run_suites(url, ["extensions"], "-k",
                             "test_put_without_extension_clears_it or test_patch_remove_whole_extension")
    cases = {(c["id"], k["case"]): k["outcome"] for c in summary["checks"] for k in c["cases"]}
    assert cases == {(check, ext): "passed" for check in ("EXT-PUT-002", "EXT-PATCH-006")
                     for ext in ("enterprise", "ivanti", "acme")}


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


def _untyped_errors(resp: Response) -> None:
    """400s without a scimType: RFC 7644 §3.12 makes it OPTIONAL."""
    if resp.status == 400 and isinstance(resp.json, dict):
        resp.set_json({k: v for k, v in resp.json.items() if k != "scimType"})


def _declines_extension_filters(resp: Response) -> None:
    """Filters on URN-qualified extension attributes declined with 400 invalidFilter."""
    if resp.method == "GET" and ":extension:" in " ".join(parse_qs(resp.query).get("filter", [])):
        resp.status = 400
        resp.set_json({"schemas": [urns.ERROR], "status": "400", "scimType": "invalidFilter",
                       "detail": "Extension attributes cannot be filtered on."})


class _IgnoresUnknown:
    """WSGI middleware: POST bodies lose the unknown extension and the undefined attribute before
    the provider sees them, as on a server that ignores what it does not know."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ["REQUEST_METHOD"] == "POST":
            raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            body = json.loads(raw) if raw.strip() else None
            if isinstance(body, dict):
                body.pop(UNKNOWN, None)
                body["schemas"] = [s for s in body.get("schemas", []) if s != UNKNOWN]
                for value in body.values():
                    if isinstance(value, dict):
                        value.pop("scimcertNoSuchAttribute", None)
                raw = json.dumps(body).encode()
            environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(raw), str(len(raw))
        return self.app(environ, start_response)


@contextmanager
def _ignoring_provider() -> Iterator[str]:
    app = create_app(ProviderConfig(token=TOKEN, extensions=(parse_extension_spec(IVANTI_SPEC),)))
    app.wsgi_app = _IgnoresUnknown(app.wsgi_app)  # type: ignore[method-assign]
    with start_in_thread(app) as server:
        yield server.url + "/scim/v2"


ALLOWED: dict[str, Callable[[], AbstractContextManager[str]]] = {
    "untyped-errors": lambda: provider(rewrite=_untyped_errors),
    "extension-filters-declined": lambda: provider(rewrite=_declines_extension_filters),
    "unknown-ignored": _ignoring_provider,
}


@pytest.mark.parametrize("case", sorted(ALLOWED))
def test_behaviours_the_rfc_allows_fail_no_extension_check(case: str) -> None:
    """Untyped 400s, a declined extension filter, and unknown extension data ignored (RFC 7644
    §3.3: "free to alter and/or ignore POSTed content") fail nothing."""
    with ALLOWED[case]() as url:
        summary = run_suites(url, ["extensions"])
    assert (failing(summary), summary["exit_code"]) == (set(), 0)


def test_an_enterprise_body_without_its_schemas_entry_may_be_refused() -> None:
    """Okta lists the enterprise URN in "schemas" when it sends enterprise data (okta-scim.md §9,
    [O] S21), so refusing a body that leaves it out breaks no Okta flow: EXT-CREATE-004 (MAY, but
    Okta-critical) judges custom URNs only, and skips the enterprise one instead of failing it."""
    with provider("extension-requires-schemas-entry") as url:
        summary = run_suites(url, ["extensions"], "-k", "test_okta_body_without_schemas_entry")
    cases = {(c["id"], k["case"]): k["outcome"] for c in summary["checks"] for k in c["cases"]}
    assert cases == {("EXT-CREATE-004", "enterprise"): "skipped", ("EXT-CREATE-004", "ivanti"): "failed"}


def test_checks_over_typed_attributes_say_why_they_skip_without_any() -> None:
    """EXT-TYPE-001/002 were skipped as "[NOTSET] got empty parameter set for (urn,
    typed_attribute)" (mlflow-oidc-auth 11.0.2, which has no extension): the reason now says what
    was missing and how to test one."""
    with provider(extensions=()) as url:
        summary = run_suites(url, ["extensions"], "-k", "wrong_type_is_invalid_value")
    typed = {c["id"]: c for c in summary["checks"] if c["id"] in ("EXT-TYPE-001", "EXT-TYPE-002")}
    assert set(typed) == {"EXT-TYPE-001", "EXT-TYPE-002"}, [c["id"] for c in summary["checks"]]
    for check in typed.values():
        assert check["outcome"] == "skipped", check
        assert "no extension under test (enterprise) has a single-valued readWrite attribute of type" \
            in check["message"], check
