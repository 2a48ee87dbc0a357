"""What a POST /Bulk created or deleted, read from the BulkRequest sent and the BulkResponse, for
the ledger: a bulk write creates resources no POST /Users or /Groups of the client announces.

RFC 7644 §3.7.3: "A "location" attribute that includes the resource's endpoint MUST be returned
for all operations except for failed POST operations (which have no location)."; §3.7.2: "The
service provider MUST return the same "bulkId" together with the newly created resource." Each
POST operation is matched to its result by bulkId; a created resource is reported by the id in
its location. A POST whose result gives no location and no error (the response was lost, not a
BulkResponse, or lacks that operation) is looked up by the run-prefixed name it sent, as a
create without a response is (ScimClient._find_lost).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

BULK_PATH = re.compile(r"/Bulk/?$")
_POST_PATH = re.compile(r"^/?(Users|Groups)/?$")
_LOCATION = re.compile(r"/(Users|Groups)/([^/]+)/?$")


@dataclass(frozen=True, slots=True)
class BulkOutcome:
    """The creates and deletes a bulk exchange reports, and the POSTs it leaves unexplained."""

    created: tuple[tuple[str, str, str], ...]  # (kind, id, name)
    deleted: tuple[tuple[str, str], ...]  # (kind, id)
    unexplained: tuple[tuple[str, Any], ...]  # (kind, data sent): to look up by name


def read_outcome(sent: str | bytes | None, status: int | None, answer: Any) -> BulkOutcome:
    request = _loads(sent)
    ops = request.get("Operations") if isinstance(request, dict) else None
    results = answer.get("Operations") if status == 200 and isinstance(answer, dict) else None
    results = [r for r in results if isinstance(r, dict)] if isinstance(results, list) else []
    by_bulk_id = {r["bulkId"]: r for r in results if isinstance(r.get("bulkId"), str)}
    created: list[tuple[str, str, str]] = []
    unexplained: list[tuple[str, Any]] = []
    for op in ops if isinstance(ops, list) else ():
        if not isinstance(op, dict) or str(op.get("method") or "").upper() != "POST":
            continue
        path = _POST_PATH.match(str(op.get("path") or ""))
        if path is None:
            continue
        kind = path.group(1)[:-1]
        result = by_bulk_id.get(op.get("bulkId")) if isinstance(op.get("bulkId"), str) else None
        where = located(result)
        if where is not None and where[0] == kind:
            created.append((kind, where[1], _name(op.get("data"))))
        elif result is None or status_of(result) < 400:
            unexplained.append((kind, op.get("data")))
    deleted = tuple(where for r in results
                    if str(r.get("method") or "").upper() == "DELETE" and status_of(r) in (200, 204)
                    and (where := located(r)) is not None)
    return BulkOutcome(tuple(created), deleted, tuple(unexplained))


def report(outcome: BulkOutcome, on_created: Callable[[str, str, str], None] | None,
           on_deleted: Callable[[str, str], None] | None,
           find_lost: Callable[[str, Any], None]) -> None:
    for kind, rid, name in outcome.created:
        if on_created is not None:
            on_created(kind, rid, name)
    for kind, data in outcome.unexplained:
        find_lost(kind, data)
    for kind, rid in outcome.deleted:
        if on_deleted is not None:
            on_deleted(kind, rid)


def located(result: dict[str, Any] | None) -> tuple[str, str] | None:
    location = result.get("location") if result is not None else None
    found = _LOCATION.search(urlsplit(location).path) if isinstance(location, str) else None
    return (found.group(1)[:-1], unquote(found.group(2))) if found else None


def status_of(result: dict[str, Any]) -> int:
    """An operation's status as a number (RFC 7644's examples give it as a string); 0 when unreadable."""
    raw = result.get("status")
    raw = raw.get("code") if isinstance(raw, dict) else raw  # the drafts' {"code": ...} form
    try:
        return int(str(raw).strip())
    except ValueError:
        return 0


def _name(data: Any) -> str:
    if not isinstance(data, dict):
        return ""
    return str(data.get("userName") or data.get("displayName") or "")


def _loads(sent: str | bytes | None) -> Any:
    try:
        return json.loads(sent) if sent else None
    except (ValueError, RecursionError):
        return None
