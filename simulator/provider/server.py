"""Serve a WSGI app on a real threaded HTTP server, in the foreground or a background thread."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from types import TracebackType

from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server


class _QuietHandler(WSGIRequestHandler):
    """Werkzeug's handler without a log line per request."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


@dataclass
class RunningServer:
    """A server running in a daemon thread; use as a context manager or call stop()."""

    server: BaseWSGIServer
    thread: threading.Thread

    @property
    def port(self) -> int:
        return int(self.server.server_port)

    @property
    def url(self) -> str:
        return f"http://{self.server.host}:{self.port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def build_server(app: Flask, host: str = "127.0.0.1", port: int = 0, quiet: bool = True) -> BaseWSGIServer:
    """A threaded HTTP/1.1 server bound to host:port (0 picks a free port)."""
    handler = _QuietHandler if quiet else WSGIRequestHandler
    return make_server(host, port, app, threaded=True, request_handler=handler)


def build_server_on(host: str, fd: int, app: Flask, quiet: bool = True) -> BaseWSGIServer:
    """build_server() on a socket already bound and listening (inherited as file descriptor fd)."""
    handler = _QuietHandler if quiet else WSGIRequestHandler
    return make_server(host, 0, app, threaded=True, request_handler=handler, fd=fd)


def start_in_thread(app: Flask, host: str = "127.0.0.1", port: int = 0) -> RunningServer:
    """Start serving app in the background and return once the socket is listening."""
    server = build_server(app, host, port)
    # A short poll interval makes stop() quick; the cost is a wake-up every 50 ms.
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name=f"wsgi-{server.server_port}",
        daemon=True,
    )
    thread.start()
    return RunningServer(server, thread)
