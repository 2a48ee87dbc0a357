"""Every deviation on the wire: the compliant provider gets it right, the deviant one shows the bug.

Each deviation has a probe, a short conversation with a provider that returns an observation.
The same probe runs against a compliant provider and against one with only that deviation
switched on; the @probe decorator next to it states what each must observe.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from unittest.mock import ANY

import pytest
import requests

from simulator.provider.deviations import REGISTRY, Deviations, UnknownDeviation
from simulator.scim import urns
from simulator.scim.paths import resource_path
from tests.conftest import IVANTI, TOKEN, ProviderFactory, Scim, patch_op, user_body

IVANTI_SPEC = f"{IVANTI}=custAttr1,level:integer,vip:boolean"
OK, CREATED = (200, None), (201, None)
SCIM_JSON = "application/scim+json"
META_KEYS = ["created", "lastModified", "location", "resourceType", "version"]
USER_KEYS = [
    "active",
    "displayName",
    "emails",
    "externalId",
    "id",
    "locale",
    "meta",
    "name",
    "schemas",
    "userName",
]

Probe = Callable[[Scim], Any]


@dataclass(frozen=True, slots=True)
class Case:
    """A probe and what it observes on a compliant and on a deviant provider."""

    probe: Probe
    compliant: Any
    deviant: Any
    spec: str  # what switches the deviation on, e.g. "slow=0.3"
    config: Mapping[str, Any] = field(default_factory=dict)  # ProviderConfig fields, both sides


CASES: dict[str, Case] = {}


def probe(
    name: str, *, compliant: Any, deviant: Any, spec: str | None = None, **config: Any
) -> Callable[[Probe], Probe]:
    """Register the decorated function as the probe of deviation `name`."""

    def register(fn: Probe) -> Probe:
        assert name not in CASES, f"two probes for {name}"
        CASES[name] = Case(fn, compliant, deviant, spec or name, config)
        return fn

    return register


# -- helpers -------------------------------------------------------------------------------
def answer(resp: requests.Response) -> tuple[int, str | None]:
    """The status code and, for a SCIM error, its scimType."""
    body = body_of(resp)
    return resp.status_code, body.get("scimType") if isinstance(body, dict) else None


def body_of(resp: requests.Response) -> Any:
    try:
        return resp.json()
    except ValueError:
        return None


def error_fields(resp: requests.Response) -> dict[str, Any]:
    """What makes an error body a SCIM Error (RFC 7644 §3.12)."""
    body = body_of(resp)
    body = body if isinstance(body, dict) else {}
    return {"Content-Type": media_type(resp), "schemas": body.get("schemas"), "status": body.get("status")}


def media_type(resp: requests.Response) -> str:
    return resp.headers.get("Content-Type", "").partition(";")[0].strip()


def make_users(scim: Scim, *names: str) -> list[dict[str, Any]]:
    return [scim.create_user(f"{n}@example.com") for n in names]


def user_names(listing: dict[str, Any]) -> list[str]:
    return [r["userName"].partition("@")[0] for r in listing["Resources"]]


def group_body(name: str, *members: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [urns.CORE_GROUP], "displayName": name, "members": list(members)}


def spc(scim: Scim) -> dict[str, Any]:
    return dict(scim.get("/ServiceProviderConfig").json())


def attr(scim: Scim, path: str, name: str) -> Any:
    return scim.get(path).json().get(name)


# -- users, uniqueness and writes ----------------------------------------------------------
@probe(
    "username-case-sensitive",
    compliant={"filter hits": 1, "second POST": (409, "uniqueness")},
    deviant={"filter hits": 0, "second POST": CREATED},
)
def probe_username_case(scim: Scim) -> dict[str, Any]:
    scim.create_user("alice@example.com")
    hits = scim.list("/Users", filter='userName eq "ALICE@EXAMPLE.COM"')["totalResults"]
    again = scim.post("/Users", user_body("ALICE@EXAMPLE.COM"))
    return {"filter hits": hits, "second POST": answer(again)}


@probe(
    "duplicate-username-allowed",
    compliant={"second POST": (409, "uniqueness"), "users named bob": 1},
    deviant={"second POST": CREATED, "users named bob": 2},
)
def probe_duplicate_username(scim: Scim) -> dict[str, Any]:
    scim.create_user("bob@example.com")
    again = scim.post("/Users", user_body("bob@example.com"))
    hits = scim.list("/Users", filter='userName eq "bob@example.com"')["totalResults"]
    return {"second POST": answer(again), "users named bob": hits}


@probe(
    "group-name-conflict-500",
    compliant={"second POST": CREATED, "groups named Sales": 2},
    deviant={"second POST": (500, None), "groups named Sales": 1},
)
def probe_group_name_conflict(scim: Scim) -> dict[str, Any]:
    scim.post("/Groups", group_body("Sales"))
    again = scim.post("/Groups", group_body("Sales"))
    hits = scim.list("/Groups", filter='displayName eq "Sales"')["totalResults"]
    return {"second POST": answer(again), "groups named Sales": hits}


@probe("created-returns-200", compliant=(201, 201), deviant=(200, 200))
def probe_create_status(scim: Scim) -> tuple[int, int]:
    user = scim.post("/Users", user_body("kate@example.com"))
    group = scim.post("/Groups", group_body("Kate's"))
    return user.status_code, group.status_code


@probe(
    "no-location-header",
    compliant={"Location": "{base}/Users/{id}", "meta.location": "{base}/Users/{id}"},
    deviant={"Location": None, "meta.location": "{base}/Users/{id}"},
)
@probe(
    "location-mismatch",
    compliant={"Location": "{base}/Users/{id}", "meta.location": "{base}/Users/{id}"},
    deviant={"Location": "http://scim.internal:8080/v2/Users/{id}", "meta.location": "{base}/Users/{id}"},
)
def probe_location(scim: Scim) -> dict[str, str | None]:
    resp = scim.post("/Users", user_body("jack@example.com"))
    body = resp.json()

    def generic(url: str | None) -> str | None:
        return url and url.replace(scim.base, "{base}").replace(body["id"], "{id}")

    return {
        "Location": generic(resp.headers.get("Location")),
        "meta.location": generic(body["meta"]["location"]),
    }


@probe("password-returned", compliant=[None, None, None], deviant=["1mz050nq"] * 3)
def probe_password(scim: Scim) -> list[Any]:
    created = scim.post("/Users", user_body("ivy@example.com")).json()  # Okta sends a password
    got = scim.get(f"/Users/{created['id']}").json()
    listed = scim.list("/Users")["Resources"][0]
    return [body.get("password") for body in (created, got, listed)]


@probe("meta-missing", compliant=[META_KEYS] * 3, deviant=[[], [], []])
def probe_meta(scim: Scim) -> list[list[str]]:
    created = scim.post("/Users", user_body("mo@example.com")).json()
    got = scim.get(f"/Users/{created['id']}").json()
    listed = scim.list("/Users")["Resources"][0]
    return [sorted(body.get("meta", {})) for body in (created, got, listed)]


@probe(
    "drops-extension",
    compliant={
        "POST": 201,
        "schemas": [urns.CORE_USER, IVANTI],
        "extension": {"custAttr1": "blue", "level": 3},
    },
    deviant={"POST": 201, "schemas": [urns.CORE_USER], "extension": None},
)
def probe_extension_stored(scim: Scim) -> dict[str, Any]:
    ext = {IVANTI: {"custAttr1": "blue", "level": 3}}
    resp = scim.post("/Users", user_body("leo@example.com", **ext))
    got = scim.get(f"/Users/{resp.json()['id']}").json()
    return {"POST": resp.status_code, "schemas": got["schemas"], "extension": got.get(IVANTI)}


@probe(
    "put-rejects-readonly-echo",
    compliant={"echo": OK, "title": "Manager", "without id/meta": OK},
    deviant={"echo": (400, "mutability"), "title": None, "without id/meta": OK},
)
def probe_put_echo(scim: Scim) -> dict[str, Any]:
    user = scim.create_user("hank@example.com")
    path = f"/Users/{user['id']}"
    echo = scim.put(path, {**user, "title": "Manager"})  # Okta echoes the GET body
    title = attr(scim, path, "title")
    bare = {k: v for k, v in user.items() if k not in ("id", "meta")}
    return {
        "echo": answer(echo),
        "title": title,
        "without id/meta": answer(scim.put(path, {**bare, "title": "Director"})),
    }


@probe(
    "put-keeps-omitted",
    compliant={"PUT": 200, "title": "Manager", "nickName": None},
    deviant={"PUT": 200, "title": "Manager", "nickName": "V"},
)
def probe_put_replaces(scim: Scim) -> dict[str, Any]:
    user = scim.create_user("vic@example.com", title="Engineer", nickName="V")
    path = f"/Users/{user['id']}"
    resp = scim.put(path, user_body("vic@example.com", title="Manager"))  # no nickName
    got = scim.get(path).json()
    return {"PUT": resp.status_code, "title": got.get("title"), "nickName": got.get("nickName")}


@probe(
    "deactivate-deletes",
    compliant={"PATCH": 200, "GET": 200, "listed": 1},
    deviant={"PATCH": 200, "GET": 404, "listed": 0},
)
def probe_deactivate(scim: Scim) -> dict[str, int]:
    user = scim.create_user("cy@example.com")
    path = f"/Users/{user['id']}"
    resp = scim.patch(path, patch_op({"op": "replace", "value": {"active": False}}))
    return {
        "PATCH": resp.status_code,
        "GET": scim.get(path).status_code,
        "listed": scim.list("/Users")["totalResults"],
    }


@probe(
    "inactive-hidden",
    compliant={"listed": 1, "userName filter": 1, "active eq false": 1},
    deviant={"listed": 0, "userName filter": 0, "active eq false": 0},
)
def probe_inactive_listed(scim: Scim) -> dict[str, int]:
    user = scim.create_user("dee@example.com")
    scim.patch(f"/Users/{user['id']}", patch_op({"op": "replace", "value": {"active": False}}))
    return {
        "listed": scim.list("/Users")["totalResults"],
        "userName filter": scim.list("/Users", filter='userName eq "dee@example.com"')["totalResults"],
        "active eq false": scim.list("/Users", filter="active eq false")["totalResults"],
    }


# -- PATCH ---------------------------------------------------------------------------------
@probe(
    "patch-requires-path",
    compliant={"without path": OK, "active": False, "with path": OK},
    deviant={"without path": (400, "invalidPath"), "active": True, "with path": OK},
)
def probe_patch_without_path(scim: Scim) -> dict[str, Any]:
    user = scim.create_user("erin@example.com")
    path = f"/Users/{user['id']}"
    okta = scim.patch(path, patch_op({"op": "replace", "value": {"active": False}}))
    active = attr(scim, path, "active")
    with_path = scim.patch(path, patch_op({"op": "replace", "path": "title", "value": "CTO"}))
    return {"without path": answer(okta), "active": active, "with path": answer(with_path)}


@probe(
    "patch-op-case-sensitive",
    compliant={"Replace": OK, "title": "CTO", "replace": OK},
    deviant={"Replace": (400, "invalidSyntax"), "title": None, "replace": OK},
)
def probe_patch_op_case(scim: Scim) -> dict[str, Any]:
    user = scim.create_user("fay@example.com")
    path = f"/Users/{user['id']}"
    entra = scim.patch(path, patch_op({"op": "Replace", "path": "title", "value": "CTO"}))
    title = attr(scim, path, "title")
    lower = scim.patch(path, patch_op({"op": "replace", "path": "nickName", "value": "F"}))
    return {"Replace": answer(entra), "title": title, "replace": answer(lower)}


@probe(
    "patch-not-atomic",
    compliant={"PATCH": (400, "invalidPath"), "title": None, "version kept": True},
    deviant={"PATCH": (400, "invalidPath"), "title": "CTO", "version kept": False},
)
def probe_patch_atomic(scim: Scim) -> dict[str, Any]:
    user = scim.create_user("gil@example.com")
    path = f"/Users/{user['id']}"
    resp = scim.patch(
        path,
        patch_op(
            {"op": "replace", "path": "title", "value": "CTO"},
            {"op": "replace", "path": "noSuchAttribute", "value": 1},
        ),
    )
    got = scim.get(path).json()
    return {
        "PATCH": answer(resp),
        "title": got.get("title"),
        "version kept": got["meta"]["version"] == user["meta"]["version"],
    }


@probe(
    "group-rename-rejects-id",
    compliant={"rename": OK, "displayName": "Sales EMEA"},
    deviant={"rename": (400, "mutability"), "displayName": "Sales"},
)
def probe_group_rename(scim: Scim) -> dict[str, Any]:
    group = scim.create_group("Sales")
    path = f"/Groups/{group['id']}"
    okta = {"op": "replace", "value": {"id": group["id"], "displayName": "Sales EMEA"}}
    resp = scim.patch(path, patch_op(okta))
    return {"rename": answer(resp), "displayName": attr(scim, path, "displayName")}


@probe(
    "member-readd-duplicates",
    compliant={"re-add": OK, "member ids": ["a", "b"]},
    deviant={"re-add": OK, "member ids": ["a", "b", "a"]},
)
def probe_member_readd(scim: Scim) -> dict[str, Any]:
    a, b = make_users(scim, "ida", "jon")
    group = scim.create_group("Readd", [a["id"], b["id"]])
    again = {"op": "add", "path": "members", "value": [{"value": a["id"], "display": "ida"}]}
    reply = scim.patch(f"/Groups/{group['id']}", patch_op(again))
    names = {a["id"]: "a", b["id"]: "b"}
    members = scim.get(f"/Groups/{group['id']}").json()["members"]
    return {"re-add": answer(reply), "member ids": [names[m["value"]] for m in members]}


@probe(
    "noop-patch-touches",
    compliant={"re-add": OK, "meta kept": True, "rename kept": True, "real change moves": True},
    deviant={"re-add": OK, "meta kept": False, "rename kept": False, "real change moves": True},
)
def probe_noop_patch_touches(scim: Scim) -> dict[str, Any]:
    (a,) = make_users(scim, "kai")
    group = scim.create_group("Noop", [a["id"]])
    path = f"/Groups/{group['id']}"

    def meta() -> tuple[str, str]:
        got = scim.get(path).json()["meta"]
        return got["lastModified"], got["version"]

    first = meta()
    time.sleep(0.002)
    again = {"op": "add", "path": "members", "value": [{"value": a["id"], "type": "User"}]}
    reply = scim.patch(path, patch_op(again))
    after_readd = meta()
    same_name = {"op": "replace", "path": "displayName", "value": "Noop"}  # the general path
    scim.patch(path, patch_op(same_name))
    after_rename = meta()
    scim.patch(path, patch_op({"op": "replace", "path": "displayName", "value": "Noop 2"}))
    return {"re-add": answer(reply), "meta kept": after_readd == first, "rename kept": after_rename == first,
            "real change moves": meta() != first}


@probe(
    "members-require-type",
    compliant={"POST without type": CREATED, "PATCH without type": OK, "with type": CREATED},
    deviant={
        "POST without type": (400, "invalidValue"),
        "PATCH without type": (400, "invalidValue"),
        "with type": CREATED,
    },
)
def probe_members_without_type(scim: Scim) -> dict[str, Any]:
    a, b = make_users(scim, "gail", "hal")
    okta = scim.post("/Groups", group_body("Okta", {"value": a["id"], "display": "gail"}))
    typed = scim.post("/Groups", group_body("Typed", {"value": a["id"], "type": "User"}))
    add = {"op": "add", "path": "members", "value": [{"value": b["id"], "display": "hal"}]}
    pushed = scim.patch(f"/Groups/{typed.json()['id']}", patch_op(add))
    return {
        "POST without type": answer(okta),
        "PATCH without type": answer(pushed),
        "with type": answer(typed),
    }


@probe(
    "member-filter-path-unsupported",
    compliant={"PATCH": OK, "members": ["xia"]},
    deviant={"PATCH": (400, "invalidPath"), "members": ["wes", "xia"]},
)
def probe_member_filter_path(scim: Scim) -> dict[str, Any]:
    a, b = make_users(scim, "wes", "xia")
    path = f"/Groups/{scim.create_group('Ops', [a['id'], b['id']])['id']}"
    resp = scim.patch(path, patch_op({"op": "remove", "path": f'members[value eq "{a["id"]}"]'}))
    names = {a["id"]: "wes", b["id"]: "xia"}
    return {
        "PATCH": answer(resp),
        "members": [names[m["value"]] for m in scim.get(path).json().get("members", [])],
    }


# -- groups and memberships ----------------------------------------------------------------
@probe(
    "groups-not-derived",
    compliant={"groups": [(True, "Finance", "direct")], "filter hits": 1},
    deviant={"groups": [], "filter hits": 0},
)
def probe_user_groups(scim: Scim) -> dict[str, Any]:
    (user,) = make_users(scim, "yan")
    gid = scim.create_group("Finance", [user["id"]])["id"]
    got = scim.get(f"/Users/{user['id']}").json()
    hits = scim.list("/Users", filter=f'groups.value eq "{gid}"')["totalResults"]
    return {
        "groups": [(g["value"] == gid, g["display"], g["type"]) for g in got.get("groups", [])],
        "filter hits": hits,
    }


@probe("delete-keeps-memberships", compliant=["ada"], deviant=["zed", "ada"])
def probe_delete_cleanup(scim: Scim) -> list[str]:
    a, b = make_users(scim, "zed", "ada")
    path = f"/Groups/{scim.create_group('Support', [a['id'], b['id']])['id']}"
    assert scim.delete(f"/Users/{a['id']}").status_code == 204
    names = {a["id"]: "zed", b["id"]: "ada"}
    return [names[m["value"]] for m in scim.get(path).json().get("members", [])]


# -- listing: shape, filter, paging, sorting -----------------------------------------------
@probe("list-counts-as-strings", compliant=[1, 1, 1], deviant=["1", "1", "1"])
def probe_list_counts(scim: Scim) -> list[Any]:
    make_users(scim, "carol")
    body = scim.list("/Users")
    return [body[k] for k in ("totalResults", "startIndex", "itemsPerPage")]


@probe(
    "empty-result-not-listresponse",
    compliant=(
        200,
        {
            "schemas": [urns.LIST_RESPONSE],
            "totalResults": 0,
            "startIndex": 1,
            "itemsPerPage": 0,
            "Resources": [],
        },
    ),
    deviant=(200, []),
)
def probe_empty_list(scim: Scim) -> tuple[int, Any]:
    resp = scim.get("/Users")
    return resp.status_code, resp.json()


@probe(
    "filter-miss-404",
    compliant={"status": 200, "totalResults": 0, "error status": None},
    deviant={"status": 404, "totalResults": None, "error status": "404"},
)
def probe_filter_miss(scim: Scim) -> dict[str, Any]:
    make_users(scim, "dave")
    resp = scim.get("/Users", params={"filter": 'userName eq "nobody@example.com"'})
    body = resp.json()
    error = body.get("status") if urns.ERROR in body.get("schemas", []) else None
    return {"status": resp.status_code, "totalResults": body.get("totalResults"), "error status": error}


@probe("bad-filter-500", compliant=(400, "invalidFilter"), deviant=(500, None))
def probe_bad_filter(scim: Scim) -> tuple[int, str | None]:
    return answer(scim.get("/Users", params={"filter": "userName eq"}))


@probe("filter-ignored", compliant=(1, ["otto"]), deviant=(2, ["nia", "otto"]))
def probe_filter_applied(scim: Scim) -> tuple[int, list[str]]:
    make_users(scim, "nia", "otto")
    body = scim.list("/Users", filter='userName eq "otto@example.com"')
    return body["totalResults"], user_names(body)


@probe("filter-unsupported-ignored", compliant={"filter.supported": True, "found": (1, ["otto"])},
       deviant={"filter.supported": False, "found": (2, ["nia", "otto"])})
def probe_filter_unsupported_ignored(scim: Scim) -> dict[str, Any]:
    make_users(scim, "nia", "otto")
    body = scim.list("/Users", filter='userName eq "otto@example.com"')
    return {"filter.supported": spc(scim)["filter"]["supported"],
            "found": (body["totalResults"], user_names(body))}


@probe(
    "unstable-paging",
    compliant={"order changes": False, "always creation order": True},
    deviant={"order changes": True, "always creation order": False},
)
def probe_paging_order(scim: Scim) -> dict[str, bool]:
    created = tuple(u["id"] for u in make_users(scim, *(f"user{i:02}" for i in range(20))))
    orders = [tuple(r["id"] for r in scim.list("/Users")["Resources"]) for _ in range(10)]
    # A shuffle of 20 repeating 10 times has probability (1/20!)^9: never in practice.
    return {"order changes": len(set(orders)) > 1, "always creation order": all(o == created for o in orders)}


@probe("startindex-zero-based", compliant=(1, ["pam", "quin"]), deviant=(1, ["quin", "rex"]))
def probe_start_index(scim: Scim) -> tuple[int, list[str]]:
    make_users(scim, "pam", "quin", "rex")
    body = scim.list("/Users", startIndex=1, count=2)
    return body["startIndex"], user_names(body)


@probe("count-ignored", compliant=(3, 1, ["sam"]), deviant=(3, 3, ["sam", "tia", "uli"]))
def probe_count(scim: Scim) -> tuple[int, int, list[str]]:
    make_users(scim, "sam", "tia", "uli")
    body = scim.list("/Users", count=1)
    return body["totalResults"], body["itemsPerPage"], user_names(body)


@probe(
    "max-results-ignored",
    compliant={"maxResults": 2, "totalResults": 3, "returned": 2},
    deviant={"maxResults": 2, "totalResults": 3, "returned": 3},
    max_results=2,
)
def probe_max_results(scim: Scim) -> dict[str, int]:
    advertised = spc(scim)["filter"]["maxResults"]
    make_users(scim, "val", "wim", "xan")
    body = scim.list("/Users", count=10)
    return {
        "maxResults": advertised,
        "totalResults": body["totalResults"],
        "returned": len(body["Resources"]),
    }


@probe(
    "sort-ignored",
    compliant={"sort.supported": True, "ascending": ["abe", "mo", "sue"], "descending": ["sue", "mo", "abe"]},
    deviant={"sort.supported": True, "ascending": ["sue", "abe", "mo"], "descending": ["sue", "abe", "mo"]},
)
def probe_sort(scim: Scim) -> dict[str, Any]:
    make_users(scim, "sue", "abe", "mo")
    asc = scim.list("/Users", sortBy="userName")
    desc = scim.list("/Users", sortBy="userName", sortOrder="descending")
    return {
        "sort.supported": spc(scim)["sort"]["supported"],
        "ascending": user_names(asc),
        "descending": user_names(desc),
    }


# -- projection ----------------------------------------------------------------------------
@probe("attributes-ignored", compliant=[["id", "schemas", "userName"]] * 2, deviant=[USER_KEYS] * 2)
def probe_attributes(scim: Scim) -> list[list[str]]:
    (user,) = make_users(scim, "ann")
    got = scim.get(f"/Users/{user['id']}", params={"attributes": "userName"}).json()
    listed = scim.list("/Users", attributes="userName")["Resources"][0]
    return [sorted(got), sorted(listed)]


@probe(
    "excluded-attributes-ignored",
    compliant=[["displayName", "id", "meta", "schemas"]] * 2,
    deviant=[["displayName", "id", "members", "meta", "schemas"]] * 2,
)
def probe_excluded_attributes(scim: Scim) -> list[list[str]]:
    (user,) = make_users(scim, "bea")
    path = f"/Groups/{scim.create_group('Eng', [user['id']])['id']}"
    got = scim.get(path, params={"excludedAttributes": "members"}).json()  # as Entra asks
    listed = scim.list("/Groups", excludedAttributes="members")["Resources"][0]
    return [sorted(got), sorted(listed)]


# -- ETags ---------------------------------------------------------------------------------
@probe(
    "etag-ignored",
    compliant={
        "etag.supported": True,
        "If-None-Match current": 304,
        "If-Match stale": (412, None),
        "title": "A",
    },
    deviant={"etag.supported": True, "If-None-Match current": 200, "If-Match stale": OK, "title": "B"},
)
def probe_etag_checks(scim: Scim) -> dict[str, Any]:
    user = scim.create_user("tom@example.com")
    path, etag = f"/Users/{user['id']}", user["meta"]["version"]
    fresh = scim.get(path, headers={"If-None-Match": etag}).status_code
    scim.patch(path, patch_op({"op": "replace", "path": "title", "value": "A"}))  # etag now stale
    stale = scim.patch(
        path, patch_op({"op": "replace", "path": "title", "value": "B"}), headers={"If-Match": etag}
    )
    return {
        "etag.supported": spc(scim)["etag"]["supported"],
        "If-None-Match current": fresh,
        "If-Match stale": answer(stale),
        "title": attr(scim, path, "title"),
    }


@probe(
    "no-etag",
    compliant={"etag.supported": True, "POST": "ETag == meta.version", "GET": "ETag == meta.version"},
    deviant={"etag.supported": True, "POST": (None, None), "GET": (None, None)},
)
def probe_etag_emitted(scim: Scim) -> dict[str, Any]:
    def versions(resp: requests.Response) -> Any:
        header, version = resp.headers.get("ETag"), resp.json()["meta"].get("version")
        if header and header == version and re.fullmatch(r'(W/)?"[^"]*"', header):
            return "ETag == meta.version"
        return header, version

    created = scim.post("/Users", user_body("uma@example.com"))
    got = scim.get(f"/Users/{created.json()['id']}")
    return {"etag.supported": spc(scim)["etag"]["supported"], "POST": versions(created), "GET": versions(got)}


@probe("filter-first-value-only", compliant=[1, 1], deviant=[1, 0])
def probe_filter_first_value_only(scim: Scim) -> list[int]:
    emails = [{"value": "ida@example.com", "type": "work", "primary": True},
              {"value": "ida@home.example", "type": "home"}]
    scim.post("/Users", user_body("ida@example.com", emails=emails))
    return [scim.list(f'/Users?filter=emails.value eq "{e}"')["totalResults"]
            for e in ("ida@example.com", "ida@home.example")]


@probe("auth-scheme-case-sensitive", compliant=[200, 200], deviant=[200, 401])
def probe_auth_scheme_case_sensitive(scim: Scim) -> list[int]:
    return [scim.http.get(f"{scim.base}/Users", headers={"Authorization": f"{scheme} {TOKEN}"},
                          timeout=5).status_code for scheme in ("Bearer", "bearer")]


@probe("primary-not-settled", compliant=[False, True], deviant=[True, True])
def probe_primary_not_settled(scim: Scim) -> list[Any]:
    emails = [{"value": "pia@example.com", "type": "work", "primary": True}]
    uid = scim.post("/Users", user_body("pia@example.com", emails=emails)).json()["id"]
    add = {"op": "add", "path": "emails", "value": [{"value": "pia@home.example", "primary": True}]}
    got = scim.patch(f"/Users/{uid}", patch_op(add)).json()["emails"]
    return [e.get("primary") for e in got]


@probe("negative-count-refused", compliant=200, deviant=400)
def probe_negative_count_refused(scim: Scim) -> int:
    return scim.get("/Users?count=-1").status_code


@probe("core-path-case-sensitive", compliant=[200, 200], deviant=[200, 400])
def probe_core_path_case_sensitive(scim: Scim) -> list[int]:
    uid = scim.post("/Users", user_body("cam@example.com")).json()["id"]
    return [scim.patch(f"/Users/{uid}", patch_op({"op": "replace", "path": path, "value": "Ng"})).status_code
            for path in ("name.familyName", "NAME.FAMILYNAME")]


# -- discovery, auth, errors, HTTP framing -------------------------------------------------
@probe("discovery-lists-paged", compliant=[4, 2], deviant=[1, 1])
def probe_discovery_lists_paged(scim: Scim) -> list[int]:
    return [len(scim.get(f"/{p}?startIndex=2&count=1").json()["Resources"])
            for p in ("Schemas", "ResourceTypes")]


@probe("discovery-filter-ignored", compliant=[403, 403], deviant=[200, 200])
def probe_discovery_filter_ignored(scim: Scim) -> list[int]:
    return [scim.get(f'/{p}?filter=id eq "x"').status_code for p in ("Schemas", "ResourceTypes")]


@probe(
    "extension-not-advertised",
    compliant={
        "in /Schemas": True,
        "/Schemas/<urn>": 200,
        "schemaExtensions": [
            {"schema": urns.ENTERPRISE_USER, "required": False},
            {"schema": IVANTI, "required": False},
        ],
        "stored": {"vip": True},
    },
    deviant={"in /Schemas": False, "/Schemas/<urn>": 404, "schemaExtensions": [], "stored": {"vip": True}},
)
def probe_extension_discovery(scim: Scim) -> dict[str, Any]:
    schemas = [s["id"] for s in scim.list("/Schemas")["Resources"]]
    user = scim.create_user("mia@example.com", **{IVANTI: {"vip": True}})
    return {
        "in /Schemas": IVANTI in schemas,
        "/Schemas/<urn>": scim.get(f"/Schemas/{IVANTI}").status_code,
        "schemaExtensions": scim.get("/ResourceTypes/User").json()["schemaExtensions"],
        "stored": attr(scim, f"/Users/{user['id']}", IVANTI),
    }


@probe(
    "extension-case-sensitive",
    compliant={"POST": 201, "stored": {"custAttr1": "red"}, "PATCH": 200},
    deviant={"POST": (400, "invalidValue"), "stored": None, "PATCH": (400, "invalidPath")},
)
def probe_extension_case(scim: Scim) -> dict[str, Any]:
    resp = scim.post("/Users", user_body("nia@example.com", **{IVANTI.upper(): {"CUSTATTR1": "red"}}))
    user = resp.json() if resp.status_code == 201 else scim.create_user("nia2@example.com")
    patched = scim.patch(f"/Users/{user['id']}", patch_op(
        {"op": "replace", "path": f"{IVANTI.upper()}:custAttr1", "value": "blue"}))
    return {"POST": resp.status_code if resp.status_code == 201 else answer(resp),
            "stored": user.get(IVANTI),
            "PATCH": patched.status_code if patched.status_code == 200 else answer(patched)}


@probe(
    "extension-path-rejected",
    compliant={"URN path": {"level": 7}, "no path": 200},
    deviant={"URN path": (400, "invalidPath"), "no path": 200},
)
def probe_extension_path(scim: Scim) -> dict[str, Any]:
    user = scim.create_user("ola@example.com")
    path = f"/Users/{user['id']}"
    urn_path = scim.patch(path, patch_op({"op": "add", "path": f"{IVANTI}:level", "value": 7}))
    no_path = scim.patch(path, patch_op({"op": "add", "value": {IVANTI: {"vip": True}}}))
    return {"URN path": urn_path.json().get(IVANTI) if urn_path.status_code == 200 else answer(urn_path),
            "no path": no_path.status_code}


@probe(
    "extension-not-cleared-on-put",
    compliant={"PUT": 200, "after": None},
    deviant={"PUT": 200, "after": {"custAttr1": "green"}},
)
def probe_extension_put(scim: Scim) -> dict[str, Any]:
    user = scim.create_user("pia@example.com", **{IVANTI: {"custAttr1": "green"}})
    body = {k: v for k, v in user.items() if k not in ("id", "meta", IVANTI)}
    put = scim.put(f"/Users/{user['id']}", {**body, "schemas": [urns.CORE_USER]})
    return {"PUT": put.status_code, "after": attr(scim, f"/Users/{user['id']}", IVANTI)}


@probe(
    "extension-requires-schemas-entry",
    compliant={"URN not in schemas": 201, "URN in schemas": 201},
    deviant={"URN not in schemas": (400, "invalidValue"), "URN in schemas": 201},
)
def probe_extension_schemas_entry(scim: Scim) -> dict[str, Any]:
    okta = scim.post("/Users", user_body("quin@example.com", **{IVANTI: {"vip": False}}))
    listed = scim.post("/Users", user_body("quin2@example.com", schemas=[urns.CORE_USER, IVANTI],
                                           **{IVANTI: {"vip": False}}))
    return {"URN not in schemas": okta.status_code if okta.status_code == 201 else answer(okta),
            "URN in schemas": listed.status_code}


@probe(
    "extension-type-unchecked",
    compliant={"string for integer": (400, "invalidValue"), "stored": None},
    deviant={"string for integer": 201, "stored": {"level": "twelve"}},
)
def probe_extension_types(scim: Scim) -> dict[str, Any]:
    resp = scim.post("/Users", user_body("rui@example.com", **{IVANTI: {"level": "twelve"}}))
    created = resp.status_code == 201
    return {"string for integer": 201 if created else answer(resp),
            "stored": attr(scim, f"/Users/{resp.json()['id']}", IVANTI) if created else None}


@probe(
    "auth-not-enforced",
    compliant={"no token, wrong token, right token": [401, 401, 200], "challenge": True},
    deviant={"no token, wrong token, right token": [200, 200, 200], "challenge": False},
)
def probe_auth(scim: Scim) -> dict[str, Any]:
    answers = [Scim(scim.base, token).get("/Users") for token in (None, "wrong-token", TOKEN)]
    challenge = answers[0].headers.get("WWW-Authenticate", "")
    return {
        "no token, wrong token, right token": [r.status_code for r in answers],
        "challenge": challenge.startswith("Bearer"),
    }


@probe(
    "auth-refused-403",
    compliant={"no token, wrong token, right token": [401, 401, 200], "challenge": True},
    deviant={"no token, wrong token, right token": [403, 403, 200], "challenge": False},
)
def probe_auth_403(scim: Scim) -> dict[str, Any]:
    return probe_auth(scim)


@probe("error-status-int", compliant=("404", "401"), deviant=(404, 401))
def probe_error_status(scim: Scim) -> tuple[Any, Any]:
    missing = scim.get("/Users/does-not-exist").json()
    anonymous = Scim(scim.base, token=None).get("/Users").json()
    return missing["status"], anonymous["status"]


@probe(
    "error-body-not-scim",
    compliant=[
        (404, {"Content-Type": SCIM_JSON, "schemas": [urns.ERROR], "status": "404"}),
        (400, {"Content-Type": SCIM_JSON, "schemas": [urns.ERROR], "status": "400"}),
    ],
    deviant=[
        (404, {"Content-Type": "text/html", "schemas": None, "status": None}),
        (400, {"Content-Type": "text/html", "schemas": None, "status": None}),
    ],
)
def probe_error_body(scim: Scim) -> list[tuple[int, dict[str, Any]]]:
    missing = scim.get("/Users/does-not-exist")
    bad_json = scim.request("POST", "/Users", data=b'{"schemas": [', headers={"Content-Type": SCIM_JSON})
    return [(r.status_code, error_fields(r)) for r in (missing, bad_json)]


@probe("content-type-json", compliant=[SCIM_JSON] * 4, deviant=["application/json"] * 4)
def probe_media_type(scim: Scim) -> list[str]:
    responses = [
        scim.post("/Users", user_body("ned@example.com")),
        scim.get("/Users"),
        scim.get("/Users/does-not-exist"),
        scim.get("/ServiceProviderConfig"),
    ]
    return [media_type(r) for r in responses]


# No upper bound on the compliant side: CI machines are slow, loopback or not.
@probe(
    "slow",
    spec="slow=0.3",
    compliant={"statuses": [200, 404], "each took >= 0.3 s": ANY},
    deviant={"statuses": [200, 404], "each took >= 0.3 s": True},
)
def probe_latency(scim: Scim) -> dict[str, Any]:
    statuses, delays = [], []
    for path in ("/ServiceProviderConfig", "/Users/does-not-exist"):
        start = time.monotonic()
        statuses.append(scim.get(path).status_code)
        delays.append(time.monotonic() - start)
    return {"statuses": statuses, "each took >= 0.3 s": min(delays) >= 0.28}


@probe(
    "rate-limited-no-retry-after",
    spec="rate-limited-no-retry-after=3",
    compliant={"first three": [200] * 3, "throttled": False, "Retry-After": None},
    deviant={"first three": [200] * 3, "throttled": True, "Retry-After": None},
)
def probe_rate_limit_without_retry_after(scim: Scim) -> dict[str, Any]:
    burst = [scim.get("/ServiceProviderConfig") for _ in range(8)]
    throttled = next((r for r in burst if r.status_code == 429), None)
    if throttled is not None:
        time.sleep(1.1)  # the limiter's window is one second
    return {"first three": [r.status_code for r in burst[:3]], "throttled": throttled is not None,
            "Retry-After": throttled.headers.get("Retry-After") if throttled is not None else None}


@probe(
    "rate-limited",
    spec="rate-limited=3",
    compliant={
        "first three": [200] * 3,
        "throttled": False,
        "Retry-After": None,
        "error": None,
        "after the window": 200,
    },
    deviant={
        "first three": [200] * 3,
        "throttled": True,
        "Retry-After": "1",
        "error": {"Content-Type": SCIM_JSON, "schemas": [urns.ERROR], "status": "429"},
        "after the window": 200,
    },
)
def probe_rate_limit(scim: Scim) -> dict[str, Any]:
    burst = [scim.get("/ServiceProviderConfig") for _ in range(8)]
    throttled = next((r for r in burst if r.status_code == 429), None)
    if throttled is not None:
        time.sleep(1.1)  # the limiter's window is one second
    return {
        "first three": [r.status_code for r in burst[:3]],
        "throttled": throttled is not None,
        "Retry-After": None if throttled is None else throttled.headers.get("Retry-After"),
        "error": None if throttled is None else error_fields(throttled),
        "after the window": scim.get("/ServiceProviderConfig").status_code,
    }


# -- conditions: choices the RFCs leave to a correct server --------------------------------
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def bare_user(scim: Scim, name: str) -> dict[str, Any]:
    resp = scim.post("/Users", {"schemas": [urns.CORE_USER], "userName": name})
    assert resp.status_code == 201, resp.text
    return dict(resp.json())


@probe(
    "patch-no-content",
    compliant={"PATCH": 200, "title": "A", "ETag is current": True, "with attributes": (200, "B")},
    deviant={"PATCH": 204, "title": None, "ETag is current": True, "with attributes": (200, "B")},
)
def probe_patch_answer(scim: Scim) -> dict[str, Any]:
    path = f"/Users/{scim.create_user('ola@example.com')['id']}"
    resp = scim.patch(path, patch_op({"op": "replace", "path": "title", "value": "A"}))
    current = scim.get(path)
    projected = scim.patch(path, patch_op({"op": "replace", "path": "title", "value": "B"}),
                           params={"attributes": "title"})  # RFC 7644 §3.5.2: then 200
    return {
        "PATCH": resp.status_code,
        "title": resp.json().get("title") if resp.text else None,
        "ETag is current": resp.headers.get("ETag") == current.headers.get("ETag"),
        "with attributes": (projected.status_code, projected.json().get("title")),
    }


@probe(
    "page-size",
    spec="page-size=2",
    compliant={"maxResults": 200, "no count": 3, "count=10": 3, "count=1": 1, "totalResults": 3},
    deviant={"maxResults": 2, "no count": 2, "count=10": 2, "count=1": 1, "totalResults": 3},
)
def probe_page_size(scim: Scim) -> dict[str, int]:
    make_users(scim, "pia", "quy", "ros")
    pages = {key: scim.list("/Users", **params) for key, params in
             (("no count", {}), ("count=10", {"count": 10}), ("count=1", {"count": 1}))}
    return {
        "maxResults": spc(scim)["filter"]["maxResults"],
        **{key: len(body["Resources"]) for key, body in pages.items()},
        "totalResults": pages["no count"]["totalResults"],
    }


@probe(
    "unsorted-lists",
    compliant={"creation order": True, "same twice": True, "pages join": True},
    deviant={"creation order": False, "same twice": True, "pages join": True},
)
def probe_unsorted(scim: Scim) -> dict[str, bool]:
    created = [u["id"] for u in make_users(scim, *(f"un{i}" for i in range(10)))]
    whole = [[r["id"] for r in scim.list("/Users")["Resources"]] for _ in range(2)]
    pages = [scim.list("/Users", startIndex=start, count=4)["Resources"] for start in (1, 5, 9)]
    paged = [r["id"] for page in pages for r in page]
    # Ten random ids in creation order by their hashes: one chance in 3.6 million.
    return {"creation order": whole[0] == created, "same twice": whole[0] == whole[1],
            "pages join": paged == whole[0]}


@probe("numeric-ids", compliant=["uuid", "uuid"], deviant=["1", "2"])
def probe_ids(scim: Scim) -> list[str]:
    ids = [scim.create_user("ida@example.com")["id"], scim.create_group("Ids")["id"]]
    return ["uuid" if UUID.fullmatch(i) else i for i in ids]


@probe(
    "unassigned-as-null",
    compliant={"title": "absent", "emails": "absent", "groups": "absent", "name.middleName": "absent"},
    deviant={"title": None, "emails": [], "groups": [], "name.middleName": None},
)
def probe_unassigned(scim: Scim) -> dict[str, Any]:
    user = scim.create_user("nul@example.com", emails=None)
    got = scim.get(f"/Users/{user['id']}").json()
    return {"title": got.get("title", "absent"), "emails": got.get("emails", "absent"),
            "groups": got.get("groups", "absent"), "name.middleName": got["name"].get("middleName", "absent")}


@probe(
    "datetime-offsets",
    compliant={"created": "Z, milliseconds", "lastModified gt created - 1 s": 1},
    deviant={"created": "+01:00, microseconds", "lastModified gt created - 1 s": 1},
)
def probe_datetimes(scim: Scim) -> dict[str, Any]:
    created = scim.create_user("tz@example.com")["meta"]["created"]
    shapes = {r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z": "Z, milliseconds",
              r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+01:00": "+01:00, microseconds"}
    india = timezone(timedelta(hours=5, minutes=30))  # neither form: instants are compared
    earlier = (datetime.fromisoformat(created) - timedelta(seconds=1)).astimezone(india).isoformat()
    hits = scim.list("/Users", filter=f'meta.lastModified gt "{earlier}"')["totalResults"]
    shape = next((label for pattern, label in shapes.items() if re.fullmatch(pattern, created)), created)
    return {"created": shape, "lastModified gt created - 1 s": hits}


@probe(
    "etag-unsupported",
    compliant={"etag.supported": True, "ETag": True, "meta.version": True, "If-Match stale": (412, None)},
    deviant={"etag.supported": False, "ETag": False, "meta.version": False, "If-Match stale": OK},
)
def probe_etag_unsupported(scim: Scim) -> dict[str, Any]:
    created = scim.post("/Users", user_body("eve@example.com"))
    path = f"/Users/{created.json()['id']}"
    stale = scim.put(path, user_body("eve@example.com", title="B"), headers={"If-Match": 'W/"0"'})
    return {"etag.supported": spc(scim)["etag"]["supported"], "ETag": "ETag" in created.headers,
            "meta.version": "version" in created.json()["meta"], "If-Match stale": answer(stale)}


@probe(
    "strong-etags",
    compliant={"ETag": 'W/"n"', "meta.version": 'W/"n"', "If-None-Match": 304, "If-Match": OK},
    deviant={"ETag": '"n"', "meta.version": '"n"', "If-None-Match": 304, "If-Match": OK},
)
def probe_strong_etags(scim: Scim) -> dict[str, Any]:
    created = scim.post("/Users", user_body("sto@example.com"))
    path, etag = f"/Users/{created.json()['id']}", created.headers["ETag"]
    return {
        "ETag": re.sub(r"\d+", "n", etag),
        "meta.version": re.sub(r"\d+", "n", created.json()["meta"]["version"]),
        "If-None-Match": scim.get(path, headers={"If-None-Match": etag}).status_code,
        "If-Match": answer(scim.put(path, user_body("sto@example.com"), headers={"If-Match": etag})),
    }


@probe(
    "sort-unsupported",
    compliant={"sort.supported": True, "sortBy=userName": ["abe", "mo", "sue"]},
    deviant={"sort.supported": False, "sortBy=userName": ["sue", "abe", "mo"]},
)
def probe_sort_unsupported(scim: Scim) -> dict[str, Any]:
    make_users(scim, "sue", "abe", "mo")
    return {"sort.supported": spc(scim)["sort"]["supported"],
            "sortBy=userName": user_names(scim.list("/Users", sortBy="userName"))}


@probe(
    "list-counters-when-paged",
    compliant={"whole": ["Resources", "itemsPerPage", "schemas", "startIndex", "totalResults"],
               "partial": ["Resources", "itemsPerPage", "schemas", "startIndex", "totalResults"]},
    deviant={"whole": ["Resources", "schemas", "totalResults"],
             "partial": ["Resources", "itemsPerPage", "schemas", "startIndex", "totalResults"]},
)
def probe_list_counters(scim: Scim) -> dict[str, list[str]]:
    make_users(scim, "wes", "xia")
    return {"whole": sorted(scim.list("/Users")), "partial": sorted(scim.list("/Users", count=1))}


@probe(
    "count-zero-total-only",
    compliant={"zero": ["Resources", "itemsPerPage", "schemas", "startIndex", "totalResults"],
               "one": ["Resources", "itemsPerPage", "schemas", "startIndex", "totalResults"]},
    deviant={"zero": ["schemas", "totalResults"],
             "one": ["Resources", "itemsPerPage", "schemas", "startIndex", "totalResults"]},
)
def probe_count_zero(scim: Scim) -> dict[str, list[str]]:
    make_users(scim, "yan", "zoe")
    return {"zero": sorted(scim.list("/Users", count=0)), "one": sorted(scim.list("/Users", count=1))}


EQ_ONLY_DECLINES = dict.fromkeys(("sw", "pr", "gt", "or", "not", "[...]"), (400, "invalidFilter"))


@probe(
    "filter-eq-only",
    compliant={"filter.supported": True, "eq and eq": ["ann"], **dict.fromkeys(EQ_ONLY_DECLINES, OK),
               "detail": None, "bad syntax": (400, "invalidFilter"), "PATCH members[value eq]": OK},
    deviant={"filter.supported": True, "eq and eq": ["ann"], **EQ_ONLY_DECLINES,
             "detail": "Only eq comparisons joined by and are supported (filter: userName sw \"an\")",
             "bad syntax": (400, "invalidFilter"), "PATCH members[value eq]": OK},
)
def probe_filter_eq_only(scim: Scim) -> dict[str, Any]:
    ann, bob = make_users(scim, "ann", "bob")
    filters = {"sw": 'userName sw "an"', "pr": "title pr", "gt": 'meta.created gt "2000-01-01T00:00:00Z"',
               "or": 'userName eq "ann@example.com" or userName eq "bob@example.com"',
               "not": 'not (userName eq "ann@example.com")', "[...]": 'emails[value eq "ann@example.com"]'}
    replies = {key: scim.get("/Users", params={"filter": text}) for key, text in filters.items()}
    declined = body_of(replies["sw"])
    group = f"/Groups/{scim.create_group('Eq', [ann['id'], bob['id']])['id']}"
    removed = scim.patch(group, patch_op({"op": "remove", "path": f'members[value eq "{bob["id"]}"]'}))
    both = 'userName eq "ann@example.com" and active eq true'
    return {
        "filter.supported": spc(scim)["filter"]["supported"],
        "eq and eq": user_names(scim.list("/Users", filter=both)),
        **{key: answer(reply) for key, reply in replies.items()},
        "detail": declined.get("detail") if isinstance(declined, dict) else None,
        "bad syntax": answer(scim.get("/Users", params={"filter": "userName eq"})),
        "PATCH members[value eq]": answer(removed),
    }


@probe(
    "unique-emails",
    compliant={"POST same email": CREATED, "PUT to it": OK, "PATCH to it": OK, "keep own": OK,
               "freed by DELETE": CREATED},
    deviant={"POST same email": (409, "uniqueness"), "PUT to it": (409, "uniqueness"),
             "PATCH to it": (409, "uniqueness"), "keep own": OK, "freed by DELETE": CREATED},
)
def probe_unique_emails(scim: Scim) -> dict[str, Any]:
    uma = f"/Users/{scim.create_user('uma@example.com')['id']}"
    shared = [{"value": "UMA@Example.com", "type": "work"}]  # another case: still the same address
    posted = scim.post("/Users", user_body("una@example.com", emails=shared))
    unb = f"/Users/{scim.create_user('unb@example.com')['id']}"
    put = scim.put(unb, user_body("unb@example.com", emails=shared))
    patched = scim.patch(unb, patch_op({"op": "add", "path": "emails", "value": shared}))
    own = scim.put(unb, user_body("unb@example.com", emails=[{"value": "UNB@example.com"}]))
    scim.delete(uma)
    freed = scim.post("/Users", user_body("unc@example.com", emails=shared))
    return {"POST same email": answer(posted), "PUT to it": answer(put), "PATCH to it": answer(patched),
            "keep own": answer(own), "freed by DELETE": answer(freed)}


NOT_IMPLEMENTED = (501, None)


@probe(
    "patch-unsupported",
    compliant={"patch.supported": True, "PATCH user": OK, "PATCH group": OK, "PATCH unknown id": (404, None),
               "error": None, "title after": "Patched", "PUT": OK},
    deviant={"patch.supported": False, "PATCH user": NOT_IMPLEMENTED, "PATCH group": NOT_IMPLEMENTED,
             "PATCH unknown id": NOT_IMPLEMENTED,
             "error": ([urns.ERROR], "501", "PATCH is not supported: patch.supported is false in "
                       "/ServiceProviderConfig."),
             "title after": None, "PUT": OK},
)
def probe_patch_unsupported(scim: Scim) -> dict[str, Any]:
    user = f"/Users/{scim.create_user('pat@example.com')['id']}"
    group = f"/Groups/{scim.create_group('Pat')['id']}"
    patched = scim.patch(user, patch_op({"op": "replace", "path": "title", "value": "Patched"}))
    error = body_of(patched) if patched.status_code == 501 else None
    return {
        "patch.supported": spc(scim)["patch"]["supported"],
        "PATCH user": answer(patched),
        "PATCH group": answer(scim.patch(group, patch_op({"op": "replace", "path": "displayName",
                                                          "value": "Pat 2"}))),
        "PATCH unknown id": answer(scim.patch("/Users/nobody", patch_op({"op": "replace", "path": "title",
                                                                         "value": "X"}))),
        "error": error and (error["schemas"], error["status"], error["detail"]),
        "title after": attr(scim, user, "title"),
        "PUT": answer(scim.put(user, user_body("pat@example.com", title="Put"))),
    }


@probe(
    "filter-unsupported",
    compliant={"filter.supported": True, "GET filter": OK, "POST .search filter": OK, "no filter": 2,
               "detail": None, "PATCH members[value eq]": OK},
    deviant={"filter.supported": False, "GET filter": (400, "invalidFilter"),
             "POST .search filter": (400, "invalidFilter"), "no filter": 2,
             "detail": 'Filtering is not supported: filter.supported is false in /ServiceProviderConfig '
                       '(filter: userName eq "fay@example.com")',
             "PATCH members[value eq]": OK},
)
def probe_filter_unsupported(scim: Scim) -> dict[str, Any]:
    fay, gil = make_users(scim, "fay", "gil")
    text = 'userName eq "fay@example.com"'
    filtered = scim.get("/Users", params={"filter": text})
    searched = scim.post("/Users/.search", {"schemas": [urns.SEARCH_REQUEST], "filter": text})
    group = f"/Groups/{scim.create_group('Flt', [fay['id'], gil['id']])['id']}"
    removed = scim.patch(group, patch_op({"op": "remove", "path": f'members[value eq "{gil["id"]}"]'}))
    declined = body_of(filtered)
    return {
        "filter.supported": spc(scim)["filter"]["supported"],
        "GET filter": answer(filtered),
        "POST .search filter": answer(searched),
        "no filter": scim.list("/Users")["totalResults"],
        "detail": declined.get("detail") if filtered.status_code == 400 else None,
        "PATCH members[value eq]": answer(removed),
    }


def searched(scim: Scim, path: str, **params: Any) -> tuple[int, Any]:
    """A POST .search: 200 and the userNames listed (before the @), or the status and scimType."""
    resp = scim.post(path, {"schemas": [urns.SEARCH_REQUEST], **params})
    return (200, sorted(user_names(resp.json()))) if resp.status_code == 200 else answer(resp)


@probe(
    "search-requires-filter",
    compliant={"no parameters": (200, ["hal", "ida"]), "count only": (200, ["hal"]),
               "filter": (200, ["ida"]), "GET without filter": OK},
    deviant={"no parameters": (400, None), "count only": (400, None),
             "filter": (200, ["ida"]), "GET without filter": OK},
)
def probe_search_requires_filter(scim: Scim) -> dict[str, Any]:
    make_users(scim, "hal", "ida")
    return {
        "no parameters": searched(scim, "/Users/.search"),
        "count only": searched(scim, "/Users/.search", count=1),
        "filter": searched(scim, "/Users/.search", filter='userName eq "ida@example.com"'),
        "GET without filter": answer(scim.get("/Users")),
    }


@probe(
    "search-reads-filter-only",
    compliant={"filter": (200, ["kim"]), "count": (200, ["jo"]), "emails despite attributes": False,
               "emails despite excludedAttributes": False, "count in the URL": (200, ["jo", "kim"])},
    deviant={"filter": (200, ["kim"]), "count": (200, ["jo", "kim"]), "emails despite attributes": True,
             "emails despite excludedAttributes": True, "count in the URL": (200, ["jo"])},
)
def probe_search_reads_filter_only(scim: Scim) -> dict[str, Any]:
    make_users(scim, "jo", "kim")
    kim = 'userName eq "kim@example.com"'

    def emails(**projection: list[str]) -> bool:
        body = {"schemas": [urns.SEARCH_REQUEST], "filter": kim, **projection}
        return "emails" in scim.post("/Users/.search", body).json()["Resources"][0]

    url_paged = scim.post("/Users/.search?count=1", {"schemas": [urns.SEARCH_REQUEST]})
    return {
        "filter": searched(scim, "/Users/.search", filter=kim),
        "count": searched(scim, "/Users/.search", startIndex=1, count=1),
        "emails despite attributes": emails(attributes=["userName"]),
        "emails despite excludedAttributes": emails(excludedAttributes=["emails"]),
        "count in the URL": (200, user_names(url_paged.json())),
    }


@probe(
    "change-password-unsupported",
    compliant={"changePassword.supported": True, "POST with password": CREATED, "PUT new password": OK,
               "PUT same password": OK, "PUT without password": OK, "PATCH password": OK,
               "PATCH remove password": OK, "PATCH title": OK},
    deviant={"changePassword.supported": False, "POST with password": CREATED,
             "PUT new password": NOT_IMPLEMENTED, "PUT same password": OK, "PUT without password": OK,
             "PATCH password": NOT_IMPLEMENTED, "PATCH remove password": NOT_IMPLEMENTED, "PATCH title": OK},
)
def probe_change_password_unsupported(scim: Scim) -> dict[str, Any]:
    created = scim.post("/Users", user_body("pw@example.com", password="Old-Pa55word!"))
    path = f"/Users/{created.json()['id']}"
    without = {k: v for k, v in user_body("pw@example.com", title="T").items() if k != "password"}
    return {
        "changePassword.supported": spc(scim)["changePassword"]["supported"],
        "POST with password": answer(created),
        "PUT new password": answer(scim.put(path, user_body("pw@example.com", password="New-Pa55word!"))),
        "PUT same password": answer(scim.put(path, user_body("pw@example.com", password="Old-Pa55word!"))),
        "PUT without password": answer(scim.put(path, without)),
        "PATCH password": answer(scim.patch(path, patch_op({"op": "replace", "path": "password",
                                                            "value": "New-Pa55word!"}))),
        "PATCH remove password": answer(scim.patch(path, patch_op({"op": "remove", "path": "password"}))),
        "PATCH title": answer(scim.patch(path, patch_op({"op": "replace", "path": "title", "value": "U"}))),
    }


def _id_shape(rid: str) -> str:
    """The UUID in rid as 'base', so opaque-ids shows its decoration around it."""
    return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "base", rid)


@probe(
    "opaque-ids",
    compliant={"ids": ["base", "base"], "GET": 200, "meta.location": "/Users/base", "Location": True,
               "member $ref": "/Users/base", "PATCH": 200, "DELETE": 204, "GET after": 404},
    deviant={"ids": ["acme #base?x=1&y=100% \u00fc"] * 2, "GET": 200,
             "meta.location": "/Users/acme%20%23base%3Fx=1&y=100%25%20%C3%BC", "Location": True,
             "member $ref": "/Users/acme%20%23base%3Fx=1&y=100%25%20%C3%BC", "PATCH": 200, "DELETE": 204,
             "GET after": 404},
)
def probe_opaque_ids(scim: Scim) -> dict[str, Any]:
    created = scim.post("/Users", user_body("opa@example.com"))
    user = created.json()
    group = scim.create_group("Opaque", [user["id"]])
    path = resource_path("Users", user["id"])
    location = user["meta"]["location"]
    patched = scim.patch(path, patch_op({"op": "replace", "path": "title", "value": "T"}))
    return {
        "ids": [_id_shape(user["id"]), _id_shape(group["id"])],
        "GET": scim.get(path).status_code,
        "meta.location": _id_shape(location.removeprefix(scim.base)),
        "Location": created.headers.get("Location") == location,
        "member $ref": _id_shape(group["members"][0]["$ref"].removeprefix(scim.base)),
        "PATCH": patched.status_code,
        "DELETE": scim.delete(path).status_code,
        "GET after": scim.get(path).status_code,
    }


# -- bulk (RFC 7644 §3.7) ------------------------------------------------------------------
def bulk(scim: Scim, *ops: dict[str, Any], **extra: Any) -> requests.Response:
    return scim.post("/Bulk", {"schemas": [urns.BULK_REQUEST], **extra, "Operations": list(ops)})


def bulk_statuses(resp: requests.Response) -> list[str]:
    return [op["status"] for op in resp.json()["Operations"]]


def bulk_post(bulk_id: str, name: str, **data: Any) -> dict[str, Any]:
    return {"method": "POST", "path": "/Users", "bulkId": bulk_id, "data": user_body(name, **data)}


@probe("bulk-unsupported", compliant=(True, 200), deviant=(False, 501))
def probe_bulk_unsupported(scim: Scim) -> tuple[bool, int]:
    return spc(scim)["bulk"]["supported"], bulk(scim).status_code


@probe("bulk-ids-unresolved", compliant=["201", "201", "204"], deviant=["201", "400", "404"])
def probe_bulk_ids_unresolved(scim: Scim) -> list[str]:
    group = {"method": "POST", "path": "/Groups", "bulkId": "g",
             "data": {"schemas": [urns.CORE_GROUP], "displayName": "G", "members": [{"value": "bulkId:u"}]}}
    delete = {"method": "DELETE", "path": "/Users/bulkId:u"}
    return bulk_statuses(bulk(scim, bulk_post("u", "bob@example.com"), group, delete))


@probe("bulk-path-ids-unresolved", compliant=["201", "204"], deviant=["201", "404"])
def probe_bulk_path_ids_unresolved(scim: Scim) -> list[str]:
    delete = {"method": "DELETE", "path": "/Users/bulkId:u"}
    return bulk_statuses(bulk(scim, bulk_post("u", "bob@example.com"), delete))


def cycle_members(scim: Scim) -> list[str | int]:
    """Statuses of two groups POSTed as each other's member, then how many members each holds."""
    def group(bulk_id: str, other: str) -> dict[str, Any]:
        return {"method": "POST", "path": "/Groups", "bulkId": bulk_id, "data": {
            "schemas": [urns.CORE_GROUP], "displayName": bulk_id, "members": [{"value": f"bulkId:{other}"}]}}
    ops = bulk(scim, group("a", "b"), group("b", "a")).json()["Operations"]
    held = [len(scim.http.get(o["location"], timeout=5).json().get("members", []))
            for o in ops if "location" in o]
    return [o["status"] for o in ops] + held


