"""Cursor-based pagination over HTTP (RFC 9865): walks, previousCursor, refused cursors, the SPC."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.provider.cursors import CursorCodec, Mark
from simulator.provider.errors import ScimError
from simulator.scim import urns
from tests.conftest import ProviderFactory, Scim

SEARCH = [urns.SEARCH_REQUEST]


def names(page: dict[str, Any]) -> list[str]:
    return [r.get("userName") or r.get("displayName") for r in page["Resources"]]


def walk(scim: Scim, path: str = "/Users", count: int = 2, **params: Any) -> list[dict[str, Any]]:
    pages, cursor = [], ""
    for _ in range(20):
        pages.append(scim.list(path, cursor=cursor, count=count, **params))
        if "nextCursor" not in pages[-1]:
            return pages
        cursor = pages[-1]["nextCursor"]
    raise AssertionError("the walk did not end")


def search(scim: Scim, path: str, **body: Any) -> dict[str, Any]:
    resp = scim.post(path, {"schemas": SEARCH, **body})
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


@pytest.fixture
def five(scim: Scim) -> list[str]:
    return [scim.create_user(f"{n}@example.com")["id"] for n in "abcde"]


def test_a_walk_lists_every_user_once_with_both_cursors(scim: Scim, five: list[str]) -> None:
    pages = walk(scim)
    assert [names(p) for p in pages] == [["a@example.com", "b@example.com"],
                                         ["c@example.com", "d@example.com"], ["e@example.com"]]
    assert [("previousCursor" in p, "nextCursor" in p) for p in pages] == [
        (False, True), (True, True), (True, False)]
    assert all(p["totalResults"] == 5 and p["itemsPerPage"] == len(p["Resources"]) for p in pages)
    assert all("startIndex" not in p for p in pages)  # a cursor page has no index


def test_previous_cursor_returns_the_page_before(scim: Scim, five: list[str]) -> None:
    pages = walk(scim)
    back = scim.list("/Users", cursor=pages[2]["previousCursor"], count=2)
    assert names(back) == names(pages[1])
    first = scim.list("/Users", cursor=back["previousCursor"], count=2)
    assert names(first) == names(pages[0]) and "previousCursor" not in first


def test_a_bare_cursor_parameter_starts_a_cursor_paged_query(scim: Scim, five: list[str]) -> None:
    """RFC 9865 §2's example: GET /Users?filter=...&cursor&count=10."""
    page = scim.get("/Users?cursor&count=2").json()
    assert names(page) == ["a@example.com", "b@example.com"] and "nextCursor" in page


def test_without_a_cursor_lists_stay_index_paged(scim: Scim, five: list[str]) -> None:
    page = scim.list("/Users", count=2)
    assert page["startIndex"] == 1 and "nextCursor" not in page  # RFC 9865 §2.4: index is the default


def test_cursors_are_opaque_url_safe_and_keep_their_place(scim: Scim, five: list[str]) -> None:
    first = scim.list("/Users", cursor="", count=2)
    cursor = first["nextCursor"]
    assert all(c.isalnum() or c in "-_" for c in cursor)
    scim.delete(f"/Users/{five[1]}")  # the last user of the page the cursor follows
    scim.create_user("aa@example.com")  # created after all: listed last
    assert names(scim.list("/Users", cursor=cursor, count=2)) == ["c@example.com", "d@example.com"]
    assert [n for p in walk(scim) for n in names(p)] == [
        "a@example.com", "c@example.com", "d@example.com", "e@example.com", "aa@example.com"]


def test_walks_follow_sort_by_and_filter(scim: Scim) -> None:
    for n in ("dan", "al", "cy", "bo", "eve"):
        scim.create_user(f"{n}@example.com", title="Paged" if n != "eve" else "Other")
    pages = walk(scim, filter='title eq "Paged"', sortBy="userName", sortOrder="descending")
    assert [n for p in pages for n in names(p)] == ["dan@example.com", "cy@example.com", "bo@example.com",
                                                   "al@example.com"]


@pytest.mark.parametrize("path", ["/Groups", "/Groups/.search", "/.search", "/Users/.search"])
def test_groups_and_searches_page_by_cursor(scim: Scim, path: str) -> None:
    for n in "abc":
        scim.create_user(f"{n}@example.com")
        scim.create_group(f"g{n}")
    seen: list[str] = []
    body: dict[str, Any] = {"cursor": "", "count": 2}
    for _ in range(10):
        page = scim.list(path, **body) if path == "/Groups" else search(scim, path, **body)
        seen += names(page)
        if "nextCursor" not in page:
            break
        body["cursor"] = page["nextCursor"]
    expected = {"/.search": 6, "/Groups": 3, "/Groups/.search": 3, "/Users/.search": 3}[path]
    assert len(seen) == len(set(seen)) == expected


@pytest.mark.parametrize(("params", "scim_type"), [
    ({"cursor": "forged0cursor"}, "invalidCursor"),
    ({"cursor": "NEXT", "filter": 'userName sw "a"'}, "invalidCursor"),  # another query's cursor
    ({"cursor": "NEXT", "sortBy": "userName"}, "invalidCursor"),
    ({"cursor": "NEXT", "count": 3}, "invalidCount"),  # RFC 9865 §2.1: the initial query's count
    ({"cursor": "NEXT+"}, "invalidCursor"),
])
def test_cursors_of_another_query_or_none_are_refused(scim: Scim, five: list[str], params: dict[str, Any],
                                                      scim_type: str) -> None:
    nxt = scim.list("/Users", cursor="", count=2)["nextCursor"]
    query = {"count": 2, **params, "cursor": params["cursor"].replace("NEXT", nxt)}
    resp = scim.get("/Users", params=query)
    assert (resp.status_code, resp.json()["scimType"]) == (400, scim_type)
    assert resp.json()["schemas"] == [urns.ERROR]


