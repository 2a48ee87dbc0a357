"""Scripted bad responses for the PATCH checks that no provider deviation makes fail.

Each rewrite turns the compliant provider into a plausible broken server; the whole patch suite
runs against it and exactly the listed checks must fail.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_plus

import pytest

from simulator.scim import urns
from suites.catalogue import catalogue
from tests.suites.scripted import scripted
from tests.suites.support import Response, Rewrite, failing, provider, run_suites

ITEM = re.compile(r"/(?:Users|Groups)/([^/]+)$")
PATCH_IDS = frozenset(e.id for e in catalogue() if e.suite == "patch")
ERROR_IDS = frozenset(i for i in PATCH_IDS if i.startswith("PATCH-ERR-"))
ATOMIC = "PATCH-USR-ATOMIC-001"
PATHCASE = "PATCH-USR-PATHCASE-001"
READD_STAMP = "PATCH-GRP-ADD-004"

# Checks that read back a change: a server that accepts PATCH but never applies it fails them.
# (PATCH-USR-PATHCASE-001 reads back too, but skips there: its control replace is not kept either.)
READ_BACK = frozenset({
    "PATCH-USR-REPLACE-001", "PATCH-USR-REPLACE-002", "PATCH-USR-REPLACE-003", "PATCH-USR-ADD-001",
    "PATCH-USR-FILTER-001", "PATCH-USR-REMOVE-001", "PATCH-USR-NOPATH-001", "PATCH-USR-NOPATH-003",
    "PATCH-USR-ORDER-001", "PATCH-USR-OPCASE-001", "PATCH-USR-ENTRA-001",
    "PATCH-USR-EXT-001",
    "PATCH-USR-RESPONSE-001", "PATCH-GRP-ADD-001", "PATCH-GRP-REMOVE-001",
    "PATCH-GRP-MEMBERSHIP-001", "PATCH-GRP-REPLACE-001", "PATCH-GRP-REPLACE-002",
    "PATCH-GRP-RENAME-001",
})
SCIM_TYPED = frozenset({
    "PATCH-ERR-PATH-001", "PATCH-ERR-NOTARGET-001", "PATCH-ERR-NOTARGET-002", "PATCH-ERR-MUT-001",
    "PATCH-ERR-MUT-002", "PATCH-ERR-VALUE-001",
})


def _ignores_patches() -> Rewrite:
    """PATCH succeeds but changes nothing: reads and 200 bodies show the resource as created."""
    created: dict[str, Any] = {}

    def rewrite(resp: Response) -> None:
        body = resp.json if resp.body.strip() else None
        item = ITEM.search(resp.path)
        if resp.method == "POST" and resp.status == 201 and isinstance(body, dict):
            created[body["id"]] = body
        elif item and item.group(1) in created and resp.method != "POST" and resp.status == 200:
            resp.set_json(created[item.group(1)])

    return rewrite


def _accepts_bad_patches(resp: Response) -> None:
    """Every PATCH the provider refuses is answered 204 instead."""
    if resp.method == "PATCH" and resp.status >= 400:
        resp.status, resp.body = 204, b""
        resp.headers.pop("Content-Type", None)


def _wrong_scim_type(resp: Response) -> None:
    """PATCH errors keep their 400 but name an unrelated scimType."""
    if resp.method == "PATCH" and resp.status == 400:
        resp.set_json({**resp.json, "scimType": "tooMany"})


def _answers_202(resp: Response) -> None:
    """Successful PATCHes answer 202 Accepted, which RFC 7644 §3.5.2 does not allow."""
    if resp.method == "PATCH" and resp.status in (200, 204):
        resp.status = 202


def _always_204(resp: Response) -> None:
    """Successful PATCHes answer 204 even when ?attributes= asks for a representation."""
    if resp.method == "PATCH" and resp.status == 200:
        resp.status, resp.body = 204, b""
        resp.headers.pop("Content-Type", None)


def _conflict_as(status: int, scim_type: str) -> Rewrite:
    """A PATCH that the provider refuses with 409 (a taken userName) is answered status/scim_type."""
    def rewrite(resp: Response) -> None:
        if resp.method == "PATCH" and resp.status == 409:
            resp.status = status
            resp.set_json({"schemas": [urns.ERROR], "status": str(status), "scimType": scim_type,
                           "detail": "userName is taken."})

    return rewrite


CASES = {
    "conflict-as-mutability": (lambda: _conflict_as(400, "mutability"), {"PATCH-ERR-UNIQUE-001"}),
    "ignores-patches": (_ignores_patches, READ_BACK),
    "accepts-bad-patches": (lambda: _accepts_bad_patches, ERROR_IDS | {ATOMIC}),
    "wrong-scim-type": (lambda: _wrong_scim_type, SCIM_TYPED),
    # PATCH-USR-PATHCASE-001 skips there: its control replace is answered 202 too; so does
    # PATCH-GRP-ADD-004, whose re-add PATCH-GRP-ADD-002 judges
    "answers-202": (lambda: _answers_202, PATCH_IDS - ERROR_IDS - {ATOMIC, PATHCASE, READD_STAMP}),
    "always-204": (lambda: _always_204, {"PATCH-USR-ATTRS-001"}),
}


@scripted(*READ_BACK, *ERROR_IDS, ATOMIC, *(PATCH_IDS - ERROR_IDS - {PATHCASE, READD_STAMP}))
@pytest.mark.parametrize("case", sorted(CASES))
def test_scripted_bad_patch_server(case: str) -> None:
    make, expected = CASES[case]
    with provider(rewrite=make()) as url:
        summary = run_suites(url, ["patch"])
    assert failing(summary) == set(expected)


def _members_on_request(resp: Response) -> None:
    """Group members declared "returned": "request" (RFC 7643 §7): shown only when asked for."""
    body = resp.json if resp.status == 200 and resp.body.strip() else None
    if not isinstance(body, dict):
        return
    if resp.method == "GET" and resp.path.endswith("/Schemas"):
        for schema in body.get("Resources", []):
            for attr in schema.get("attributes", []) if schema.get("id") == urns.CORE_GROUP else []:
                if attr["name"] == "members":
                    attr["returned"] = "request"
    elif re.search(r"/Groups/[^/]+$", resp.path) and "members" not in unquote_plus(resp.query):
        body.pop("members", None)
    else:
        return
    resp.set_json(body)


def _unknown_id_is_400(resp: Response) -> None:
    """PATCH of an unknown id answered 400: Table 8's 404 is a SHOULD."""
    if resp.method == "PATCH" and resp.status == 404:
        resp.status = 400
        resp.set_json({"schemas": [urns.ERROR], "status": "400", "detail": "No such user id."})


