"""Ctrl-C and SIGTERM as one exception a command can clean up after, held while a create is in
flight; once the command is stopping (cleaning up), later ones are ignored with a notice."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM)
HOLDING = "stopping once the create in flight is answered, so its record is kept; a second Ctrl-C stops now"


class Interrupted(KeyboardInterrupt):
    """The user (SIGINT) or the system (SIGTERM) stopped the command."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """The shell's convention: 128 + the signal number (130 for Ctrl-C, 143 for SIGTERM)."""
        return 128 + self.signum


def say(line: str) -> None:
    """One line on stderr from a signal handler: written straight to the file descriptor, as the
    interrupted code may be half-way through a write to sys.stderr."""
    with suppress(OSError, ValueError):  # no usable stderr (closed, or not a real file)
        os.write(sys.stderr.fileno(), f"{line}\n".encode())


class Interrupts:
    """While installed, SIGINT and SIGTERM raise Interrupted, except inside `held()` blocks,
    whose end raises it instead: a create and the record of its id are never separated. A second
    signal inside such a block raises at once. Once Interrupted is raised or `stop()` is called, and
    inside `stopping()` blocks, the command is cleaning up: a signal is ignored (the first kept in
    `received`) and prints the notice, so cleanup is never cut short (SIGKILL still ends the process)."""

    def __init__(self, notice: str = "stopping: cleaning up; kill -9 abandons it",
                 announce: Callable[[str], None] = say) -> None:
        self.notice = notice
        self.announce = announce  # writes the notice from the signal handler (say, or one like it)
        self._depth = 0
        self._pending: int | None = None
        self._stopping = False
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
                self._stopping = True
                raise Interrupted(signum)

    @contextmanager
    def stopping(self) -> Iterator[None]:
        """A cleanup no signal may cut short: inside, signals only print the notice."""
        was, self._stopping = self._stopping, True
        try:
            yield
        finally:
            self._stopping = was

    def stop(self) -> None:
        """The command is cleaning up from now on, as after a first signal: signals only print the
        notice (for a cleanup that starts where no `stopping()` block fits, e.g. inside pytest)."""
        self._stopping = True

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        __tracebackhide__ = True  # pytest names the interrupted line, not this handler
        self.received = self.received or signum
        if self._stopping:
            self.announce(self.notice)
            return
        if self._depth and self._pending is None:
            self._pending = signum
            self.announce(HOLDING)  # the create may sit out a 429 wait of minutes
            return
        self._stopping = True  # what runs from here on is the command cleaning up
        raise Interrupted(signum)  # a second signal does not wait (a create may sit out a long 429 wait)
