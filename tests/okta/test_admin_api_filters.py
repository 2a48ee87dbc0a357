"""Okta's filter and search expressions (okta-admin-api.md §1.7) on /users, /groups and /logs."""

from __future__ import annotations

import pytest

from simulator.okta.api_filter import OktaFilterError, compile_expression
from tests.okta import test_admin_api
from tests.okta.test_admin_api import Admin, last_seq

sim = test_admin_api.sim  # the simulator fixture: start(db=None) -> Admin


def _user(admin: Admin, login: str, first: str, last: str, **params: str) -> str:
    body = {"profile": {"login": login, "email": login, "firstName": first, "lastName": last}}
    return str(admin.call("POST", "/users", body, **params)["id"])


def _refused(admin: Admin, path: str, **params: str) -> dict:
    error = admin.call("GET", path, expect=400, **params)
    assert error["errorCode"] == "E0000001"
    return error


def test_user_expressions_combine_and_compare(sim) -> None:
    admin = sim()
    ann = _user(admin, "ann@example.com", "Ann", "Lee", activate="true")
    bob = _user(admin, "bob@example.com", "Bob", "Lee", activate="false")
    cat = _user(admin, "cat@example.org", "Cat", "Ray", activate="true")

    def ids(**params: str) -> list[str]:
        return [u["id"] for u in admin.call("GET", "/users", **params)]

    # activated without a password: PROVISIONED (it becomes ACTIVE when the user sets one)
    assert ids(filter='profile.lastName eq "lee" and status eq "PROVISIONED"') == [ann]
    assert ids(search='profile.login sw "ANN@" or profile.email co "example.org"') == [ann, cat]
    assert ids(filter='(status eq "STAGED" or status eq "PROVISIONED") and profile.lastName eq "Lee"') == [
        ann, bob]
    assert ids(filter='profile.title pr') == []
    assert ids(filter=f'id eq "{bob}"') == [bob]
    created = admin.call("GET", f"/users/{cat}")["created"]
    assert ids(filter=f'created ge "{created}"') == [cat]
    admin.call("DELETE", f"/users/{cat}", expect=204)
    admin.call("DELETE", f"/users/{cat}", expect=204)  # deprovisioned, then deleted
    admin.call("DELETE", f"/users/{bob}", expect=204)  # deprovisioned
    assert ids() == [ann]  # a plain list leaves DEPROVISIONED users out
    assert ids(filter='status eq "DEPROVISIONED"') == [bob]  # an expression may ask for them


def test_group_expressions(sim) -> None:
    admin = sim()
    eng = admin.call("POST", "/groups", {"profile": {"name": "Engineering"}})["id"]
    admin.call("POST", "/groups", {"profile": {"name": "Sales"}})
    assert [g["id"] for g in admin.call("GET", "/groups", filter='type eq "OKTA_GROUP" and '
                                        'profile.name sw "eng"')] == [eng]
    assert admin.call("GET", "/groups", search='profile.name eq "Marketing"') == []


def test_log_expressions_keywords_and_time_bounds(sim) -> None:
    admin = sim()
    seq = last_seq(admin)
    ann = _user(admin, "ann@example.com", "Ann", "Lee", activate="true")
    group = admin.call("POST", "/groups", {"profile": {"name": "Engineering"}})["id"]
    admin.call("PUT", f"/groups/{group}/users/{ann}", expect=204)

    def types(**params: str) -> list[str]:
        return [e["eventType"] for e in admin.call("GET", "/logs", after=seq, **params)]

    assert types(filter=f'eventType sw "group." and target.id eq "{ann}"') == ["group.user_membership.add"]
    assert types(filter='eventType eq "user.lifecycle.create" or eventType eq "group.lifecycle.create"') == [
        "user.lifecycle.create", "group.lifecycle.create"]
    assert types(filter='outcome.result eq "FAILURE"') == []
    assert types(filter='target.type eq "UserGroup" and actor.alternateId eq "admin"') == [
        "group.lifecycle.create", "group.user_membership.add"]
    assert types(q="ann@example.com engineering") == ["group.user_membership.add"]
    events = admin.call("GET", "/logs", after=seq)
    first, last = events[0]["published"], events[-1]["published"]
    assert len(types(since=first)) == len(events) and types(until=first) == []
    assert types(since=last, until=last) == []  # until excludes its instant


def test_expressions_the_simulator_cannot_evaluate_are_refused_not_ignored(sim) -> None:
    admin = sim()
    error = _refused(admin, "/logs", filter='eventType ne "x"')
    assert "no operator 'ne'" in error["errorCauses"][0]["errorSummary"]
    deep = _refused(admin, "/logs", filter='eventType pr and debugContext.debugData.requestUri eq "/a.b.c"')
    assert "paths of one or two names, not 'debugContext.debugData.requestUri'" in str(deep)
    assert "(eq, sw, co, gt, ge, lt, le)" in str(_refused(admin, "/users", filter='status xx "A"'))
    assert "limit: 'abc' is not an integer" in str(_refused(admin, "/logs", limit="abc"))
    _refused(admin, "/users", filter='not (status eq "ACTIVE")')
    _refused(admin, "/users", search='profile.login eq')
    _refused(admin, "/groups", filter='profile[name eq "x"]')
    _refused(admin, "/logs", sortOrder="DESCENDING")
    _refused(admin, "/logs", since="yesterday")


@pytest.mark.parametrize(("text", "obj", "expected"), [
    ('target.id eq "B"', {"target": [{"id": "a"}, {"id": "b"}]}, True),
    ('target.id eq "c"', {"target": [{"id": "a"}, {"id": "b"}]}, False),
    ('a gt "2024-01-01T00:00:00Z"', {"a": "2024-01-01T00:00:00.001+00:00"}, True),
    ('a lt "m"', {"a": "Apple"}, True),
    ("n eq 3", {"n": 3}, True),
    ('n eq "3"', {"n": 3}, False),
    ("a pr", {"a": ""}, False),
    ('A eq "x"', {"a": "x"}, False),  # attribute names are case-sensitive in Okta expressions
])
def test_expression_semantics(text: str, obj: dict, expected: bool) -> None:
    assert compile_expression(text)(obj) is expected


def test_numbers_only_compare_for_equality() -> None:
    with pytest.raises(OktaFilterError, match="'gt' needs a string value"):
        compile_expression("n gt 3")