@probe("bulk-unresolved-refs-dropped", compliant=["201", "201", 1, 1], deviant=["201", "201", 0, 1])
def probe_bulk_unresolved_refs_dropped(scim: Scim) -> list[str | int]:
    return cycle_members(scim)


@probe("bulk-cycle-duplicates", compliant=(2, True), deviant=(3, False))
def probe_bulk_cycle_duplicates(scim: Scim) -> tuple[int, bool]:
    """How many groups exist after the cycle, and whether each holds the other as the response
    reports them."""
    def group(bulk_id: str, other: str) -> dict[str, Any]:
        return {"method": "POST", "path": "/Groups", "bulkId": bulk_id, "data": {
            "schemas": [urns.CORE_GROUP], "displayName": bulk_id, "members": [{"value": f"bulkId:{other}"}]}}
    ops = bulk(scim, group("a", "b"), group("b", "a")).json()["Operations"]
    a, b = (scim.http.get(o["location"], timeout=5).json() for o in ops)
    held = [[m["value"] for m in g.get("members", [])] for g in (a, b)]
    return scim.list("/Groups")["totalResults"], held == [[b["id"]], [a["id"]]]


@probe("bulk-cycles-refused", compliant=["201", "201", 1, 1], deviant=["409", "409"])
def probe_bulk_cycles_refused(scim: Scim) -> list[str | int]:
    return cycle_members(scim)


