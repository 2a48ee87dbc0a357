"""Ctrl-C during a create waits for the create to be recorded; a second one does not wait; once
the command is stopping (cleaning up), signals are ignored."""

from __future__ import annotations

import os
import signal
from types import SimpleNamespace

import pytest

from simulator.cli.interrupts import Interrupted, Interrupts
from simulator.cli.progress_line import ProgressLine


def test_a_signal_inside_held_is_raised_when_the_block_ends(capfd: pytest.CaptureFixture[str]) -> None:
    """The wait is said at once: a create may sit out a 429 wait of minutes."""
    interrupts, before = Interrupts(), signal.getsignal(signal.SIGTERM)
    done = []
    with interrupts.installed(), pytest.raises(Interrupted) as stopped, interrupts.held():
        os.kill(os.getpid(), signal.SIGTERM)
        done.append("recorded")
    assert done == ["recorded"] and stopped.value.exit_code == 143
    assert signal.getsignal(signal.SIGTERM) is before  # restored
    assert capfd.readouterr().err == (
        "stopping once the create in flight is answered, so its record is kept; a second Ctrl-C stops now\n")


def test_a_second_signal_inside_held_raises_at_once() -> None:
    interrupts = Interrupts()
    done = []
    with interrupts.installed(), pytest.raises(Interrupted) as stopped, interrupts.held():
        os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), signal.SIGINT)
        done.append("not reached")
    assert done == [] and stopped.value.exit_code == 130


def test_once_stopping_a_signal_is_ignored_with_a_notice(capfd: pytest.CaptureFixture[str]) -> None:
    """After the first signal the command cleans up: a second one must not cut that short."""
    interrupts = Interrupts("stopping: cleaning up")
    done = []
    with interrupts.installed():
        with pytest.raises(Interrupted):
            os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), signal.SIGTERM)
        done.append("cleaned up")
    assert done == ["cleaned up"] and interrupts.received == signal.SIGINT
    assert capfd.readouterr().err == "stopping: cleaning up\n"


def test_a_signal_inside_stopping_is_kept_not_raised() -> None:
    interrupts = Interrupts()
    with interrupts.installed():
        with interrupts.stopping():
            os.kill(os.getpid(), signal.SIGTERM)
            os.kill(os.getpid(), signal.SIGINT)
        assert interrupts.received == signal.SIGTERM
        with pytest.raises(Interrupted):  # outside the block signals raise again
            os.kill(os.getpid(), signal.SIGINT)


def test_after_stop_a_signal_is_ignored_with_a_notice(capfd: pytest.CaptureFixture[str]) -> None:
    """`scimcert run` stops its Interrupts when pytest has finished the checks: cleanup follows."""
    interrupts = Interrupts("stopping: cleaning up")
    with interrupts.installed():
        interrupts.stop()
        os.kill(os.getpid(), signal.SIGTERM)
    assert interrupts.received == signal.SIGTERM
    assert capfd.readouterr().err == "stopping: cleaning up\n"


def test_the_run_notice_breaks_an_open_progress_line_once_and_only_on_a_shared_stream(
        capfd: pytest.CaptureFixture[str]) -> None:
    """`scimcert run` prints its notice through ProgressLine: after pytest's dots on the stream
    stderr shares it starts a new line; a second notice, or stderr of its own, needs no break."""
    terminal = SimpleNamespace(currentfspath="suites/users/test_create.py",
                               _tw=SimpleNamespace(width_of_current_line=31))
    progress = ProgressLine()
    progress.terminal, progress.shared = terminal, True
    progress.say("stopping: a")
    progress.say("stopping: b")
    assert capfd.readouterr().err == "\nstopping: a\nstopping: b\n"
    assert terminal.currentfspath is None  # pytest then adds no line break of its own
    terminal.currentfspath, progress.shared = "suites/users/test_create.py", False
    progress.say("stopping: c")
    assert capfd.readouterr().err == "stopping: c\n"
    assert terminal.currentfspath == "suites/users/test_create.py"  # stdout's line is still open
