"""Creates that got no response (a timeout, a dropped connection): they may have made their
resource, so each is looked up by the run-prefixed name it sent, and one no lookup can settle is
said to be possibly left on the target, never counted as deleted (the Ledger's `unconfirmed`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeGuard

from simulator.scim.ownership import lookup_hits, lookup_query
from suites.client import ScimClient

if TYPE_CHECKING:
    from suites.ledger import Ledger

KINDS = ("User", "Group")


def lookup_path(kind: str, name: str) -> str:
    """GET this to find the resources of kind named name: /Users?filter=userName%20eq%20"<name>"."""
    return f"/{kind}s?{lookup_query(kind, name)}"


def settle_lost(client: ScimClient, ledger: Ledger, *, elsewhere: bool = False,
                stop: Callable[[], bool] = lambda: False) -> list[str]:
    """Look up each unsettled create that got no response by its name (_settle): what is found joins
    the ledger's resources. A line for the report of each lookup that failed (it stays unsettled)."""
    failed = []
    for entry in ledger.unsettled():
        failure = None if stop() else _settle(client, ledger, entry, elsewhere)
        failed += [failure] if failure else []
    return failed


def _settle(client: ScimClient, ledger: Ledger, entry: dict[str, Any], elsewhere: bool) -> str | None:
    """Look an unconfirmed create up by its name (one GET): each resource of exactly that name joins
    the ledger ("found"); none there settles it "absent" (not at another URL: that may be the wrong
    one); a target that cannot filter by it (400, 501, or a list of other names) settles it with
    that reason, as no lookup will find it. Else (no answer, 5xx, 401...) it stays unsettled for the
    next cleanup, and the line for the report says why."""
    kind, name = entry["type"], entry["name"]
    reply = client.get(lookup_path(kind, name), step="cleanup")
    hits = lookup_hits(kind, name, reply.json) if reply.status == 200 else None
    if hits:
        for rid in hits:
            ledger.add_once(kind, rid, name)
        ledger.settle(kind, name, "found")
    elif hits == []:
        if not elsewhere:
            ledger.settle(kind, name, "absent")
    elif reply.status in (200, 400, 501):
        request = f"GET {reply.exchange.path} -> {reply.status}"
        ledger.settle(kind, name, f"no lookup by name can find it: {request}")
    else:
        why = reply.status or reply.exchange.error
        return f"{kind} {name} (its create got no response): lookup GET -> {why}"
    return None


def possibly_left_block(ledger: Ledger) -> dict[str, Any]:
    """What a summary's cleanup block says of the creates that got no response and that no lookup
    found: nothing when there are none, else their names and the prefix that finds them."""
    names = ledger.possibly_left()
    return {"possibly_left": names, "prefix": ledger.prefix} if names else {}


def possibly_left_line(cleanup: Mapping[str, Any], where: str = "ledger.json") -> str | None:
    """The console's sentence for a cleanup block's possibly_left, if it has any."""
    names = cleanup.get("possibly_left") or []
    if not names:
        return None
    one = len(names) == 1
    them, they, theirs = ("it", "it", "its name is") if one else ("them", "they", "their names are")
    return (f"{len(names)} create{'' if one else 's'} got no response and no lookup by name found {them}: "
            f"{they} may be on the target all the same (userName / displayName starting with "
            f"{cleanup.get('prefix')}; {theirs} in {where})")


def is_unconfirmed(entry: Any) -> TypeGuard[dict[str, Any]]:
    return (isinstance(entry, dict) and entry.get("type") in KINDS
            and isinstance(entry.get("name"), str) and bool(entry["name"])
            and isinstance(entry.get("settled", ""), str))


def apply_settled(unconfirmed: list[dict[str, Any]], settled: list[tuple[str, str, str]]) -> None:
    outcome = {(kind, name): what for kind, name, what in settled}
    for entry in unconfirmed:
        if (entry["type"], entry["name"]) in outcome:
            entry["settled"] = outcome[(entry["type"], entry["name"])]