def test_a_cursor_from_another_provider_instance_is_refused(make_provider: ProviderFactory) -> None:
    one, other = make_provider(), make_provider()
    for scim in (one, other):
        for n in "abc":
            scim.create_user(f"{n}@example.com")
    nxt = one.list("/Users", cursor="", count=2)["nextCursor"]
    resp = other.get("/Users", params={"cursor": nxt, "count": 2})
    assert (resp.status_code, resp.json()["scimType"]) == (400, "invalidCursor")


def test_a_search_cursor_must_be_a_string(scim: Scim) -> None:
    resp = scim.post("/Users/.search", {"schemas": SEARCH, "cursor": 7})
    assert (resp.status_code, resp.json()["scimType"]) == (400, "invalidCursor")


def test_count_zero_returns_the_total_only(scim: Scim, five: list[str]) -> None:
    page = scim.list("/Users", cursor="", count=0)
    assert (page["totalResults"], page["Resources"]) == (5, []) and "nextCursor" not in page


def test_pages_are_capped_by_max_page_size(make_provider: ProviderFactory) -> None:
    scim = make_provider(max_results=2)
    for n in "abc":
        scim.create_user(f"{n}@example.com")
    page = scim.list("/Users", cursor="", count=50)
    assert len(page["Resources"]) == 2 and "nextCursor" in page
    assert scim.get("/ServiceProviderConfig").json()["pagination"] == {
        "cursor": True, "index": True, "defaultPaginationMethod": "index", "defaultPageSize": 2,
        "maxPageSize": 2, "cursorTimeout": 3600}


def test_the_page_size_condition_sets_the_advertised_sizes(make_provider: ProviderFactory) -> None:
    spc = make_provider("page-size=7").get("/ServiceProviderConfig").json()
    assert (spc["filter"]["maxResults"], spc["pagination"]["maxPageSize"],
            spc["pagination"]["defaultPageSize"]) == (7, 7, 7)


def test_cursors_expire_after_the_timeout() -> None:
    now = [1000.0]
    codec = CursorCodec(timeout=60, clock=lambda: now[0])
    token = codec.issue("q", Mark(True, "id-1", 1, 0, 2))
    assert codec.read(token, "q") == Mark(True, "id-1", 1, 0, 2)
    now[0] += 61
    with pytest.raises(ScimError) as exc:
        codec.read(token, "q")
    assert (exc.value.status, exc.value.scim_type) == (400, "expiredCursor")


def test_a_tampered_or_respelled_cursor_is_refused() -> None:
    codec = CursorCodec()
    token = codec.issue("q", Mark(True, "id-1", 1, 0, None))
    flipped = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]
    for bad in (flipped, token + "A", token + "=", "", "not base64!"):
        with pytest.raises(ScimError) as exc:
            codec.read(bad, "q")
        assert exc.value.scim_type == "invalidCursor", bad
    padded = codec.issue("q", Mark(False, "id-1", 1, 0, None), padded=True)
    assert padded.endswith("==") and codec.read(padded, "q", padded=True).forward is False


def test_a_cursor_only_provider_pages_every_list_by_cursor(make_provider: ProviderFactory) -> None:
    """cursor-only (RFC 9865 §2.3): no cursor parameter is an empty one; startIndex is ignored."""
    scim = make_provider("cursor-only")
    for n in "abc":
        scim.create_user(f"{n}@example.com")
    pagination = scim.get("/ServiceProviderConfig").json()["pagination"]
    assert (pagination["index"], pagination["defaultPaginationMethod"]) == (False, "cursor")
    first = scim.list("/Users", startIndex=3, count=2)
    assert names(first) == ["a@example.com", "b@example.com"] and "startIndex" not in first
    rest = scim.list("/Users", startIndex=3, count=2, cursor=first["nextCursor"])
    assert names(rest) == ["c@example.com"] and "nextCursor" not in rest
    found = search(scim, "/Users/.search", count=2)
    assert names(found) == ["a@example.com", "b@example.com"] and "nextCursor" in found


def test_cursor_omits_total_leaves_index_paged_lists_whole(make_provider: ProviderFactory) -> None:
    """cursor-omits-total (RFC 9865 §2: "MAY choose to omit the totalResults attribute"): no
    cursor-paged page carries totalResults, an index-paged list still does (RFC 7644 §3.4.2); with
    cursor-only every list is cursor-paged, so none does."""
    scim = make_provider("cursor-omits-total")
    for n in "abc":
        scim.create_user(f"{n}@example.com")
    first = scim.list("/Users", cursor="", count=2)
    assert "totalResults" not in first and names(first) == ["a@example.com", "b@example.com"]
    assert first["itemsPerPage"] == 2 and "nextCursor" in first
    indexed = scim.list("/Users", startIndex=1, count=2)
    assert indexed["totalResults"] == 3 and indexed["startIndex"] == 1
    only = make_provider("cursor-only", "cursor-omits-total")
    only.create_user("a@example.com")
    assert "totalResults" not in only.list("/Users", startIndex=1, count=2)
