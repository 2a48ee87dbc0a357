"""The end of a run: cleanup of what it created, the summary and report files, the exit status
by the gate, and the verdict block printed last."""

from __future__ import annotations

import time
from collections.abc import Generator
from typing import Any

import pytest

from suites import report
from suites.cleanup import cleanup
from suites.fixtures import ledger_of, make_client
from suites.ledger import Ledger
from suites.state import state_of
from suites.summary import build_summary


def finish(session: pytest.Session, exitstatus: int) -> None:
    """Clean up, write the summary and reports, and set the exit status by the gate."""
    state = state_of(session.config)
    if not state.results and state.interrupted is None:
        return
    ledger = ledger_of(session)
    if session.shouldfail or session.shouldstop:  # -x / --maxfail: the checks after it never ran
        state.stopped = str(session.shouldfail or session.shouldstop)
    if ledger is not None and state.config.ephemeral:
        state.discarded = ledger.discard()  # they stop with the embedded provider
    elif ledger is not None and state.config.cleanup and state.config.url:
        _wait_for_lost_creates(session, ledger, state.config.timeout)
        result = cleanup(make_client(state), ledger, verify=False)  # ids this run was just given
        state.cleanup_failed, state.cleanup_skipped = result.failed, result.skipped
    summary = build_summary(state, ledger)
    if state.config.report_dir is not None:
        report.write_files(state, summary, ledger)
    state.summary = summary
    if exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED if summary["gate_failed"] else pytest.ExitCode.OK


def _wait_for_lost_creates(session: pytest.Session, ledger: Ledger, grace: float) -> None:
    """Give the creates that got no response --timeout more to finish on the target before the
    cleanup looks them up by name, saying so when that takes a while."""
    wait = ledger.settle_wait(grace)
    terminal = session.config.pluginmanager.get_plugin("terminalreporter")
    if wait >= 1 and terminal is not None:
        lost = len(ledger.unsettled())
        terminal.write_line(f"cleanup: waiting {wait:.0f} s before looking up {lost} "
                            f"create{'' if lost == 1 else 's'} that got no response (the target may "
                            "still be making them)")
    if wait > 0:
        time.sleep(wait)


class Verdict:
    """Prints scimcert's block once pytest has printed its own end of run (the short summary,
    "stopping after N failures", the interrupt banner and its counts, all written on the way out of
    the terminal reporter's sessionfinish wrapper, which this outer one encloses): a run ends on
    its verdict."""

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> Generator[None, Any, Any]:
        result = yield
        state = state_of(session.config)
        terminal = session.config.pluginmanager.get_plugin("terminalreporter")
        if state.summary is not None and terminal is not None:
            report.print_summary(terminal, state.summary, state)
        return result


