"""Filtered queries for the filter and sort checks, scoped to what one check created."""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest

from suites.client import Reply, ScimClient
from suites.config import RunConfig
from suites.expect import expect, expect_object, expect_status, fail, ids_of
from suites.factory import Factory

# Provider deviations that make any filtered listing wrong: the caught_by of every check that
# compares a listing with the resources the check created.
LISTING = ("filter-ignored", "startindex-zero-based")
DECLINED = "RFC 7644 §3.12 lets a provider decline an attribute and operator combination it does not support"


def new_scope(config: RunConfig) -> str:
    """A userName prefix that only this check's resources carry (the run prefix plus 6 hex digits)."""
    return f"{config.prefix}{secrets.token_hex(3)}-"


def string(value: str) -> str:
    """A filter comparison value: a JSON string (RFC 7644 §3.4.2.2 compValue)."""
    return json.dumps(value, ensure_ascii=False)


def filter_path(kind: str, text: str, **params: Any) -> str:
    """'/Users?filter=...' with spaces as %20, as current Okta sends them; params follow in order."""
    query = "filter=" + quote(text, safe="")
    extra = "".join(f"&{name}={quote(str(value), safe='')}" for name, value in params.items())
    return f"/{kind}?{query}{extra}"


def search(client: ScimClient, kind: str, text: str, **params: Any) -> Reply:
    return client.get(filter_path(kind, text, **params))


def is_declined(reply: Reply) -> bool:
    """A 400: the provider says it does not support this filter.

    RFC 7644 §3.12 names scimType invalidFilter for it, but a check that accepts a decline judges
    what is returned, not how the refusal is worded: a 400 without that scimType is still no
    wrong answer (FLT-ERR-* and ERR-* judge the error body).
    """
    return reply.status == 400


def listed(reply: Reply, *, decline_ok: bool = False) -> list[dict[str, Any]]:
    """The Resources of a 200 ListResponse; a decline skips the check when decline_ok."""
    __tracebackhide__ = True
    if decline_ok and is_declined(reply):
        pytest.skip(f"the target declines this filter (400, scimType {reply.body.get('scimType')!r}); "
                    f"{DECLINED}")
    body = expect_object(expect_status(reply, 200))
    resources = body.get("Resources", [])
    expect(isinstance(resources, list), "Resources as a JSON array", resources, reply)
    return [r for r in resources if isinstance(r, dict)]


def expect_exactly(reply: Reply, wanted: Mapping[str, str], *, decline_ok: bool = False) -> None:
    """The response lists exactly the resources wanted (id -> label), no others."""
    __tracebackhide__ = True
    got = ids_of(listed(reply, decline_ok=decline_ok))
    if sorted(got) != sorted(wanted):
        missing = [label for rid, label in wanted.items() if rid not in got]
        extra = [rid for rid in got if rid not in wanted]
        fail(f"exactly {len(wanted)} resource(s): {sorted(wanted.values())}",
             f"{len(got)} resource(s); missing {missing}; {len(extra)} unexpected id(s) {extra[:5]}",
             reply)


@dataclass(frozen=True, slots=True)
class Trio:
    """Three users under one scope: a (.com, titled), b (.org, titled), c (.com, no title)."""

    scope: str
    title: str
    users: Mapping[str, dict[str, Any]]  # "a", "b", "c" -> the created resource

    def id(self, key: str) -> str:
        return str(self.users[key]["id"])

    def name(self, key: str) -> str:
        return str(self.users[key]["userName"])

    def only(self, *keys: str) -> dict[str, str]:
        """id -> userName of the named users: what a filter should return."""
        return {self.id(k): self.name(k) for k in keys}


def make_trio(factory: Factory, config: RunConfig) -> Trio:
    """Create the three users of a Trio, in the order a, b, c."""
    scope = new_scope(config)
    title = f"{scope}Staff Engineer"
    specs = {"a": ("example.com", title), "b": ("example.org", title), "c": ("example.com", None)}
    users: dict[str, dict[str, Any]] = {}
    for key, (domain, job) in specs.items():
        name = f"{scope}{key}-{factory.faker.user_name().lower()}@{domain}"
        users[key] = factory.user(userName=name, **({"title": job} if job else {}))
    return Trio(scope, title, users)