@probe("bulk-fail-on-errors-ignored", compliant=["404"], deviant=["404", "404"])
def probe_bulk_fail_on_errors_ignored(scim: Scim) -> list[str]:
    missing = {"method": "DELETE", "path": "/Users/missing"}
    return bulk_statuses(bulk(scim, missing, missing, failOnErrors=1))


@probe("bulk-max-operations-ignored", compliant=(413, None), deviant=OK)
def probe_bulk_max_operations_ignored(scim: Scim) -> tuple[int, str | None]:
    return answer(bulk(scim, *[{"method": "DELETE", "path": "/Users/missing"}] * 101))


@probe("bulk-max-payload-understated", compliant=(413, None), deviant=OK)
def probe_bulk_max_payload_understated(scim: Scim) -> tuple[int, str | None]:
    advertised = scim.get("/ServiceProviderConfig").json()["bulk"]["maxPayloadSize"]
    op = {"method": "DELETE", "path": "/Users/missing"}
    size = len(json.dumps({"schemas": [urns.BULK_REQUEST], "Operations": [op]}).encode())
    return answer(bulk(scim, {**op, "path": op["path"] + "x" * (advertised + 1 - size)}))


@probe("bulk-no-location", compliant=True, deviant=False)
def probe_bulk_no_location(scim: Scim) -> bool:
    return "location" in bulk(scim, bulk_post("u", "bob@example.com")).json()["Operations"][0]


