"""Cursor-based pagination (RFC 9865): signed, opaque cursors tied to the query they page.

A cursor names one record of the result it came from (the last of its page for nextCursor, the
first for previousCursor) and the page continues after (or ends before) that record, wherever it
is now: resources created or deleted between two pages shift no offset. Where that record is gone,
the first one created after it takes its place (lists in creation order), else its old position.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator.provider.errors import ScimError
from simulator.provider.records import Record

if TYPE_CHECKING:
    from simulator.provider.listing import Query
    from simulator.provider.service import Provider

CURSOR_TIMEOUT = 3600  # seconds: pagination.cursorTimeout
_MAC_BYTES = 16
_URL_SAFE = re.compile(r"[A-Za-z0-9_-]+")
_STANDARD = re.compile(r"[A-Za-z0-9+/]+=*")


@dataclass(frozen=True, slots=True)
class Mark:
    """Where a cursor points: after (forward) or before one record, at offset when it was issued."""

    forward: bool
    rid: str
    seq: int
    offset: int
    count: int | None  # the count of the query it pages (RFC 9865 §2.1 invalidCount)


@dataclass(frozen=True, slots=True)
class CursorPage:
    total: int | None  # None: omitted (the cursor-omits-total condition, RFC 9865 §2)
    records: list[Record]
    next: str | None
    previous: str | None


class CursorCodec:
    """Issues and reads cursors: a JSON mark, HMAC-signed with a key of this provider instance."""

    def __init__(self, timeout: int = CURSOR_TIMEOUT, clock: Callable[[], float] = time.time) -> None:
        self._key = secrets.token_bytes(32)
        self.timeout = timeout
        self._clock = clock

    def issue(self, query_key: str, mark: Mark, *, padded: bool = False) -> str:
        """A cursor for mark; padded: standard base64 with '+', '/' and '=' (the
        cursor-base64-padded bug), else base64url without padding (RFC 3986 §2.3 unreserved)."""
        payload = [query_key, int(mark.forward), mark.rid, mark.seq, mark.offset, mark.count,
                   int(self._clock())]
        raw = json.dumps(payload, separators=(",", ":")).encode()
        if padded:
            raw += b" " * ((1 - len(self._mac(raw)) - len(raw)) % 3)  # always ends '==': never url-safe
            return base64.b64encode(self._mac(raw) + raw).decode()
        return base64.urlsafe_b64encode(self._mac(raw) + raw).decode().rstrip("=")

    def read(self, token: str, query_key: str, *, padded: bool = False) -> Mark:
        """The mark of a cursor this codec issued for the same query; 400 invalidCursor for any
        other value, 400 expiredCursor past the timeout (RFC 9865 §2.1)."""
        data = self._decode(token, padded)
        if data is None or len(data) <= _MAC_BYTES:
            raise _invalid("it was not issued by this service provider")
        mac, raw = data[:_MAC_BYTES], data[_MAC_BYTES:]
        if not hmac.compare_digest(mac, self._mac(raw)):
            raise _invalid("it was not issued by this service provider")
        key, forward, rid, seq, offset, count, issued = json.loads(raw)
        if key != query_key:
            raise _invalid("it belongs to another query: every parameter but cursor must be the "
                           "same as in the request that returned it")
        if self._clock() - issued > self.timeout:
            raise ScimError(400, f"Cursor has expired: cursors are valid for {self.timeout} seconds "
                                 "(pagination.cursorTimeout).", "expiredCursor")
        return Mark(bool(forward), rid, seq, offset, count)

    def _mac(self, raw: bytes) -> bytes:
        return hmac.new(self._key, raw, hashlib.sha256).digest()[:_MAC_BYTES]

    @staticmethod
    def _decode(token: str, padded: bool) -> bytes | None:
        if not (_STANDARD if padded else _URL_SAFE).fullmatch(token):
            return None
        try:
            if padded:
                data = base64.b64decode(token, validate=True)
                canonical = base64.b64encode(data).decode()
            else:
                data = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
                canonical = base64.urlsafe_b64encode(data).decode().rstrip("=")
        except (binascii.Error, ValueError):
            return None
        return data if canonical == token else None  # one spelling per cursor


def _invalid(why: str) -> ScimError:
    return ScimError(400, f"Cursor value is invalid: {why}. Send an empty cursor for the first page, "
                          "then the nextCursor or previousCursor of a response.", "invalidCursor")


def query_key(kinds: Sequence[str], query: Query) -> str:
    """What ties a cursor to its query: the endpoint, filter and sort (RFC 9865 §2: "all query
    parameters and values being identical to the initial query with the exception of the cursor")."""
    text = json.dumps([list(kinds), query.filter, query.sort_by, query.descending])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def cursor_page(provider: Provider, kinds: Sequence[str], query: Query, records: list[Record]) -> CursorPage:
    """One page of records (in result order) for query.cursor: "" is the first page."""
    devs = provider.deviations
    codec: CursorCodec = provider.cursors
    padded = "cursor-base64-padded" in devs
    key = query_key(kinds, query)
    count = query.count if query.count is not None else provider.max_results
    if "max-page-size-ignored" not in devs:
        count = min(count, provider.max_results)
    mark = _read(codec, query, key, padded, devs.active)
    forward_only = bool({"cursor-skips-boundary-record", "cursor-repeats-boundary-record"} & devs.active)
    start, end = _bounds(records, mark, count, _creation_order(provider, kinds, query))
    if mark is not None and mark.forward:
        start += ("cursor-skips-boundary-record" in devs) - ("cursor-repeats-boundary-record" in devs)
        start = max(0, min(start, len(records)))
        end = min(start + count, len(records))
    page = records[start:end]

    def issue(forward: bool, rec: Record, offset: int) -> str:
        return codec.issue(key, Mark(forward, rec.id, rec.seq, offset, query.count), padded=padded)

    nxt = issue(True, page[-1], end - 1) if page and end < len(records) else None
    prev = issue(False, page[0], start) if page and start > 0 and not forward_only else None
    if "previous-cursor-echoes-request" in devs and query.cursor:
        prev = query.cursor
    if "previous-cursor-on-first-page" in devs and not query.cursor and page:
        prev = issue(False, page[0], start)
    total = None if "cursor-omits-total" in devs else len(records)  # RFC 9865 §2: MAY omit
    return CursorPage(total, page, nxt, prev)


def _read(codec: CursorCodec, query: Query, key: str, padded: bool, devs: frozenset[str]) -> Mark | None:
    if not query.cursor:
        return None
    try:
        mark = codec.read(query.cursor, key, padded=padded)
    except ScimError:
        if "forged-cursor-restarts" in devs:
            return None  # the bug: a cursor it cannot read starts the query over
        raise
    if mark.count != query.count:
        raise ScimError(400, f"Count value is invalid: it must be the count of the initial query "
                             f"({mark.count}), not {query.count}.", "invalidCount")
    return mark


def _creation_order(provider: Provider, kinds: Sequence[str], query: Query) -> bool:
    """Whether the result is in creation order, so a gone record's successor is the next seq."""
    return len(kinds) == 1 and not query.sort_by and "unsorted-lists" not in provider.deviations


def _bounds(records: list[Record], mark: Mark | None, count: int, by_seq: bool) -> tuple[int, int]:
    """The slice [start, end) of records that the page after (or before) mark holds."""
    if mark is None:
        return 0, min(count, len(records))
    at = _locate(records, mark, by_seq)
    if mark.forward:
        start = at + 1 if at < len(records) and records[at].id == mark.rid else at
        return start, min(start + count, len(records))
    return max(0, at - count), at


def _locate(records: list[Record], mark: Mark, by_seq: bool) -> int:
    """The index of mark's record; where it is gone, of the record that now stands in its place."""
    for i, rec in enumerate(records):
        if rec.id == mark.rid:
            return i
    if by_seq:
        return next((i for i, rec in enumerate(records) if rec.seq > mark.seq), len(records))
    return min(mark.offset + (1 if mark.forward else 0), len(records))


def pagination_config(provider: Provider) -> dict[str, Any]:
    """The /ServiceProviderConfig pagination block (RFC 9865 §4), as the provider behaves."""
    devs = provider.deviations
    flag: Any = "true" if "pagination-flags-as-strings" in devs else True
    only = "cursor-only" in devs  # RFC 9865 §2.3
    return {
        "cursor": flag,
        "index": False if only else flag,
        "defaultPaginationMethod": "cursor" if only else "index",
        "defaultPageSize": provider.max_results,
        "maxPageSize": provider.max_results,
        "cursorTimeout": 0 if "cursor-timeout-zero" in devs else provider.cursors.timeout,
    }
