"""What `scimcert replay` leaves on its target: a ledger in `scimcert run`'s format, which
`scimcert cleanup` takes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from simulator.cli.params import plural, remove_empty
from simulator.okta.flowcleanup import Cleanup
from suites import reportdir
from suites.ledger import Ledger
from suites.ledgerfile import LedgerError
from suites.lostcreates import possibly_left_block, possibly_left_line

REPORTS = Path("reports")  # where `scimcert run` puts its report folders by default


def record(ledger: Ledger, created: list[tuple[str, str, str]], done: Cleanup | None) -> None:
    """Note what a flow created and what its cleanup did with it (None: it kept everything)."""
    for kind, rid, name in created:
        ledger.add_once(kind, rid, name)
    if done is not None:
        ledger.mark_deleted_many([(kind, rid) for kind, rid, found, _ in done.outcomes if found == "deleted"])
        ledger.mark_skipped_many([(kind, rid, line) for kind, rid, found, line in done.outcomes
                                  if found == "skipped"])


def open_ledger(report_dir: Path | None, embedded: bool, run_id: str,
                target: str) -> tuple[Ledger, list[Path]]:
    """The replay's ledger, journaled as `scimcert run`'s is: each resource the flow creates is
    recorded before the next request, so a replay killed with kill -9 leaves a ledger.journal that
    `scimcert cleanup` reads (and that makes `scimcert run` refuse the folder, naming that command).

    With --report-dir it continues that folder's ledger.json, which the replay's checks (same run
    id, run first) wrote; a previous run's ledger there (nothing left: the folder was checked) is
    replaced. Else it is a new reports/<timestamp>/ledger.json (HarnessError when none can be
    made), and the folders made for it are returned, for write() to remove when the replay left
    nothing. The embedded provider stops with the replay: nothing outlives it to record.
    """
    if report_dir is None and embedded:
        return Ledger(None, run_id, target), []
    if report_dir is not None:
        path = report_dir / "ledger.json"
        try:
            found = Ledger.load(path) if path.exists() else None
        except LedgerError:
            found = None
        if found is not None and found.run_id == run_id:
            return found, []
        clear_ledger(path)
        return Ledger(path, run_id, target), []
    made = [] if REPORTS.exists() else [REPORTS]
    folder = reportdir.new_default(REPORTS)
    return Ledger(folder / "ledger.json", run_id, target), [folder, *made]


def clear_ledger(path: Path) -> None:
    """Delete a ledger.json and its journal."""
    path.unlink(missing_ok=True)
    path.with_suffix(".journal").unlink(missing_ok=True)


def write(ledger: Ledger, report_dir: Path | None, embedded: bool, no_cleanup: bool,
          failed: Sequence[str] = (), made: Sequence[Path] = ()) -> None:
    """Write the replay's ledger whole (retiring its journal), and say what it lists as left on the
    target and how to delete it.

    With --report-dir it is that folder's ledger.json, shared with the checks the replay ran there
    (one run id: one file), and the `cleanup` block of their summary.json counts what the flow
    left too (failed: the flow's cleanup failures). Without, the new reports/<timestamp>/ (made:
    the folders created for it) is removed again when the replay left nothing. The embedded
    provider stops with the replay: nothing is left there.
    """
    left = ledger.pending()
    kept = (f"--no-cleanup kept {plural(len(left), 'resource')} the flow created" if no_cleanup
            else f"the replay left {plural(len(left), 'resource')}")
    discarded = ledger.discard() if embedded else 0
    if discarded:
        click.echo(f"{kept} on the embedded reference provider, which stops with the replay: nothing is "
                   "left to delete.")
        left = []
    path = ledger.path
    if path is None:
        return
    if report_dir is None and not left and not ledger.possibly_left():
        clear_ledger(path)
        remove_empty(list(made))
        return
    if not ledger.entries and not ledger.unconfirmed and not path.exists():
        return  # the flow created nothing, and the checks wrote no ledger
    ledger.flush()
    if report_dir is not None:
        _count_in_summary(report_dir / "summary.json", ledger, failed, discarded)
    if left:
        click.echo(f"{kept} on {ledger.target}, listed in {path}; 'scimcert cleanup {path}' (with the same "
                   "credentials) deletes them.")
    possibly = possibly_left_line(possibly_left_block(ledger), str(path))
    if possibly:
        click.echo(possibly, err=True)
    if ledger.unsettled():
        click.echo(f"'scimcert cleanup {path}' looks them up by name again and deletes what it finds.",
                   err=True)


def _count_in_summary(path: Path, ledger: Ledger, failed: Sequence[str], discarded: int) -> None:
    """Add what the flow left to the `cleanup` block of the summary.json the replay's checks wrote
    beside the ledger (same run id), so the folder's summary and ledger agree: what is left and what
    was skipped are the ledger's (the checks' entries and the flow's), failures and discards add up."""
    summary, _ = reportdir.run_summary(path, ledger.run_id)
    if summary is None:
        return  # the checks wrote none (they could not start): nothing to agree with
    before: dict[str, Any] = summary.get("cleanup") or {}
    summary["cleanup"] = {
        "left": len(ledger.pending()),
        "failed": [*before.get("failed", []), *failed],
        "skipped": [e["skipped"] for e in ledger.entries if e.get("skipped")],
        "discarded": int(before.get("discarded", 0)) + discarded,
        **possibly_left_block(ledger),
    }
    reportdir.rewrite_summary(path, summary)
