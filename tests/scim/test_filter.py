"""Filter grammar (RFC 7644 §3.4.2.2): tokenizer, parser, AST and error messages."""

from __future__ import annotations

import pytest

from simulator.scim.filter import (
    MAX_DEPTH,
    And,
    AttrPath,
    Compare,
    Filter,
    FilterError,
    Not,
    Or,
    Present,
    ValuePath,
    equality_lookup,
    parse_attr_path,
    parse_filter,
)

ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
CORE = "urn:ietf:params:scim:schemas:core:2.0:User"


def ap(attr: str, sub: str | None = None, urn: str | None = None) -> AttrPath:
    return AttrPath(urn, attr, sub)


Value = str | int | float | bool | None


def eq(attr: str, value: Value, sub: str | None = None) -> Compare:
    return Compare(ap(attr, sub), "eq", value)


EMPLOYEE = eq("userType", "Employee")
EMAILS_CO = Or(
    Compare(ap("emails"), "co", "example.com"),
    Compare(ap("emails", "value"), "co", "example.org"),
)
WORK_EXAMPLE = ValuePath(
    ap("emails"), And(eq("type", "work"), Compare(ap("value"), "co", "@example.com"))
)

RFC_EXAMPLES: list[tuple[str, Filter]] = [
    ('userName Eq "john"', eq("userName", "john")),
    ('userName eq "bjensen"', eq("userName", "bjensen")),
    ('name.familyName co "O\'Malley"', Compare(ap("name", "familyName"), "co", "O'Malley")),
    ('userName sw "J"', Compare(ap("userName"), "sw", "J")),
    (f'{CORE}:userName sw "J"', Compare(ap("userName", urn=CORE), "sw", "J")),
    ("title pr", Present(ap("title"))),
    *[
        (
            f'meta.lastModified {op} "2011-05-13T04:42:34Z"',
            Compare(ap("meta", "lastModified"), op, "2011-05-13T04:42:34Z"),
        )
        for op in ("gt", "ge", "lt", "le")
    ],
    ('title pr and userType eq "Employee"', And(Present(ap("title")), EMPLOYEE)),
    ('title pr or userType eq "Intern"', Or(Present(ap("title")), eq("userType", "Intern"))),
    (f'schemas eq "{ENT}"', eq("schemas", ENT)),
    (
        'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
        And(EMPLOYEE, EMAILS_CO),
    ),
    (
        'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
        And(Compare(ap("userType"), "ne", "Employee"), Not(EMAILS_CO)),
    ),
    (
        'userType eq "Employee" and (emails.type eq "work")',
        And(EMPLOYEE, eq("emails", "work", "type")),
    ),
    (
        'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
        And(EMPLOYEE, WORK_EXAMPLE),
    ),
    (
        'emails[type eq "work" and value co "@example.com"] or '
        'ims[type eq "xmpp" and value co "@foo.com"]',
        Or(
            WORK_EXAMPLE,
            ValuePath(ap("ims"), And(eq("type", "xmpp"), Compare(ap("value"), "co", "@foo.com"))),
        ),
    ),
]


@pytest.mark.parametrize(("text", "expected"), RFC_EXAMPLES, ids=[t for t, _ in RFC_EXAMPLES])
def test_rfc_examples(text: str, expected: Filter) -> None:
    assert parse_filter(text) == expected


A, B, C = Present(ap("a")), Present(ap("b")), Present(ap("c"))

