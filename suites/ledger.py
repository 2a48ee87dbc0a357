"""The ledger: every resource a run creates, written before the next request, and its cleanup."""

from __future__ import annotations

import json
import os
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from suites.client import ScimClient

ENDPOINTS = {"User": "/Users", "Group": "/Groups"}


@dataclass
class Ledger:
    """Created resources in creation order, persisted before the next request when it has a path.

    Each change is appended to a journal beside the ledger (`ledger.journal`, one JSON line per
    change, flushed at once), so recording a create costs the same with 10 or 10,000 entries;
    `flush()` writes the whole ledger.json atomically and retires the journal. `load()` replays
    a journal a killed run left behind, so `scimcert cleanup ledger.json` misses nothing.
    """

    path: Path | None
    run_id: str
    target: str
    entries: list[dict[str, Any]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _index: set[tuple[str, str]] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        self._index = {(e["type"], e["id"]) for e in self.entries}

    @property
    def journal(self) -> Path | None:
        return self.path.with_suffix(".journal") if self.path is not None else None

    def add(self, kind: str, rid: str, name: str) -> None:
        with self._lock:
            entry = {"type": kind, "id": rid, "name": name, "deleted": False,
                     "created": datetime.now(UTC).isoformat(timespec="seconds")}
            self.entries.append(entry)
            self._index.add((kind, rid))
            self._append({"add": entry})

    def add_once(self, kind: str, rid: str, name: str) -> None:
        """add(), unless the resource is listed already."""
        if not self.owns(kind, rid):
            self.add(kind, rid, name)

    def mark_deleted(self, kind: str, rid: str) -> None:
        self.mark_deleted_many([(kind, rid)])

    def mark_deleted_many(self, gone: list[tuple[str, str]]) -> None:
        """Mark resources deleted with one journal line."""
        if not gone:
            return
        with self._lock:
            _apply_deleted(self.entries, gone)
            self._append({"deleted": [list(g) for g in gone]})

    def owns(self, kind: str, rid: str) -> bool:
        return (kind, rid) in self._index

    def pending(self) -> list[dict[str, Any]]:
        """Resources still to delete: groups first (they reference users), newest first."""
        left = [e for e in reversed(self.entries) if not e["deleted"]]
        return [e for e in left if e["type"] == "Group"] + [e for e in left if e["type"] != "Group"]

    def as_json(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "target": self.target, "resources": self.entries}

    def _append(self, change: dict[str, Any]) -> None:
        if self.path is None or self.journal is None:
            return
        if not self.path.exists():
            self._write()  # the ledger names the run and target; the journal only changes
        with self.journal.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(change) + "\n")

    def _write(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".ledger-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(self.as_json(), fh, indent=2)
        os.replace(tmp, self.path)  # atomic: an interrupted run never leaves half a ledger

    def flush(self) -> None:
        """Write ledger.json whole and retire the journal (its changes are now in the ledger)."""
        with self._lock:
            self._write()
            if self.journal is not None:
                self.journal.unlink(missing_ok=True)

    @classmethod
    def load(cls, path: Path) -> Ledger:
        """A ledger.json with the changes of any journal beside it (a run that was killed)."""
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = list(data.get("resources", []))
        journal = path.with_suffix(".journal")
        if journal.exists():
            _replay(entries, journal.read_text(encoding="utf-8"))
        return cls(path, str(data.get("run_id", "")), str(data.get("target", "")), entries)


def _apply_deleted(entries: list[dict[str, Any]], gone: list[tuple[str, str]]) -> None:
    wanted = set(gone)
    for entry in entries:
        if (entry["type"], entry["id"]) in wanted:
            entry["deleted"] = True


def _replay(entries: list[dict[str, Any]], text: str) -> None:
    """Apply journal lines; a torn last line (the run was killed mid-write) is skipped."""
    known = {(e["type"], e["id"]) for e in entries}
    for line in text.splitlines():
        try:
            change = json.loads(line)
        except ValueError:
            continue
        if isinstance(change.get("add"), dict) and (change["add"]["type"], change["add"]["id"]) not in known:
            entries.append(change["add"])
            known.add((change["add"]["type"], change["add"]["id"]))
        elif isinstance(change.get("deleted"), list):
            _apply_deleted(entries, [(str(k), str(i)) for k, i in change["deleted"]])


@dataclass(frozen=True, slots=True)
class CleanupResult:
    deleted: int
    failed: tuple[str, ...]


def cleanup(client: ScimClient, ledger: Ledger, workers: int = 4) -> CleanupResult:
    """Delete exactly the ledger's remaining resources; 404 counts as already gone.

    Groups go first (they reference users), each kind with a few DELETEs in flight; the ledger
    is written once per kind. An interrupted cleanup leaves entries marked pending whose
    resources may be gone already: the next cleanup counts their 404 as done.
    """
    deleted = 0
    failed: list[str] = []
    pending = [e for e in ledger.pending() if e["type"] in ENDPOINTS]
    for kind in ("Group", "User"):
        batch = [e for e in pending if e["type"] == kind]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            replies = list(pool.map(
                lambda e: client.delete(f"{ENDPOINTS[e['type']]}/{e['id']}", step="cleanup"), batch))
        gone = []
        for entry, reply in zip(batch, replies, strict=True):
            if reply.status in (200, 204, 404):
                gone.append((entry["type"], entry["id"]))
                deleted += reply.status != 404
            else:
                failed.append(f"{entry['type']} {entry['id']}: {reply.status or reply.exchange.error}")
        ledger.mark_deleted_many(gone)
    return CleanupResult(deleted, tuple(failed))