# Behaviours RFC 7644 allows, or rates below MUST: the checks they fail, and the gate they pass.
ALLOWED: dict[str, tuple[Rewrite | str, list[str], set[str], str]] = {
    "members-on-request": (_members_on_request, ["patch", "groups"], set(), "may"),
    "op-case-exact": ("patch-op-case-sensitive", ["patch"],
                      {"PATCH-USR-OPCASE-001", "PATCH-USR-ENTRA-001"}, "should"),
    "unknown-id-400": (_unknown_id_is_400, ["patch"], {"PATCH-ERR-404-001"}, "must"),
    "conflict-400-uniqueness": (_conflict_as(400, "uniqueness"), ["patch"], set(), "may"),
}


@pytest.mark.parametrize("case", sorted(ALLOWED))
def test_allowed_behaviours_fail_nothing_at_or_above_the_gate(case: str) -> None:
    behaviour, suites, expected, fail_on = ALLOWED[case]
    server = provider(behaviour) if isinstance(behaviour, str) else provider(rewrite=behaviour)
    with server as url:
        summary = run_suites(url, suites, "--scim-fail-on", fail_on, "--scim-no-okta-gate")
    assert (failing(summary), summary["exit_code"]) == (expected, 0)


UNDEFINED = ("title", "nickName", "userType")  # optional RFC 7643 §4.1.1 attributes


def _without_optional_attributes(resp: Response) -> None:
    """A server whose User schema leaves out title, nickName and userType, and keeps none of them."""
    body = resp.json if resp.status == 200 and resp.body.strip() else None
    if not isinstance(body, dict):
        return
    if resp.path.endswith("/Schemas"):
        for schema in body.get("Resources", []):
            if schema.get("id") == urns.CORE_USER:
                schema["attributes"] = [a for a in schema["attributes"] if a["name"] not in UNDEFINED]
    for user in [body, *(r for r in body.get("Resources", []) if isinstance(r, dict))]:
        for name in UNDEFINED:
            user.pop(name, None)
    resp.set_json(body)


def test_checks_on_attributes_the_target_does_not_define_skip() -> None:
    """A server keeps only the attributes it defines (RFC 7644 §3.3: "free to ... ignore POSTed
    content"): no check fails for an optional attribute missing from its /Schemas."""
    with provider(rewrite=_without_optional_attributes) as url:
        summary = run_suites(url, ["patch", "filter", "sort"], "-k", "not failed_request_changes_nothing")
    assert (failing(summary), summary["exit_code"]) == (set(), 0)


def _untyped_emails(resp: Response) -> None:
    """Users read back with emails that lost "type"."""
    body = resp.json if resp.method == "GET" and resp.status == 200 and resp.body.strip() else None
    if isinstance(body, dict) and isinstance(body.get("emails"), list):
        untyped = [{k: v for k, v in e.items() if k != "type"} for e in body["emails"]]
        resp.set_json({**body, "emails": untyped})


