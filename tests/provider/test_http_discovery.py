"""Discovery endpoints, and that they agree with what the provider does (RFC 7644 §4)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from simulator.scim import urns
from simulator.scim.schema import AttributeDef, SchemaDef
from tests.conftest import IVANTI, TOKEN, ProviderFactory, Scim, user_body


def schemas_by_id(scim: Scim) -> dict[str, SchemaDef]:
    body = scim.list("/Schemas")
    return {s["id"]: SchemaDef.from_json(s) for s in body["Resources"]}


def test_service_provider_config(scim: Scim) -> None:
    spc = scim.get("/ServiceProviderConfig").json()
    assert spc["schemas"] == [urns.SERVICE_PROVIDER_CONFIG]
    assert spc["patch"]["supported"] and spc["filter"]["supported"] and spc["etag"]["supported"]
    assert spc["bulk"] == {"supported": True, "maxOperations": 100, "maxPayloadSize": 1_048_576}
    assert spc["authenticationSchemes"][0]["type"] == "oauthbearertoken"


def test_resource_types(scim: Scim) -> None:
    listed = scim.list("/ResourceTypes")
    by_id = {r["id"]: r for r in listed["Resources"]}
    assert set(by_id) == {"User", "Group"}
    user = scim.get("/ResourceTypes/User").json()
    assert user == by_id["User"] and user["endpoint"] == "/Users"
    assert {e["schema"] for e in user["schemaExtensions"]} == {urns.ENTERPRISE_USER, IVANTI}
    assert all(e["required"] is False for e in user["schemaExtensions"])
    assert scim.get("/ResourceTypes/Robot").status_code == 404


def test_schemas_parse_and_by_id(scim: Scim) -> None:
    found = schemas_by_id(scim)
    assert set(found) == {urns.CORE_USER, urns.CORE_GROUP, urns.ENTERPRISE_USER, IVANTI}
    one = scim.get(f"/Schemas/{IVANTI}").json()
    assert [a["name"] for a in one["attributes"]] == ["custAttr1", "level", "vip"]
    assert scim.get("/Schemas/urn:nope").status_code == 404


def test_discovery_rejects_writes_and_filters(scim: Scim) -> None:
    for path in ("/ServiceProviderConfig", "/ResourceTypes", "/Schemas"):
        resp = scim.post(path, {})
        assert resp.status_code == 405 and resp.json()["status"] == "405"
        assert "GET" in resp.headers["Allow"]
    assert scim.get("/Schemas", params={"filter": "id pr"}).status_code == 403
    assert scim.get("/Me").status_code == 501


def _sample(attr: AttributeDef) -> Any:
    if attr.type == "complex":
        sub = {
            s.name: _sample(s)
            for s in attr.sub_attributes
            if s.mutability not in ("readOnly",) and s.type != "complex" and s.name != "primary"
        }
        return [sub] if attr.multi_valued else sub
    value: Any = {
        "boolean": True,
        "integer": 7,
        "decimal": 1.5,
        "dateTime": "2026-01-02T03:04:05Z",
        "binary": "aGVsbG8=",
        "reference": "https://example.com/x",
    }.get(attr.type, "text")
    return [value] if attr.multi_valued else value


def test_every_advertised_user_attribute_behaves_as_declared(scim: Scim) -> None:
    """Write every writable attribute; readable ones come back, returned:never ones do not."""
    user_schema = schemas_by_id(scim)[urns.CORE_USER]
    body = user_body("all@example.com")
    for attr in user_schema.attributes:
        if attr.mutability != "readOnly" and attr.name != "userName":
            body[attr.name] = _sample(attr)
    resp = scim.post("/Users", body)
    assert resp.status_code == 201, resp.text
    got = resp.json()
    for attr in user_schema.attributes:
        if attr.mutability == "readOnly":
            continue
        if attr.returned == "never":
            assert attr.name not in got
        else:
            assert got[attr.name] == body[attr.name], attr.name
    for attr in user_schema.attributes:
        if attr.type in ("string", "boolean") and not attr.multi_valued and attr.returned != "never":
            value = "true" if attr.type == "boolean" else json.dumps(got[attr.name])
            flt = f"{attr.name} eq {value}"
            assert scim.list("/Users", filter=flt)["totalResults"] >= 1, flt


def test_required_extension_is_advertised_and_enforced(make_provider: ProviderFactory) -> None:
    scim = make_provider(extensions=(f"{IVANTI}=custAttr1",), required_extensions=frozenset({IVANTI}))
    declared = scim.get("/ResourceTypes/User").json()["schemaExtensions"]
    ext = {e["schema"]: e["required"] for e in declared}
    assert ext[IVANTI] is True
    missing = scim.post("/Users", user_body("req@example.com"))
    assert missing.status_code == 400 and IVANTI in missing.json()["detail"]
    ok = scim.post("/Users", user_body("req@example.com", **{IVANTI: {"custAttr1": "x"}}))
    assert ok.status_code == 201


@pytest.mark.parametrize("auth", [None, "Bearer wrong", "Basic dXNlcjpwYXNz", "Bearer", "garbage"])
def test_auth_rejected_on_every_endpoint(make_provider: ProviderFactory, auth: str | None) -> None:
    scim = make_provider(token=TOKEN)
    headers = {"Authorization": auth} if auth else {}
    anon = Scim(scim.base, token=None)
    for path in ("/Users", "/Groups", "/Users/x", "/ServiceProviderConfig", "/Schemas", "/ResourceTypes"):
        resp = anon.get(path, headers=headers)
        assert resp.status_code == 401, (path, resp.status_code)
        assert resp.json()["status"] == "401" and resp.json()["detail"]
        assert resp.headers["WWW-Authenticate"].startswith("Bearer")


def test_open_discovery(make_provider: ProviderFactory) -> None:
    scim = make_provider(open_discovery=True)
    anon = Scim(scim.base, token=None)
    assert anon.get("/ServiceProviderConfig").status_code == 200
    assert anon.get("/Schemas").status_code == 200
    assert anon.get("/Users").status_code == 401


def test_unknown_paths_and_methods(scim: Scim) -> None:
    assert scim.get("/Robots").json()["status"] == "404"
    resp = scim.request("PUT", "/Users", {})
    assert resp.status_code == 405 and resp.json()["schemas"] == [urns.ERROR]


def test_oversized_body_gets_413(make_provider: ProviderFactory) -> None:
    scim = make_provider(max_body_bytes=2048)
    resp = scim.post("/Users", user_body("big@example.com", title="x" * 5000))
    assert resp.status_code == 413 and resp.json()["status"] == "413"
