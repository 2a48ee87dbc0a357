"""Query, filter, sort and page (RFC 7644 §3.4.2, §3.4.3)."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from simulator.provider.errors import ScimError
from simulator.provider.projection import Projection
from simulator.provider.records import Record
from simulator.provider.service import Provider
from simulator.scim.filter import (
    And,
    Compare,
    Filter,
    FilterError,
    compile_filter,
    equality_lookup,
    parse_datetime,
    parse_filter,
)
from simulator.scim.schema import ResourceSchema

Predicate = Callable[[Mapping[str, Any]], bool]


@dataclass(frozen=True, slots=True)
class Query:
    """One list or search request."""

    filter: str | None = None
    start_index: int = 1
    count: int | None = None
    sort_by: str | None = None
    descending: bool = False
    projection: Projection = field(default_factory=Projection)
    cursor: str | None = None  # RFC 9865 §2: "" asks for the first page of a cursor-paged query


@dataclass(frozen=True, slots=True)
class Page:
    total: int
    start_index: int
    records: list[Record]


def parse_query(params: Mapping[str, Any], *, from_body: bool = False) -> Query:
    """Read a query from URL parameters or a SearchRequest body (RFC 7644 §3.4.3)."""
    order = _text(params.get("sortOrder"), "sortOrder") or "ascending"
    if order not in ("ascending", "descending"):
        raise ScimError(400, "sortOrder must be 'ascending' or 'descending'.", "invalidValue")
    return Query(
        filter=_text(params.get("filter"), "filter"),
        start_index=max(1, _int(params.get("startIndex"), "startIndex", from_body) or 1),
        count=_count(params.get("count"), from_body),
        sort_by=_text(params.get("sortBy"), "sortBy"),
        descending=order == "descending",
        projection=Projection.from_params(params.get("attributes"), params.get("excludedAttributes")),
        cursor=_cursor(params.get("cursor")),
    )


def _text(value: Any, name: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ScimError(400, f"{name} must be a string.", "invalidValue")
    return value


def _cursor(value: Any) -> str | None:
    """The cursor parameter: None when absent, "" (or a bare `?cursor`) for the first page."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ScimError(400, "Cursor value is invalid: it must be a string.", "invalidCursor")
    return value


def _int(value: Any, name: str, from_body: bool) -> int | None:
    if value is None or value == "":
        return None
    if from_body and isinstance(value, int) and not isinstance(value, bool):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        raise ScimError(400, f"{name} must be an integer; got {value!r}.", "invalidValue") from None


def _count(value: Any, from_body: bool) -> int | None:
    count = _int(value, "count", from_body)
    return None if count is None else max(0, count)


def run_query(provider: Provider, kind: str, query: Query) -> Page:
    """Select, sort and slice the resources of one kind."""
    return paginate(provider, select(provider, kind, query), query)


def select(provider: Provider, kind: str, query: Query) -> list[Record]:
    """The resources of one kind that the query selects, in result order."""
    devs = provider.deviations
    rs = provider.schema_of(kind)
    records = _select(provider, kind, rs, query.filter)
    if "inactive-hidden" in devs:
        records = [r for r in records if r.data.get("active") is not False]
    if "unsorted-lists" in devs:
        records = sorted(records, key=_hashed_id)  # before sortBy: ties keep this order
    if query.sort_by and not {"sort-ignored", "sort-unsupported"} & devs.active:
        records = sort_records(provider, records, rs, query.sort_by, query.descending)
    if "unstable-paging" in devs:
        random.shuffle(records)
    return records


def _hashed_id(rec: Record) -> bytes:
    """A stable order unrelated to creation order (the unsorted-lists condition)."""
    return hashlib.sha256(rec.id.encode()).digest()


def _select(provider: Provider, kind: str, rs: ResourceSchema, text: str | None) -> list[Record]:
    if text is None or {"filter-ignored", "filter-unsupported-ignored"} & provider.deviations.active:
        return provider.store.scan(kind)
    if "filter-unsupported" in provider.deviations:
        # RFC 7644 §3.4.2.2: "Providers MUST decline to filter results if the specified filter
        # operation is not recognized and return an HTTP 400 error with [...] "invalidFilter""
        raise ScimError(400, f"Filtering is not supported: filter.supported is false in "
                             f"/ServiceProviderConfig (filter: {text})", "invalidFilter")
    predicate, indexed = compile_query_filter(text, rs, provider, kind)
    if indexed is not None:
        return indexed
    return [r for r in provider.store.scan(kind) if predicate(provider.view(r))]


