"""The HTTP server under the provider, the simulator and the console: HTTP/1.1 keep-alive that
never desynchronises a connection, and a stop that ends kept-alive connections too."""

from __future__ import annotations

import http.client
import socket
from collections.abc import Iterator

import pytest
from flask import Flask, request

from simulator.provider import server as server_mod
from simulator.provider.server import RunningServer, start_in_thread


def _app() -> Flask:
    app = Flask(__name__)

    @app.post("/echo")
    def echo() -> dict[str, object]:
        return {"body": request.get_data(as_text=True)}

    @app.post("/ignore")
    def ignore() -> tuple[dict[str, str], int]:
        return {"detail": "body not read"}, 401  # as an auth check answers before any parsing

    @app.get("/ping")
    def ping() -> str:
        return "pong"

    return app


@pytest.fixture
def running() -> Iterator[RunningServer]:
    with start_in_thread(_app()) as srv:
        yield srv


def _conn(srv: RunningServer) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)


def _local_port(conn: http.client.HTTPConnection) -> int:
    assert conn.sock is not None
    return int(conn.sock.getsockname()[1])


def test_one_connection_serves_many_requests(running: RunningServer) -> None:
    conn = _conn(running)
    ports = set()
    for i in range(3):
        conn.request("POST", "/echo", body=f"n={i}", headers={"Content-Type": "text/plain"})
        reply = conn.getresponse()
        assert (reply.status, reply.read()) == (200, b'{"body":"n=%d"}\n' % i)
        assert reply.getheader("Connection") is None
        ports.add(_local_port(conn))
    assert len(ports) == 1  # http.client reconnects silently when the server closes


def test_a_body_the_application_never_read_does_not_leak_into_the_next_request(
        running: RunningServer) -> None:
    conn = _conn(running)
    conn.request("POST", "/ignore", body="GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
    reply = conn.getresponse()
    assert (reply.status, reply.getheader("Connection")) == (401, None)
    reply.read()
    port = _local_port(conn)
    conn.request("POST", "/echo", body="second")
    reply = conn.getresponse()
    assert (reply.status, reply.read()) == (200, b'{"body":"second"}\n')
    assert _local_port(conn) == port


def test_chunked_and_oversized_bodies_and_a_client_close_keep_werkzeugs_close(
        running: RunningServer, monkeypatch: pytest.MonkeyPatch) -> None:
    conn = _conn(running)
    conn.request("POST", "/echo", body=iter([b"a", b"b"]), encode_chunked=True)
    reply = conn.getresponse()
    assert (reply.status, reply.getheader("Connection"), reply.read()) == (200, "close", b'{"body":"ab"}\n')

    monkeypatch.setattr(server_mod._Handler, "BUFFER_LIMIT", 4)
    conn = _conn(running)
    conn.request("POST", "/ignore", body="more than four bytes")
    reply = conn.getresponse()
    assert (reply.status, reply.getheader("Connection")) == (401, "close")

    conn = _conn(running)
    conn.request("GET", "/ping", headers={"Connection": "close"})
    assert _conn_closed_after(conn)


def _conn_closed_after(conn: http.client.HTTPConnection) -> bool:
    reply = conn.getresponse()
    return reply.getheader("Connection") == "close" and reply.read() == b"pong"


def test_stop_ends_kept_alive_connections() -> None:
    srv = start_in_thread(_app())
    conn = _conn(srv)
    conn.request("GET", "/ping")
    assert conn.getresponse().read() == b"pong"
    assert conn.sock is not None
    raw: socket.socket = conn.sock
    srv.stop()
    raw.settimeout(5)
    try:
        raw.sendall(b"GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = raw.recv(100)
    except OSError:
        answer = b""
    assert answer == b""  # no answer from a stopped server, not even on an open connection
