"""The ledger: every resource a run creates, written before the next request.

Its files are ledgerfile.py's; deleting what it lists is cleanup.py's.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from simulator.scim.ownership import run_prefix
from suites.ledgerfile import append_change, apply_deleted, apply_skipped, read_ledger, write_ledger
from suites.lostcreates import apply_settled

SETTLED = ("found", "absent", "discarded")  # an unconfirmed create known not to be left on the target


@dataclass
class Ledger:
    """Created resources in creation order, persisted before the next request when it has a path.

    Each change is appended to a journal beside the ledger (`ledger.journal`, one JSON line per
    change, flushed at once), so recording a create costs the same with 10 or 10,000 entries;
    `flush()` writes the whole ledger.json atomically and retires the journal. `load()` replays
    a journal a killed run left behind, so `scimcert cleanup ledger.json` misses nothing.

    `unconfirmed` lists the creates that got no response (a timeout) and that a lookup by their
    run-prefixed name did not find: they may exist. Each is settled by a later lookup (the
    cleanup's): "found" (its resources joined `entries`), "absent", "discarded" (the embedded
    provider stopped), or why no lookup can tell; until then it is unsettled.
    """

    path: Path | None
    run_id: str
    target: str
    entries: list[dict[str, Any]] = field(default_factory=list, repr=False)  # grows with the run (RunState)
    unconfirmed: list[dict[str, Any]] = field(default_factory=list, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _index: set[tuple[str, str]] = field(default_factory=set, repr=False)
    _lost_at: float | None = field(default=None, repr=False)  # monotonic time of the last add_unconfirmed

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

    def add_unconfirmed(self, kind: str, name: str) -> None:
        """A create of kind named name got no response, and a lookup did not find it: it may exist."""
        with self._lock:
            if any((e["type"], e["name"]) == (kind, name) for e in self.unconfirmed):
                return
            entry = {"type": kind, "name": name, "created": datetime.now(UTC).isoformat(timespec="seconds")}
            self.unconfirmed.append(entry)
            self._lost_at = time.monotonic()
            self._append({"unconfirmed": entry})

    def settle(self, kind: str, name: str, outcome: str) -> None:
        """Record what a lookup found of an unconfirmed create (see the class docstring)."""
        with self._lock:
            apply_settled(self.unconfirmed, [(kind, name, outcome)])
            self._append({"settled": [[kind, name, outcome]]})

    def unsettled(self) -> list[dict[str, Any]]:
        """Unconfirmed creates no lookup has settled yet: the next cleanup looks them up."""
        return [e for e in self.unconfirmed if "settled" not in e]

    def settle_wait(self, grace: float) -> float:
        """Seconds until the unsettled creates this process recorded have had grace seconds more to
        finish on the server (a create that timed out may still be running there), so that a lookup
        that finds nothing then means none was made."""
        if self._lost_at is None or not self.unsettled():
            return 0.0
        return max(0.0, self._lost_at + grace - time.monotonic())

    def possibly_left(self) -> list[str]:
        """"User <name>" of each unconfirmed create that may still be on the target: unsettled, or
        one no lookup can find."""
        return [f"{e['type']} {e['name']}" for e in self.unconfirmed if e.get("settled") not in SETTLED]

    def mark_deleted(self, kind: str, rid: str) -> None:
        self.mark_deleted_many([(kind, rid)])

    def discard(self) -> int:
        """The target was the embedded provider, which stopped and took everything with it: mark
        every pending resource deleted (and every unsettled create discarded), without a request;
        how many resources there were."""
        gone = [(e["type"], e["id"]) for e in self.pending()]
        self.mark_deleted_many(gone)
        for entry in self.unsettled():
            self.settle(entry["type"], entry["name"], "discarded")
        return len(gone)

    def deleted_by_run(self, kind: str, rid: str) -> None:
        """A check (or Okta flow) of the run deleted a resource: if the ledger lists it, it is done,
        so neither the cleanup nor a --no-cleanup count takes it for one still on the target."""
        if self.owns(kind, rid):
            self.mark_deleted(kind, rid)

    def mark_deleted_many(self, gone: list[tuple[str, str]]) -> None:
        """Mark resources deleted with one journal line."""
        if not gone:
            return
        with self._lock:
            apply_deleted(self.entries, gone)
            self._append({"deleted": [list(g) for g in gone]})

    def mark_skipped_many(self, skipped: list[tuple[str, str, str]]) -> None:
        """Record (kind, id, why) of recorded ids that now name somebody else's resource: no
        cleanup touches them again, and they no longer count as left on the target."""
        if not skipped:
            return
        with self._lock:
            apply_skipped(self.entries, skipped)
            self._append({"skipped": [list(s) for s in skipped]})

    def owns(self, kind: str, rid: str) -> bool:
        return (kind, rid) in self._index

    def pending(self) -> list[dict[str, Any]]:
        """Resources still to delete: groups first (they reference users), newest first."""
        left = [e for e in reversed(self.entries) if not e["deleted"] and not e.get("skipped")]
        return [e for e in left if e["type"] == "Group"] + [e for e in left if e["type"] != "Group"]

    def as_json(self) -> dict[str, Any]:
        found = {"run_id": self.run_id, "target": self.target, "resources": self.entries}
        return {**found, "unconfirmed": self.unconfirmed} if self.unconfirmed else found

    def _append(self, change: dict[str, Any]) -> None:
        if self.path is None or self.journal is None:
            return
        if not self.path.exists():
            self._write()  # the ledger names the run and target; the journal only changes
        append_change(self.journal, change)

    def _write(self) -> None:
        if self.path is None:
            return
        write_ledger(self.path, self.as_json())

    def flush(self) -> None:
        """Write ledger.json whole and retire the journal (its changes are now in the ledger)."""
        with self._lock:
            self._write()
            if self.journal is not None:
                self.journal.unlink(missing_ok=True)

    @property
    def prefix(self) -> str:
        """The start of every userName and displayName the run created."""
        return run_prefix(self.run_id)

    @classmethod
    def load(cls, path: Path) -> Ledger:
        """A ledger.json with the changes of any journal beside it (a run that was killed).

        Raises LedgerError, with a sentence saying what is wrong, for anything that is not one.
        """
        return cls(path, *read_ledger(path))
