"""Passwords are write-only: never returned, in any response (RFC 7643 §2.2, §4.1.1)."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.scim import urns
from simulator.scim.paths import user_path
from suites.client import Reply, ScimClient
from suites.exchange import Exchange
from suites.expect import describe, expect_status, fail
from suites.factory import Factory
from suites.filter.query import string
from suites.security.probes import expect_no_password, password_members, strong_password
from suites.target import Target

REFS = ["RFC7643 §4.1.1", "RFC7643 §2.2"]


@pytest.mark.check("SEC-SECRET-001", level="MUST", refs=REFS, caught_by=["password-returned"])
def test_password_never_returned_on_read(factory: Factory, client: ScimClient, target: Target) -> None:
    """Creating, reading, listing a user, or asking for password explicitly, never returns it.

    RFC 7643 §4.1.1 password: "The cleartext value or the hashed value of a password SHALL NOT be
    returnable by a service provider." §2.2 returned "never": "The attribute is never returned."
    A target that refuses users with a password (400) has nothing to leak and is skipped.
    """
    password = strong_password()
    body = factory.user_body(password=password)
    created = factory.post_user(body)
    if created.status == 400:
        pytest.skip(f"the target refuses a user with a password: {describe(created)}")
    user = expect_status(created, 200, 201).body
    path = user_path(str(user.get("id")))
    replies = [created, client.get(path), client.get(path, params={"attributes": "password"})]
    if target.supports("filter"):
        by_name = f"userName eq {string(body['userName'])}"
        replies.append(client.get("/Users", params={"filter": by_name}))
    for reply in replies:
        expect_no_password(reply, password)


@pytest.mark.check("SEC-SECRET-002", level="MUST", refs=[*REFS, "RFC7644 §3.5.1", "RFC7644 §3.5.2"],
                   caught_by=["password-returned"])
def test_password_never_returned_on_change(factory: Factory, client: ScimClient, target: Target) -> None:
    """Setting a new password with PUT (and PATCH, when supported) never echoes it.

    RFC 7643 §4.1.1: the password "SHALL NOT be returnable by a service provider"; RFC 7644
    §3.5.1 and §3.5.2 return the modified resource, which must leave it out. Only the bodies
    are checked: a target may refuse password changes (changePassword.supported false).
    """
    user = factory.user()
    path = user_path(user["id"])
    passwords = [strong_password(), strong_password()]
    replies = [client.put(path, factory.user_body(userName=user["userName"], password=passwords[0]))]
    if target.supports("patch"):
        ops = {"schemas": [urns.PATCH_OP],
               "Operations": [{"op": "replace", "path": "password", "value": passwords[1]}]}
        replies.append(client.patch(path, ops))
    replies.append(client.get(path))
    for reply in replies:
        expect_no_password(reply, *passwords)


def _offences(exchanges: list[tuple[str, Any]]) -> list[tuple[Exchange, str]]:
    """Each password in a response of the run, with the exchange that returned it."""
    found: list[tuple[Exchange, str]] = []
    for check_id, exchange in exchanges:
        text = exchange.response_body or ""
        if "password" not in text.casefold():
            continue
        found += [(exchange, f"{check_id}: {exchange.request_line}: password at {where}")
                  for where in password_members(text)]
    return found


@pytest.mark.check("SEC-SECRET-003", level="MUST", refs=REFS, run_wide=True, caught_by=["password-returned"])
def test_no_response_of_the_run_returns_a_password(factory: Factory, client: ScimClient,
                                                  run_exchanges: list[tuple[str, Any]]) -> None:
    """No response of the whole run carries a password attribute.

    RFC 7643 §2.2 returned "never": "The attribute is never returned"; §4.1.1 password "SHALL NOT
    be returnable". Runs last and scans every response of the run, after creating and reading
    one user with a password itself.
    """
    created = factory.post_user(factory.user_body(password=strong_password()))
    if created.status in (200, 201) and isinstance(created.body.get("id"), str):
        client.get(user_path(created.body["id"]))
    found = _offences(run_exchanges)
    if found:
        more = f"\n(+{len(found) - 5} more)" if len(found) > 5 else ""
        lines = "\n".join(line for _, line in found[:5]) + more
        # the evidence leads with the first response that carries one
        fail("no password attribute in any response of the run", lines, Reply(found[0][0], None))
