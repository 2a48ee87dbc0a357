"""`scimcert replay --report-dir`: the flow's Okta checks, run through pytest for the run reports."""

from __future__ import annotations

import signal
from dataclasses import replace
from pathlib import Path

import click
import pytest

from simulator.cli.interrupts import Interrupted
from simulator.cli.run_cmd import ISOLATED
from simulator.cli.run_end import EXIT_HARNESS
from simulator.scim.schema import SchemaDef
from suites.catalogue import SUITES_DIR
from suites.config import Preset, RunConfig

# The Okta suite module holding each flow's checks: `--report-dir` runs it for the reports.
FLOW_CHECKS = {"connect": "test_connect.py", "spec-test": "test_spec.py",
               "crud-test": "test_crud.py", "user-lifecycle": "test_users.py",
               "group-push": "test_groups.py", "import": "test_import.py",
               "custom-attributes": "test_custom_attributes.py"}


def run_checks(flow: str, config: RunConfig, run_id: str, declared: tuple[SchemaDef, ...], out: Path) -> int:
    """Run the Okta checks of this flow through pytest, which writes the run reports (and a ledger
    under the flow's run id, which the flow's own entries then join). They get the replay's settings
    whole, as `scimcert run` hands its own over: run-only settings in SCIMCERT_* or scimcert.toml
    (fail_on, read_only, no_cleanup, waivers…) are not the replay's and do not reach them."""
    module = SUITES_DIR / "okta" / FLOW_CHECKS[flow]
    checks = replace(config, run_id=run_id, report_dir=out, extensions=declared)
    watcher = _InterruptWatcher()
    code = int(pytest.main([*ISOLATED, str(module), "-q"], plugins=[Preset(checks), watcher]))
    if watcher.signum is not None:  # the checks cleaned up after themselves (their ledger)
        raise Interrupted(watcher.signum)
    if code in (0, 1):  # else pytest could not start and wrote no reports
        click.echo(f"reports written to {out}")
    return code if code in (0, 1) else EXIT_HARNESS


class _InterruptWatcher:
    """The signal that stopped the checks, if one did (pytest.exit() also ends with status 2)."""

    signum: int | None = None

    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        stop = excinfo.value
        if isinstance(stop, KeyboardInterrupt):
            self.signum = stop.signum if isinstance(stop, Interrupted) else signal.SIGINT
