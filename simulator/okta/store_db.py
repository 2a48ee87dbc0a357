"""The org file: its schema and migrations, the checks before SQLite opens it, and the one
connection (with its lock and transactions) that every table mixin of OrgStore shares.

One connection guarded by a re-entrant lock (`:memory:` needs the single connection, and
admin calls are few); `transaction()` holds the lock and commits or rolls back as a unit.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY, login TEXT NOT NULL UNIQUE COLLATE NOCASE, profile TEXT NOT NULL,
  status TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS groups (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL,
  created TEXT NOT NULL, updated TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS members (
  group_id TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (group_id, user_id));
CREATE TABLE IF NOT EXISTS apps (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL, sign_on_mode TEXT NOT NULL,
  connection TEXT NOT NULL, instance TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS app_users (
  app_id TEXT NOT NULL, user_id TEXT NOT NULL, scope TEXT NOT NULL, scim_id TEXT,
  user_name TEXT, profile TEXT NOT NULL, status TEXT NOT NULL, sync_state TEXT NOT NULL,
  created TEXT NOT NULL, updated TEXT NOT NULL, PRIMARY KEY (app_id, user_id));
CREATE TABLE IF NOT EXISTS app_groups (
  app_id TEXT NOT NULL, group_id TEXT NOT NULL, priority INTEGER NOT NULL, created TEXT NOT NULL,
  PRIMARY KEY (app_id, group_id));
CREATE TABLE IF NOT EXISTS push_mappings (
  id TEXT PRIMARY KEY, app_id TEXT NOT NULL, source_group_id TEXT NOT NULL, target_scim_id TEXT,
  target_name TEXT NOT NULL, status TEXT NOT NULL, error TEXT, created TEXT NOT NULL,
  updated TEXT NOT NULL, last_push TEXT);
CREATE TABLE IF NOT EXISTS tasks (
  id TEXT PRIMARY KEY, app_id TEXT NOT NULL, object_id TEXT NOT NULL, action TEXT NOT NULL,
  error TEXT NOT NULL, failed_step TEXT, status TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS logs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, uuid TEXT NOT NULL, published TEXT NOT NULL,
  event_type TEXT NOT NULL, result TEXT NOT NULL, reason TEXT, message TEXT NOT NULL,
  app_id TEXT, object_id TEXT, step TEXT, exchange TEXT);
CREATE TABLE IF NOT EXISTS passwords (
  user_id TEXT PRIMARY KEY, hash TEXT NOT NULL, changed TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS import_seen (
  app_id TEXT NOT NULL, kind TEXT NOT NULL, scim_id TEXT NOT NULL, fingerprint TEXT NOT NULL,
  PRIMARY KEY (app_id, kind, scim_id));
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_ADDED: Final = (  # columns added after the first release: (table, column, type), see _migrate
    ("logs", "targets", "TEXT"),
    ("tasks", "attempts", "INTEGER NOT NULL DEFAULT 0"),
    ("tasks", "retry_at", "TEXT"),
)
_TABLES: Final = frozenset(re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", _SCHEMA))


class OrgFileError(Exception):
    """The org file cannot be used: one sentence saying why and what to do."""


_LAST_NOW = [datetime.min.replace(tzinfo=UTC)]
_NOW_LOCK = threading.Lock()


def now() -> str:
    """Okta's timestamp format: ISO 8601 UTC with milliseconds, strictly increasing in this
    process: lists sort by `created`, so records made in one millisecond keep the order they were
    made in (by id they came out in random order, unlike Okta's lists)."""
    with _NOW_LOCK:
        moment = datetime.now(UTC)
        moment = max(moment.replace(microsecond=moment.microsecond // 1000 * 1000),
                     _LAST_NOW[0] + timedelta(milliseconds=1))
        _LAST_NOW[0] = moment
    return stamp(moment)


def stamp(moment: datetime) -> str:
    """A UTC moment in Okta's timestamp format (it sorts as the moments do)."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_stamp(text: str) -> datetime:
    """The UTC moment of a `stamp()` text."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def _check_path(path: str) -> None:
    """Refuse paths SQLite would only answer with 'unable to open database file'."""
    if path == ":memory:" or path.startswith("file:"):
        return
    file = Path(path)
    if file.is_dir():
        raise OrgFileError(f"{path} is a folder; give a file in it, such as {file / 'org.db'}")
    if not file.parent.is_dir():
        raise OrgFileError(f"the folder {file.parent} does not exist; create it or give another path")


def _why_unusable(path: str, exc: sqlite3.DatabaseError) -> str:
    if "not a database" in str(exc):
        return f"{path} is not an SQLite database; give a new file name or an org file the simulator wrote"
    return f"cannot use {path} as the org database ({exc}); check its permissions or give another path"


def _user_tables(db: sqlite3.Connection) -> set[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return {r[0] for r in rows}


class StoreCore:
    """The open org file; the table mixins add the methods that read and write its rows."""

    def __init__(self, path: str = ":memory:") -> None:
        """Open (or create) the org file; OrgFileError when it cannot be one."""
        self.path = path
        self._lock = threading.RLock()
        _check_path(path)
        self._depth = 0
        try:
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        except sqlite3.DatabaseError as exc:
            raise OrgFileError(_why_unusable(path, exc)) from exc
        try:
            self._open()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise OrgFileError(_why_unusable(path, exc)) from exc
        except OrgFileError:
            self._db.close()
            raise

    def _open(self) -> None:
        self._db.row_factory = sqlite3.Row
        foreign = sorted(_user_tables(self._db) - _TABLES)
        if foreign:  # never add the org's tables to somebody else's database
            raise OrgFileError(
                f"{self.path} is an SQLite database of something else (tables {', '.join(foreign[:5])}); "
                "give a new file name or an org file the simulator wrote"
            )
        if self.path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")  # WAL keeps it crash-safe, and fast
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(_SCHEMA)
        self._migrate()

    def _migrate(self) -> None:
        """Bring an org file written by an earlier scimcert up to this schema."""
        for table, column, kind in _ADDED:
            columns = {r["name"] for r in self._db.execute(f"PRAGMA table_info({table})")}
            if column not in columns:
                self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def admin_token(self, given: str | None, new: Callable[[], str]) -> str:
        """The org's API token: `given` replaces the stored one; else the stored one, else a new one."""
        with self.transaction():
            row = self._db.execute("SELECT value FROM settings WHERE key = 'admin_token'").fetchone()
            token = given or (row["value"] if row else new())
            self._db.execute("INSERT OR REPLACE INTO settings VALUES ('admin_token', ?)", (token,))
            return token

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the lock; the outermost level commits, or rolls back on an exception."""
        with self._lock:
            self._depth += 1
            if self._depth == 1:
                self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                if self._depth == 1:
                    self._db.execute("ROLLBACK")
                raise
            else:
                if self._depth == 1:
                    self._db.execute("COMMIT")
            finally:
                self._depth -= 1

    def _run(self, sql: str, *args: Any) -> sqlite3.Cursor:
        with self.transaction():
            return self._db.execute(sql, args)

    def _all(self, sql: str, *args: Any) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def _one(self, sql: str, *args: Any) -> sqlite3.Row | None:
        with self._lock:
            row: sqlite3.Row | None = self._db.execute(sql, args).fetchone()
            return row
