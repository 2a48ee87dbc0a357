"""Filtering, paging, sorting and projection over HTTP (RFC 7644 §3.4.2)."""

from __future__ import annotations

import pytest

from simulator.scim import urns
from tests.conftest import IVANTI, ProviderFactory, Scim

ENTERPRISE = urns.ENTERPRISE_USER


@pytest.fixture
def people(scim: Scim) -> dict[str, dict]:
    """Four users with varied attributes, keyed by short name."""
    out = {}
    for key, title, active, dept, emails in (
        (
            "ann",
            "Engineer",
            True,
            "R&D",
            [
                {"value": "ann@example.com", "type": "work", "primary": True},
                {"value": "ann@home.org", "type": "home"},
            ],
        ),
        ("ben", "Manager", True, "Sales", [{"value": "ben@example.org", "type": "work"}]),
        ("cat", None, False, "R&D", [{"value": "cat@example.com", "type": "home"}]),
        ("dov", "Engineer", True, None, []),
    ):
        attrs: dict = {"active": active, "emails": emails, "externalId": f"ext-{key}"}
        if title:
            attrs["title"] = title
        if dept:
            attrs[ENTERPRISE] = {"department": dept}
        out[key] = scim.create_user(f"{key}@example.com", **attrs)
    return out


def ids(scim: Scim, flt: str, people: dict[str, dict]) -> list[str]:
    by_id = {u["id"]: k for k, u in people.items()}
    body = scim.list("/Users", filter=flt)
    assert body["totalResults"] == len(body["Resources"])
    return sorted(by_id[r["id"]] for r in body["Resources"])


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        ('userName eq "ANN@EXAMPLE.COM"', ["ann"]),
        ('USERNAME Eq "ann@example.com"', ["ann"]),
        ('externalId eq "ext-ben"', ["ben"]),
        ('externalId eq "EXT-BEN"', []),  # externalId is caseExact
        ("title pr and active eq true", ["ann", "ben", "dov"]),
        ("not (title pr)", ["cat"]),
        ('title eq "Engineer" or title eq "Manager" and active eq false', ["ann", "dov"]),
        ('(title eq "Engineer" or title eq "Manager") and active eq true', ["ann", "ben", "dov"]),
        ('emails[type eq "work" and value co "example.com"]', ["ann"]),
        ('emails[type eq "work"] and not (emails co "example.com")', ["ben"]),
        ('emails.value ew ".org"', ["ann", "ben"]),
        ('userName sw "c"', ["cat"]),
        ('userName ne "ann@example.com"', ["ben", "cat", "dov"]),
        (f'{ENTERPRISE}:department eq "r&d"', ["ann", "cat"]),
        ('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "dov@example.com"', ["dov"]),
        ('meta.lastModified gt "2000-01-01T00:00:00Z"', ["ann", "ben", "cat", "dov"]),
        ('meta.created lt "2000-01-01T00:00:00Z"', []),
        ('userName eq "nobody@example.com"', []),
    ],
)
def test_filters(scim: Scim, people: dict[str, dict], flt: str, expected: list[str]) -> None:
    assert ids(scim, flt, people) == expected


def test_filter_with_plus_encoded_spaces(scim: Scim, people: dict[str, dict]) -> None:
    resp = scim.get("/Users?filter=userName+eq+%22ann%40example.com%22&startIndex=1&count=100")
    assert [r["id"] for r in resp.json()["Resources"]] == [people["ann"]["id"]]


def test_quotes_and_backslashes_in_values(scim: Scim) -> None:
    user = scim.create_user('o"malley\\x@example.com')
    found = scim.list("/Users", filter='userName eq "O\\"MALLEY\\\\X@example.com"')
    assert [r["id"] for r in found["Resources"]] == [user["id"]]


@pytest.mark.parametrize(
    "flt",
    [
        "userName eq",
        'userName xx "a"',
        'nosuch eq "a"',
        "active gt true",
        '(userName eq "a"',
        'userName eq "a" or "1" eq "1"',
        'emails[type eq "work"',
        'active eq "true"',
    ],
)
def test_bad_filters_are_invalid_filter(scim: Scim, flt: str) -> None:
    resp = scim.get("/Users", params={"filter": flt})
    assert resp.status_code == 400 and resp.json()["scimType"] == "invalidFilter", resp.text


def test_paging_walk_sees_every_user_once(scim: Scim) -> None:
    created = [scim.create_user(f"p{i:02d}@example.com")["id"] for i in range(23)]
    seen: list[str] = []
    start = 1
    while True:
        page = scim.list("/Users", startIndex=start, count=5)
        assert isinstance(page["totalResults"], int) and page["totalResults"] == 23
        assert page["itemsPerPage"] == len(page["Resources"]) and page["startIndex"] == start
        seen += [r["id"] for r in page["Resources"]]
        start += 5
        if start > page["totalResults"]:
            break
    assert seen == created


