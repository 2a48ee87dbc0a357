"""Serve a WSGI app on a real threaded HTTP server, in the foreground or a background thread."""

from __future__ import annotations

import contextlib
import io
import socket
import threading
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from flask import Flask
from werkzeug.serving import (
    BaseWSGIServer,
    WSGIRequestHandler,
    get_sockaddr,
    make_server,
    select_address_family,
)


class _Handler(WSGIRequestHandler):
    """Werkzeug's request handler with HTTP/1.1 keep-alive.

    Werkzeug's development server closes every connection, because http.server cannot skip
    a request body the application left unread before it reads the next request line. This
    handler reads a body with a Content-Length of up to BUFFER_LIMIT bytes before the
    application runs, so the stream is always at the next request and the connection can
    stay open. Anything else (a chunked body, a larger one, a client asking to close) keeps
    werkzeug's close. A connection per request cost the client a TCP connect and the server a
    thread per request: `scimcert run` against the embedded provider takes about a fifth less
    time with keep-alive.
    """

    protocol_version = "HTTP/1.1"
    # Headers and body leave in separate writes: without TCP_NODELAY, Nagle's algorithm holds
    # the body until the client's delayed ACK, 40 ms per response on a kept-alive connection.
    disable_nagle_algorithm = True
    timeout = 60  # seconds a kept-alive connection may stay idle (Okta's request timeout)
    BUFFER_LIMIT = 4 << 20
    _keep_alive = False

    def setup(self) -> None:
        super().setup()
        _connections(self.server).add(self.connection)

    def finish(self) -> None:
        _connections(self.server).discard(self.connection)
        super().finish()

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        self._keep_alive = False
        if not self.close_connection and "Transfer-Encoding" not in self.headers:
            length = self.headers.get("Content-Length", "0")
            if length.isdigit() and int(length) <= self.BUFFER_LIMIT:
                body = self.rfile.read(int(length))
                if len(body) == int(length):
                    self._keep_alive = True
                    self._socket_rfile, self.rfile = self.rfile, io.BytesIO(body)
        return True

    def send_header(self, keyword: str, value: str) -> None:
        if self._keep_alive and keyword.lower() == "connection":
            return  # werkzeug says "close" to every response
        super().send_header(keyword, value)

    def run_wsgi(self) -> None:
        try:
            super().run_wsgi()
        finally:
            if self._keep_alive:
                self.rfile = self._socket_rfile
                self.close_connection = False
                self._keep_alive = False

    def log_error(self, format: str, *args: Any) -> None:
        if format.startswith("Request timed out"):
            return  # an idle kept-alive connection reaching `timeout`: not an error
        super().log_error(format, *args)


class _QuietHandler(_Handler):
    """Without a log line per request."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


def _connections(server: Any) -> set[socket.socket]:
    """The server's open client connections, so that stopping it also ends kept-alive ones."""
    conns: set[socket.socket] | None = getattr(server, "scimcert_connections", None)
    if conns is None:
        conns = server.scimcert_connections = set()
    return conns


@dataclass
class RunningServer:
    """A server running in a daemon thread; use as a context manager or call stop()."""

    server: BaseWSGIServer
    thread: threading.Thread

    @property
    def port(self) -> int:
        return int(self.server.port)

    @property
    def url(self) -> str:
        return f"http://{self.server.host}:{self.port}"

    def stop(self) -> None:
        """Stop accepting, close the listening socket and every open connection: a client's
        kept-alive connection gets no answer from a stopped server."""
        self.server.shutdown()
        self.server.server_close()
        for conn in list(_connections(self.server)):
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self.thread.join(timeout=10)

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def build_server(app: Flask, host: str = "127.0.0.1", port: int = 0, quiet: bool = True) -> BaseWSGIServer:
    """A threaded HTTP/1.1 server bound to host:port (0 picks a free port). A host or port it
    cannot listen on raises OSError: werkzeug, binding itself, prints why and exits the process."""
    with _listening(host, port) as listener:
        return build_server_on(host, listener.fileno(), app, quiet)


def _listening(host: str, port: int) -> socket.socket:
    """A socket bound to host:port and listening, as werkzeug's own server would bind it."""
    family = select_address_family(host, port)
    listener = socket.socket(family, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # http.server's choice too
        listener.bind(get_sockaddr(host, port, family))
        listener.listen(128)
    except OSError:
        listener.close()
        raise
    return listener


def build_server_on(host: str, fd: int, app: Flask, quiet: bool = True) -> BaseWSGIServer:
    """build_server() on a socket already bound and listening (inherited as file descriptor fd)."""
    handler = _QuietHandler if quiet else _Handler
    server = make_server(host, 0, app, threaded=True, request_handler=handler, fd=fd)
    _connections(server)
    return server


def start_in_thread(app: Flask, host: str = "127.0.0.1", port: int = 0) -> RunningServer:
    """Start serving app in the background and return once the socket is listening."""
    server = build_server(app, host, port)
    # A short poll interval makes stop() quick; the cost is a wake-up every 50 ms.
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name=f"wsgi-{server.port}",
        daemon=True,
    )
    thread.start()
    return RunningServer(server, thread)
