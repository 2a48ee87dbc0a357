"""HTTP/1.1 servers on raw sockets for tests that must decide exactly when a connection closes,
and how (FIN, or RST through SO_LINGER 0): requests' and Werkzeug's servers cannot."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Handler = Callable[[socket.socket, int], None]  # (connection, its number from 0)


def read_request(conn: socket.socket) -> bytes:
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


def answer(conn: socket.socket, status: str, body: bytes = b'{"schemas": []}') -> None:
    conn.sendall(f"HTTP/1.1 {status}\r\nContent-Type: application/scim+json\r\n"
                 f"Content-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n".encode() + body)


def reset(conn: socket.socket) -> None:
    """Close with RST, as a destroyed Node socket does."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


@contextmanager
def serve_raw(handle: Handler) -> Iterator[str]:
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


def tears_down_after_a_500(conn: socket.socket, number: int) -> None:
    """The first connection answers 500 and then resets whatever request comes after it on that
    connection (the race a client loses when it reuses it: scimmy-routers on Express destroys the
    socket after an error); every later connection answers 200 to each request."""
    with conn:
        while read_request(conn):
            if number > 0:
                answer(conn, "200 OK")
                continue
            answer(conn, "500 Internal Server Error")
            conn.settimeout(1.0)
            try:
                if read_request(conn):
                    reset(conn)
            except TimeoutError:
                pass
            return