def compile_query_filter(
    text: str, rs: ResourceSchema, provider: Provider, kind: str
) -> tuple[Predicate, list[Record] | None]:
    """Parse and bind a filter; for `attr eq "v"` on an indexed attribute also the hits."""
    try:
        node = parse_filter(text)
        if "filter-eq-only" in provider.deviations and not _eq_only(node):
            raise FilterError("only eq comparisons joined by and are supported")
        predicate = compile_filter(node, rs)
        if "filter-first-value-only" in provider.deviations:
            predicate = _on_first_values(predicate)
    except FilterError as exc:
        if "bad-filter-500" in provider.deviations:
            raise RuntimeError(f"filter crashed the query builder: {exc}") from exc
        detail = f"{str(exc)[:1].upper()}{str(exc)[1:]} (filter: {text})"
        raise ScimError(400, detail, "invalidFilter") from exc
    hit = equality_lookup(node)
    if hit is not None and isinstance(hit[1], str) and hit[0].sub_attr is None:
        resolved = rs.resolve(hit[0].urn, hit[0].attr)
        if resolved is not None and resolved.container is None:
            found = provider.store.lookup(kind, resolved.attribute.name, hit[1])
            if found is not None:
                # The index folds case like the attribute's caseExact; re-check to be exact.
                return predicate, sorted(
                    (r for r in found if predicate(provider.view(r))), key=lambda r: r.seq
                )
    return predicate, None


def _on_first_values(predicate: Predicate) -> Predicate:
    """The filter-first-value-only bug: a multi-valued attribute is matched on its first value
    only (emails on the first email, as a server filtering one email column does)."""
    def first_values(data: Mapping[str, Any]) -> bool:
        return predicate({k: v[:1] if isinstance(v, list) and k != "schemas" else v for k, v in data.items()})
    return first_values


def _eq_only(node: Filter) -> bool:
    """The filter is `attr eq value` comparisons, optionally joined by `and` (filter-eq-only)."""
    if isinstance(node, And):
        return _eq_only(node.left) and _eq_only(node.right)
    return isinstance(node, Compare) and node.op == "eq"


def paginate(provider: Provider, records: list[Record], query: Query) -> Page:
    """Apply startIndex and count (RFC 7644 §3.4.2.4), capped by maxResults."""
    devs = provider.deviations
    start = query.start_index
    offset = start if "startindex-zero-based" in devs else start - 1
    limit = provider.max_results
    count = query.count if query.count is not None else limit
    if "max-results-ignored" not in devs:
        count = min(count, limit)
    if "count-ignored" in devs:
        count = len(records)
    return Page(len(records), start, records[offset : offset + count])


def sort_records(
    provider: Provider, records: list[Record], rs: ResourceSchema, sort_by: str, descending: bool
) -> list[Record]:
    """Sort by one attribute (RFC 7644 §3.4.2.3).

    Resources without a value "are ordered last if ascending and first if descending".
    """
    container, rest = rs.split(sort_by)
    attr, _, sub = rest.partition(".")
    resolved = rs.resolve(container, attr, sub or None)
    if resolved is None:
        raise ScimError(400, f"sortBy names an unknown attribute {sort_by!r}.", "invalidValue")
    leaf = resolved.leaf

    def key(rec: Record) -> Any:
        view = provider.view(rec)
        holder = view.get(resolved.container) if resolved.container else view
        value = _sort_value(holder, resolved.attribute.name, resolved.sub_attribute)
        if value is None:
            return None
        if leaf.type == "dateTime" and isinstance(value, str):
            return parse_datetime(value)
        return value.casefold() if isinstance(value, str) and not leaf.case_exact else value

    keyed = [(key(r), r) for r in records]
    present = [p for p in keyed if p[0] is not None]
    missing = [p[1] for p in keyed if p[0] is None]
    try:
        present.sort(key=lambda p: p[0], reverse=descending)
    except TypeError as exc:
        raise ScimError(
            400, f"sortBy {sort_by!r} has values that cannot be compared.", "invalidValue"
        ) from exc
    ordered = [p[1] for p in present]
    return missing + ordered if descending else ordered + missing


def _sort_value(holder: Any, name: str, sub: Any) -> Any:
    if not isinstance(holder, Mapping):
        return None
    value = holder.get(name)
    if isinstance(value, list):  # multi-valued: the primary value, else the first
        value = next(
            (v for v in value if isinstance(v, dict) and v.get("primary")), value[0] if value else None
        )
        if isinstance(value, dict) and sub is None:
            value = value.get("value")
    if sub is not None and isinstance(value, dict):
        value = value.get(sub.name)
    return value
