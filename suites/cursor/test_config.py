"""The pagination attribute of /ServiceProviderConfig (RFC 9865 §4)."""

from __future__ import annotations

from typing import Any

import pytest

from suites.cursor.paging import require_pagination
from suites.expect import fail
from suites.target import Target

METHODS = ("cursor", "index")
SIZES = ("defaultPageSize", "maxPageSize", "cursorTimeout")


def _problems(section: dict[str, Any], names: tuple[str, ...], ok: Any, what: str) -> list[str]:
    return [f"{n} = {section[n]!r} ({what})" for n in names if n in section and not ok(section[n])]


@pytest.mark.check("CURSOR-SPC-001", level="MUST", refs=["RFC9865 §4"], readonly=True,
                   caught_by=["pagination-flags-as-strings"])
def test_pagination_says_cursor_and_index_as_booleans(target: Target) -> None:
    """Where /ServiceProviderConfig has pagination, its cursor and index are booleans.

    RFC 9865 §4: "cursor: A Boolean value specifying support of cursor-based pagination.
    REQUIRED." and "index: A Boolean value specifying support of index-based pagination.
    REQUIRED." Judged whenever pagination is present, cursor false included.
    """
    section = require_pagination(target)
    missing = [f"no {n}" for n in METHODS if n not in section]
    wrong = _problems(section, METHODS, lambda v: isinstance(v, bool), "not a boolean")
    if missing or wrong:
        fail("pagination.cursor and pagination.index, each true or false",
             "; ".join(missing + wrong), target.fetch("/ServiceProviderConfig"))


@pytest.mark.check("CURSOR-SPC-002", level="SHOULD", refs=["RFC9865 §4"], readonly=True,
                   caught_by=["cursor-timeout-zero"])
def test_pagination_options_are_well_formed(target: Target) -> None:
    """pagination's optional sub-attributes, where present, take the values RFC 9865 §4 defines.

    RFC 9865 §4: defaultPaginationMethod: "Possible values are "cursor" and "index"."
    defaultPageSize, maxPageSize: "Positive integer"; cursorTimeout: "Positive integer
    specifying the minimum number of seconds that a cursor is valid" ("No value being specified
    may mean that there is no cursor timeout"). The sentences carry no keyword, hence SHOULD.
    """
    section = require_pagination(target)
    wrong = _problems(section, ("defaultPaginationMethod",), lambda v: v in METHODS, '"cursor" or "index"')
    wrong += _problems(section, SIZES, lambda v: isinstance(v, int) and not isinstance(v, bool) and v > 0,
                       "not a positive integer")
    if wrong:
        fail('defaultPaginationMethod "cursor" or "index"; defaultPageSize, maxPageSize and '
             "cursorTimeout positive integers (or absent)", "; ".join(wrong),
             target.fetch("/ServiceProviderConfig"))
