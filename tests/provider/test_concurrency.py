"""Uniqueness under parallel requests: exactly one create wins."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.conftest import Scim, patch_op, user_body


def test_parallel_creates_of_one_username_give_one_201(scim: Scim) -> None:
    def attempt(i: int) -> int:
        client = Scim(scim.base)  # a session per thread: requests.Session is not thread-safe
        name = "race@example.com" if i % 2 else "RACE@example.com"
        return client.post("/Users", user_body(name)).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        codes = list(pool.map(attempt, range(40)))
    assert codes.count(201) == 1 and codes.count(409) == 39
    assert scim.list("/Users")["totalResults"] == 1


def test_parallel_member_adds_all_land(scim: Scim) -> None:
    users = [scim.create_user(f"m{i}@example.com")["id"] for i in range(30)]
    group = scim.create_group("Parallel")

    def add(uid: str) -> int:
        body = patch_op({"op": "add", "path": "members", "value": [{"value": uid}]})
        return Scim(scim.base).patch(f"/Groups/{group['id']}", body).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(add, users)) == {200}
    members = scim.get(f"/Groups/{group['id']}").json()["members"]
    assert sorted(m["value"] for m in members) == sorted(users)
