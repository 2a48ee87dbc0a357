"""What `scimcert replay` leaves on its target: a ledger in `scimcert run`'s format, which
`scimcert cleanup` takes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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


def write(ledger: Ledger, report_dir: Path | None, embedded: bool, no_cleanup: bool,
          failed: Sequence[str] = ()) -> None:
    """Write the replay's ledger, and say what it lists as left on the target and how to delete it.

    With --report-dir it is that folder's ledger.json, beside the ledger of the checks the replay
    ran there (one run id: one file), and the `cleanup` block of their summary.json counts what the
    flow left too (failed: the flow's cleanup failures); without, a new
    reports/<timestamp>/ledger.json, only when the replay left something. The embedded provider
    stops with the replay: nothing is left there.
    """
    left = ledger.pending()
    kept = (f"--no-cleanup kept {plural(len(left), 'resource')} the flow created" if no_cleanup
            else f"the replay left {plural(len(left), 'resource')}")
    discarded = ledger.discard() if embedded else 0
    if discarded:
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
    merged = _with_checks(ledger, path)
    merged.flush()
    if report_dir is not None:
        _count_in_summary(report_dir / "summary.json", merged, ledger, failed, discarded)
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


def _count_in_summary(path: Path, merged: Ledger, flow: Ledger, failed: Sequence[str],
                      discarded: int) -> None:
    """Add what the flow left to the `cleanup` block of the summary.json the replay's checks wrote
    beside the ledger (same run id), so the folder's summary and ledger agree."""
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # the checks wrote none (they could not start): nothing to agree with
    if not isinstance(summary, dict) or summary.get("run_id") != flow.run_id:
        return
    before: dict[str, Any] = summary.get("cleanup") or {}
    summary["cleanup"] = {
        "left": len(merged.pending()),
        "failed": [*before.get("failed", []), *failed],
        "skipped": [*before.get("skipped", []), *(e["skipped"] for e in flow.entries if e.get("skipped"))],
        "discarded": int(before.get("discarded", 0)) + discarded,
    }
    reportdir.rewrite_summary(path, summary)