# -- cursor paging (RFC 9865) ---------------------------------------------------------------
def cursor_walk(scim: Scim, count: int = 2, **params: Any) -> list[dict[str, Any]]:
    """The pages of GET /Users by nextCursor from an empty cursor (at most 10)."""
    pages, cursor = [], ""
    for _ in range(10):
        pages.append(scim.list("/Users", cursor=cursor, count=count, **params))
        if "nextCursor" not in pages[-1]:
            break
        cursor = pages[-1]["nextCursor"]
    return pages


def walked_names(pages: list[dict[str, Any]]) -> list[str]:
    return [n for page in pages for n in user_names(page)]


@probe("pagination-flags-as-strings", compliant=(True, True), deviant=("true", "true"))
def probe_pagination_flags_as_strings(scim: Scim) -> tuple[Any, Any]:
    section = spc(scim)["pagination"]
    return section["cursor"], section["index"]


@probe("cursor-timeout-zero", compliant=3600, deviant=0)
def probe_cursor_timeout_zero(scim: Scim) -> Any:
    return spc(scim)["pagination"]["cursorTimeout"]


@probe("empty-cursor-ignored", compliant=(True, False), deviant=(False, True))
def probe_empty_cursor_ignored(scim: Scim) -> tuple[bool, bool]:
    make_users(scim, "a", "b", "c")
    first = scim.list("/Users", cursor="", count=2)
    return "nextCursor" in first, "startIndex" in first


