"""Scripted bad responses for the /Users checks that no provider deviation makes fail.

Each test runs the whole users suite against a provider whose responses are edited, and
asserts exactly which checks fail.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from simulator.scim import urns
from tests.suites.scripted import scripted
from tests.suites.support import Response, failing, provider, run_suites

USERS = "/scim/v2/Users"


def _user_id(resp: Response) -> str | None:
    """The id in /scim/v2/Users/{id}, or None for other paths."""
    prefix = USERS + "/"
    return resp.path[len(prefix):] if resp.path.startswith(prefix) and resp.path != prefix else None


def _mangle_creates(resp: Response) -> None:
    """Created users come back with active as a string, a user without userName is 'created',
    and malformed JSON crashes the server."""
    if resp.method != "POST" or resp.path != USERS:
        return
    body = resp.json
    if resp.status == 201 and isinstance(body, dict):
        resp.set_json({**body, "active": "yes"})
    elif resp.status == 400 and "JSON" in str(body):
        resp.status = 500
    elif resp.status == 400 and "userName" in str(body):
        resp.status = 201
        resp.set_json({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                       "id": "scripted-no-username", "active": True})


@scripted("USR-CREATE-003", "USR-CREATE-004", "USR-CREATE-005", "USR-CREATE-011", "USR-CREATE-012",
          "USR-CREATE-013", "USR-GET-001")
def test_create_and_get_checks_fail_on_mangled_creates() -> None:
    with provider(rewrite=_mangle_creates) as url:
        summary = run_suites(url, ["users"])
    assert failing(summary) == {"USR-CREATE-003", "USR-CREATE-004", "USR-CREATE-005", "USR-CREATE-011",
                                "USR-CREATE-012", "USR-CREATE-013", "USR-GET-001"}


def _drop_email_types(resp: Response) -> None:
    """Users' emails lose "type", as on django-scim2 (it keeps an address, not its type): RFC 7644
    §3.3 lets a server "alter and/or ignore POSTed content"."""
    body = resp.json if resp.path.startswith(USERS) and resp.status in (200, 201) else None
    users = body.get("Resources", [body]) if isinstance(body, dict) else []
    for user in (u for u in users if isinstance(u, dict) and isinstance(u.get("emails"), list)):
        user["emails"] = [{k: v for k, v in e.items() if k != "type"} if isinstance(e, dict) else e
                          for e in user["emails"]]
    if users:
        resp.set_json(body)


@scripted("USR-CREATE-014")
def test_email_types_dropped_fail_only_the_may_that_asks_to_keep_them() -> None:
    """USR-CREATE-005 and USR-CREATE-013 (okta) used to fail the Okta gate here, though Okta's own
    create (OKTA-SPEC-006, 007) passes: Okta asserts userName, name and active, not email types."""
    with provider(rewrite=_drop_email_types) as url:
        summary = run_suites(url, ["users", "okta/test_spec.py"])
    assert (failing(summary), summary["exit_code"]) == ({"USR-CREATE-014"}, 0)
    assert summary["verdicts"] == {"rfc": "pass", "okta": "pass"}
    (check,) = (c for c in summary["checks"] if c["id"] == "USR-CREATE-014")
    assert "Expected: the created user to keep the emails and externalId sent" in check["message"]


class _SoftDelete:
    """A server that keeps deleted users around (and answers 200) and ignores PUT's name change."""

    def __init__(self) -> None:
        self.users: dict[str, dict[str, Any]] = {}
        self.deleted: set[str] = set()

    def __call__(self, resp: Response) -> None:
        rid, body = _user_id(resp), resp.json
        if resp.method == "POST" and resp.status == 201 and isinstance(body, dict):
            self.users[str(body["id"])] = body
        elif resp.method == "PUT" and resp.status == 200 and isinstance(body, dict):
            resp.set_json({**body, "name": {**body.get("name", {}), "givenName": "Unchanged"}})
        elif resp.method == "DELETE" and rid is not None:
            self._delete(resp, rid)
        elif resp.method == "GET" and rid in self.deleted and rid is not None:
            resp.status = 200
            resp.set_json(self.users[rid])
        elif resp.method == "GET" and resp.path == USERS and isinstance(body, dict):
            self._list(resp, body)

    def _delete(self, resp: Response, rid: str) -> None:
        if resp.status == 204:
            self.deleted.add(rid)
            resp.status = 200
        elif resp.status == 404 and rid in self.deleted:
            resp.status = 204

    def _list(self, resp: Response, body: dict[str, Any]) -> None:
        query = " ".join(parse_qs(resp.query).get("filter", []))
        ghosts = [self.users[r] for r in self.deleted if str(self.users[r].get("userName")) in query]
        if ghosts:
            resp.set_json({**body, "totalResults": len(ghosts), "itemsPerPage": len(ghosts),
                           "Resources": ghosts})


@scripted("USR-REPLACE-001", "USR-DELETE-001", "USR-DELETE-002", "USR-DELETE-003", "USR-DELETE-004")
def test_replace_and_delete_checks_fail_on_soft_delete_server() -> None:
    with provider(rewrite=_SoftDelete()) as url:
        summary = run_suites(url, ["users"])
    assert failing(summary) == {"USR-REPLACE-001", "USR-REPLACE-005", "USR-DELETE-001", "USR-DELETE-002",
                                "USR-DELETE-003", "USR-DELETE-004"}


def _put_answers_204(resp: Response) -> None:
    """Every successful PUT answers 204 No Content (RFC 7644 §3.5.1's 200 is said without a keyword)."""
    if resp.method == "PUT" and resp.status == 200:
        resp.status, resp.body = 204, b""
        resp.headers.pop("Content-Type", None)


