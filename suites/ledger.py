"""The ledger: every resource a run creates, written before the next request, and its cleanup."""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeGuard

from simulator.scim.ownership import not_ours, run_prefix
from suites.client import ScimClient
from suites.lostcreates import apply_settled, is_unconfirmed, settle_lost

ENDPOINTS = {"User": "/Users", "Group": "/Groups"}
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
            _apply_deleted(self.entries, gone)
            self._append({"deleted": [list(g) for g in gone]})

    def mark_skipped_many(self, skipped: list[tuple[str, str, str]]) -> None:
        """Record (kind, id, why) of recorded ids that now name somebody else's resource: no
        cleanup touches them again, and they no longer count as left on the target."""
        if not skipped:
            return
        with self._lock:
            _apply_skipped(self.entries, skipped)
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

    @property
    def prefix(self) -> str:
        """The start of every userName and displayName the run created."""
        return run_prefix(self.run_id)

    @classmethod
    def load(cls, path: Path) -> Ledger:
        """A ledger.json with the changes of any journal beside it (a run that was killed).

        Raises LedgerError, with a sentence saying what is wrong, for anything that is not one.
        """
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
        return cls(path, run_id, target, entries, unconfirmed)


class LedgerError(ValueError):
    """A file that is not a scimcert ledger."""


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
    return (isinstance(entry, dict) and entry.get("type") in ENDPOINTS
            and isinstance(entry.get("id"), str) and bool(entry["id"])
            and isinstance(entry.get("deleted"), bool))


def _apply_deleted(entries: list[dict[str, Any]], gone: list[tuple[str, str]]) -> None:
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
            _apply_deleted(entries, [(str(g[0]), str(g[1])) for g in deleted
                                     if isinstance(g, list) and len(g) == 2])
        elif isinstance(change.get("skipped"), list):
            _apply_skipped(entries, [(str(s[0]), str(s[1]), str(s[2])) for s in change["skipped"]
                                     if isinstance(s, list) and len(s) == 3])


def _apply_skipped(entries: list[dict[str, Any]], skipped: list[tuple[str, str, str]]) -> None:
    why = {(kind, rid): reason for kind, rid, reason in skipped}
    for entry in entries:
        if (entry["type"], entry["id"]) in why:
            entry["skipped"] = why[(entry["type"], entry["id"])]


@dataclass(frozen=True, slots=True)
class CleanupResult:
    deleted: int
    failed: tuple[str, ...]
    gone: int = 0  # already deleted (404)
    skipped: tuple[str, ...] = ()  # no longer named like the run's resources: left alone
    missing: tuple[str, ...] = ()  # 404 at a URL other than the ledger's target: left pending
    left: int = 0  # not tried: the cleanup was told to stop
    looked_up: int = 0  # unconfirmed creates looked up by name
    found: int = 0  # resources those lookups found (they joined the ledger, and this cleanup)


Outcome = Literal["deleted", "gone", "skipped", "failed", "missing", "left"]


def cleanup(client: ScimClient, ledger: Ledger, workers: int = 4, *, verify: bool = True,
            elsewhere: bool = False, stop: Callable[[], bool] = lambda: False) -> CleanupResult:
    """Delete the ledger's remaining resources that are still the run's; 404 counts as already gone.

    With verify, each resource is read first and deleted only when its userName / displayName
    still starts with the run's prefix: by the time `scimcert cleanup` reads an old ledger, a
    server may have given a recorded id to somebody else's resource. The run's own cleanup, at
    the end of the run that was just given these ids for what it created, passes verify=False:
    the extra read would cost a request per resource (435 in a full run) for no safety gained.
    Groups go first (they reference users), each kind with a few resources in flight; the
    ledger is written once per kind. An interrupted cleanup leaves entries marked pending whose
    resources may be gone already: the next cleanup counts their 404 as done. elsewhere (the
    client is not at the ledger's target) takes a 404 for "not here" rather than "gone", so a
    wrong URL marks nothing deleted. Once stop() is true, the resources not yet started are left
    (counted, still pending in the ledger). First, each unsettled create that got no response is
    looked up by its name (settle_lost): what is found is deleted with the rest.
    """
    found: dict[Outcome, list[str]] = {"deleted": [], "gone": [], "skipped": [], "failed": [], "missing": [],
                                       "left": []}
    looked_up, before = len(ledger.unsettled()), len(ledger.entries)
    found["failed"] += settle_lost(client, ledger, elsewhere=elsewhere, stop=stop)
    hits = len(ledger.entries) - before
    prefix = ledger.prefix if verify else None

    def remove(entry: dict[str, Any]) -> tuple[Outcome, str]:
        return ("left", "") if stop() else _remove(client, entry, prefix)

    pending = [e for e in ledger.pending() if e["type"] in ENDPOINTS]
    for kind in ("Group", "User"):
        batch = [e for e in pending if e["type"] == kind]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(remove, batch))
        if elsewhere:
            outcomes = [("missing", d) if o == "gone" else (o, d) for o, d in outcomes]
        for outcome, detail in outcomes:
            found[outcome].append(detail)
        done = [e for e, (outcome, _) in zip(batch, outcomes, strict=True) if outcome in ("deleted", "gone")]
        ledger.mark_deleted_many([(e["type"], e["id"]) for e in done])
        ledger.mark_skipped_many([(e["type"], e["id"], detail) for e, (outcome, detail)
                                  in zip(batch, outcomes, strict=True) if outcome == "skipped"])
    return CleanupResult(len(found["deleted"]), tuple(found["failed"]), len(found["gone"]),
                         tuple(found["skipped"]), tuple(found["missing"]), len(found["left"]),
                         looked_up, hits)


def _remove(client: ScimClient, entry: dict[str, Any], prefix: str | None) -> tuple[Outcome, str]:
    """Delete one resource, first reading it when given the run's prefix (it must still carry it):
    the outcome and a line for the report."""
    kind, rid = entry["type"], entry["id"]
    path = f"{ENDPOINTS[kind]}/{rid}"
    if prefix is not None:
        read = client.get(path, step="cleanup")
        if read.status == 404:
            return "gone", f"{kind} {rid}"
        if read.status != 200:
            return "failed", f"{kind} {rid}: GET -> {read.status or read.exchange.error}"
        stranger = not_ours(kind, read.json, prefix)
        if stranger is not None:
            return "skipped", f"{kind} {rid}: {stranger}; not deleted"
    reply = client.delete(path, step="cleanup")
    if reply.status in (200, 204):
        return "deleted", f"{kind} {rid}"
    if reply.status == 404:
        return "gone", f"{kind} {rid}"
    return "failed", f"{kind} {rid}: DELETE -> {reply.status or reply.exchange.error}"
