"""Deleting what a run created: the resources its ledger still lists, after looking up the creates
that got no response (suites/lostcreates.py)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

from simulator.scim.ownership import not_ours
from simulator.scim.paths import resource_path
from suites.client import ScimClient
from suites.ledger import Ledger
from suites.ledgerfile import KINDS
from suites.lostcreates import settle_lost


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

    pending = [e for e in ledger.pending() if e["type"] in KINDS]
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
    path = resource_path(f"{kind}s", rid)
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
