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
    """Created resources in creation order; persisted on every change when it has a path."""

    path: Path | None
    run_id: str
    target: str
    entries: list[dict[str, Any]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, kind: str, rid: str, name: str) -> None:
        with self._lock:
            self.entries.append({"type": kind, "id": rid, "name": name, "deleted": False,
                                 "created": datetime.now(UTC).isoformat(timespec="seconds")})
            self._write()

    def add_once(self, kind: str, rid: str, name: str) -> None:
        """add(), unless the resource is listed already."""
        if not self.owns(kind, rid):
            self.add(kind, rid, name)

    def mark_deleted(self, kind: str, rid: str) -> None:
        self.mark_deleted_many([(kind, rid)])

    def mark_deleted_many(self, gone: list[tuple[str, str]]) -> None:
        """Mark resources deleted and write the ledger once."""
        if not gone:
            return
        wanted = set(gone)
        with self._lock:
            for entry in self.entries:
                if (entry["type"], entry["id"]) in wanted:
                    entry["deleted"] = True
            self._write()

    def owns(self, kind: str, rid: str) -> bool:
        return any(e["type"] == kind and e["id"] == rid for e in self.entries)

    def pending(self) -> list[dict[str, Any]]:
        """Resources still to delete: groups first (they reference users), newest first."""
        left = [e for e in reversed(self.entries) if not e["deleted"]]
        return [e for e in left if e["type"] == "Group"] + [e for e in left if e["type"] != "Group"]

    def as_json(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "target": self.target, "resources": self.entries}

    def _write(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".ledger-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(self.as_json(), fh, indent=2)
        os.replace(tmp, self.path)  # atomic: an interrupted run never leaves half a ledger

    def flush(self) -> None:
        with self._lock:
            self._write()

    @classmethod
    def load(cls, path: Path) -> Ledger:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(path, str(data.get("run_id", "")), str(data.get("target", "")),
                   list(data.get("resources", [])))


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