@probe("cursor-skips-boundary-record", compliant=["a", "b", "c", "d", "e"], deviant=["a", "b", "d", "e"])
def probe_cursor_skips_boundary_record(scim: Scim) -> list[str]:
    make_users(scim, "a", "b", "c", "d", "e")
    return walked_names(cursor_walk(scim))


@probe("cursor-repeats-boundary-record", compliant=["a", "b", "c", "d"],
       deviant=["a", "b", "b", "c", "c", "d"])
def probe_cursor_repeats_boundary_record(scim: Scim) -> list[str]:
    make_users(scim, "a", "b", "c", "d")
    return walked_names(cursor_walk(scim))


@probe("previous-cursor-on-first-page", compliant=(False, True), deviant=(True, True))
def probe_previous_cursor_on_first_page(scim: Scim) -> tuple[bool, bool]:
    make_users(scim, "a", "b", "c")
    first, second = cursor_walk(scim)
    return "previousCursor" in first, "previousCursor" in second


@probe("previous-cursor-echoes-request", compliant=["a", "b"], deviant=["c", "d"])
def probe_previous_cursor_echoes_request(scim: Scim) -> list[str]:
    make_users(scim, "a", "b", "c", "d", "e")
    second = cursor_walk(scim)[1]
    return user_names(scim.list("/Users", cursor=second["previousCursor"], count=2))


