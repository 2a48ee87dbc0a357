"""Hostile filters are refused or match nothing: never other users, nor a crash on a valid one."""

from __future__ import annotations

import pytest

from suites.client import Reply, ScimClient
from suites.config import RunConfig
from suites.expect import describe, expect, fail, ids_of
from suites.factory import Factory
from suites.filter.query import string
from suites.security.probes import listed_in, total_of
from suites.target import Target

REFS = ["RFC7644 §3.4.2.2", "RFC7644 §3.12"]


def _nobody(config: RunConfig) -> str:
    """A run-prefixed userName that no user has."""
    return f"{config.prefix}nobody@example.com"


def _probe(client: ScimClient, factory: Factory, target: Target, text: str) -> Reply:
    """GET /Users?filter=text while at least one user (this run's) exists to leak."""
    target.require("filter")
    factory.user()
    return client.get("/Users", params={"filter": text})


def expect_nothing_leaked(reply: Reply, *refusals: int, malformed: bool = False) -> None:
    """400 invalidFilter (or another of refusals), or 200 listing no user: the filter matches none.

    A 404 lists no user either: it is how some servers answer a filter that matches nothing,
    which the filter suite judges (Okta tolerates it); here only leaks and crashes count. For a
    malformed filter a 5xx lists no user too: that it should have been a 400 is RFC 7644 §3.12
    Table 8's SHOULD, judged by FLT-ERR-002, not a leak.
    """
    __tracebackhide__ = True
    if reply.status in (400, 404, *refusals) or (malformed and (reply.status or 0) >= 500):
        return
    if reply.status != 200:
        shown = " or ".join(str(c) for c in (400, *refusals))
        fail(f"HTTP {shown} (invalidFilter), or 200 with no users", describe(reply), reply)
    leaked, total = listed_in(reply.json), total_of(reply.json)
    expect(not leaked and total == 0, "200 listing no user: the filter matches none",
           f"totalResults {total}, users {ids_of(leaked)[:5]}", reply)


@pytest.mark.check("SEC-INJ-001", level="MUST", refs=REFS, caught_by=["filter-ignored"])
def test_tautology_filters_match_nothing(client: ScimClient, factory: Factory, target: Target,
                                         scim_config: RunConfig) -> None:
    """`userName eq "x" or "1" eq "1"` and a SQL quote tautology inside a value list no user.

    RFC 7644 §3.4.2.2: a comparison is `attrPath SP compareOp SP compValue`, so `"1" eq "1"` is
    no expression; §3.12 invalidFilter: "The specified filter syntax was invalid" (400). The
    value `x' or '1'='1` is a plain string that no userName equals.
    """
    nobody = _nobody(scim_config)
    expect_nothing_leaked(_probe(client, factory, target, f'userName eq {string(nobody)} or "1" eq "1"'),
                          malformed=True)
    sql = string(nobody + "' or '1'='1")
    expect_nothing_leaked(client.get("/Users", params={"filter": f"userName eq {sql}"}))


@pytest.mark.check("SEC-INJ-002", level="MUST", refs=REFS, caught_by=["filter-ignored"])
def test_unbalanced_quote_is_refused(client: ScimClient, factory: Factory, target: Target,
                                     scim_config: RunConfig) -> None:
    """A filter whose string literal never closes is refused with 400, never answered with users.

    RFC 7644 §3.4.2.2: string values are JSON strings; §3.12 invalidFilter: "The specified filter
    syntax was invalid" (400). The MUST is that no user comes back ("only those resources matching
    the filter expression SHALL be returned"); a 5xx instead of the 400 is FLT-ERR-002's SHOULD.
    """
    reply = _probe(client, factory, target, f'userName eq "{_nobody(scim_config)}')
    expect_nothing_leaked(reply, malformed=True)


@pytest.mark.check("SEC-INJ-003", level="MUST", refs=REFS, caught_by=["filter-ignored"])
def test_escaped_quote_stays_in_the_value(client: ScimClient, factory: Factory, target: Target,
                                          scim_config: RunConfig) -> None:
    """An escaped quote (`\\"`) stays inside the value: `x\\" or userName pr or \\"` lists no user.

    RFC 7644 §3.4.2.2: a string compValue is a JSON string (RFC 8259 §7, where `\\"` is a quote
    inside the string), so the whole text is one value that no userName equals. A server that
    ends the string at the backslash-quote evaluates `userName pr` and lists everyone.
    """
    text = 'userName eq "' + _nobody(scim_config) + '\\" or userName pr or \\""'
    expect_nothing_leaked(_probe(client, factory, target, text))


@pytest.mark.check("SEC-INJ-004", level="MUST", refs=REFS, caught_by=["filter-ignored"])
def test_parenthesis_break_out_is_refused(client: ScimClient, factory: Factory, target: Target,
                                          scim_config: RunConfig) -> None:
    """`userName eq "x") or (userName pr` is refused with 400, never answered with users.

    RFC 7644 §3.4.2.2: parentheses must balance (`"(" valFilter ")"`); §3.12 invalidFilter: "The
    specified filter syntax was invalid" (400). A server that pastes the filter into its own
    parenthesised query would list every user; a 5xx lists nobody (its status: FLT-ERR-002).
    """
    text = f"userName eq {string(_nobody(scim_config))}) or (userName pr"
    expect_nothing_leaked(_probe(client, factory, target, text), malformed=True)


@pytest.mark.check("SEC-INJ-005", level="SHOULD", refs=[*REFS, "RFC9110 §15.5.15"],
                   caught_by=["filter-ignored"])
def test_10000_character_value_is_handled(client: ScimClient, factory: Factory, target: Target,
                                          scim_config: RunConfig) -> None:
    """A 10,000-character filter value lists no user, or is refused with 400, 413 or 414.

    RFC 7644 §3.4.2.2 sets no length limit, so the filter is valid and matches no user; a server
    with a limit refuses it (400, or RFC 9110 §15.5.15 414 "URI Too Long"). A 5xx means the
    value reached somewhere that could not cope with it.
    """
    text = f"userName eq {string(_nobody(scim_config) + 'x' * 10_000)}"
    expect_nothing_leaked(_probe(client, factory, target, text), 413, 414)
