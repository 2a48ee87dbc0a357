"""Thread-safe in-memory storage of Users and Groups with O(1) indexes; knows nothing of HTTP.
Its records, errors, clocks and id sequences are in records.py.

Stored data is never changed in place: writes take ownership of the dict they are given and
later writes rebind it. Readers therefore get cheap snapshots that share data with the store
and must treat it as read-only.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from simulator.provider.records import (
    GROUP,
    USER,
    Conflict,
    InvalidReference,
    MemberDelta,
    NotFound,
    Record,
    utc_now,
    uuid_ids,
)


@dataclass(slots=True)
class _Table:
    """Records of one kind in insertion order, with secondary indexes."""

    records: dict[str, Record] = field(default_factory=dict)
    by_external_id: dict[str, set[str]] = field(default_factory=dict)
    by_name: dict[str, set[str]] = field(default_factory=dict)  # userName / displayName key
    by_email: dict[str, set[str]] = field(default_factory=dict)  # casefolded emails[].value (Users)


class Store:
    """Users and Groups; every public method is atomic under one lock."""

    def __init__(
        self,
        *,
        username_case_sensitive: bool = False,
        unique_usernames: bool = True,
        unique_emails: bool = False,
        keep_dangling_members: bool = False,
        touch_unchanged: bool = False,
        clock: Callable[[], str] = utc_now,
        new_id: Callable[[], str] | None = None,
    ) -> None:
        self._lock = threading.RLock()
        self._tables = {USER: _Table(), GROUP: _Table()}
        self._member_of: dict[str, set[str]] = {}  # member id -> ids of groups containing it
        self._versions = itertools.count(1)
        self._seq = itertools.count(1)
        self._clock = clock
        self._new_id = new_id or uuid_ids()
        self._fold_usernames = not username_case_sensitive
        self._unique_usernames = unique_usernames
        self._unique_emails = unique_emails  # the unique-emails condition; by_email is kept only then
        self._keep_dangling = keep_dangling_members
        # A write that changes nothing keeps lastModified and the version (RFC 7644 §3.5.2.1: a no-op
        # add "SHALL NOT change the modify timestamp"); touch_unchanged is the noop-patch-touches bug.
        self._touch_unchanged = touch_unchanged

    # -- reads ---------------------------------------------------------------------------
    def get(self, kind: str, rid: str) -> Record:
        """A snapshot of one record; NotFound when absent."""
        with self._lock:
            rec = self._tables[kind].records.get(rid)
            if rec is None:
                raise NotFound(f"{kind} {rid} not found")
            return _clone(rec)

    def peek(self, kind: str, rid: str) -> Record | None:
        """The live record, not a copy: for read-only use such as member display names."""
        with self._lock:
            return self._tables[kind].records.get(rid)

    def count(self, kind: str) -> int:
        with self._lock:
            return len(self._tables[kind].records)

    def scan(self, kind: str) -> list[Record]:
        """A snapshot of all records of kind, in creation order (records are not copied)."""
        with self._lock:
            return list(self._tables[kind].records.values())

    def lookup(self, kind: str, attr: str, value: str) -> list[Record] | None:
        """Index lookup for `attr eq value`; None when attr has no index."""
        with self._lock:
            table = self._tables[kind]
            if attr == "id":
                ids: set[str] | list[str] = [value] if value in table.records else []
            elif attr == "externalId":
                ids = table.by_external_id.get(value, set())
            elif attr == self._name_attr(kind):
                ids = table.by_name.get(self._name_key(kind, value), set())
            else:
                return None
            return [table.records[i] for i in ids]

    def groups_of(self, member_id: str) -> list[Record]:
        """Groups that list member_id directly, in creation order."""
        with self._lock:
            records = self._tables[GROUP].records
            found = (records[g] for g in self._member_of.get(member_id, ()) if g in records)
            return sorted(found, key=lambda rec: rec.seq)

    def exists(self, rid: str) -> str | None:
        """The kind of the resource with this id, or None."""
        with self._lock:
            for kind, table in self._tables.items():
                if rid in table.records:
                    return kind
            return None

    # -- writes --------------------------------------------------------------------------
    def create(self, kind: str, data: dict[str, Any]) -> Record:
        with self._lock:
            self._check_unique(kind, data, None)
            self._check_members(kind, data)
            now = self._clock()
            rec = Record(kind, self._new_id(), data, now, now, next(self._versions), next(self._seq))
            self._tables[kind].records[rec.id] = rec
            self._index(rec)
            return _clone(rec)

    def replace(
        self, kind: str, rid: str, data: dict[str, Any], *, if_version: Callable[[Record], None] | None = None
    ) -> Record:
        """Replace a record's client attributes; if_version may raise to veto (ETags)."""
        with self._lock:
            rec = self._require(kind, rid)
            if if_version is not None:
                if_version(rec)
            if data == rec.data and not self._touch_unchanged:
                return _clone(rec)
            self._check_unique(kind, data, rid)
            # The very same members list (a PATCH that left it alone) was checked and indexed already.
            members_changed = data.get("members") is not rec.data.get("members")
            if members_changed:
                self._check_members(kind, data)
            self._unindex(rec, members=members_changed)
            rec.data = data
            self._touch(rec)
            self._index(rec, members=members_changed)
            return _clone(rec)

    def update(
        self,
        kind: str,
        rid: str,
        change: Callable[[Record], dict[str, Any]],
        *,
        if_version: Callable[[Record], None] | None = None,
    ) -> Record:
        """Read-modify-write under the lock: change(current copy) returns the new data."""
        with self._lock:
            current = self.get(kind, rid)
            if if_version is not None:
                if_version(current)
            return self.replace(kind, rid, change(current))

    def update_members(
        self,
        gid: str,
        change: Callable[[Record, Callable[[str], bool]], MemberDelta | None],
        *,
        if_version: Callable[[Record], None] | None = None,
    ) -> Record | None:
        """Change a group's members by a delta, in time that grows with the delta, not the group.

        change(current copy, is_member) returns the delta, or None to leave the group untouched
        (the caller then takes the general path); is_member answers from the member index.
        """
        with self._lock:
            rec = self._require(GROUP, gid)
            if if_version is not None:
                if_version(rec)
            delta = change(_clone(rec), lambda value: gid in self._member_of.get(value, ()))
            if delta is None:
                return None
            if not delta.added and not delta.removed and not self._touch_unchanged:
                return _clone(rec)
            added = self._typed_members(delta.added)
            members = rec.data.get("members") or []
            if delta.removed:
                members = [m for m in members if str(m["value"]) not in delta.removed]
            data = dict(rec.data)  # rebind, never mutate: readers may hold the old dict
            data["members"] = members + added
            if not data["members"]:
                del data["members"]
            for value in delta.removed:
                _discard(self._member_of, value, gid)
            for member in added:
                self._member_of.setdefault(str(member["value"]), set()).add(gid)
            rec.data = data
            self._touch(rec)
            return _clone(rec)

    def delete(self, kind: str, rid: str, *, if_version: Callable[[Record], None] | None = None) -> None:
        with self._lock:
            rec = self._require(kind, rid)
            if if_version is not None:
                if_version(rec)
            self._unindex(rec)
            del self._tables[kind].records[rid]
            if self._keep_dangling:
                return
            for gid in list(self._member_of.pop(rid, set())):
                self._drop_member(gid, rid)

    # -- internals -----------------------------------------------------------------------
    def _require(self, kind: str, rid: str) -> Record:
        rec = self._tables[kind].records.get(rid)
        if rec is None:
            raise NotFound(f"{kind} {rid} not found")
        return rec

    @staticmethod
    def _name_attr(kind: str) -> str:
        return "userName" if kind == USER else "displayName"

    def _name_key(self, kind: str, value: str) -> str:
        if kind == USER and not self._fold_usernames:
            return value
        return value.casefold()

    def _check_unique(self, kind: str, data: dict[str, Any], rid: str | None) -> None:
        if kind != USER:
            return
        name = data.get("userName")
        if self._unique_usernames and isinstance(name, str):
            holders = self._tables[USER].by_name.get(self._name_key(USER, name), set()) - {rid}
            if holders:
                raise Conflict(f"userName {name!r} is already taken")
        if self._unique_emails:
            for email in _email_keys(data):
                if self._tables[USER].by_email.get(email, set()) - {rid}:
                    raise Conflict(f"email {email!r} is already taken by another user")

    def _check_members(self, kind: str, data: dict[str, Any]) -> None:
        if kind == GROUP and data.get("members"):
            data["members"] = self._typed_members(data["members"])

    def _typed_members(self, members: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """Every member must exist; its type is what it is, whatever the client said."""
        checked = []
        for member in members:
            found = self.exists(str(member.get("value")))
            if found is None:
                raise InvalidReference(f"member {member.get('value')!r} does not exist")
            checked.append({**member, "type": found})
        return checked

    def _touch(self, rec: Record) -> None:
        """A write happened: new lastModified and version (ETag)."""
        rec.last_modified = self._clock()
        rec.version = next(self._versions)

    def _keys(self, rec: Record, members: bool) -> Iterator[tuple[dict[str, set[str]], str]]:
        """Each index that lists rec, with rec's key in it (a group's members: when members)."""
        table = self._tables[rec.kind]
        ext = rec.data.get("externalId")
        if isinstance(ext, str):
            yield table.by_external_id, ext
        name = rec.data.get(self._name_attr(rec.kind))
        if isinstance(name, str):
            yield table.by_name, self._name_key(rec.kind, name)
        if rec.kind == USER and self._unique_emails:
            for email in _email_keys(rec.data):
                yield table.by_email, email
        for member in rec.data.get("members") or () if rec.kind == GROUP and members else ():
            yield self._member_of, str(member["value"])

    def _index(self, rec: Record, members: bool = True) -> None:
        for index, key in self._keys(rec, members):
            index.setdefault(key, set()).add(rec.id)

    def _unindex(self, rec: Record, members: bool = True) -> None:
        for index, key in self._keys(rec, members):
            _discard(index, key, rec.id)

    def _drop_member(self, gid: str, member_id: str) -> None:
        group = self._tables[GROUP].records.get(gid)
        if group is None:
            return
        # Rebind rather than mutate: readers may be iterating the old dict without the lock.
        data = {k: v for k, v in group.data.items() if k != "members"}
        members = [m for m in group.data.get("members", []) if m["value"] != member_id]
        if members:
            data["members"] = members
        group.data = data
        self._touch(group)


def _email_keys(data: dict[str, Any]) -> set[str]:
    """The user's emails[].value strings, casefolded (emails compare case-insensitively)."""
    emails = data.get("emails")
    if not isinstance(emails, list):
        return set()
    return {e["value"].casefold() for e in emails if isinstance(e, dict) and isinstance(e.get("value"), str)}


def _discard(index: dict[str, set[str]], key: str, rid: str) -> None:
    ids = index.get(key)
    if ids is not None:
        ids.discard(rid)
        if not ids:
            del index[key]


def _clone(rec: Record) -> Record:
    return Record(rec.kind, rec.id, rec.data, rec.created, rec.last_modified, rec.version, rec.seq)