def test_paging_edges(scim: Scim) -> None:
    for i in range(3):
        scim.create_user(f"e{i}@example.com")
    zero = scim.list("/Users", count=0)
    assert zero["totalResults"] == 3 and zero["Resources"] == [] and zero["itemsPerPage"] == 0
    low = scim.list("/Users", startIndex=-4, count=1)
    assert low["startIndex"] == 1 and len(low["Resources"]) == 1
    past = scim.list("/Users", startIndex=50)
    assert past["Resources"] == [] and past["totalResults"] == 3
    bad = scim.get("/Users", params={"count": "many"})
    assert bad.status_code == 400 and bad.json()["scimType"] == "invalidValue"


def test_max_results_caps_count(make_provider: ProviderFactory) -> None:
    scim = make_provider(max_results=2)
    for i in range(4):
        scim.create_user(f"m{i}@example.com")
    assert len(scim.list("/Users", count=100)["Resources"]) == 2
    spc = scim.get("/ServiceProviderConfig").json()
    assert spc["filter"]["maxResults"] == 2


def test_sorting(scim: Scim, people: dict[str, dict]) -> None:
    desc = scim.list("/Users", sortBy="userName", sortOrder="descending")["Resources"]
    names = [r["userName"] for r in desc]
    assert names == ["dov@example.com", "cat@example.com", "ben@example.com", "ann@example.com"]
    by_title = [r["userName"][:3] for r in scim.list("/Users", sortBy="title")["Resources"]]
    assert by_title == ["ann", "dov", "ben", "cat"]  # stable for ties; missing values last
    by_email = [r["userName"][:3] for r in scim.list("/Users", sortBy="emails.value")["Resources"]]
    assert by_email == ["ann", "ben", "cat", "dov"]
    bad = scim.get("/Users", params={"sortBy": "userName", "sortOrder": "sideways"})
    assert bad.status_code == 400


def test_projection(scim: Scim, people: dict[str, dict]) -> None:
    path = f"/Users/{people['ann']['id']}"
    only = scim.get(path, params={"attributes": "userName,name.givenName,emails.value"}).json()
    assert set(only) == {"schemas", "id", "userName", "name", "emails"}
    assert only["name"] == {"givenName": "Ann"}
    assert only["emails"] == [{"value": "ann@example.com"}, {"value": "ann@home.org"}]
    without = scim.get(path, params={"excludedAttributes": "emails,meta,id,name.familyName"}).json()
    assert "emails" not in without and "meta" not in without and without["id"]  # id is always returned
    assert "familyName" not in without["name"] and "givenName" in without["name"]
    urn_only = scim.get(path, params={"attributes": f"{ENTERPRISE}:department"}).json()
    assert urn_only[ENTERPRISE] == {"department": "R&D"} and "userName" not in urn_only
    listed = scim.list("/Users", attributes="userName", filter='userName eq "ann@example.com"')
    assert set(listed["Resources"][0]) == {"schemas", "id", "userName"}


def test_projection_on_writes(scim: Scim) -> None:
    resp = scim.post(
        "/Users?attributes=userName",
        {"schemas": [urns.CORE_USER], "userName": "proj@example.com", "title": "T"},
    )
    assert resp.status_code == 201 and set(resp.json()) == {"schemas", "id", "userName"}


def test_search_endpoints(scim: Scim, people: dict[str, dict]) -> None:
    body = {
        "schemas": [urns.SEARCH_REQUEST],
        "filter": 'title eq "engineer"',
        "startIndex": 1,
        "count": 10,
        "attributes": ["userName"],
        "sortBy": "userName",
    }
    users = scim.post("/Users/.search", body).json()
    assert [r["userName"] for r in users["Resources"]] == ["ann@example.com", "dov@example.com"]
    group = scim.create_group("Engineers", [people["ann"]["id"]])
    root = scim.post("/.search", {"schemas": [urns.SEARCH_REQUEST], "filter": 'displayName sw "Eng"'}).json()
    assert [r["id"] for r in root["Resources"]] == [group["id"]]
    not_search = scim.post("/Users/.search", {"filter": "title pr"})
    assert not_search.status_code == 400


def test_groups_filter_and_exclude_members(scim: Scim, people: dict[str, dict]) -> None:
    group = scim.create_group("Support Team", [people["ben"]["id"]])
    found = scim.list("/Groups", filter='displayName eq "support team"', excludedAttributes="members")
    assert [r["id"] for r in found["Resources"]] == [group["id"]]
    assert "members" not in found["Resources"][0]
    by_member = scim.list("/Groups", filter=f'members.value eq "{people["ben"]["id"]}"')
    assert by_member["totalResults"] == 1
    users_in = scim.list("/Users", filter=f'groups.value eq "{group["id"]}"')
    assert [r["id"] for r in users_in["Resources"]] == [people["ben"]["id"]]


def test_extension_filter_types(scim: Scim) -> None:
    a = scim.create_user("lv1@example.com", **{IVANTI: {"level": 1, "vip": True}})
    scim.create_user("lv5@example.com", **{IVANTI: {"level": 5, "vip": False}})
    found = scim.list("/Users", filter=f"{IVANTI}:level lt 3 and {IVANTI}:vip eq true")
    assert [r["id"] for r in found["Resources"]] == [a["id"]]
    bad = scim.get("/Users", params={"filter": f'{IVANTI}:level gt "x"'})
    assert bad.status_code == 400 and bad.json()["scimType"] == "invalidFilter"
