"""Logical operators, precedence, names and quoting in filters (RFC 7644 §3.4.2.2)."""

from __future__ import annotations

import pytest

from simulator.scim import urns
from suites.client import ScimClient
from suites.config import RunConfig
from suites.expect import expect_status
from suites.factory import Factory
from suites.filter.query import EMPTY, LISTING, Trio, expect_exactly, is_declined, new_scope, search, string
from suites.target import Target

REFS = ["RFC7644 §3.4.2.2"]


def eq(trio: Trio, key: str, attr: str = "userName") -> str:
    return f"{attr} eq {string(trio.name(key))}"


@pytest.mark.check("FLT-LOGIC-001", level="MUST", refs=REFS, caught_by=[*LISTING, *EMPTY])
def test_and(trio: Trio, client: ScimClient, target: Target) -> None:
    """`and` matches only resources that satisfy both expressions.

    RFC 7644 §3.4.2.2 Table 4: "and  Logical "and"  The filter is only a match if both
    expressions evaluate to true." a and b carry the title, c none: `title eq … and userName eq
    <a>` finds a alone, `… and userName eq <c>` nothing. Both sides are `eq`, which a server that
    declines other operators (§3.12 invalidFilter) still takes.
    """
    target.require_attributes("User", "title")
    titled = f"title eq {string(trio.title)}"
    expect_exactly(search(client, "Users", f"{titled} and {eq(trio, 'a')}"), trio.only("a"), decline_ok=True)
    expect_exactly(search(client, "Users", f"{titled} and {eq(trio, 'c')}"), {}, decline_ok=True)


@pytest.mark.check("FLT-LOGIC-002", level="MUST", refs=REFS, caught_by=[*LISTING])
def test_or(trio: Trio, client: ScimClient) -> None:
    """`or` matches resources that satisfy either expression.

    RFC 7644 §3.4.2.2 Table 4: "or  Logical "or"  The filter is a match if either expression
    evaluates to true."
    """
    reply = search(client, "Users", f"{eq(trio, 'a')} or {eq(trio, 'c')}")
    expect_exactly(reply, trio.only("a", "c"), decline_ok=True)


@pytest.mark.check("FLT-LOGIC-003", level="MUST", refs=REFS, caught_by=[*LISTING])
def test_not(trio: Trio, client: ScimClient) -> None:
    """`not (…)` matches resources for which the expression is false.

    RFC 7644 §3.4.2.2 Table 4: "not  "Not" function  The filter is a match if the expression
    evaluates to false."
    """
    reply = search(client, "Users", f"userName sw {string(trio.scope)} and not ({eq(trio, 'a')})")
    expect_exactly(reply, trio.only("b", "c"), decline_ok=True)


@pytest.mark.check("FLT-LOGIC-004", level="MUST", refs=REFS, caught_by=[*LISTING])
def test_and_binds_tighter_than_or(trio: Trio, client: ScimClient) -> None:
    """`x or y and z` reads as `x or (y and z)`, from either side.

    RFC 7644 §3.4.2.2: "Filters MUST be evaluated using the following order of operations, in
    order of precedence: 1. Grouping operators 2. Logical operators - where "not" takes
    precedence over "and", which takes precedence over "or" 3. Attribute operators"
    """
    a, b, c = eq(trio, "a"), eq(trio, "b"), eq(trio, "c")
    expect_exactly(search(client, "Users", f"{a} or {b} and {c}"), trio.only("a"), decline_ok=True)
    expect_exactly(search(client, "Users", f"{c} and {b} or {a}"), trio.only("a"), decline_ok=True)


@pytest.mark.check("FLT-LOGIC-005", level="MUST", refs=REFS, caught_by=[*LISTING])
def test_parentheses_group(trio: Trio, client: ScimClient) -> None:
    """Parentheses override precedence: `(x or y) and z`.

    RFC 7644 §3.4.2.2 Table 5: "( )  Precedence grouping  Boolean expressions MAY be grouped
    using parentheses to change the standard order of operations, i.e., to evaluate logical
    "or" operators before logical "and" operators."
    """
    reply = search(client, "Users", f'({eq(trio, "a")} or {eq(trio, "b")}) and userName ew "@example.org"')
    expect_exactly(reply, trio.only("b"), decline_ok=True)