def test_the_emails_evidence_shows_what_was_received() -> None:
    """PATCH-USR-ADD-001 showed a type -> value map as Received: untyped emails collapsed into one
    entry ("None"), so the evidence lost an address the server returned."""
    with provider(rewrite=_untyped_emails) as url:
        summary = run_suites(url, ["patch"], "-k", "test_add_to_multi_valued_appends")
    (check,) = summary["checks"]
    assert check["outcome"] == "failed"
    received = next(line for line in check["message"].splitlines() if line.startswith("Received: "))
    emails = json.loads(received.removeprefix("Received: "))
    assert len(emails) == 2 and all("type" not in e for e in emails), received


def _immutable_username(resp: Response) -> None:
    """/Schemas declares userName immutable (set once, at creation)."""
    body = resp.json if resp.method == "GET" and resp.status == 200 and resp.body.strip() else None
    if isinstance(body, dict) and resp.path.endswith("/Schemas"):
        for schema in body.get("Resources", []):
            for attr in schema.get("attributes", []) if schema.get("id") == urns.CORE_USER else []:
                if attr["name"] == "userName":
                    attr["mutability"] = "immutable"
        resp.set_json(body)


def test_the_username_conflict_check_skips_where_username_is_immutable() -> None:
    """A server whose /Schemas makes userName immutable refuses any change of it (400 mutability);
    PATCH-ERR-UNIQUE-001 cannot tell a conflict from that refusal, so it skips with the reason."""
    with provider(rewrite=_immutable_username) as url:
        summary = run_suites(url, ["patch"], "-k", "test_replace_username_with_a_taken_one")
    (check,) = summary["checks"]
    assert check["outcome"] == "skipped" and "immutable" in check["message"], check


def _declines_value_filters(resp: Response) -> None:
    """A PATCH through a [value eq ...] path filter is declined with 400 invalidFilter."""
    ops = json.loads(resp.request).get("Operations", []) if resp.method == "PATCH" and resp.request else []
    if any("[value eq" in str(op.get("path", "")) for op in ops if isinstance(op, dict)):
        resp.status = 400
        resp.set_json({"schemas": [urns.ERROR], "status": "400", "scimType": "invalidFilter",
                       "detail": "Only type and primary filters are supported."})


def test_a_declined_path_filter_skips_the_no_target_check() -> None:
    """RFC 7644 §3.12 Table 9: invalidFilter, "the specified attribute and filter comparison
    combination is not supported", applies to PATCH (Path Filter): PATCH-ERR-NOTARGET-002 skips."""
    with provider(rewrite=_declines_value_filters) as url:
        summary = run_suites(url, ["patch"], "-k", "test_replace_filter_matching_nothing")
    (check,) = summary["checks"]
    assert check["outcome"] == "skipped" and "invalidFilter" in check["message"], check


def _without_emails(resp: Response) -> None:
    """A server whose User schema defines no emails (mlflow-oidc-auth 11.0.2): /Schemas leaves them
    out, and a PATCH naming them is refused with 400 invalidPath."""
    ops = json.loads(resp.request).get("Operations", []) if resp.method == "PATCH" and resp.request else []
    if any(str(op.get("path", "")).startswith("emails") for op in ops if isinstance(op, dict)):
        resp.status = 400
        resp.set_json({"schemas": [urns.ERROR], "status": "400", "scimType": "invalidPath",
                       "detail": "Unsupported attribute path 'emails'"})
        return
    body = resp.json if resp.method == "GET" and resp.status == 200 and resp.body.strip() else None
    if isinstance(body, dict) and resp.path.endswith("/Schemas"):
        for schema in body.get("Resources", []):
            if schema.get("id") == urns.CORE_USER:
                schema["attributes"] = [a for a in schema["attributes"] if a["name"] != "emails"]
        resp.set_json(body)


def test_the_multi_valued_add_check_skips_where_emails_are_not_defined() -> None:
    """emails are optional (RFC 7643 §4.1.2), and a path to an attribute the schema does not define
    is refused as invalidPath (PATCH-ERR-PATH-001 asks exactly that): PATCH-USR-ADD-001 skips."""
    with provider(rewrite=_without_emails) as url:
        summary = run_suites(url, ["patch"], "-k", "test_add_to_multi_valued_appends")
    (check,) = summary["checks"]
    assert check["outcome"] == "skipped" and "emails.value" in check["message"], check


def _refuses_patches(resp: Response) -> None:
    """Every PATCH is answered 500, as mitol-django-scim's of name.familyName."""
    if resp.method == "PATCH":
        resp.status = 500
        resp.set_json({"schemas": [urns.ERROR], "status": "500", "detail": "Exception occurred"})


