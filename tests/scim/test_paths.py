"""PATCH path grammar (RFC 7644 §3.5.2): PATH = attrPath / valuePath [subAttr]."""

from __future__ import annotations

import pytest

from simulator.scim.filter import (
    And,
    AttrPath,
    Compare,
    FilterError,
    Not,
    PatchPath,
    PathError,
    Present,
    parse_path,
)

ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
CORE = "urn:ietf:params:scim:schemas:core:2.0:User"
MEMBER_ID = "2819c223-7f76-453a-919d-413861904646"


def ap(attr: str, sub: str | None = None, urn: str | None = None) -> AttrPath:
    return AttrPath(urn, attr, sub)


WORK = Compare(ap("type"), "eq", "work")

VALID: list[tuple[str, PatchPath]] = [
    ("members", PatchPath(ap("members"), None, None)),
    ("name.familyName", PatchPath(ap("name", "familyName"), None, None)),
    ("userName", PatchPath(ap("userName"), None, None)),
    (
        f'members[value eq "{MEMBER_ID}"]',
        PatchPath(ap("members"), Compare(ap("value"), "eq", MEMBER_ID), None),
    ),
    ('emails[type eq "work"].value', PatchPath(ap("emails"), WORK, "value")),
    ('emails[type eq "work"]', PatchPath(ap("emails"), WORK, None)),
    ('addresses[type eq "work"].streetAddress', PatchPath(ap("addresses"), WORK, "streetAddress")),
    (f"{ENT}:employeeNumber", PatchPath(ap("employeeNumber", urn=ENT), None, None)),
    (f"{ENT}:manager.value", PatchPath(ap("manager", "value", ENT), None, None)),
    (f"{ENT}:manager", PatchPath(ap("manager", urn=ENT), None, None)),
    (f"{CORE}:name.givenName", PatchPath(ap("name", "givenName", CORE), None, None)),
    (
        f'{CORE}:emails[type eq "work"].display',
        PatchPath(ap("emails", urn=CORE), WORK, "display"),
    ),
    ("members.$ref", PatchPath(ap("members", "$ref"), None, None)),
    (
        'emails[type eq "work" and primary eq true].value',
        PatchPath(ap("emails"), And(WORK, Compare(ap("primary"), "eq", True)), "value"),
    ),
    ('emails[not (type eq "work")]', PatchPath(ap("emails"), Not(WORK), None)),
    ("emails[display pr]", PatchPath(ap("emails"), Present(ap("display")), None)),
    (
        'EMAILS[TYPE EQ "work"].VALUE',
        PatchPath(ap("EMAILS"), Compare(ap("TYPE"), "eq", "work"), "VALUE"),
    ),
    ("  members  ", PatchPath(ap("members"), None, None)),
    ('emails[ type eq "work" ].value', PatchPath(ap("emails"), WORK, "value")),
]


@pytest.mark.parametrize(("text", "expected"), VALID, ids=[v[0] for v in VALID])
def test_valid_paths(text: str, expected: PatchPath) -> None:
    assert parse_path(text) == expected


def test_value_path_keeps_sub_attribute_out_of_attr_path() -> None:
    parsed = parse_path('emails[type eq "work"].value')
    assert parsed.path.sub_attr is None
    assert parsed.sub_attr == "value"
    assert str(parsed.path) == "emails"


ERRORS: list[tuple[str, str, str, int]] = [
    ("empty", "", "empty path", 0),
    ("blank", "  ", "empty path", 2),
    ("open-bracket", "members[", 'expected an attribute path, "(" or "not", found end of input', 8),
    ("unclosed-bracket", 'members[value eq "x"', 'or "]" to close the "[" at offset 7', 20),
    (
        "sub-without-dot",
        'emails[type eq "work"]value',
        'expected "." and a sub-attribute name, or end of path, found "value"',
        22,
    ),
    ("space-before-sub", 'emails[type eq "work"] .value', 'found ".value"', 23),
    ("dot-without-name", 'emails[type eq "work"].', 'expected a sub-attribute name after "."', 22),
    ("two-subs-after-bracket", 'emails[type eq "work"].value.x', "a sub-attribute name", 22),
    ("bracket-after-bracket", 'emails[type eq "work"][value pr]', 'found "["', 22),
    (
        "double-dot",
        "a..b",
        'expected an attribute path (name, name.subAttr or urn:...:name), found "a..b"',
        0,
    ),
    ("three-levels", "name.familyName.x", "expected an attribute path", 0),
    ("leading-digit", "1name", "expected an attribute path", 0),
    ("starts-with-bracket", '[type eq "work"]', 'expected an attribute path, found "["', 0),
    ("string", '"members"', "expected an attribute path", 0),
    ("space-inside", "name familyName", 'expected "[" or end of path, found "familyName"', 5),
    ("space-before-bracket", 'emails [type eq "work"]', 'found "["', 7),
    ("value-path-on-sub", "name.x[a pr]", '"[" must follow a complex attribute name', 6),
    ("nested-value-path", "emails[type[value pr]]", "cannot contain another value path", 11),
    ("empty-filter", "emails[]", 'found "]"', 7),
    ("bad-filter", 'emails[type xx "work"]', 'or "pr" after "type", found "xx"', 12),
    ("filter-missing-value", "emails[type eq]", "expected a value", 14),
    ("unterminated-string", 'emails[type eq "work]', "unterminated string", 15),
    ("close-paren", "members)", '")" has no matching "("', 7),
    (
        "bare-urn-colon",
        "urn:ietf:params:scim:schemas:core:2.0:User:",
        "expected an attribute path",
        0,
    ),
]


@pytest.mark.parametrize(
    ("text", "message", "position"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS]
)
def test_invalid_paths(text: str, message: str, position: int) -> None:
    with pytest.raises(PathError) as info:
        parse_path(text)
    assert message in str(info.value)
    assert str(info.value).startswith(f"invalid path at offset {position}: ")
    assert info.value.position == position
    assert info.value.scim_type == "invalidPath"
    assert not isinstance(info.value, FilterError)


def test_deep_nesting_in_value_filter_is_a_path_error() -> None:
    with pytest.raises(PathError, match="nesting is deeper than"):
        parse_path("emails[" + "(" * 100 + "type pr" + ")" * 100 + "]")
