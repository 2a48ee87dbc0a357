"""What the provider's store holds and raises: records, member deltas, storage errors, the clocks
that stamp meta, the id sequences (random UUIDs, or counters under numeric-ids), and the view of a
record that filters and sorting read (EvalView)."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

USER = "User"
GROUP = "Group"


class StoreError(Exception):
    """Base of the storage errors; the HTTP layer maps each to a status."""


class NotFound(StoreError):
    pass


class Conflict(StoreError):
    pass


class InvalidReference(StoreError):
    pass


def utc_now() -> str:
    """Now as an RFC 3339 timestamp with milliseconds."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def offset_now() -> str:
    """Now with microseconds and a +01:00 offset: as valid an xsd:dateTime as utc_now()."""
    return datetime.now(timezone(timedelta(hours=1))).isoformat(timespec="microseconds")


def uuid_ids() -> Callable[[], str]:
    """Ids as random UUIDs."""
    return lambda: str(uuid.uuid4())


def counter_ids() -> Callable[[], str]:
    """Ids as decimal counters, one sequence for every kind (ids are unique across kinds)."""
    numbers = itertools.count(1)
    return lambda: str(next(numbers))


def opaque_ids(base: Callable[[], str]) -> Callable[[], str]:
    """The ids of base wrapped in characters a URI path must percent-encode (space, '#', '?', '%',
    non-ASCII) and sub-delims it may keep ('&', '='): RFC 7643 §3.1 lets an id be any string.
    No '/': the provider's routes take one path segment, and werkzeug decodes %2F before routing."""
    return lambda: f"acme #{base()}?x=1&y=100% \u00fc"


@dataclass(slots=True)
class Record:
    """One stored resource: client attributes plus what the server owns."""

    kind: str
    id: str
    data: dict[str, Any]
    created: str
    last_modified: str
    version: int
    seq: int = 0  # creation order, for stable listings

    @property
    def etag(self) -> str:
        return f'W/"{self.version}"'


@dataclass(frozen=True, slots=True)
class MemberDelta:
    """A change to one group's members: validated elements to append, member values to drop."""

    added: tuple[dict[str, Any], ...] = ()
    removed: frozenset[str] = frozenset()


class EvalView(Mapping[str, Any]):
    """A record seen as a resource for filters and sorting; meta and groups built on access."""

    __slots__ = ("_groups", "_rec", "_version")

    def __init__(self, rec: Record, groups: Callable[[str], list[dict[str, Any]]], version: str) -> None:
        self._rec = rec
        self._groups = groups
        self._version = version

    def __getitem__(self, key: str) -> Any:
        if key == "id":
            return self._rec.id
        if key == "meta":
            return {
                "resourceType": self._rec.kind,
                "created": self._rec.created,
                "lastModified": self._rec.last_modified,
                "version": self._version,
            }
        if key == "groups" and self._rec.kind == "User":
            return self._groups(self._rec.id) or None
        return self._rec.data[key]

    def __iter__(self) -> Iterator[str]:
        yield from ("id", "meta")
        yield from self._rec.data

    def __len__(self) -> int:
        return len(self._rec.data) + 2