@pytest.mark.parametrize(("make", "control"), [(_ignores_patches, 200), (lambda: _refuses_patches, 500)],
                         ids=["ignored", "refused"])
def test_the_path_case_check_skips_where_no_replace_of_family_name_is_kept(
        make: Callable[[], Rewrite], control: int) -> None:
    """mlflow-oidc-auth 11.0.2 answers 200 to a replace of name.familyName in any case and keeps
    none (it stores name.formatted only), mitol-django-scim answers 500 to both: there
    PATCH-USR-PATHCASE-001 failed as if the path's case were at fault. Its control replace now
    tells, and it skips; PATCH-USR-REPLACE-002 judges the lost or refused value."""
    with provider(rewrite=make()) as url:
        summary = run_suites(url, ["patch/test_idp_bodies.py"], "-k", "path_names_any_case")
    (check,) = summary["checks"]
    assert check["outcome"] == "skipped", check
    assert f"not kept either (the control answered {control})" in check["message"], check


def _keeps_no_given_name(resp: Response) -> None:
    """A server that keeps no name.givenName (RFC 7644 §3.3: it may ignore POSTed content)."""
    body = resp.json if resp.headers.get("Content-Type", "").startswith("application/scim+json") else None
    users = body.get("Resources", [body]) if isinstance(body, dict) else []
    for user in users:
        if isinstance(user, dict) and isinstance(user.get("name"), dict):
            user["name"].pop("givenName", None)
    if users:
        resp.set_json(body)


def test_patching_family_name_of_a_user_without_a_given_name_is_judged_not_crashed() -> None:
    """PATCH-USR-REPLACE-002/003 read the created user's givenName as `user["name"]["givenName"]`
    and ended in a KeyError (an error, not a verdict) where the target kept none; a PATCH of
    familyName must then leave it absent, and does."""
    with provider(rewrite=_keeps_no_given_name) as url:
        summary = run_suites(url, ["patch/test_users.py"], "-k", "sub_attribute or keeps_other_sub")
    outcomes = {c["id"]: c["outcome"] for c in summary["checks"]}
    assert outcomes == {"PATCH-USR-REPLACE-002": "passed", "PATCH-USR-REPLACE-003": "passed"}, outcomes


def _schema_without_nickname_or_title(resp: Response) -> None:
    """/Schemas (and /Schemas/{User urn}) without nickName and title, as mlflow-oidc-auth's."""
    body = resp.json if resp.method == "GET" and "/Schemas" in resp.path and resp.status == 200 else None
    schemas = body.get("Resources", [body]) if isinstance(body, dict) else []
    for schema in schemas:
        if isinstance(schema, dict) and schema.get("id") == urns.CORE_USER:
            schema["attributes"] = [a for a in schema["attributes"] if a["name"] not in ("nickName", "title")]
    if schemas:
        resp.set_json(body)


def test_remove_of_a_single_valued_attribute_runs_without_nickname_or_title() -> None:
    """PATCH-USR-REMOVE-001 skipped where /Schemas defines neither nickName nor title (the
    mlflow-oidc-auth triage, where the missing `remove` then showed only through another check);
    it now removes displayName there."""
    with provider(rewrite=_schema_without_nickname_or_title) as url:
        summary = run_suites(url, ["patch/test_users.py"], "-k", "remove_single_valued")
    (check,) = summary["checks"]
    assert (check["id"], check["outcome"]) == ("PATCH-USR-REMOVE-001", "passed"), check


def _whole_seconds(resp: Response) -> None:
    """Timestamps without fractions of a second, as many servers write them."""
    body = resp.json if resp.body.strip() else None
    meta = body.get("meta") if isinstance(body, dict) else None
    if isinstance(meta, dict):
        for key in ("created", "lastModified"):
            if isinstance(meta.get(key), str):
                meta[key] = re.sub(r"\.\d+", "", meta[key])
        resp.set_json(body)


@pytest.mark.parametrize(("deviations", "expected"), [((), set()), (("noop-patch-touches",), {READD_STAMP})])
def test_a_whole_second_clock_still_shows_a_moved_timestamp(deviations: tuple[str, ...],
                                                            expected: set[str]) -> None:
    """PATCH-GRP-ADD-004 waits 1.1 s for a clock that writes whole seconds, so a re-add that stamps
    the group shows there too (a 20 ms wait would leave it within the same second and pass)."""
    with provider(*deviations, rewrite=_whole_seconds) as url:
        summary = run_suites(url, ["patch/test_groups.py"], "-k", "keeps_last_modified")
    outcomes = {c["id"]: c["outcome"] for c in summary["checks"]}
    assert outcomes[READD_STAMP] == ("failed" if expected else "passed")
    assert failing(summary) == expected
