"""Fixtures for scimcert's own tests: reference providers on loopback ports."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from simulator.provider.app import create_app
from simulator.provider.deviations import Deviations
from simulator.provider.server import RunningServer, start_in_thread
from simulator.provider.service import ProviderConfig
from simulator.scim import urns
from simulator.scim.extensions import parse_extension_spec

pytest_plugins = ["pytester"]

TOKEN = "test-token"
IVANTI = "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User"


class Scim:
    """A tiny SCIM client for tests: base URL, bearer token, JSON in and out."""

    def __init__(self, base: str, token: str | None = TOKEN) -> None:
        self.base = base
        self.http = requests.Session()
        if token:
            self.http.headers["Authorization"] = f"Bearer {token}"

    def request(self, method: str, path: str, body: Any = None, **kw: Any) -> requests.Response:
        headers = kw.pop("headers", {})
        if body is not None:
            headers.setdefault("Content-Type", "application/scim+json")
            kw["json"] = body
        return self.http.request(method, self.base + path, headers=headers, timeout=30, **kw)

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> requests.Response:
        return self.request("POST", path, body, **kw)

    def put(self, path: str, body: Any = None, **kw: Any) -> requests.Response:
        return self.request("PUT", path, body, **kw)

    def patch(self, path: str, body: Any = None, **kw: Any) -> requests.Response:
        return self.request("PATCH", path, body, **kw)

    def delete(self, path: str, **kw: Any) -> requests.Response:
        return self.request("DELETE", path, **kw)

    def create_user(self, user_name: str, **attrs: Any) -> dict[str, Any]:
        resp = self.post("/Users", user_body(user_name, **attrs))
        assert resp.status_code == 201, resp.text
        return dict(resp.json())

    def create_group(self, name: str, members: list[str] | None = None) -> dict[str, Any]:
        body = {
            "schemas": [urns.CORE_GROUP],
            "displayName": name,
            "members": [{"value": m} for m in members or []],
        }
        resp = self.post("/Groups", body)
        assert resp.status_code == 201, resp.text
        return dict(resp.json())

    def list(self, path: str, **params: Any) -> dict[str, Any]:
        resp = self.get(path, params=params)
        assert resp.status_code == 200, resp.text
        return dict(resp.json())


def user_body(user_name: str, **attrs: Any) -> dict[str, Any]:
    """Okta's create body (okta-scim.md §4.2a) for user_name, with overrides."""
    given, _, family = user_name.partition("@")[0].partition(".")
    body: dict[str, Any] = {
        "schemas": [urns.CORE_USER],
        "userName": user_name,
        "name": {"givenName": given.title() or "Test", "familyName": family.title() or "User"},
        "emails": [{"primary": True, "value": user_name, "type": "work"}],
        "displayName": f"{given.title()} {family.title()}".strip(),
        "locale": "en-US",
        "externalId": "00ujl29u0le5T6Aj10h7",
        "groups": [],
        "password": "1mz050nq",
        "active": True,
    }
    body.update(attrs)
    return body


def patch_op(*ops: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [urns.PATCH_OP], "Operations": list(ops)}


ProviderFactory = Callable[..., Scim]


@pytest.fixture
def make_provider() -> Iterator[ProviderFactory]:
    """Start providers with given deviations/extensions; all are stopped at teardown."""
    running: list[RunningServer] = []

    def start(
        *deviations: str, extensions: tuple[str, ...] = (), token: str | None = TOKEN, **config: Any
    ) -> Scim:
        cfg = ProviderConfig(
            token=token,
            deviations=Deviations.parse(deviations),
            extensions=tuple(parse_extension_spec(e) for e in extensions),
            **config,
        )
        server = start_in_thread(create_app(cfg))
        running.append(server)
        return Scim(server.url + "/scim/v2", token)

    yield start
    for server in running:
        server.stop()


@pytest.fixture
def scim(make_provider: ProviderFactory) -> Scim:
    """A compliant provider with the Ivanti example extension, and a client for it."""
    return make_provider(extensions=(f"{IVANTI}=custAttr1,level:integer,vip:boolean",))


# ---- the bytes on the wire -------------------------------------------------------------------


def _read_head(stream: Any) -> bytes:
    """One request's lines up to the blank line; b"" once the client has closed."""
    lines = []
    while (line := stream.readline()) not in (b"\r\n", b""):
        lines.append(line)
    return b"".join(lines)


@pytest.fixture
def wire_capture() -> Iterator[tuple[str, list[bytes]]]:
    """A loopback server that keeps each request's head and answers 204: (base URL, heads)."""
    heads: list[bytes] = []
    server = socket.create_server(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{server.getsockname()[1]}/scim/v2"

    def serve() -> None:
        with server:
            while True:  # one connection after another: each client keeps its own alive
                conn, _ = server.accept()
                with conn, conn.makefile("rb") as stream:
                    while head := _read_head(stream):
                        heads.append(head)
                        length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                                       if line.lower().startswith(b"content-length:")), 0)
                        stream.read(length)
                        conn.sendall(b"HTTP/1.1 204 No Content\r\n\r\n")

    threading.Thread(target=serve, daemon=True).start()
    yield base, heads
