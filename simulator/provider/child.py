"""Serve the reference provider from a child process, on a socket the parent already listens on.

`scimcert run` without --url certifies the embedded provider. Served from a thread of the
harness's own process, provider and checks share one interpreter lock, and a run costs their
CPU time added up; from a child process they use two cores (bench/README.md has the numbers).

The parent binds the socket, so the URL is known at once and a request sent before the child
is ready waits in the listen backlog; the parent then closes its copy, so if the child dies the
port refuses connections instead of hanging. The configuration reaches the child pickled on its
stdin, which the parent then keeps open as a lifeline: when the parent goes — even killed —
the child reads end-of-file and shuts down. The child ignores Ctrl-C and sits in a session of
its own, so a Ctrl-C in the terminal leaves it serving the run's cleanup.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import IO

import simulator
from simulator.provider.service import ProviderConfig


class ChildServer:
    """A provider in a child process; use as a context manager or call stop()."""

    def __init__(self, config: ProviderConfig, host: str = "127.0.0.1") -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            listener.bind((host, 0))
            listener.listen(128)
            self.host, self.port = listener.getsockname()[:2]
            self._proc = subprocess.Popen(
                # -P: a `simulator` package in the working directory must not shadow ours
                [sys.executable, "-P", "-m", "simulator.provider.child", host, str(listener.fileno())],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, pass_fds=(listener.fileno(),),
                start_new_session=True, env=_same_code_env())
        finally:
            listener.close()  # the child holds the socket now: it lives exactly as long as the child
        self._stdin: IO[bytes] = self._proc.stdin  # type: ignore[assignment]  # stdin=PIPE
        # A child that died at start has printed why; its port refuses connections, which the
        # run's preflight reports as an unreachable target (exit 2), so no traceback here.
        with contextlib.suppress(BrokenPipeError):
            self._stdin.write(pickle.dumps(config))
            self._stdin.flush()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def stop(self, timeout: float = 10.0) -> None:
        """Close the lifeline and wait for the child; kill it if it does not go in time."""
        with contextlib.suppress(OSError):  # the child is gone already
            self._stdin.close()
        try:
            self._proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()

    def __enter__(self) -> ChildServer:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def _same_code_env() -> dict[str, str]:
    """The environment, with this process's copy of the package first on PYTHONPATH."""
    root = str(Path(simulator.__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env


def start_in_child(config: ProviderConfig, host: str = "127.0.0.1") -> ChildServer:
    return ChildServer(config, host)


def _serve(host: str, fd: int) -> None:
    """The child: read the config, serve on the inherited socket until stdin reaches EOF."""
    # The web stack is imported here, in the child: the parent (`scimcert run`) never serves.
    from simulator.provider.app import create_app  # noqa: PLC0415
    from simulator.provider.server import build_server_on  # noqa: PLC0415

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    config: ProviderConfig = pickle.load(sys.stdin.buffer)  # only our parent writes to this pipe
    server = build_server_on(host, fd, create_app(config))

    def lifeline() -> None:
        sys.stdin.buffer.read()
        server.shutdown()

    threading.Thread(target=lifeline, name="lifeline", daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.05)
    finally:
        server.server_close()


if __name__ == "__main__":
    _serve(sys.argv[1], int(sys.argv[2]))
