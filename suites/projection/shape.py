"""What a projected representation must and must not hold, judged by the target's own schema."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from simulator.scim.paths import user_path
from suites.client import Reply, ScimClient
from suites.expect import expect, expect_object, expect_status
from suites.target import Target

ALWAYS = frozenset({"id", "schemas"})  # RFC 7643 §3.1 id: returned "always"; schemas: REQUIRED


def always_returned(target: Target, kind: str) -> frozenset[str]:
    """Top-level attributes the target declares returned "always" (it may not drop them)."""
    rs = target.resource_schema(kind)
    declared = {a.name for a in rs.core.attributes if a.returned == "always"} if rs else set()
    return ALWAYS | declared


def projected(reply: Reply, *codes: int) -> dict[str, Any]:
    """The representation in a successful response."""
    __tracebackhide__ = True
    return expect_object(expect_status(reply, *(codes or (200,))))


def expect_present(body: dict[str, Any], names: Iterable[str], reply: Reply) -> None:
    """Every one of names is in the representation."""
    __tracebackhide__ = True
    missing = [n for n in names if body.get(n) in (None, [], {})]
    expect(not missing, f"{', '.join(names)} in the representation",
           f"missing {', '.join(missing)}; keys: {', '.join(sorted(body))}", reply)


def expect_absent(body: dict[str, Any], names: Iterable[str], reply: Reply,
                  keep: frozenset[str] = ALWAYS) -> None:
    """None of names (except those the server must always return) is in the representation."""
    __tracebackhide__ = True
    wanted = [n for n in names if n not in keep]
    extra = [n for n in wanted if n in body]
    expect(not extra, f"none of {', '.join(wanted)} in the representation",
           f"present: {', '.join(extra)}; keys: {', '.join(sorted(body))}", reply)


def get_user(client: ScimClient, uid: str, **params: str) -> Reply:
    return client.get(user_path(uid), params=params)
