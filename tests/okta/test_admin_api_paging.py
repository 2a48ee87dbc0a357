"""Cursor paging of the admin API's lists (okta-admin-api.md §1.6) and app group priority (§8)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import ProviderFactory
from tests.okta import test_admin_api
from tests.okta.test_admin_api import Admin, install_test_app

sim = test_admin_api.sim  # the simulator fixture: start(db=None) -> Admin
NEXT = re.compile(r'<([^>]+)>; rel="next"')


def people(admin: Admin, count: int) -> list[str]:
    """count STAGED people (no password, no app): cheap to make by the hundred."""
    made = []
    for n in range(count):
        login = f"p{n:03d}@example.com"
        body = {"profile": {"login": login, "email": login, "firstName": f"P{n}", "lastName": "Pager"}}
        made.append(admin.call("POST", "/users", body, activate="false")["id"])
    return made


def walk(admin: Admin, path: str, **params: Any) -> list[list[str]]:
    """Follow the next links from path; the ids of each page."""
    pages: list[list[str]] = []
    resp = admin.http.get(admin.base + path, params=params, timeout=30)
    while True:
        assert resp.status_code == 200, resp.text
        pages.append([item["id"] for item in resp.json()])
        links = resp.headers["Link"]
        assert links.startswith("<") and 'rel="self"' in links.split(",")[0]
        found = NEXT.search(links)
        if found is None:
            return pages
        assert "after=" in found.group(1)  # the SDK reads its cursor from there
        resp = admin.http.get(found.group(1), timeout=30)


def test_users_page_by_limit_and_after_in_creation_order(sim) -> None:
    admin = sim()
    made = people(admin, 7)
    pages = walk(admin, "/users", limit=3)
    assert [len(p) for p in pages] == [3, 3, 1]  # the last page has no next link
    assert [i for p in pages for i in p] == made


def test_a_page_boundary_survives_deleting_the_last_user_read(sim) -> None:
    admin = sim()
    made = people(admin, 5)
    first = admin.http.get(admin.base + "/users", params={"limit": 2}, timeout=30)
    cursor_url = NEXT.search(first.headers["Link"]).group(1)  # type: ignore[union-attr]
    admin.call("POST", f"/users/{made[1]}/lifecycle/deactivate")
    admin.call("DELETE", f"/users/{made[1]}", expect=204)
    second = admin.http.get(cursor_url, timeout=30).json()
    assert [u["id"] for u in second] == made[2:4]


def test_user_pages_hold_at_most_200(sim) -> None:
    admin = sim()
    people(admin, 201)
    assert [len(p) for p in walk(admin, "/users")] == [200, 1]
    assert [len(p) for p in walk(admin, "/users", limit=1000)] == [200, 1]


@pytest.mark.parametrize(("params", "field"), [
    ({"limit": "0"}, "limit"), ({"limit": "many"}, "limit"), ({"after": "not a cursor!"}, "after"),
])
def test_bad_paging_parameters_are_okta_validation_errors(sim, params: dict[str, str], field: str) -> None:
    admin = sim()
    resp = admin.http.get(admin.base + "/users", params=params, timeout=30)
    assert resp.status_code == 400
    assert resp.json()["errorCode"] == "E0000001" and field in resp.json()["errorSummary"]


def test_groups_members_apps_and_assignments_page_too(sim, make_provider: ProviderFactory) -> None:
    admin = sim()
    made = people(admin, 3)
    group = admin.call("POST", "/groups", {"profile": {"name": "Pagers"}})["id"]
    for user_id in made:
        admin.call("PUT", f"/groups/{group}/users/{user_id}", expect=204)
    assert [len(p) for p in walk(admin, f"/groups/{group}/users", limit=2)] == [2, 1]
    assert sorted(i for p in walk(admin, f"/groups/{group}/users", limit=2) for i in p) == sorted(made)
    for n in range(2):
        admin.call("POST", "/groups", {"profile": {"name": f"More {n}"}})
    assert [len(p) for p in walk(admin, "/groups", limit=2)] == [2, 1]

    app_id = install_test_app(admin, make_provider().base)
    for user_id in made:
        admin.call("POST", f"/apps/{app_id}/users", {"id": user_id, "scope": "USER"})
    assert [i for p in walk(admin, f"/apps/{app_id}/users", limit=2) for i in p] == made
    assert [len(p) for p in walk(admin, "/apps")] == [1]  # /apps lists everything by default


def test_app_group_priority_is_kept(sim, make_provider: ProviderFactory) -> None:
    admin = sim()
    app_id = install_test_app(admin, make_provider().base)
    groups = [admin.call("POST", "/groups", {"profile": {"name": f"G{n}"}})["id"] for n in range(3)]
    for n, group in enumerate(groups):
        got = admin.call("PUT", f"/apps/{app_id}/groups/{group}", {"priority": n * 5})
        assert got["priority"] == n * 5 and got["_links"]["self"]["href"].endswith(f"/groups/{group}")
    assert admin.call("GET", f"/apps/{app_id}/groups/{groups[2]}")["priority"] == 10
    pages = walk(admin, f"/apps/{app_id}/groups", limit=2)
    assert [i for p in pages for i in p] == groups
    assert [g["priority"] for g in admin.call("GET", f"/apps/{app_id}/groups")] == [0, 5, 10]
