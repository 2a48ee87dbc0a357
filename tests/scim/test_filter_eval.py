"""Filter evaluation against a resource schema (RFC 7644 §3.4.2.2)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from simulator.scim.filter import (
    AttrPath,
    Compare,
    FilterError,
    ValuePath,
    compile_filter,
    compile_value_filter,
    parse_filter,
)
from simulator.scim.schema import AttributeDef, ResourceSchema, SchemaDef

CORE = "urn:ietf:params:scim:schemas:core:2.0:User"
ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
MANAGER_ID = "26118915-6090-4610-87e4-49d8ca9f808d"


def _multi(name: str, *subs: AttributeDef) -> AttributeDef:
    return AttributeDef(name, type="complex", multi_valued=True, sub_attributes=subs)


EMAILS = _multi(
    "emails",
    AttributeDef("value"),
    AttributeDef("display"),
    AttributeDef("type"),
    AttributeDef("primary", type="boolean"),
)
USER = SchemaDef(
    CORE,
    "User",
    "User Account",
    (
        AttributeDef("userName", uniqueness="server"),
        AttributeDef(
            "name",
            type="complex",
            sub_attributes=(AttributeDef("givenName"), AttributeDef("familyName")),
        ),
        AttributeDef("title"),
        AttributeDef("userType"),
        AttributeDef("active", type="boolean"),
        EMAILS,
        _multi("ims", AttributeDef("value"), AttributeDef("type")),
        _multi("x509Certificates", AttributeDef("value", type="binary", case_exact=True)),
        AttributeDef("badgeId", case_exact=True),
        AttributeDef("loginCount", type="integer"),
        AttributeDef("score", type="decimal"),
        AttributeDef("tags", multi_valued=True),
        AttributeDef("profileUrl", type="reference", reference_types=("external",)),
    ),
)
ENTERPRISE = SchemaDef(
    ENT,
    "EnterpriseUser",
    "Enterprise User",
    (
        AttributeDef("employeeNumber"),
        AttributeDef(
            "manager",
            type="complex",
            sub_attributes=(
                AttributeDef("value"),
                AttributeDef("displayName"),
                AttributeDef("$ref", type="reference"),
            ),
        ),
    ),
)
SCHEMA = ResourceSchema(USER, (ENTERPRISE,))

USERS: list[dict[str, Any]] = [
    {
        "schemas": [CORE, ENT],
        "id": "1",
        "userName": "bjensen",
        "name": {"givenName": "Barbara", "familyName": "Jensen"},
        "title": "Tour Guide",
        "userType": "Employee",
        "active": True,
        "emails": [
            {"value": "bjensen@example.com", "type": "work", "primary": True},
            {"value": "babs@jensen.org", "type": "home"},
        ],
        "ims": [{"value": "bjensen@foo.com", "type": "xmpp"}],
        "badgeId": "AbC",
        "loginCount": 5,
        "score": 4.5,
        "tags": ["red", "blue"],
        "profileUrl": "https://Example.com/bjensen",
        ENT: {
            "employeeNumber": "701984",
            "manager": {"value": MANAGER_ID, "displayName": "John Smith"},
        },
        "meta": {"lastModified": "2011-05-13T04:42:34Z", "resourceType": "User"},
    },
    {
        "id": "2",
        "userName": "JSmith",
        "name": {"givenName": "John", "familyName": "O'Malley"},
        "userType": "Intern",
        "active": False,
        "emails": [
            {"value": "john@example.org", "type": "work"},
            {"value": "j@example.com", "type": "home"},
        ],
        "badgeId": "abc",
        "loginCount": 10,
        "score": 1,
        "meta": {"lastModified": "2012-06-01T00:00:00+02:00", "resourceType": "User"},
    },
    {
        "schemas": [CORE],
        "id": "3",
        "userName": "jane",
        "name": {},
        "title": "",
        "active": True,
        "emails": [],
        "loginCount": "7",
        "tags": [],
        ENT: {"employeeNumber": "42"},
        "meta": {"lastModified": "not a date"},
    },
    {
        "id": "4",
        "userName": "alice",
        "userType": "Employee",
        "emails": [{"value": "alice@EXAMPLE.com", "type": "Work"}],
        "x509Certificates": [{"value": "TUlJRA=="}],
        "meta": {"lastModified": "2011-05-13T06:42:34+02:00"},
    },
]

MATCHES: list[tuple[str, str, set[str]]] = [
    # eq / ne and case-exactness
    ("eq", 'userName eq "bjensen"', {"1"}),
    ("eq-caseExact-false", 'userName eq "BJENSEN"', {"1"}),
    ("attr-name-case", 'USERNAME Eq "bjensen"', {"1"}),
    ("ne", 'userName ne "bjensen"', {"2", "3", "4"}),
    ("eq-caseExact-true", 'badgeId eq "abc"', {"2"}),
    ("eq-caseExact-true-upper", 'badgeId eq "ABC"', set()),
    ("ne-caseExact-true", 'badgeId ne "abc"', {"1", "3", "4"}),
    ("id-caseExact", 'id eq "1"', {"1"}),
    # substring operators
    ("co", 'userName co "J"', {"1", "2", "3"}),
    ("co-caseExact-true", 'badgeId co "b"', {"1", "2"}),
    ("co-caseExact-true-miss", 'badgeId co "B"', set()),
    ("sw", 'userName sw "J"', {"2", "3"}),
    ("sw-caseExact-true", 'badgeId sw "A"', {"1"}),
    ("ew", 'userName ew "E"', {"3", "4"}),
    ("co-empty-string", 'userName co ""', {"1", "2", "3", "4"}),
    ("sub-attribute", 'name.familyName co "O\'Malley"', {"2"}),
    ("reference-like-string", 'profileUrl sw "https://example.com"', {"1"}),
    # ordering on strings (lexicographic, casefolded when caseExact is false)
    ("gt-string", 'userName gt "j"', {"2", "3"}),
    ("ge-string", 'userName ge "JSMITH"', {"2"}),
    ("lt-string", 'userName lt "b"', {"4"}),
    ("le-string", 'userName le "bjensen"', {"1", "4"}),
    # dateTime: chronological, offsets honoured, unparsable stored values never match
    ("dt-gt", 'meta.lastModified gt "2011-05-13T04:42:34Z"', {"2"}),
    ("dt-ge", 'meta.lastModified ge "2011-05-13T04:42:34Z"', {"1", "2", "4"}),
    ("dt-lt", 'meta.lastModified lt "2011-05-13T04:42:34Z"', set()),
    ("dt-le", 'meta.lastModified le "2011-05-13T04:42:34Z"', {"1", "4"}),
    ("dt-eq-offset", 'meta.lastModified eq "2011-05-13T04:42:34+00:00"', {"1", "4"}),
    ("dt-ne", 'meta.lastModified ne "2011-05-13T04:42:34Z"', {"2"}),
    ("dt-offset-gt", 'meta.lastModified gt "2012-05-31T21:59:59Z"', {"2"}),
    ("dt-offset-lt", 'meta.lastModified lt "2012-05-31T22:00:01Z"', {"1", "2", "4"}),
    ("dt-fraction", 'meta.lastModified gt "2011-05-13T04:42:33.999Z"', {"1", "2", "4"}),
    ("dt-sw-as-string", 'meta.lastModified sw "2011-05"', {"1", "4"}),
    # numbers (wrong stored type "7" never matches)
    ("int-eq", "loginCount eq 5", {"1"}),
    ("int-gt", "loginCount gt 5", {"2"}),
    ("int-ge", "loginCount ge 5", {"1", "2"}),
    ("int-lt", "loginCount lt 10", {"1"}),
    ("int-le-float", "loginCount le 10.0", {"1", "2"}),
    ("int-ne", "loginCount ne 5", {"2", "4"}),
    ("decimal-eq", "score eq 4.5", {"1"}),
    ("decimal-lt-int", "score lt 2", {"2"}),
    ("decimal-ge", "score ge 1e0", {"1", "2"}),
    # booleans
    ("bool-true", "active eq true", {"1", "3"}),
    ("bool-false", "active eq false", {"2"}),
    ("bool-ne", "active ne true", {"2", "4"}),
    ("bool-pr", "active pr", {"1", "2", "3"}),
    ("bool-multi-valued-sub", "emails.primary eq true", {"1"}),
    # presence and null
    ("pr-string", "title pr", {"1"}),
    ("pr-complex", "name pr", {"1", "2"}),
    ("pr-sub-attribute", "name.givenName pr", {"1", "2"}),
    ("pr-multi-complex", "emails pr", {"1", "2", "4"}),
    ("pr-multi-simple", "tags pr", {"1"}),
    ("eq-null", "title eq null", {"2", "3", "4"}),
    ("ne-null", "title ne null", {"1"}),
    ("eq-null-multi", "tags eq null", {"2", "3", "4"}),
    ("ne-null-complex", "emails ne null", {"1", "2", "4"}),
    # multi-valued: any value matches
    ("multi-simple-eq", 'tags eq "blue"', {"1"}),
    ("multi-simple-ne", 'tags ne "red"', {"1", "2", "3", "4"}),
    ("multi-complex-implicit-value", 'emails co "example.com"', {"1", "2", "4"}),
    ("multi-complex-sub", 'emails.value co "example.org"', {"2"}),
    ("multi-complex-type", 'emails.type eq "work"', {"1", "2", "4"}),
    ("multi-complex-ne", 'emails.type ne "work"', {"1", "2", "3"}),
    ("binary-eq", 'x509Certificates eq "TUlJRA=="', {"4"}),
    ("binary-eq-caseExact", 'x509Certificates.value eq "tulJRA=="', set()),
    ("binary-ne", 'x509Certificates.value ne "TUlJRA=="', {"1", "2", "3"}),
    ("schemas", f'schemas eq "{ENT}"', {"1"}),
    ("schemas-case", f'schemas eq "{ENT.upper()}"', {"1"}),
    # logic and precedence
    ("and", 'title pr and userType eq "Employee"', {"1"}),
    ("or", 'title pr or userType eq "Intern"', {"1", "2"}),
    ("not", 'not (userName eq "bjensen")', {"2", "3", "4"}),
    ("not-and-not", 'not (active eq true) and not (userName eq "alice")', {"2"}),
    ("precedence", 'userName eq "alice" or userName eq "jane" and active eq false', {"4"}),
    ("parens", '(userName eq "alice" or userName eq "jane") and active eq false', set()),
    ("triple-and", 'userType eq "Employee" and emails pr and userName sw "a"', {"4"}),
    ("triple-or", 'userName eq "jane" or userName eq "alice" or id eq "2"', {"2", "3", "4"}),
    (
        "rfc-and-paren-or",
        'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
        {"1", "4"},
    ),
    (
        "rfc-not",
        'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
        {"3"},
    ),
    ("rfc-emails-type", 'userType eq "Employee" and (emails.type eq "work")', {"1", "4"}),
    # value paths: all conditions on the same element
    (
        "rfc-value-path",
        'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
        {"1", "4"},
    ),
    (
        "rfc-two-value-paths",
        'emails[type eq "work" and value co "@example.com"] or '
        'ims[type eq "xmpp" and value co "@foo.com"]',
        {"1", "4"},
    ),
    ("value-path-same-element", 'emails[type eq "work" and value co "j@example.com"]', set()),
    ("flat-paths-any-element", 'emails.type eq "work" and emails.value co "j@example.com"', {"2"}),
    ("value-path-home", 'emails[type eq "home" and value co "example.com"]', {"2"}),
    ("value-path-single", 'emails[type eq "work"]', {"1", "2", "4"}),
    ("value-path-not", 'emails[not (type eq "work")]', {"1", "2"}),
    ("value-path-bool", "emails[primary eq true]", {"1"}),
    ("value-path-pr", "emails[primary pr]", {"1"}),
    ("value-path-or", 'emails[type eq "home" or primary eq true]', {"1", "2"}),
    ("value-path-single-complex", 'name[givenName sw "b"]', {"1"}),
    ("not-value-path", 'not (emails[type eq "work"])', {"3"}),
    # URN-qualified names
    ("core-urn", f'{CORE}:userName sw "J"', {"2", "3"}),
    ("ext-eq", f'{ENT}:employeeNumber eq "701984"', {"1"}),
    ("ext-case-insensitive-urn", f"{ENT.upper()}:EMPLOYEENUMBER pr", {"1", "3"}),
    ("ext-sub", f'{ENT}:manager.value eq "{MANAGER_ID}"', {"1"}),
    ("ext-complex-implicit-value", f'{ENT}:manager eq "{MANAGER_ID}"', {"1"}),
    ("ext-complex-pr", f"{ENT}:manager pr", {"1"}),
    ("ext-sub-sw", f'{ENT}:manager.displayName sw "john"', {"1"}),
    ("ext-eq-null", f"{ENT}:employeeNumber eq null", {"2", "4"}),
    ("ext-value-path", f'{ENT}:manager[displayName co "smith"]', {"1"}),
]


def _ids(text: str) -> set[str]:
    predicate = compile_filter(parse_filter(text), SCHEMA)
    return {user["id"] for user in USERS if predicate(user)}


@pytest.mark.parametrize(
    ("text", "expected"), [m[1:] for m in MATCHES], ids=[m[0] for m in MATCHES]
)
def test_matches(text: str, expected: set[str]) -> None:
    assert _ids(text) == expected


ODD_RESOURCES: list[dict[str, Any]] = [
    {},
    {"userName": 5, "name": "Barbara", "emails": "bjensen@example.com", "active": "true"},
    {"emails": [1, "x", None, {"value": 7, "type": ["work"]}, {"primary": "yes"}]},
    {"loginCount": True, "score": "4.5", "tags": [None, 3], "meta": "2011"},
    {ENT: "701984", "meta": {"lastModified": 1305261754}, "schemas": CORE},
    {ENT: {"manager": ["x"]}, "x509Certificates": {"value": "TUlJRA=="}, "name": {"givenName": 1}},
]


@pytest.mark.parametrize("text", [m[1] for m in MATCHES], ids=[m[0] for m in MATCHES])
def test_wrong_stored_types_never_raise(text: str) -> None:
    predicate = compile_filter(parse_filter(text), SCHEMA)
    for resource in ODD_RESOURCES:
        assert predicate(resource) in (True, False)


def test_stored_type_mismatch_does_not_match() -> None:
    odd = {"userName": 5, "active": "true", "loginCount": True, "score": "4.5"}
    for text in ('userName eq "5"', "active eq true", "loginCount eq 1", "score eq 4.5"):
        assert compile_filter(parse_filter(text), SCHEMA)(odd) is False


ERRORS: list[tuple[str, str, str]] = [
    ("unknown-attribute", 'foo eq "x"', 'unknown attribute "foo" in filter'),
    ("unknown-sub-attribute", "name.foo pr", 'unknown attribute "name.foo" in filter'),
    ("sub-of-simple", 'userName.x eq "a"', 'unknown attribute "userName.x" in filter'),
    (
        "unknown-extension",
        'urn:acme:ext:1.0:User:x eq "1"',
        'unknown attribute "urn:acme:ext:1.0:User:x"',
    ),
    ("ext-attr-without-urn", 'employeeNumber eq "1"', 'unknown attribute "employeeNumber"'),
    ("core-attr-with-ext-urn", f'{ENT}:userName eq "1"', "unknown attribute"),
    ("unknown-in-value-filter", 'emails[foo eq "x"]', 'unknown attribute "emails.foo" in filter'),
    ("urn-in-value-filter", f'emails[{CORE}:type eq "x"]', "unknown attribute"),
    ("sub-in-value-filter", 'emails[type.x eq "x"]', 'unknown attribute "emails.type.x"'),
    ("gt-boolean", "active gt true", 'operator "gt" is not allowed on boolean attribute "active"'),
    ("co-boolean", "active co true", 'operator "co" is not allowed on boolean attribute "active"'),
    ("le-boolean-sub", "emails.primary le false", 'operator "le" is not allowed on boolean'),
    ("gt-binary", 'x509Certificates.value gt "a"', 'operator "gt" is not allowed on binary'),
    ("sw-binary", 'x509Certificates sw "a"', 'operator "sw" is not allowed on binary'),
    ("co-integer", "loginCount co 5", 'operator "co" is not allowed on integer'),
    ("ew-decimal", "score ew 5", 'operator "ew" is not allowed on decimal'),
    (
        "bool-as-string",
        'active eq "true"',
        'boolean attribute "active" cannot be compared with "true"; expected true or false',
    ),
    ("bool-as-number", "active eq 1", "expected true or false"),
    ("string-as-number", "userName eq 5", 'string attribute "userName" cannot be compared with 5'),
    ("string-as-bool", "userName eq true", "cannot be compared with true; expected a string"),
    (
        "integer-as-string",
        'loginCount eq "5"',
        'integer attribute "loginCount" cannot be compared with "5"; expected a number',
    ),
    ("integer-as-bool", "loginCount gt false", "expected a number"),
    ("decimal-as-string", 'score lt "1.5"', "expected a number"),
    (
        "datetime-unparsable",
        'meta.lastModified gt "yesterday"',
        'dateTime attribute "meta.lastModified" needs an ISO 8601 date-time',
    ),
    ("datetime-number", "meta.lastModified gt 5", "expected a string"),
    ("reference-number", "profileUrl eq 5", "expected a string"),
    (
        "complex-without-value",
        'name eq "x"',
        'complex attribute "name" has no "value" sub-attribute',
    ),
    ("null-with-gt", "title gt null", 'null can only be compared with "eq" or "ne", not "gt"'),
    ("null-with-co", "title co null", "null can only be compared"),
    ("value-path-on-simple", 'userName[value eq "x"]', '"userName[...]" needs a complex attribute'),
    ("value-path-on-multi-simple", 'tags[value eq "x"]', "needs a complex attribute"),
    ("value-path-type-error", "emails[primary gt true]", 'operator "gt" is not allowed on boolean'),
    ("error-in-untaken-branch", 'userName pr or foo eq "x"', 'unknown attribute "foo"'),
]


@pytest.mark.parametrize(("text", "message"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_compile_errors(text: str, message: str) -> None:
    node = parse_filter(text)
    with pytest.raises(FilterError) as info:
        compile_filter(node, SCHEMA)
    assert message in str(info.value)
    assert info.value.scim_type == "invalidFilter"


def test_unknown_operator_in_hand_built_ast() -> None:
    node = Compare(AttrPath(None, "userName"), "xx", "a")
    with pytest.raises(FilterError, match='unknown operator "xx"'):
        compile_filter(node, SCHEMA)


def test_long_or_chain_compiles_and_evaluates() -> None:
    text = " or ".join(f'userName eq "user{i}"' for i in range(3000)) + ' or userName eq "jane"'
    predicate = compile_filter(parse_filter(text), SCHEMA)
    assert [u["id"] for u in USERS if predicate(u)] == ["3"]


def test_long_and_chain_compiles_and_evaluates() -> None:
    text = " and ".join(["userName pr"] * 3000)
    predicate = compile_filter(parse_filter(text), SCHEMA)
    assert all(predicate(u) for u in USERS)
    assert predicate({}) is False


def test_predicate_is_reusable_over_many_resources() -> None:
    node = parse_filter('emails[type eq "work" and value ew "@example.com"] and active eq true')
    predicate = compile_filter(node, SCHEMA)
    resources = [
        {"active": i % 2 == 0, "emails": [{"type": "work", "value": f"u{i}@example.com"}]}
        for i in range(10_000)
    ]
    assert sum(map(predicate, resources)) == 5_000


ELEMENTS: list[Mapping[str, Any]] = [
    {"value": "bjensen@example.com", "type": "work", "primary": True},
    {"value": "babs@jensen.org", "type": "HOME"},
    {"value": "x@example.com", "display": "X"},
]

VALUE_FILTERS: list[tuple[str, str, list[int]]] = [
    ("value-eq", 'value eq "bjensen@example.com"', [0]),
    ("type-casefold", 'type eq "home"', [1]),
    ("bool", "primary eq true", [0]),
    ("bool-ne", "primary ne true", [1, 2]),
    ("pr", "display pr", [2]),
    ("and", 'type eq "work" and value co "example"', [0]),
    ("or", 'type eq "home" or display pr', [1, 2]),
    ("not", 'not (value ew ".com")', [1]),
    ("null", "type eq null", [2]),
    ("upper-names", 'VALUE sw "X"', [2]),
]


@pytest.mark.parametrize(
    ("text", "expected"), [v[1:] for v in VALUE_FILTERS], ids=[v[0] for v in VALUE_FILTERS]
)
def test_compile_value_filter(text: str, expected: list[int]) -> None:
    predicate = compile_value_filter(parse_filter(text), EMAILS, SCHEMA)
    assert [i for i, element in enumerate(ELEMENTS) if predicate(element)] == expected


def test_value_filter_ignores_non_object_elements() -> None:
    predicate = compile_value_filter(parse_filter("value pr"), EMAILS, SCHEMA)
    assert predicate("bjensen@example.com") is False  # type: ignore[arg-type]
    assert predicate(None) is False  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("node", "parent", "message"),
    [
        (parse_filter('foo eq "x"'), EMAILS, 'unknown attribute "emails.foo" in filter'),
        (parse_filter("type gt 5"), EMAILS, 'string attribute "emails.type" cannot be compared'),
        (
            ValuePath(AttrPath(None, "emails"), parse_filter("value pr")),
            EMAILS,
            "cannot contain another value path",
        ),
        (parse_filter("value pr"), AttributeDef("userName"), "needs a complex attribute"),
    ],
    ids=["unknown-sub", "type-mismatch", "nested-value-path", "simple-parent"],
)
def test_compile_value_filter_errors(node: Any, parent: AttributeDef, message: str) -> None:
    with pytest.raises(FilterError, match=message):
        compile_value_filter(node, parent, SCHEMA)
