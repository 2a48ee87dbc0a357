"""Ctrl-C and SIGTERM as one exception a command can clean up after, held while a create is in flight."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """The user (SIGINT) or the system (SIGTERM) stopped the command."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """The shell's convention: 128 + the signal number (130 for Ctrl-C, 143 for SIGTERM)."""
        return 128 + self.signum


class Interrupts:
    """While installed, SIGINT and SIGTERM raise Interrupted, except inside `held()` blocks,
    whose end raises it instead: a create and the record of its id are never separated. A second
    signal inside such a block raises at once."""

    def __init__(self) -> None:
        self._depth = 0
        self._pending: int | None = None
        self.received: int | None = None  # the first signal, for callers that caught it elsewhere

    @contextmanager
    def installed(self) -> Iterator[Interrupts]:
        if threading.current_thread() is not threading.main_thread():
            yield self  # signal handlers can only be set (and only run) in the main thread
            return
        previous = {s: signal.signal(s, self._handle) for s in SIGNALS}
        try:
            yield self
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    @contextmanager
    def held(self) -> Iterator[None]:
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if not self._depth and self._pending is not None:
                signum, self._pending = self._pending, None
                raise Interrupted(signum)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.received = self.received or signum
        if self._depth and self._pending is None:
            self._pending = signum
            return
        raise Interrupted(signum)  # a second signal does not wait (a create may sit out a long 429 wait)
