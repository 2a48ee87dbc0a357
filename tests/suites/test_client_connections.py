"""The client against servers that drop connections: what a request that got no response says, and
no request lost to a connection the server tore down after a 5xx.

The servers here are raw sockets on 127.0.0.1, so each test decides exactly when a connection
closes, and how (FIN, or RST through SO_LINGER 0)."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from suites.client import ScimClient
from suites.config import Auth, RunConfig
from suites.exchange import Exchange

Handler = Callable[[socket.socket, int], None]  # (connection, its number from 0)


def _read_request(conn: socket.socket) -> bytes:
    """One request's head and body (by Content-Length); b"" when the client sent none."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), 0)
    while len(body) < length:
        body += conn.recv(65536)
    return head


def _answer(conn: socket.socket, status: str, body: bytes = b'{"schemas": []}') -> None:
    conn.sendall(f"HTTP/1.1 {status}\r\nContent-Type: application/scim+json\r\n"
                 f"Content-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n".encode() + body)


def _reset(conn: socket.socket) -> None:
    """Close with RST, as a destroyed Node socket does."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


@contextmanager
def _server(handle: Handler) -> Iterator[str]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        number = 0
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            conn.settimeout(5)
            threading.Thread(target=handle, args=(conn, number), daemon=True).start()
            number += 1

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/scim/v2"
    finally:
        stop.set()
        thread.join()
        listener.close()


def _client(url: str, sent: list[Exchange]) -> ScimClient:
    return ScimClient(RunConfig(url=url, auth=Auth("bearer", "t0k3n")), sent.append)


def test_no_request_is_sent_on_a_connection_the_server_tears_down_after_a_5xx() -> None:
    """scimmy-routers answers an error and then hands it to Express's final handler, which destroys
    the socket: a request sent on that connection in between got no response (SEARCH-FILTER-001
    and SEARCH-PROJ-001 erred so against SCIMMY 1.3.5). Here the first connection answers 500, and
    resets whatever request comes after it; every later connection answers 200."""
    def handle(conn: socket.socket, number: int) -> None:
        with conn:
            while _read_request(conn):
                if number > 0:
                    _answer(conn, "200 OK")
                    continue
                _answer(conn, "500 Internal Server Error")
                conn.settimeout(1.0)
                try:
                    if _read_request(conn):  # the client reused the connection: the race it loses
                        _reset(conn)
                except TimeoutError:
                    pass
                return

    sent: list[Exchange] = []
    with _server(handle) as url:
        client = _client(url, sent)
        assert client.get("/Users").status == 500
        assert client.get("/Users").status == 200
        assert client.post("/Users/.search", {"filter": 'userName eq "x"'}).status == 200
    assert [e.error for e in sent] == [None, None, None]


def test_a_request_that_got_no_response_says_how_the_connection_ended() -> None:
    def handle(conn: socket.socket, number: int) -> None:
        _read_request(conn)
        if number == 0:
            _reset(conn)
        else:
            conn.close()

    sent: list[Exchange] = []
    with _server(handle) as url:
        client = _client(url, sent)
        assert client.get("/Users").status is None
        assert client.get("/Users").status is None
    assert [e.error for e in sent] == ["connection reset by the target",
                                       "connection closed by the target without a response"]
