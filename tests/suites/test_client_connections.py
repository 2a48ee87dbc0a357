"""The client against servers that drop connections (tests/rawhttp.py): what a request that got no
response says, and no request lost to a connection the server tore down after a 5xx."""

from __future__ import annotations

import socket

from suites.client import ScimClient
from suites.config import Auth, RunConfig
from suites.exchange import Exchange
from tests.rawhttp import read_request, reset, serve_raw, tears_down_after_a_500


def _client(url: str, sent: list[Exchange]) -> ScimClient:
    return ScimClient(RunConfig(url=url, auth=Auth("bearer", "t0k3n")), sent.append)


def test_no_request_is_sent_on_a_connection_the_server_tears_down_after_a_5xx() -> None:
    """scimmy-routers answers an error and then hands it to Express's final handler, which destroys
    the socket: a request sent on that connection in between got no response (SEARCH-FILTER-001
    and SEARCH-PROJ-001 erred so against SCIMMY 1.3.5). Here the first connection answers 500, and
    resets whatever request comes after it; every later connection answers 200."""
    sent: list[Exchange] = []
    with serve_raw(tears_down_after_a_500) as url:
        client = _client(url, sent)
        assert client.get("/Users").status == 500
        assert client.get("/Users").status == 200
        assert client.post("/Users/.search", {"filter": 'userName eq "x"'}).status == 200
    assert [e.error for e in sent] == [None, None, None]


def test_a_request_that_got_no_response_says_how_the_connection_ended() -> None:
    def handle(conn: socket.socket, number: int) -> None:
        read_request(conn)
        if number == 0:
            reset(conn)
        else:
            conn.close()

    sent: list[Exchange] = []
    with serve_raw(handle) as url:
        client = _client(url, sent)
        assert client.get("/Users").status is None
        assert client.get("/Users").status is None
    assert [e.error for e in sent] == ["connection reset by the target",
                                       "connection closed by the target without a response"]
