"""Query parameters on the discovery listings, /Schemas and /ResourceTypes (RFC 7644 §4).

RFC 7644 §4: "When returning multiple ResourceTypes or Schemas, the message form described by the
"urn:ietf:params:scim:api:messages:2.0:ListResponse" (ListResponse) form SHALL be used as shown in
Figure 3 and in Figure 9 below. Query parameters described in Section 3.4.2, such as filtering,
sorting, and pagination, SHALL be ignored. If a "filter" is provided, the service provider SHOULD
respond with HTTP status code 403 (Forbidden) to ensure that clients cannot incorrectly assume that
any matching conditions specified in a filter are true."
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from simulator.scim import urns
from suites.client import Reply, ScimClient
from suites.expect import describe, expect, expect_status
from suites.filter.query import string
from suites.target import Target

# each listing, with a filter that selects one of its documents (the core User one)
LISTINGS = [("/Schemas", f"id eq {string(urns.CORE_USER)}"), ("/ResourceTypes", f"name eq {string('User')}")]


def _key(doc: Any) -> str:
    """What tells the documents of a listing apart: a schema's id, a resource type's id or name."""
    if isinstance(doc, dict):
        for name in ("id", "name", "endpoint"):
            if isinstance(doc.get(name), str):
                return str(doc[name])
    return json.dumps(doc, sort_keys=True)


def _documents(reply: Reply) -> Counter[str]:
    """The documents a ListResponse lists (none when the body is no ListResponse)."""
    resources = reply.body.get("Resources")
    return Counter(_key(d) for d in resources) if isinstance(resources, list) else Counter()


def _unqueried(target: Target, path: str) -> Counter[str]:
    """The documents of the listing asked for with no query parameter; skips the calling check
    when that is no 200 ListResponse with documents (DISC-SCHEMA-001 and DISC-RTYPE-001 judge
    it)."""
    reply = target.fetch(path)
    if reply.status != 200 or not _documents(reply):
        pytest.skip(f"GET {path} lists no documents ({describe(reply)}); DISC-SCHEMA-001 and "
                    "DISC-RTYPE-001 judge it")
    return _documents(reply)


@pytest.mark.check("DISC-QUERY-001", level="MUST", refs=["RFC7644 §4", "RFC7644 §3.4.2"], readonly=True,
                   caught_by=["discovery-lists-paged"])
@pytest.mark.parametrize(("path", "filter_text"), LISTINGS, ids=[p.strip("/") for p, _ in LISTINGS])
def test_discovery_listings_ignore_query_parameters(target: Target, client: ScimClient, path: str,
                                                    filter_text: str) -> None:
    """GET /Schemas and /ResourceTypes with startIndex=2&count=1 list every document the plain
    listing does, and with a filter answer 403 or every document, never the filtered few.

    RFC 7644 §4: "Query parameters described in Section 3.4.2, such as filtering, sorting, and
    pagination, SHALL be ignored. If a "filter" is provided, the service provider SHOULD respond
    with HTTP status code 403 (Forbidden)" (DISC-QUERY-002 judges that SHOULD). The documents are
    compared as a set: the RFC gives their order no meaning.
    """
    everything = _unqueried(target, path)
    paged = expect_status(client.get(path, params={"startIndex": 2, "count": 1}), 200)
    expect(_documents(paged) == everything, f"every document of GET {path} ({sorted(everything)}): "
           "pagination SHALL be ignored", sorted(_documents(paged).elements()), paged)
    filtered = client.get(path, params={"filter": filter_text})
    if filtered.status == 403:
        return
    expect_status(filtered, 200)
    expect(_documents(filtered) == everything, f"403, or every document of GET {path} "
           f"({sorted(everything)}): filtering SHALL be ignored", sorted(_documents(filtered).elements()),
           filtered)


@pytest.mark.check("DISC-QUERY-002", level="SHOULD", refs=["RFC7644 §4"], readonly=True,
                   caught_by=["discovery-filter-ignored"])
@pytest.mark.parametrize(("path", "filter_text"), LISTINGS, ids=[p.strip("/") for p, _ in LISTINGS])
def test_discovery_listings_refuse_a_filter(target: Target, client: ScimClient, path: str,
                                            filter_text: str) -> None:
    """GET /Schemas and /ResourceTypes with a filter answer 403 Forbidden.

    RFC 7644 §4: "If a "filter" is provided, the service provider SHOULD respond with HTTP status
    code 403 (Forbidden) to ensure that clients cannot incorrectly assume that any matching
    conditions specified in a filter are true." A 200 listing every document keeps §4's SHALL
    ("Query parameters [...] SHALL be ignored", DISC-QUERY-001) but not this SHOULD.
    """
    _unqueried(target, path)
    reply = client.get(path, params={"filter": filter_text})
    expect(reply.status == 403, f"403 Forbidden to GET {path}?filter={filter_text}", describe(reply), reply)