STRUCTURE: list[tuple[str, str, Filter]] = [
    ("and-binds-tighter", "a pr or b pr and c pr", Or(A, And(B, C))),
    ("and-before-or", "a pr and b pr or c pr", Or(And(A, B), C)),
    ("parens-override", "(a pr or b pr) and c pr", And(Or(A, B), C)),
    ("and-left-assoc", "a pr and b pr and c pr", And(And(A, B), C)),
    ("or-left-assoc", "a pr or b pr or c pr", Or(Or(A, B), C)),
    ("not-binds-tight", "not (a pr) and b pr", And(Not(A), B)),
    ("not-no-space", "not(a pr)", Not(A)),
    ("not-of-or", "not (a pr or b pr)", Not(Or(A, B))),
    ("double-not", "not (not (a pr))", Not(Not(A))),
    ("redundant-parens", "((a pr))", A),
    (
        "value-path-binds-tight",
        'a pr or emails[type eq "w"] and c pr',
        Or(A, And(ValuePath(ap("emails"), eq("type", "w")), C)),
    ),
    (
        "not-inside-value-filter",
        'emails[not (type eq "w")]',
        ValuePath(ap("emails"), Not(eq("type", "w"))),
    ),
    (
        "parens-inside-value-filter",
        'emails[(type eq "w" or type eq "h") and primary eq true]',
        ValuePath(ap("emails"), And(Or(eq("type", "w"), eq("type", "h")), eq("primary", True))),
    ),
    ("not-as-attribute-name", 'not eq "x"', eq("not", "x")),
    ("and-as-attribute-name", "a pr and and pr", And(A, Present(ap("and")))),
    ("pr-as-attribute-name", "pr pr", Present(ap("pr"))),
]


@pytest.mark.parametrize(
    ("text", "expected"), [s[1:] for s in STRUCTURE], ids=[s[0] for s in STRUCTURE]
)
def test_structure_and_precedence(text: str, expected: Filter) -> None:
    assert parse_filter(text) == expected


