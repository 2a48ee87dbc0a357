"""The report folder: one run's files only, and never a previous run's ledger lost."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from suites.config import HarnessError
from suites.ledger import Ledger

# Everything a run writes there; anything else in the folder is not ours and stays.
RUN_FILES = ("summary.json", "junit.xml", "report.html", "exchanges.har", "ledger.json", "ledger.journal")


def previous_files(folder: Path) -> list[Path]:
    """The files a previous run left in folder."""
    return [folder / name for name in RUN_FILES if (folder / name).exists()]


def prepare(folder: Path, replace: bool) -> None:
    """Make folder ready for a new run: a previous run's files are replaced only when asked to,
    and never while its ledger lists resources the run left on its target (HarnessError)."""
    check(folder, replace)
    clear(folder)


def clear(folder: Path) -> None:
    """Delete the files a previous run left in folder (check() has allowed it)."""
    for path in previous_files(folder):
        path.unlink(missing_ok=True)


def check(folder: Path, replace: bool) -> None:
    """prepare()'s refusals, deleting nothing: a run checks early and clear()s the old files only
    once it has checks to run and the target has answered, so a run that cannot start leaves them."""
    found = previous_files(folder)
    if not found:
        return
    _refuse_pending(folder)
    if not replace:
        raise HarnessError(
            f"{folder} already holds the reports of a previous run ({', '.join(p.name for p in found)}); "
            "choose another --report-dir, or pass --overwrite to replace them.")


def _refuse_pending(folder: Path) -> None:
    ledger_file = folder / "ledger.json"
    if not ledger_file.exists() and not (folder / "ledger.journal").exists():
        return
    try:
        ledger = Ledger.load(ledger_file)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise HarnessError(f"{ledger_file} cannot be read ({exc}); it may list resources a previous run "
                           "left on its target, so move it away or choose another report folder.") from exc
    left = len(ledger.pending()) + len(ledger.unsettled())  # a create with no response may have made one
    maybe = " (or may have left: creates that got no response)" if ledger.unsettled() else ""
    if left:
        raise HarnessError(
            f"{ledger_file} lists {left} resource{'' if left == 1 else 's'} a previous run left{maybe} on "
            f"{ledger.target or 'its target'}; "
            f"delete them with 'scimcert cleanup {ledger_file}' (and that target's credentials), "
            "or choose another report folder.")


def new_default(root: Path, now: datetime | None = None) -> Path:
    """A new folder root/<timestamp>, created here so that two runs started in the same second
    never share one: the second gets <timestamp>-2, the next -3, and so on."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise HarnessError(f"{root} is a file; give --report-dir or move it.") from None
    for n in range(1, 1000):
        folder = root / (stamp if n == 1 else f"{stamp}-{n}")
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder
    raise HarnessError(f"{root} has no free report folder for {stamp}; choose one with --report-dir.")


def run_summary(path: Path, run_id: str) -> tuple[dict[str, Any] | None, str]:
    """The summary.json at path when it is run run_id's; else None and why not ("absent", or a
    phrase such as "it is not JSON")."""
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, "absent"
    except OSError as exc:
        return None, f"cannot read it ({exc.strerror or exc})"
    except ValueError:  # also UnicodeDecodeError
        return None, "it is not JSON"
    theirs = summary.get("run_id") if isinstance(summary, dict) else None
    if theirs != run_id:
        return None, (f"it is run {theirs}'s, not run {run_id}'s (the ledger's)" if isinstance(theirs, str)
                      else "it is not a scimcert run's summary")
    return summary, ""


def rewrite_summary(path: Path, summary: dict[str, Any]) -> None:
    """Replace a run's summary.json whole: atomically, so a CI job reading it never sees half of one."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".summary-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(summary, fh, indent=2)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
