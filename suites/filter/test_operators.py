"""Attribute operators on strings, booleans and dateTimes (RFC 7644 §3.4.2.2, Table 3).

Every check runs on users it created under a scope of its own and combines its filter with
`userName sw "<scope>"`, so the answer must be exactly the expected users, whatever else the
target holds. A provider that declines an operator with 400 invalidFilter is skipped.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from simulator.scim.filter import parse_datetime
from suites.client import ScimClient
from suites.config import RunConfig
from suites.expect import expect
from suites.factory import Factory
from suites.filter.query import EMPTY, LISTING, Trio, expect_exactly, new_scope, search, string
from suites.target import Target

REFS = ["RFC7644 §3.4.2.2"]


def scoped(trio: Trio, text: str) -> str:
    return f"{text} and userName sw {string(trio.scope)}"


@pytest.mark.check("FLT-OP-001", level="MUST", refs=REFS, caught_by=[*LISTING])
def test_ne(trio: Trio, client: ScimClient) -> None:
    """`ne` returns the users whose value differs.

    RFC 7644 §3.4.2.2 Table 3: "ne  not equal  The attribute and operator values are not identical."
    """
    reply = search(client, "Users", scoped(trio, f"userName ne {string(trio.name('a'))}"))
    expect_exactly(reply, trio.only("b", "c"), decline_ok=True)


@pytest.mark.check("FLT-OP-002", level="MUST", refs=REFS, caught_by=[*LISTING])
def test_co(trio: Trio, client: ScimClient) -> None:
    """`co` matches a substring anywhere in the value.

    RFC 7644 §3.4.2.2 Table 3: "co  contains  The entire operator value must be a substring of
    the attribute value for a match."
    """
    reply = search(client, "Users", scoped(trio, 'userName co "-b-"'))
    expect_exactly(reply, trio.only("b"), decline_ok=True)


@pytest.mark.check("FLT-OP-003", level="MUST", refs=REFS, caught_by=[*LISTING])
def test_sw(trio: Trio, client: ScimClient) -> None:
    """`sw` matches values that start with the operator value.

    RFC 7644 §3.4.2.2 Table 3: "sw  starts with  The entire operator value must be a substring
    of the attribute value, starting at the beginning of the attribute value."
    """
    reply = search(client, "Users", f"userName sw {string(trio.scope + 'c-')}")
    expect_exactly(reply, trio.only("c"), decline_ok=True)


@pytest.mark.check("FLT-OP-004", level="MUST", refs=REFS, caught_by=[*LISTING])
def test_ew(trio: Trio, client: ScimClient) -> None:
    """`ew` matches values that end with the operator value.

    RFC 7644 §3.4.2.2 Table 3: "ew  ends with  The entire operator value must be a substring of
    the attribute value, matching at the end of the attribute value."
    """
    reply = search(client, "Users", scoped(trio, 'userName ew "@example.org"'))
    expect_exactly(reply, trio.only("b"), decline_ok=True)


@pytest.mark.check("FLT-OP-005", level="MUST", refs=REFS, caught_by=[*LISTING])
def test_pr(trio: Trio, client: ScimClient, target: Target) -> None:
    """`pr` matches the users that have a value and no others.

    RFC 7644 §3.4.2.2 Table 3: "pr  present (has value)  If the attribute has a non-empty value,
    or if it contains a non-empty node for complex attributes, there is a match."
    """
    target.require_attributes("User", "title")
    reply = search(client, "Users", scoped(trio, "title pr"))
    expect_exactly(reply, trio.only("a", "b"), decline_ok=True)


@pytest.mark.check("FLT-OP-006", level="MUST", refs=REFS, caught_by=[*LISTING])
def test_gt_and_ge_on_strings(trio: Trio, client: ScimClient) -> None:
    """`gt` and `ge` compare strings lexicographically; only `ge` includes the equal value.

    RFC 7644 §3.4.2.2 Table 3: "gt  greater than  If the attribute value is greater than the
    operator value, there is a match. ... For string attribute types, this is a lexicographical
    comparison"; "ge  greater than or equal to".
    """
    middle = string(trio.name("b"))
    expect_exactly(search(client, "Users", scoped(trio, f"userName gt {middle}")), trio.only("c"),
                   decline_ok=True)
    expect_exactly(search(client, "Users", scoped(trio, f"userName ge {middle}")), trio.only("b", "c"),
                   decline_ok=True)


@pytest.mark.check("FLT-OP-007", level="MUST", refs=REFS, caught_by=[*LISTING])
def test_lt_and_le_on_strings(trio: Trio, client: ScimClient) -> None:
    """`lt` and `le` compare strings lexicographically; only `le` includes the equal value.

    RFC 7644 §3.4.2.2 Table 3: "lt  less than  If the attribute value is less than the operator
    value, there is a match. ... For string attribute types, this is a lexicographical
    comparison"; "le  less than or equal to".
    """
    middle = string(trio.name("b"))
    expect_exactly(search(client, "Users", scoped(trio, f"userName lt {middle}")), trio.only("a"),
                   decline_ok=True)
    expect_exactly(search(client, "Users", scoped(trio, f"userName le {middle}")), trio.only("a", "b"),
                   decline_ok=True)


@pytest.mark.check("FLT-BOOL-001", level="MUST", refs=REFS,
                   caught_by=[*LISTING, *EMPTY, "inactive-hidden", "deactivate-deletes"])
def test_eq_and_ne_on_boolean(target: Target, factory: Factory, client: ScimClient,
                              scim_config: RunConfig) -> None:
    """`active eq false` finds the inactive user and `active ne false` the active one.

    RFC 7644 §3.4.2.2: "compValue = false / null / true / number / string"; Table 3 "eq  equal
    The attribute and operator values must be identical for a match." Okta reads deactivated
    users back; a provider that hides them from filters loses them.
    """
    target.require("filter")
    scope = new_scope(scim_config)
    active = factory.user(userName=f"{scope}on-{factory.faker.user_name()}@example.com")
    inactive = factory.user(userName=f"{scope}off-{factory.faker.user_name()}@example.com", active=False)
    expect(inactive.get("active") is False, "(precondition) POST with active false creates an inactive user",
           inactive.get("active"), factory.creation(inactive))
    # Each user by `userName eq`, not both by `sw`: a server that takes eq only (RFC 7644 §3.12
    # invalidFilter) still has `active eq false` judged; `ne` is skipped where it is declined.
    users = {"inactive": inactive, "active": active}
    for op, wanted in (("eq", "inactive"), ("ne", "active")):
        for key, user in users.items():
            reply = search(client, "Users", f"active {op} false and userName eq {string(user['userName'])}")
            expect_exactly(reply, {user["id"]: user["userName"]} if key == wanted else {}, decline_ok=True)


@pytest.mark.check("FLT-DATE-001", level="MUST", refs=[*REFS, "RFC7643 §3.1"],
                   caught_by=[*LISTING, "meta-missing"])
def test_gt_and_lt_on_datetime(target: Target, factory: Factory, client: ScimClient,
                               scim_config: RunConfig) -> None:
    """`meta.lastModified gt`/`lt` compare instants, using the timestamps the target returned.

    RFC 7644 §3.4.2.2 Table 3: "For string attribute types, this is a lexicographical comparison,
    and for DateTime types, it is a chronological comparison."
    """
    target.require("filter")
    scope = new_scope(scim_config)

    def make(tag: str) -> dict[str, Any]:
        return factory.user(userName=f"{scope}{tag}-{factory.faker.user_name()}@example.com")

    users = [make("first"), make("second")]
    if not _later(users[1], users[0]):  # a target that keeps whole seconds: one more, later
        time.sleep(1.1)
        users.append(make("third"))
    low, high = (_stamp(users[0]), _stamp(users[-1]))
    expect(_later(users[-1], users[0]), "(precondition) users whose meta.lastModified increase",
           [(u.get("meta") or {}).get("lastModified") for u in users], factory.creation(users[-1]))
    within = f" and userName sw {string(scope)}"
    expect_exactly(search(client, "Users", f"meta.lastModified gt {string(low)}" + within),
                   {u["id"]: u["userName"] for u in users if _later(u, users[0])}, decline_ok=True)
    expect_exactly(search(client, "Users", f"meta.lastModified lt {string(high)}" + within),
                   {u["id"]: u["userName"] for u in users if _later(users[-1], u)}, decline_ok=True)


def _stamp(user: dict[str, Any]) -> str:
    return str((user.get("meta") or {}).get("lastModified"))


def _later(one: dict[str, Any], other: dict[str, Any]) -> bool:
    """one was last modified strictly after other, by the timestamps the target returned."""
    mine, theirs = parse_datetime(_stamp(one)), parse_datetime(_stamp(other))
    return mine is not None and theirs is not None and mine > theirs
