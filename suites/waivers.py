"""Waivers: known failures of a target, accepted by check id with a reason (and maybe an expiry)."""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from suites.config import HarnessError


@dataclass(frozen=True, slots=True)
class Waiver:
    id: str
    reason: str
    expires: date | None = None

    def active(self, today: date) -> bool:
        return self.expires is None or today <= self.expires


@dataclass(frozen=True, slots=True)
class Waivers:
    """The waivers of one run, by check id."""

    items: tuple[Waiver, ...] = ()
    source: Path | None = None

    def get(self, check_id: str) -> Waiver | None:
        return next((w for w in self.items if w.id == check_id), None)

    def check_ids(self, known: Collection[str]) -> None:
        """HarnessError for the first waiver whose id names no check: it would never apply."""
        for waiver in self.items:
            if waiver.id not in known:
                close = difflib.get_close_matches(waiver.id.upper(), known, n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                raise HarnessError(f"{self.source}: waiver id {waiver.id!r} names no check{hint}; "
                                   "'scimcert checks' lists the ids")

    @classmethod
    def load(cls, path: Path | None) -> Waivers:
        """Read [[waiver]] tables (id, reason, optional expires = YYYY-MM-DD)."""
        if path is None:
            return cls()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise HarnessError(f"cannot read waivers {path}: {exc}") from exc
        stray = sorted(set(data) - {"waiver"})
        if stray:  # e.g. [[waivers]]: its waivers would silently never apply
            raise HarnessError(f"{path}: unexpected {stray[0]!r}; each waiver is a [[waiver]] table "
                               "with id, reason and optional expires")
        raw = data.get("waiver", [])
        if not isinstance(raw, list):
            raise HarnessError(f"{path}: waivers are [[waiver]] tables")
        items = tuple(_waiver(entry, path, n) for n, entry in enumerate(raw, 1))
        _refuse_twice(items, path)
        return cls(items, path)


def _refuse_twice(items: tuple[Waiver, ...], path: Path) -> None:
    """HarnessError for a check id waived twice: one waiver would silently replace the other."""
    seen: dict[str, int] = {}
    for n, waiver in enumerate(items, 1):
        first = seen.setdefault(waiver.id, n)
        if first != n:
            raise HarnessError(f"{path}: waivers #{first} and #{n} both waive {waiver.id}; "
                               "keep one [[waiver]] per check id")


def _waiver(entry: object, path: Path, n: int) -> Waiver:
    where = f"{path}: waiver #{n}"
    if not isinstance(entry, dict):
        raise HarnessError(f"{where} must be a table")
    check_id, reason, expires = entry.get("id"), entry.get("reason"), entry.get("expires")
    if not isinstance(check_id, str) or not check_id:
        raise HarnessError(f"{where} needs an id")
    if not isinstance(reason, str) or not reason.strip():
        raise HarnessError(f"{where} ({check_id}) needs a reason")
    if expires is not None and not isinstance(expires, date):
        raise HarnessError(f"{where} ({check_id}): expires must be a date like 2027-01-31, without quotes")
    if isinstance(expires, datetime):  # a waiver lasts whole days: a time of day would be ignored
        raise HarnessError(f"{where} ({check_id}): expires is a day, without a time; write "
                           f"expires = {expires.date().isoformat()} (the waiver applies through that day)")
    unknown = set(entry) - {"id", "reason", "expires"}
    if unknown:
        raise HarnessError(f"{where} ({check_id}): unknown key {sorted(unknown)[0]!r}")
    return Waiver(check_id, reason.strip(), expires)