CASES: list[tuple[str, str, Filter]] = [
    ("upper-op", 'userName EQ "x"', eq("userName", "x")),
    ("mixed-logic", "a pr AnD b pr oR c pr", Or(And(A, B), C)),
    ("upper-not", "NOT (a pr)", Not(A)),
    ("upper-pr", "a PR", A),
    ("upper-true", "active eq TRUE", eq("active", True)),
    ("mixed-false", "active eq False", eq("active", False)),
    ("upper-null", "title eq NULL", eq("title", None)),
    ("attr-case-kept", 'USERNAME eq "x"', eq("USERNAME", "x")),
    ("extra-spaces", '  userName   eq    "x"   and\tb   pr  ', And(eq("userName", "x"), B)),
    ("line-break", "a pr\n  and b pr", And(A, B)),
    ("spaces-inside-brackets", 'emails[ type eq "w" ]', ValuePath(ap("emails"), eq("type", "w"))),
    ("spaces-inside-parens", "( a pr )", A),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_keywords_are_case_insensitive_and_spacing_is_lenient(text: str, expected: Filter) -> None:
    assert parse_filter(text) == expected


VALUES: list[tuple[str, str, object]] = [
    ("escaped-quote", r'"say \"hi\""', 'say "hi"'),
    ("escaped-backslash", r'"a\\b"', "a\\b"),
    ("escaped-slash", r'"a\/b"', "a/b"),
    ("unicode-escape", r'"caf\u00e9"', "café"),
    ("surrogate-pair", r'"\ud83d\ude00"', "\U0001f600"),
    ("newline-escape", r'"a\nb"', "a\nb"),
    ("raw-unicode", '"Zoë"', "Zoë"),
    ("keywords-in-string", '"a eq b and (c or d) ] ["', "a eq b and (c or d) ] ["),
    ("empty-string", '""', ""),
    ("integer", "42", 42),
    ("zero", "0", 0),
    ("negative", "-7", -7),
    ("decimal", "4.5", 4.5),
    ("exponent", "1e3", 1000.0),
    ("neg-exp", "-2.5E-1", -0.25),
    ("true", "true", True),
    ("false", "false", False),
    ("null", "null", None),
]


@pytest.mark.parametrize(
    ("literal", "expected"), [v[1:] for v in VALUES], ids=[v[0] for v in VALUES]
)
def test_comp_values(literal: str, expected: object) -> None:
    node = parse_filter(f"x eq {literal}")
    assert isinstance(node, Compare)
    assert node.value == expected
    assert type(node.value) is type(expected)


PATHS: list[tuple[str, AttrPath]] = [
    ("userName", ap("userName")),
    ("name.familyName", ap("name", "familyName")),
    ("$ref", ap("$ref")),
    ("members.$ref", ap("members", "$ref")),
    ("x-custom_attr2", ap("x-custom_attr2")),
    (f"{ENT}:employeeNumber", ap("employeeNumber", urn=ENT)),
    (f"{ENT}:manager.value", ap("manager", "value", ENT)),
    (f"{CORE}:name.givenName", ap("name", "givenName", CORE)),
    ("urn:acme:custom:1.5:Thing:attr", ap("attr", urn="urn:acme:custom:1.5:Thing")),
]


@pytest.mark.parametrize(("text", "expected"), PATHS, ids=[p[0] for p in PATHS])
def test_attr_paths_round_trip(text: str, expected: AttrPath) -> None:
    assert parse_attr_path(text) == expected
    assert str(expected) == text
    node = parse_filter(f"{text} pr")
    assert node == Present(expected)


@pytest.mark.parametrize(
    "text", ["a..b", "a.", ".a", "1abc", "-a", "a.b.c", "urn:x", "urn::a", "é", "a:b", "a$b", ""]
)
def test_invalid_attr_paths(text: str) -> None:
    assert parse_attr_path(text) is None


ERRORS: list[tuple[str, str, str, int]] = [
    ("empty", "", "empty filter", 0),
    ("blank", "   ", "empty filter", 3),
    (
        "bare-attribute",
        "userName",
        'expected an operator (eq, ne, co, sw, ew, gt, lt, ge, le) or "pr" '
        'after "userName", found end of input',
        8,
    ),
    ("unknown-operator", 'userName xx "a"', 'or "pr" after "userName", found "xx"', 9),
    (
        "missing-value",
        "userName eq",
        "expected a value (a JSON string in double quotes, a number, "
        "true, false or null), found end of input",
        11,
    ),
    ("bare-word-value", "userName eq bob", "expected a value", 12),
    ("single-quotes", "userName eq 'bob'", "expected a value", 12),
    ("paren-as-value", "userName eq (", 'found "("', 12),
    ("unterminated-string", 'userName eq "bob', "unterminated string", 12),
    ("escaped-final-quote", r'userName eq "bob\"', "unterminated string", 12),
    ("bad-escape", r'userName eq "a\x"', "invalid string: Invalid \\escape", 12),
    (
        "control-char-in-string",
        'userName eq "a\tb"',
        "invalid string: Invalid control character",
        12,
    ),
    ("number-overflow", "x eq 1e999", 'number "1e999" is out of range', 5),
    ("huge-integer", "x eq " + "9" * 5000, "is out of range", 5),
    ("leading-zero", "x eq 012", "expected a value", 5),
    (
        "missing-right-operand",
        "a pr and",
        'expected an attribute path, "(" or "not", found end of input',
        8,
    ),
    ("missing-left-operand", "and b pr", 'after "and", found "b"', 4),
    ("or-then-or", "a pr or or", "found end of input", 10),
    ("trailing-token", "a pr b", 'expected "and", "or" or end of filter, found "b"', 5),
    ("trailing-value", 'title pr "x"', 'expected "and", "or" or end of filter, found "x"', 9),
    (
        "unclosed-paren",
        "(a pr",
        'expected "and", "or" or ")" to close the "(" at offset 0, found end of input',
        5,
    ),
    ("extra-close-paren", "a pr)", '")" has no matching "("', 4),
    ("empty-parens", "()", 'expected an attribute path, "(" or "not", found ")"', 1),
    ("unclosed-bracket", 'emails[type eq "w"', 'or "]" to close the "[" at offset 6', 18),
    ("extra-close-bracket", "a pr]", '"]" has no matching "["', 4),
    ("empty-brackets", "emails[]", 'found "]"', 7),
    ("bracket-mismatch", 'emails[type eq "w")', 'to close the "[" at offset 6, found ")"', 18),
    (
        "nested-value-path",
        "emails[type[value pr]]",
        "a value filter cannot contain another value path",
        11,
    ),
    ("value-path-on-sub-attribute", "name.x[a pr]", '"[" must follow a complex attribute name', 6),
    ("space-before-bracket", 'emails [type eq "w"]', 'found "["', 7),
    ("sub-attribute-after-bracket", 'emails[type eq "w"].value eq "x"', 'found ".value"', 19),
    ("not-without-parens", 'not userName eq "x"', 'expected "(" after "not", found "userName"', 4),
    ("not-at-end", "a pr and not", "found end of input", 12),
    (
        "invalid-attribute",
        'a..b eq "x"',
        'expected an attribute path (name, name.subAttr or urn:...:name), found "a..b"',
        0,
    ),
    ("number-as-attribute", "5 eq 5", "expected an attribute path", 0),
    ("string-as-attribute", '"a" eq "b"', 'expected an attribute path, "(" or "not", found "a"', 0),
    ("no-space-before-op", 'userName"x"', 'found "x"', 8),
    ("no-space-before-value", 'userName eq"x"', 'expected a space between "eq" and its value', 11),
    ("no-space-around-and", "(a pr)and(b pr)", 'expected a space before "and"', 6),
    ("no-space-after-and", "a pr and(b pr)", 'expected a space after "and"', 8),
    ("bad-character", "a pr and b pr \x00", "unexpected character '\\x00'", 14),
    ("vertical-tab", "a pr\x0band b pr", "unexpected character '\\x0b'", 4),
]


@pytest.mark.parametrize(
    ("text", "message", "position"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS]
)
def test_syntax_errors(text: str, message: str, position: int) -> None:
    with pytest.raises(FilterError) as info:
        parse_filter(text)
    assert message in str(info.value)
    assert str(info.value).startswith(f"invalid filter at offset {position}: ")
    assert info.value.position == position
    assert info.value.scim_type == "invalidFilter"
    assert isinstance(info.value, ValueError)


def test_nesting_depth_is_bounded() -> None:
    ok = "(" * MAX_DEPTH + "a pr" + ")" * MAX_DEPTH
    assert parse_filter(ok) == A
    with pytest.raises(FilterError, match=f"nesting is deeper than {MAX_DEPTH} levels"):
        parse_filter("(" * (MAX_DEPTH + 1) + "a pr" + ")" * (MAX_DEPTH + 1))


@pytest.mark.parametrize(
    "text",
    [
        "(" * 1000 + "a pr" + ")" * 1000,
        "not (" * 1000 + "a pr" + ")" * 1000,
        "(" * 5000,
        "emails[" * 1000,
        "emails[a pr and (" * 500,
    ],
    ids=["parens", "nots", "open-parens", "brackets", "brackets-and-parens"],
)
def test_pathological_nesting_raises_filter_error(text: str) -> None:
    with pytest.raises(FilterError):
        parse_filter(text)


def test_long_flat_chain_parses_without_recursion() -> None:
    text = " or ".join(f'userName eq "user{i}"' for i in range(2000))
    assert len(text) > 10_000
    node = parse_filter(text)
    depth = 0
    while isinstance(node, Or):
        node, depth = node.left, depth + 1
    assert depth == 1999
    assert node == eq("userName", "user0")


def test_long_string_value() -> None:
    value = "x" * 20_000
    assert parse_filter(f'userName eq "{value}"') == eq("userName", value)


LOOKUPS: list[tuple[str, str, object]] = [
    ("simple", 'userName eq "bjensen"', (ap("userName"), "bjensen")),
    ("parenthesised", '(userName eq "bjensen")', (ap("userName"), "bjensen")),
    ("urn", f'{ENT}:employeeNumber eq "7"', (ap("employeeNumber", urn=ENT), "7")),
    ("number", "loginCount eq 5", (ap("loginCount"), 5)),
    ("null-excluded", "title eq null", None),
    ("ne", 'userName ne "x"', None),
    ("co", 'userName co "x"', None),
    ("and", 'userName eq "x" and active eq true', None),
    ("not", 'not (userName eq "x")', None),
    ("value-path", 'emails[value eq "x"]', None),
    ("present", "userName pr", None),
]


@pytest.mark.parametrize(
    ("text", "expected"), [x[1:] for x in LOOKUPS], ids=[x[0] for x in LOOKUPS]
)
def test_equality_lookup(text: str, expected: object) -> None:
    assert equality_lookup(parse_filter(text)) == expected


def test_ast_nodes_are_frozen_and_hashable() -> None:
    node = parse_filter('emails[type eq "work"] and not (title pr)')
    assert hash(node) == hash(parse_filter('emails[type eq "work"] and not (title pr)'))
    assert isinstance(node, And)
    with pytest.raises(AttributeError):
        node.left = A  # type: ignore[misc]
