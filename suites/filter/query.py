"""Filtered queries for the filter and sort checks, scoped to what one check created."""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from suites.client import Reply, ScimClient
from suites.config import RunConfig
from suites.expect import expect, expect_object, expect_status, fail, ids_of
from suites.factory import Factory

# Provider deviations that make any filtered listing wrong: the caught_by of every check that
# compares a listing with the resources the check created.
LISTING = ("filter-ignored", "startindex-zero-based")
# Deviations that mangle an empty result: they fail the checks that expect a filter to match nothing.
EMPTY = ("empty-result-not-listresponse", "filter-miss-404")
MAX_PAGES = 10  # later pages read of one query: a total that keeps growing must not page forever
DECLINED = "RFC 7644 §3.12 lets a provider decline an attribute and operator combination it does not support"


def new_scope(config: RunConfig) -> str:
    """A userName prefix that only this check's resources carry (the run prefix plus 6 hex digits)."""
    return f"{config.prefix}{secrets.token_hex(3)}-"


def string(value: Any) -> str:
    """value as a filter comparison value: a JSON literal, for text a JSON string with its quotes
    and backslashes escaped (RFC 7644 §3.4.2.2's ABNF: compValue = false / null / true / number /
    string, "rules from JSON (RFC 7159)")."""
    return json.dumps(value, ensure_ascii=False)


def filter_path(kind: str, text: str, **params: Any) -> str:
    """'/Users?filter=...' with spaces as %20, as current Okta sends them; params follow in order."""
    query = "filter=" + quote(text, safe="")
    extra = "".join(f"&{name}={quote(str(value), safe='')}" for name, value in params.items())
    return f"/{kind}?{query}{extra}"


class Pages(Reply):
    """A query's first page with the later pages the target split the results into: RFC 7644
    §3.4.2.4 lets it return "fewer results" than asked, up to a page size it chooses."""

    def __init__(self, first: Reply, later: tuple[Reply, ...]) -> None:
        super().__init__(first.exchange, None)
        self.headers, self.text = first.headers, first.text
        self.later = later


def search(client: ScimClient, kind: str, text: str, **params: Any) -> Reply:
    """GET a filtered listing; unless params ask for one page (startIndex, count), with its later
    pages, which listed() reads as well."""
    first = client.get(filter_path(kind, text, **params))
    if {"startIndex", "count"} & set(params):
        return first
    later: list[Reply] = []
    got, total = len(_page(first)), first.body.get("totalResults")
    while first.status == 200 and len(later) < MAX_PAGES:
        more = _next_page(later[-1] if later else first, got, total)
        if more is None:
            break
        later.append(client.get(filter_path(kind, text, **params, **more)))
        size = len(_page(later[-1]))
        if later[-1].status != 200 or not size:
            break  # listed() judges that page
        got += size
    return Pages(first, tuple(later)) if later else first


def _next_page(last: Reply, got: int, total: Any) -> dict[str, Any] | None:
    """The parameters that ask for the page after last (got results read so far), None at the end.
    A page with a nextCursor (RFC 9865 §2.3: a target may page by cursor only, ignoring startIndex)
    is followed by it, the other parameters unchanged, even where the list leaves totalResults out
    (RFC 9865 §2 lets a cursor-paged one); else by startIndex, up to totalResults."""
    known = isinstance(total, int) and not isinstance(total, bool)
    if not got or (known and got >= total):
        return None
    nxt = last.body.get("nextCursor")
    if isinstance(nxt, str) and nxt:
        return {"cursor": nxt}
    return {"startIndex": got + 1} if known else None


def _page(reply: Reply) -> list[Any]:
    found = reply.body.get("Resources")
    return found if isinstance(found, list) else []


def is_declined(reply: Reply) -> bool:
    """A 400: the provider says it does not support this filter.

    RFC 7644 §3.12 names scimType invalidFilter for it, but a check that accepts a decline judges
    what is returned, not how the refusal is worded: a 400 without that scimType is still no
    wrong answer (FLT-ERR-* and ERR-* judge the error body).
    """
    return reply.status == 400


def listed(reply: Reply, *, decline_ok: bool = False) -> list[dict[str, Any]]:
    """The Resources of a 200 ListResponse (of every page search() read); a decline skips the
    check when decline_ok."""
    __tracebackhide__ = True
    if decline_ok and is_declined(reply):
        sent = parse_qs(urlsplit(reply.exchange.url).query).get("filter", [""])[0]
        shown = f"the filter '{sent}'" if sent else "this filter"
        pytest.skip(f"the target declines {shown} (400, scimType {reply.body.get('scimType')!r}); "
                    f"{DECLINED}")
    found = []
    for page in (reply, *(reply.later if isinstance(reply, Pages) else ())):
        body = expect_object(expect_status(page, 200))
        resources = body.get("Resources", [])
        expect(isinstance(resources, list), "Resources as a JSON array", resources, page)
        found += [r for r in resources if isinstance(r, dict)]
    return found


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