@probe("forged-cursor-restarts", compliant=(400, "invalidCursor"), deviant=OK)
def probe_forged_cursor_restarts(scim: Scim) -> tuple[int, str | None]:
    make_users(scim, "a")
    return answer(scim.get("/Users", params={"cursor": "forged0cursor", "count": 1}))


@probe("max-page-size-ignored", compliant=3, deviant=4, max_results=3)
def probe_max_page_size_ignored(scim: Scim) -> int:
    make_users(scim, "a", "b", "c", "d")
    return len(scim.list("/Users", cursor="", count=10)["Resources"])


@probe("cursor-base64-padded", compliant=True, deviant=False)
def probe_cursor_base64_padded(scim: Scim) -> bool:
    make_users(scim, "a", "b", "c")
    pages = cursor_walk(scim)
    assert walked_names(pages) == ["a", "b", "c"]
    return bool(re.fullmatch(r"[A-Za-z0-9._~-]+", pages[0]["nextCursor"]))


@probe("cursor-sort-ignored", compliant=["a", "b", "c"], deviant=["c", "a", "b"])
def probe_cursor_sort_ignored(scim: Scim) -> list[str]:
    make_users(scim, "c", "a", "b")
    return walked_names(cursor_walk(scim, sortBy="userName"))


@probe("cursor-only", compliant=(True, True, False, ["b", "c"]), deviant=(False, False, True, ["a", "b"]))
def probe_cursor_only(scim: Scim) -> tuple[bool, bool, bool, list[str]]:
    make_users(scim, "a", "b", "c")
    page = scim.list("/Users", startIndex=2, count=2)  # startIndex ignored: the first cursor page
    return spc(scim)["pagination"]["index"], "startIndex" in page, "nextCursor" in page, user_names(page)


