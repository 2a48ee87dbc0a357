"""Import plans (okta-scim.md §3): page through /Users or /Groups and summarise like Okta."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from simulator.okta import errors, wire
from simulator.okta.model import AppInstance
from simulator.okta.plan import ImportSummary, Outcome, Plan, request

# What an earlier import saw, by SCIM id: the resource itself, or its fingerprint() (the org store
# keeps only fingerprints).
Known = Mapping[str, Mapping[str, Any] | str]


def import_users(app: AppInstance, known: Known | None = None) -> Plan:
    """'Import Now' for users; `known` maps SCIM ids to what the previous import saw."""
    return (yield from _import(app, "Users", skip_inactive=True, known=known or {}))


def import_groups(app: AppInstance, known: Known | None = None) -> Plan:
    """'Import Now' for groups (members are read from each group resource, no extra GETs)."""
    return (yield from _import(app, "Groups", skip_inactive=False, known=known or {}))


def _counter_problem(body: Mapping[str, Any]) -> str | None:
    """§3 [D] S1: totalResults, startIndex and itemsPerPage must be JSON integers."""
    for key in ("totalResults", "startIndex", "itemsPerPage"):
        value = body.get(key)
        if value is None and key != "totalResults":
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            return f"'{key}' must be an integer, got {value!r}"
    resources = body.get("Resources", [])
    return None if isinstance(resources, list) else "'Resources' must be an array"


def _import(app: AppInstance, endpoint: str, *, skip_inactive: bool, known: Known) -> Plan:
    action, what = f"import_{endpoint.lower()}", endpoint.lower()
    start, page, inactive = 1, 0, 0
    kept: list[dict[str, Any]] = []
    while True:
        page += 1
        step = f"import.{what}.page.{page}"
        query = wire.page_query(start, wire.PAGE_SIZE)
        response = yield request(app, step, "GET", f"/{endpoint}", query=query)
        body = response.json_object()
        problem = None if body is None else _counter_problem(body)
        if response.status != 200 or body is None or problem:
            reason = problem or errors.remote_reason(response)
            text = errors.import_error(what, app.label, reason)
            return Outcome(action, ok=False, error=text, failed_step=step)
        resources = [r for r in body.get("Resources") or [] if isinstance(r, dict)]
        for resource in resources:
            if skip_inactive and resource.get("active") is False:
                inactive += 1  # [D] S4: inactive users are not imported, even in a full import
            else:
                kept.append(resource)
        start += wire.PAGE_SIZE
        if not resources or start > body["totalResults"]:
            break
    summary = _summarise(kept, known, inactive, page)
    return Outcome(action, ok=True, summary=summary, resources=tuple(kept))


def _comparable(resource: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in resource.items() if k != "meta"}


def fingerprint(resource: Mapping[str, Any]) -> str:
    """A stable digest of what an import compares (everything but `meta`), key order ignored."""
    text = json.dumps(_comparable(resource), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def fingerprints(resources: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """SCIM id -> fingerprint of imported resources: the `known` of the next import."""
    return {str(r.get("id", "")): fingerprint(r) for r in resources}


def _summarise(kept: list[dict[str, Any]], known: Known, inactive: int, pages: int) -> ImportSummary:
    new = updated = unchanged = 0
    seen: set[str] = set()
    for resource in kept:
        rid = str(resource.get("id", ""))
        seen.add(rid)
        before = known.get(rid)
        if before is None:
            new += 1
        elif (before if isinstance(before, str) else fingerprint(before)) == fingerprint(resource):
            unchanged += 1
        else:
            updated += 1
    removed = len(set(known) - seen)
    return ImportSummary(len(kept), new, updated, unchanged, removed, inactive, pages)
