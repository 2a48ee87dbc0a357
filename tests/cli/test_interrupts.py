"""Ctrl-C during a create waits for the create to be recorded; a second one does not wait."""

from __future__ import annotations

import os
import signal

import pytest

from simulator.cli.interrupts import Interrupted, Interrupts


def test_a_signal_inside_held_is_raised_when_the_block_ends() -> None:
    interrupts, before = Interrupts(), signal.getsignal(signal.SIGTERM)
    done = []
    with interrupts.installed(), pytest.raises(Interrupted) as stopped, interrupts.held():
        os.kill(os.getpid(), signal.SIGTERM)
        done.append("recorded")
    assert done == ["recorded"] and stopped.value.exit_code == 143
    assert signal.getsignal(signal.SIGTERM) is before  # restored


def test_a_second_signal_inside_held_raises_at_once() -> None:
    interrupts = Interrupts()
    done = []
    with interrupts.installed(), pytest.raises(Interrupted) as stopped, interrupts.held():
        os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), signal.SIGINT)
        done.append("not reached")
    assert done == [] and stopped.value.exit_code == 130
