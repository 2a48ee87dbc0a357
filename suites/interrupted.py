"""An interrupted run (Ctrl-C, or the SIGTERM `scimcert run` turns into one) says so everywhere:
the cut-off check is an error, never a pass, and summary.json, the console and report.html carry
no verdict."""

from __future__ import annotations

from typing import Any

import pytest

from suites.state import CheckResult, RunState


def signal_name(exc: BaseException) -> str:
    """SIGINT for Ctrl-C, else the signal a handler named in its KeyboardInterrupt (SIGTERM)."""
    return str(exc) or "SIGINT"


CUT_OFF = "scimcert_interrupted_by"  # the attribute that marks the cut-off check's pytest report


class Hook:
    """Notes the interrupt on the run state before the session's reports are written."""

    def __init__(self, state: RunState) -> None:
        self.state = state

    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        if isinstance(excinfo.value, KeyboardInterrupt):  # not pytest.exit(), which arrives here too
            self.state.interrupted = signal_name(excinfo.value)

    @pytest.hookimpl(tryfirst=True)
    def pytest_report_teststatus(self, report: pytest.TestReport) -> tuple[str, str, str] | None:
        """The cut-off check counts as an error, and reads INTERRUPTED where pytest names it."""
        return ("error", "E", "INTERRUPTED") if getattr(report, CUT_OFF, None) else None


def cut_off(item: pytest.Item, result: CheckResult, by: str) -> None:
    """The check an interrupt cut short is an error in summary.json and in pytest's own reports
    (terminal, junit.xml, report.html), which otherwise count it as passed or leave it blank."""
    message = f"interrupted by {by} before the check finished"
    if result.outcome == "passed":
        result.outcome, result.message = "error", message
    result.interrupted_by = by
    # pytest heads its ERRORS entry "ERROR at teardown of <the location's last part>"
    path, line, name = item.location
    rep = pytest.TestReport(item.nodeid, (path, line, f"{name} (interrupted by {by})"),
                            dict.fromkeys(item.keywords, 1), "failed", message, "teardown",
                            user_properties=item.user_properties)
    setattr(rep, CUT_OFF, by)
    item.ihook.pytest_runtest_logreport(report=rep)


def mark(summary: dict[str, Any], state: RunState) -> None:
    """`interrupted` in every summary. A run stopped before every check ran — by a signal, or by
    pytest's -x / --maxfail (`stopped_early`: pytest's reason) — has no verdict and fails any gate."""
    summary["interrupted"] = state.interrupted is not None
    not_run = len(state.selected - {r.info.id for r in state.results.values()})
    if state.interrupted is None and not (state.stopped and not_run):
        return
    if state.interrupted is not None:
        summary["interrupted_by"] = state.interrupted
    else:
        summary["stopped_early"] = state.stopped
    summary["not_run"] = not_run
    summary["verdicts"] = dict.fromkeys(summary["verdicts"],
                                        "interrupted" if state.interrupted else "incomplete")
    summary["gate_failed"] = True


def line(summary: dict[str, Any]) -> str | None:
    """One sentence for the console and the HTML header when the run was interrupted or stopped."""
    started = len(summary["checks"])
    of = f"after {started} of {started + summary.get('not_run', 0)} checks"
    if summary.get("interrupted"):
        return f"INTERRUPTED by {summary['interrupted_by']} {of}: the run is incomplete and has no verdict"
    if summary.get("stopped_early"):
        return f"INCOMPLETE: {summary['stopped_early']} (-x or --maxfail), {of}: the run has no verdict"
    return None