@probe("cursor-omits-total", compliant=(3, 3, 3), deviant=(3, None, None))
def probe_cursor_omits_total(scim: Scim) -> tuple[Any, Any, Any]:
    make_users(scim, "a", "b", "c")
    body = {"schemas": [urns.SEARCH_REQUEST], "cursor": "", "count": 2}
    searched = scim.post("/Users/.search", body).json()
    first, rest = cursor_walk(scim)[:2]  # totalResults on neither page of a cursor-paged query
    assert (first.get("totalResults"), searched.get("totalResults")) == (rest.get("totalResults"),) * 2
    indexed = scim.list("/Users", count=2)  # index-paged: keeps it
    return indexed.get("totalResults"), first.get("totalResults"), rest.get("totalResults")


@probe("search-ignores-cursor", compliant=(True, 2), deviant=(False, 2))
def probe_search_ignores_cursor(scim: Scim) -> tuple[bool, int]:
    make_users(scim, "a", "b", "c")
    body = {"schemas": [urns.SEARCH_REQUEST], "cursor": "", "count": 2}
    found = scim.post("/Users/.search", body).json()
    return "nextCursor" in found, len(found["Resources"])


# -- the tests -----------------------------------------------------------------------------
@pytest.mark.parametrize("side", ["compliant", "deviant"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_deviation_on_the_wire(make_provider: ProviderFactory, name: str, side: str) -> None:
    case = CASES[name]
    switched_on = (case.spec,) if side == "deviant" else ()
    scim = make_provider(*switched_on, extensions=(IVANTI_SPEC,), **case.config)
    expected = case.deviant if side == "deviant" else case.compliant
    assert case.probe(scim) == expected


def test_every_deviation_has_a_probe() -> None:
    assert set(CASES) == set(REGISTRY)


def test_every_probe_tells_the_sides_apart() -> None:
    # repr, not ==: ANY (slow's unbounded compliant timing) equals anything.
    same = [name for name, case in CASES.items() if repr(case.compliant) == repr(case.deviant)]
    assert same == []


def test_parse_names_and_values() -> None:
    parsed = Deviations.parse(["slow=0.3", "created-returns-200", "rate-limited"])
    assert parsed.active == {"slow", "created-returns-200", "rate-limited"}
    assert "slow" in parsed and "no-etag" not in parsed
    assert (parsed.param("slow"), parsed.param("rate-limited")) == (0.3, 20.0)
    assert Deviations.parse([]).active == frozenset()


def test_parse_unknown_name_points_to_the_list() -> None:
    with pytest.raises(UnknownDeviation, match="scimcert deviations") as info:
        Deviations.parse(["created-returns-201"])
    assert "created-returns-201" in str(info.value)


def test_parse_rejects_a_value_for_a_deviation_without_parameter() -> None:
    with pytest.raises(UnknownDeviation, match="takes no value"):
        Deviations.parse(["no-etag=1"])


@pytest.mark.parametrize(
    "spec", ["slow=-1", "slow=abc", "slow=", "rate-limited=-0.5", "slow=nan", "slow=inf", "rate-limited=nan"]
)
def test_parse_rejects_bad_values(spec: str) -> None:
    with pytest.raises(UnknownDeviation, match="must be"):
        Deviations.parse([spec])


def test_opaque_ids_decorate_numeric_ids(make_provider: ProviderFactory) -> None:
    """opaque-ids composes with numeric-ids: the counter inside the decoration, reachable by path."""
    scim = make_provider("numeric-ids", "opaque-ids")
    user = scim.create_user("opn@example.com")
    assert user["id"] == "acme #1?x=1&y=100% \u00fc"
    assert scim.get(resource_path("Users", user["id"])).json()["id"] == user["id"]
