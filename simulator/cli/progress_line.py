"""`scimcert run`'s stopping notice beside pytest's progress line: always on a line of its own."""

from __future__ import annotations

import os
import sys
from typing import IO, Any

import pytest

from simulator.cli.interrupts import say


class ProgressLine:
    """A pytest plugin that writes the run's Interrupts notice (on stderr, from the signal handler)
    so that it starts a line: where stdout and stderr are one stream (2>&1 in a CI log, or a
    terminal) and pytest's progress line is open ("suites/users/test_create.py ..") it breaks that
    line first, and tells pytest it did, so pytest adds no blank line of its own; elsewhere it
    writes the notice as it is (a blank line there would be one too many)."""

    def __init__(self) -> None:
        self.shared = _same_file(sys.stdout, sys.stderr)
        self.terminal: Any = None  # pytest's TerminalReporter, once the session starts

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        self.terminal = session.config.pluginmanager.get_plugin("terminalreporter")

    def say(self, line: str) -> None:
        """Write line as its own line on stderr (from a signal handler: no buffered writes)."""
        if self.shared and self._open():
            self.terminal.currentfspath = None  # its line is ended: pytest's next output needs no break
            line = "\n" + line
        say(line)

    def _open(self) -> bool:
        """Whether pytest's progress line has text and no line end yet."""
        writer = getattr(self.terminal, "_tw", None)
        return bool(getattr(self.terminal, "currentfspath", None)) and bool(
            getattr(writer, "width_of_current_line", 0))


def _same_file(one: IO[str], other: IO[str]) -> bool:
    """Whether two streams write to the same file, pipe or terminal (as with 2>&1)."""
    try:
        return os.path.samestat(os.fstat(one.fileno()), os.fstat(other.fileno()))
    except (OSError, ValueError):  # no real file behind one of them (io.UnsupportedOperation, closed)
        return False
