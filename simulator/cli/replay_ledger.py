"""What `scimcert replay` leaves on its target: a ledger in `scimcert run`'s format, which
`scimcert cleanup` takes."""

from __future__ import annotations

from pathlib import Path

import click

from simulator.cli.params import plural
from simulator.okta.flowcleanup import Cleanup
from suites import reportdir
from suites.config import HarnessError
from suites.ledger import Ledger, LedgerError

REPORTS = Path("reports")  # where `scimcert run` puts its report folders by default


def record(ledger: Ledger, created: list[tuple[str, str, str]], done: Cleanup | None) -> None:
    """Note what a flow created and what its cleanup did with it (None: it kept everything)."""
    for kind, rid, name in created:
        ledger.add_once(kind, rid, name)
    if done is not None:
        ledger.mark_deleted_many([(kind, rid) for kind, rid, found, _ in done.outcomes if found == "deleted"])
        ledger.mark_skipped_many([(kind, rid, line) for kind, rid, found, line in done.outcomes
                                  if found == "skipped"])


def write(ledger: Ledger, report_dir: Path | None, embedded: bool, no_cleanup: bool) -> None:
    """Write the replay's ledger, and say what it lists as left on the target and how to delete it.

    With --report-dir it is that folder's ledger.json, beside the ledger of the checks the replay
    ran there (one run id: one file); without, a new reports/<timestamp>/ledger.json, only when
    the replay left something. The embedded provider stops with the replay: nothing is left there.
    """
    left = ledger.pending()
    kept = (f"--no-cleanup kept {plural(len(left), 'resource')} the flow created" if no_cleanup
            else f"the replay left {plural(len(left), 'resource')}")
    if embedded and left:
        ledger.mark_deleted_many([(e["type"], e["id"]) for e in left])
        click.echo(f"{kept} on the embedded reference provider, which stops with the replay: nothing is "
                   "left to delete.")
        left = []
    if not ledger.entries or (report_dir is None and not left):
        return
    try:
        path = (report_dir if report_dir is not None else reportdir.new_default(REPORTS)) / "ledger.json"
    except HarnessError as exc:  # e.g. reports/ is a file: the user still learns what is left
        click.echo(f"{kept} on {ledger.target}, and no ledger could be written ({exc}):", err=True)
        for entry in left:
            click.echo(f"  {entry['type']} {entry['id']} {entry['name']}", err=True)
        return
    _with_checks(ledger, path).flush()
    if left:
        click.echo(f"{kept} on {ledger.target}, listed in {path}; 'scimcert cleanup {path}' (with the same "
                   "credentials) deletes them.")


def _with_checks(ledger: Ledger, path: Path) -> Ledger:
    """The ledger to write at path: the flow's entries, then those of the checks this replay ran
    with --report-dir (same run id); a previous run's ledger there (nothing left) is replaced."""
    try:
        found = Ledger.load(path) if path.exists() else None
    except LedgerError:
        found = None
    theirs = found.entries if found is not None and found.run_id == ledger.run_id else []
    return Ledger(path, ledger.run_id, ledger.target, [*ledger.entries, *theirs])
