"""Selecting a sort check's own users: by `userName sw` their prefix, or, on a target that
declines `sw` (RFC 7644 §3.12 invalidFilter: an "attribute and filter comparison combination"
it does not support), by `userType eq` the prefix, which the users then carry as their userType.

The sort checks judge order, not the operator that scopes them, so a target that takes only
`eq` (as many built for Okta and Entra do) still has its sorting judged where it defines userType.
"""

from __future__ import annotations

from typing import Any

from suites.client import Reply, ScimClient
from suites.filter.query import is_declined, search, string
from suites.target import Target


def scope_attributes(target: Target, scope: str) -> dict[str, Any]:
    """What each scoped user carries besides its prefixed userName: the scope as userType where the
    target's User schema defines it."""
    return {"userType": scope} if target.defines("User", "userType") else {}


def scope_filters(scope: str, typed: bool) -> tuple[str, ...]:
    """The filters that select the scope's users, in the order they are tried."""
    return (f"userName sw {string(scope)}", *((f"userType eq {string(scope)}",) if typed else ()))


def scoped_search(client: ScimClient, scope: str, typed: bool, **params: Any) -> Reply:
    """The scope's users listed with params, by the first of its filters the target takes (the
    last reply, a decline, when it takes none)."""
    for text in scope_filters(scope, typed):
        reply = search(client, "Users", text, **params)
        if not is_declined(reply):
            break
    return reply
