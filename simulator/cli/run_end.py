"""How `scimcert run` ends: what it left on the target, and its exit code."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from simulator.cli.params import plural
from suites.ledger import Ledger

EXIT_HARNESS = 2


def left_behind(ledger_file: Path, embedded: bool, no_cleanup: bool) -> None:
    """Say what the run left on its target, and how to delete it later."""
    try:
        ledger = Ledger.load(ledger_file)
    except (OSError, ValueError, KeyError, TypeError):
        return  # the run did not get as far as its ledger
    left = ledger.pending()
    if embedded:
        # The embedded provider keeps everything in memory: what it held went with it. The run
        # marks that itself (RunConfig.ephemeral); this catches a run stopped before it could.
        if ledger.discard():
            ledger.flush()
        if no_cleanup:
            click.echo(f"--no-cleanup: what the run created ({plural(len(ledger.entries), 'resource')}) was "
                       "on the embedded reference provider, which has stopped: nothing is left to delete.")
    elif left:
        kept = (f"--no-cleanup kept {plural(len(left), 'resource')} the run created" if no_cleanup
                else f"the run left {plural(len(left), 'resource')}")
        click.echo(f"{kept} on {ledger.target}; 'scimcert cleanup {ledger_file}' (with the run's "
                   "credentials) deletes them.")
    elif no_cleanup and not ledger.possibly_left():
        click.echo("--no-cleanup: the run left nothing on the target.")
    if not embedded and ledger.unsettled():
        lost = len(ledger.unsettled())
        click.echo(f"{plural(lost, 'create')} got no response and may have left a resource on "
                   f"{ledger.target}; 'scimcert cleanup {ledger_file}' looks {'it' if lost == 1 else 'them'} "
                   "up by name again and deletes what it finds.")


def exit_code(code: int, read_only: bool) -> int:
    """pytest's exit status as the run's (DESIGN.md): 0 and 1 as they are, anything else 2."""
    if code in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        return code
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        why = " (--read-only keeps only the checks that send no writes)" if read_only else ""
        click.echo(f"scimcert: no checks selected{why}", err=True)
    return EXIT_HARNESS