def test_put_answered_204_fails_only_the_should_that_asks_for_200() -> None:
    """The stored values are what the MUST checks judge; USR-REPLACE-001 (SHOULD, okta) wants the 200."""
    with provider(rewrite=_put_answers_204) as url:
        summary = run_suites(url, ["users", "groups", "etag", "projection", "extensions"],
                             "--scim-no-okta-gate")
    assert (failing(summary), summary["exit_code"]) == ({"USR-REPLACE-001"}, 0)


def _relative_location(resp: Response) -> None:
    """201s carry Location as a relative reference (RFC 7231 §7.1.2 allows it)."""
    location = resp.headers.get("Location")
    if resp.status == 201 and location:
        resp.headers["Location"] = urlsplit(location).path


def test_a_relative_location_header_fails_nothing() -> None:
    with provider(rewrite=_relative_location) as url:
        summary = run_suites(url, ["users"], "-k", "create")
    assert (failing(summary), summary["exit_code"]) == (set(), 0)


def _stores_usernames_lower_cased(resp: Response) -> None:
    """Every userName comes back lower-cased, as from a server that normalises it when storing."""
    body = resp.json if resp.status < 300 and resp.body.strip() else None
    if not isinstance(body, dict):
        return
    resources = body.get("Resources")
    for user in [body, *(resources if isinstance(resources, list) else [])]:
        if isinstance(user, dict) and isinstance(user.get("userName"), str):
            user["userName"] = user["userName"].lower()
    resp.set_json(body)


def test_lower_cased_usernames_fail_only_okta_s_exact_comparison() -> None:
    """RFC 7644 §3.3 lets a server alter what it is sent, and RFC 7643 §4.1 makes userName
    caseExact false, so no RFC check may fail a server that stores it lower-cased. Okta's SPEC test
    step 6 compares the returned userName exactly (okta-scim.md §11.1), so it, and the steps that
    need its user, fail as Okta's own run would."""
    with provider(rewrite=_stores_usernames_lower_cased) as url:
        summary = run_suites(url)
    assert failing(summary) == {"OKTA-SPEC-006", "OKTA-SPEC-007", "OKTA-SPEC-008", "OKTA-SPEC-009"}
    assert summary["verdicts"]["rfc"] == "pass"


def _immutable_username(resp: Response) -> None:
    """/Schemas declares userName immutable, and a PUT that changes it is refused with 400
    mutability, as RFC 7644 §3.5.1 says for an immutable attribute (mlflow-oidc-auth 11.0.2, whose
    userName is the SCIM id). The provider's 409 for a taken userName stands for that refusal."""
    body = resp.json if resp.body.strip() else None
    if resp.method == "PUT" and resp.status == 409:
        resp.status = 400
        resp.set_json({"schemas": [urns.ERROR], "status": "400", "scimType": "mutability",
                       "detail": "userName is immutable"})
    elif resp.method == "GET" and resp.path.endswith("/Schemas") and isinstance(body, dict):
        for schema in body.get("Resources", []):
            for attr in schema.get("attributes", []) if schema.get("id") == urns.CORE_USER else []:
                if attr["name"] == "userName":
                    attr["mutability"] = "immutable"
        resp.set_json(body)


def test_put_of_a_taken_username_skips_where_username_is_immutable() -> None:
    """USR-REPLACE-007 failed the 400 mutability of a target that declares userName immutable, as
    PATCH-ERR-UNIQUE-001 no longer did: uniqueness is never reached, so it skips too."""
    with provider(rewrite=_immutable_username) as url:
        summary = run_suites(url, ["users"], "-k", "test_put_to_a_taken_username_is_refused")
    (check,) = summary["checks"]
    assert check["outcome"] == "skipped" and "mutability" in check["message"], check


def test_put_of_a_taken_username_still_fails_where_an_immutable_username_is_taken() -> None:
    """Declaring userName immutable hides no uniqueness bug: a PUT that takes another user's
    userName and is accepted still fails."""
    with provider("duplicate-username-allowed", rewrite=_immutable_username) as url:
        summary = run_suites(url, ["users"], "-k", "test_put_to_a_taken_username_is_refused")
    assert failing(summary) == {"USR-REPLACE-007"}


class _KeepsNoGivenName:
    """A server that keeps displayName but no name.givenName (mlflow-oidc-auth 11.0.2): a PUT that
    changes only givenName changes nothing it keeps, so meta.lastModified stays where it was."""

    def __init__(self) -> None:
        self.kept: dict[str, tuple[Any, Any]] = {}  # id -> (displayName, lastModified)

    def __call__(self, resp: Response) -> None:
        body = resp.json if resp.status in (200, 201) and resp.body.strip() else None
        if not isinstance(body, dict) or not isinstance(body.get("meta"), dict) or "id" not in body:
            return
        rid = str(body["id"])
        if resp.method == "PUT" and rid in self.kept and self.kept[rid][0] == body.get("displayName"):
            body["meta"]["lastModified"] = self.kept[rid][1]
            resp.set_json(body)
        elif resp.method in ("POST", "PUT", "PATCH"):
            self.kept[rid] = (body.get("displayName"), body["meta"].get("lastModified"))


def test_last_modified_is_judged_on_a_change_the_target_keeps() -> None:
    """USR-REPLACE-006 changed only name.givenName, which a server need not keep (RFC 7644 §3.3), and
    failed an unchanged lastModified on a server that had nothing to update."""
    with provider(rewrite=_KeepsNoGivenName()) as url:
        summary = run_suites(url, ["users"], "-k", "test_put_moves_last_modified_forward")
    (check,) = summary["checks"]
    assert check["outcome"] == "passed", check