@pytest.mark.check("FLT-CASE-001", level="MUST", refs=REFS, caught_by=[*LISTING])
def test_names_and_operators_ignore_case(trio: Trio, client: ScimClient) -> None:
    """Attribute names and attribute operators are matched case-insensitively.

    RFC 7644 §3.4.2.2: "Attribute names and attribute operators used in filters are case
    insensitive. For example, the following two expressions will evaluate to the same logical
    value: filter=userName Eq "john" filter=Username eq "john"". Two queries, not one joined
    by `or`: a provider may decline `or` (RFC 7644 §3.12; FLT-LOGIC-002), not another case.
    """
    expect_exactly(search(client, "Users", f'USERNAME Eq {string(trio.name("a"))}'), trio.only("a"))
    expect_exactly(search(client, "Users", f'username EQ {string(trio.name("c"))}'), trio.only("c"))


@pytest.mark.check("FLT-URN-001", level="MUST", refs=[*REFS, "RFC7644 §3.10"], caught_by=[*LISTING])
def test_urn_qualified_core_attribute(trio: Trio, client: ScimClient) -> None:
    """A core attribute qualified with its schema URN filters like the short name.

    RFC 7644 §3.10: "attributes are uniquely identified by prefixing the attribute name with its
    schema URN separated by a colon (":") character; e.g., the core User resource attribute
    'userName' is identified as "urn:ietf:params:scim:schemas:core:2.0:User:userName"."
    """
    reply = search(client, "Users", eq(trio, "a", f"{urns.CORE_USER}:userName"))
    expect_exactly(reply, trio.only("a"))


@pytest.mark.check("FLT-URN-002", level="MUST", refs=[*REFS, "RFC7644 §3.10", "RFC7643 §4.3"],
                   caught_by=[*LISTING, "drops-extension"])
def test_urn_qualified_enterprise_attribute(target: Target, factory: Factory, client: ScimClient,
                                            scim_config: RunConfig) -> None:
    """An enterprise attribute named by its URN (`…:enterprise:2.0:User:department eq`) filters.

    RFC 7644 §3.10: clients "SHOULD fully qualify extended attributes with the associated schema
    extension URN to avoid naming conflicts". Skipped unless /ResourceTypes lists the extension,
    or when the provider declines the filter.
    """
    target.require("filter")
    listed_by_type = (target.resource_type("User") or {}).get("schemaExtensions") or []
    extensions = [str(e.get("schema")) for e in listed_by_type if isinstance(e, dict)]
    if urns.ENTERPRISE_USER not in extensions:
        pytest.skip(f"the User resource type does not list {urns.ENTERPRISE_USER}")
    department = f"{new_scope(scim_config)}Research"
    user = factory.user(schemas=[urns.CORE_USER, urns.ENTERPRISE_USER],
                        **{urns.ENTERPRISE_USER: {"department": department}})
    reply = search(client, "Users", f"{urns.ENTERPRISE_USER}:department eq {string(department)}")
    expect_exactly(reply, {user["id"]: user["userName"]}, decline_ok=True)


@pytest.mark.check("FLT-QUOTE-001", level="MUST", refs=[*REFS, "RFC7159 §7"], caught_by=[*LISTING])
def test_escaped_quote_and_backslash(target: Target, factory: Factory, client: ScimClient,
                                     scim_config: RunConfig) -> None:
    """A value with an escaped quote (\\") and backslash (\\\\) matches the stored value.

    RFC 7644 §3.4.2.2: "the "compValue" (comparison value) rule is built on JSON Data Interchange
    format ABNF rules as specified in [RFC7159]", whose strings escape '"' and '\\'.
    """
    target.require("filter")
    scope = new_scope(scim_config)
    f = factory.faker
    display = f'{scope}{f.first_name()} "{f.first_name()}" {f.last_name()} (CORP\\{f.user_name()})'
    user = factory.user(displayName=display)
    reply = search(client, "Users", f"displayName eq {string(display)}")
    if is_declined(reply):  # skip only when plain displayName filters are declined as well
        plain = search(client, "Users", f"displayName eq {string(scope + 'plain')}")
        if is_declined(plain):
            pytest.skip("the target declines displayName filters (400)")
        expect_status(reply, 200)
    expect_exactly(reply, {user["id"]: user["userName"]})
