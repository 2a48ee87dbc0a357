"""The ledger's files: ledger.json written atomically, its journal of changes, and reading both
back (validating what is read; LedgerError says what is wrong)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, TypeGuard

from suites.lostcreates import apply_settled, is_unconfirmed

KINDS = frozenset({"User", "Group"})  # the resource types a ledger lists (at /Users, /Groups)


class LedgerError(ValueError):
    """A file that is not a scimcert ledger."""


def write_ledger(path: Path, data: dict[str, Any]) -> None:
    """Replace the ledger file with data as a unit."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".ledger-")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2)
    os.replace(tmp, path)  # atomic: an interrupted run never leaves half a ledger


def append_change(journal: Path, change: dict[str, Any]) -> None:
    """One journal line, flushed at once (the file is closed)."""
    with journal.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(change) + "\n")


def read_ledger(path: Path) -> tuple[str, str, list[dict[str, Any]], list[dict[str, Any]]]:
    """run_id, target, resources and unconfirmed creates of a ledger.json, with the changes of any
    journal beside it; LedgerError for anything that is not a ledger."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LedgerError(f"cannot read {path}: {exc.strerror or exc}.") from exc
    except ValueError as exc:  # also UnicodeDecodeError
        raise LedgerError(f"{path} is not a scimcert ledger: it is not JSON text ({exc}).") from exc
    run_id, target, entries = _validated(path, data)
    unconfirmed = _validated_unconfirmed(path, data)
    journal = path.with_suffix(".journal")
    if journal.exists():
        _replay(entries, unconfirmed, journal.read_text(encoding="utf-8", errors="replace"))
    return run_id, target, entries, unconfirmed


def _validated(path: Path, data: Any) -> tuple[str, str, list[dict[str, Any]]]:
    """run_id, target and resources of a ledger's JSON, or LedgerError naming what is wrong."""
    hint = "give the ledger.json of a run's report folder"
    if isinstance(data, dict) and "checks" in data and "verdicts" in data:
        raise LedgerError(f"{path} is a run's summary.json, not its ledger; give the ledger.json "
                          "beside it (or the report folder).")
    if not isinstance(data, dict) or not {"run_id", "target", "resources"} <= data.keys():
        raise LedgerError(f"{path} is not a scimcert ledger (it has no run_id, target and resources); "
                          f"{hint}.")
    run_id, target, resources = data["run_id"], data["target"], data["resources"]
    if not isinstance(run_id, str) or not run_id or not run_id.replace("-", "").isalnum():
        raise LedgerError(f"{path} is not a scimcert ledger: its run_id {run_id!r} is not a run id; {hint}.")
    if not isinstance(target, str) or not isinstance(resources, list):
        raise LedgerError(f"{path} is not a scimcert ledger: target must be text and resources a list; "
                          f"{hint}.")
    for n, entry in enumerate(resources, 1):
        if not _is_entry(entry):
            raise LedgerError(f"{path} is not a scimcert ledger: resource {n} is not an object with "
                              f"type User or Group, an id and deleted true/false; {hint}.")
    return run_id, target, list(resources)


def _validated_unconfirmed(path: Path, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The unconfirmed creates of a ledger's JSON (none in a ledger written before they were
    recorded), or LedgerError naming what is wrong."""
    found = data.get("unconfirmed", [])
    if not isinstance(found, list) or not all(is_unconfirmed(e) for e in found):
        raise LedgerError(f"{path} is not a scimcert ledger: unconfirmed must be a list of objects with "
                          "type User or Group and a name; give the ledger.json of a run's report folder.")
    return list(found)


def _is_entry(entry: Any) -> TypeGuard[dict[str, Any]]:
    return (isinstance(entry, dict) and entry.get("type") in KINDS
            and isinstance(entry.get("id"), str) and bool(entry["id"])
            and isinstance(entry.get("deleted"), bool))


def apply_deleted(entries: list[dict[str, Any]], gone: list[tuple[str, str]]) -> None:
    wanted = set(gone)
    for entry in entries:
        if (entry["type"], entry["id"]) in wanted:
            entry["deleted"] = True


def _replay(entries: list[dict[str, Any]], unconfirmed: list[dict[str, Any]], text: str) -> None:
    """Apply journal lines; a torn last line (the run was killed mid-write) is skipped."""
    known = {(e["type"], e["id"]) for e in entries}
    for line in text.splitlines():
        try:
            change = json.loads(line)
        except ValueError:
            continue
        if not isinstance(change, dict):
            continue
        added, deleted = change.get("add"), change.get("deleted")
        if _is_entry(added) and (added["type"], added["id"]) not in known:
            entries.append(added)
            known.add((added["type"], added["id"]))
        elif is_unconfirmed(change.get("unconfirmed")):
            unconfirmed.append(change["unconfirmed"])
        elif isinstance(change.get("settled"), list):
            apply_settled(unconfirmed, [(str(s[0]), str(s[1]), str(s[2])) for s in change["settled"]
                                         if isinstance(s, list) and len(s) == 3])
        elif isinstance(deleted, list):
            apply_deleted(entries, [(str(g[0]), str(g[1])) for g in deleted
                                    if isinstance(g, list) and len(g) == 2])
        elif isinstance(change.get("skipped"), list):
            apply_skipped(entries, [(str(s[0]), str(s[1]), str(s[2])) for s in change["skipped"]
                                    if isinstance(s, list) and len(s) == 3])


def apply_skipped(entries: list[dict[str, Any]], skipped: list[tuple[str, str, str]]) -> None:
    why = {(kind, rid): reason for kind, rid, reason in skipped}
    for entry in entries:
        if (entry["type"], entry["id"]) in why:
            entry["skipped"] = why[(entry["type"], entry["id"])]
