"""The simulated Okta org in SQLite: people, groups, apps, assignments, push mappings, tasks, log.

One connection guarded by a re-entrant lock (`:memory:` needs the single connection, and
admin calls are few); `transaction()` holds the lock and commits or rolls back as a unit.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from simulator.okta.codec import app_from_json, app_to_json
from simulator.okta.model import AppInstance, AppUser, OktaGroup, OktaUser

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
_TABLES: Final = frozenset(re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", _SCHEMA))


class OrgFileError(Exception):
    """The org file cannot be used: one sentence saying why and what to do."""


def now() -> str:
    """Okta's timestamp format: ISO 8601 UTC with milliseconds."""
    stamp = datetime.now(UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"


@dataclass(frozen=True, slots=True)
class UserRec:
    id: str
    profile: dict[str, Any]
    status: str
    created: str
    updated: str

    @property
    def okta(self) -> OktaUser:
        return OktaUser(self.id, self.profile, self.status)


@dataclass(frozen=True, slots=True)
class GroupRec:
    id: str
    name: str
    description: str
    created: str
    updated: str

    @property
    def okta(self) -> OktaGroup:
        return OktaGroup(self.id, self.name, self.description)


@dataclass(frozen=True, slots=True)
class AppRec:
    name: str
    status: str
    sign_on_mode: str
    connection: str  # ENABLED | DISABLED (the provisioning connection, okta-admin-api.md §5)
    instance: AppInstance
    created: str
    updated: str

    @property
    def id(self) -> str:
        return self.instance.id


@dataclass(frozen=True, slots=True)
class AppUserRec:
    app_id: str
    user_id: str
    scope: str  # USER (direct) or GROUP
    scim_id: str | None
    user_name: str | None
    profile: dict[str, Any]
    status: str  # PROVISIONED, DEPROVISIONED (kept so re-assignment reactivates), STAGED
    sync_state: str  # SYNCHRONIZED, ERROR
    created: str
    updated: str

    @property
    def model(self) -> AppUser:
        if self.scope == "GROUP":
            return AppUser(self.user_id, self.scim_id, self.user_name, self.profile, "GROUP")
        return AppUser(self.user_id, self.scim_id, self.user_name, self.profile, "USER")


@dataclass(frozen=True, slots=True)
class AppGroupRec:
    """A group assigned to an app, with its priority (okta-admin-api.md §8)."""

    app_id: str
    group_id: str
    priority: int
    created: str


@dataclass(frozen=True, slots=True)
class PushRec:
    id: str
    app_id: str
    source_group_id: str
    target_scim_id: str | None
    target_name: str
    status: str  # ACTIVE, INACTIVE, ERROR
    error: str | None
    created: str
    updated: str
    last_push: str | None


@dataclass(frozen=True, slots=True)
class TaskRec:
    id: str
    app_id: str
    object_id: str
    action: str
    error: str
    failed_step: str | None
    status: str
    created: str


@dataclass(frozen=True, slots=True)
class LogRec:
    seq: int
    uuid: str
    published: str
    event_type: str
    result: str
    reason: str | None
    message: str
    app_id: str | None
    object_id: str | None
    step: str | None  # the SCIM step of a provisioning entry; None for an admin action's event
    exchange: dict[str, Any] | None
    targets: tuple[dict[str, str], ...] | None = None  # an admin action's event: what it acted on


@dataclass(frozen=True, slots=True)
class PasswordRec:
    """A user's Okta password: only a salted hash is kept (okta-admin-api.md §2.1: never returned)."""

    user_id: str
    hash: str
    changed: str


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


def _user(r: sqlite3.Row) -> UserRec:
    return UserRec(r["id"], json.loads(r["profile"]), r["status"], r["created"], r["updated"])


def _app(r: sqlite3.Row) -> AppRec:
    inst = app_from_json(json.loads(r["instance"]))
    return AppRec(
        r["name"], r["status"], r["sign_on_mode"], r["connection"], inst, r["created"], r["updated"]
    )


def _app_user(r: sqlite3.Row) -> AppUserRec:
    values = dict(r)
    values["profile"] = json.loads(values["profile"])
    return AppUserRec(**values)


def _log(r: sqlite3.Row) -> LogRec:
    values = dict(r)
    values["exchange"] = json.loads(values["exchange"]) if values["exchange"] else None
    values["targets"] = tuple(json.loads(values["targets"])) if values.get("targets") else None
    return LogRec(**values)


class OrgStore:
    """Org state; every method is atomic, and `transaction()` groups several."""

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
        columns = {r["name"] for r in self._db.execute("PRAGMA table_info(logs)")}
        if "targets" not in columns:
            self._db.execute("ALTER TABLE logs ADD COLUMN targets TEXT")

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

    # ---- people and groups -------------------------------------------------------------------

    def put_user(self, user: UserRec) -> None:
        """Insert or replace; raises sqlite3.IntegrityError on a duplicate login."""
        login = str(user.profile.get("login", ""))
        self._run(
            "INSERT OR REPLACE INTO users VALUES (?,?,?,?,?,?)",
            user.id, login, json.dumps(user.profile), user.status, user.created, user.updated,
        )  # fmt: skip

    def user(self, key: str) -> UserRec | None:
        """By id or login (okta-admin-api.md §2.3)."""
        row = self._one("SELECT * FROM users WHERE id = ? OR login = ?", key, key)
        return _user(row) if row else None

    def users(self) -> list[UserRec]:
        return [_user(r) for r in self._all("SELECT * FROM users ORDER BY created, id")]

    def put_group(self, group: GroupRec) -> None:
        g = group
        self._run(
            "INSERT OR REPLACE INTO groups VALUES (?,?,?,?,?)",
            g.id,
            g.name,
            g.description,
            g.created,
            g.updated,
        )

    def group(self, group_id: str) -> GroupRec | None:
        row = self._one("SELECT * FROM groups WHERE id = ?", group_id)
        return GroupRec(**dict(row)) if row else None

    def groups(self) -> list[GroupRec]:
        return [GroupRec(**dict(r)) for r in self._all("SELECT * FROM groups ORDER BY created, id")]

    def delete_user(self, user_id: str) -> None:
        """Remove a person with its memberships, assignments and password; tasks and log stay."""
        with self.transaction():
            for table in ("members", "app_users", "passwords"):
                self._db.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))
            self._db.execute("DELETE FROM users WHERE id = ?", (user_id,))

    def delete_group(self, group_id: str) -> None:
        """Remove a group with its memberships and app assignments (push mappings are the caller's)."""
        with self.transaction():
            for table in ("members", "app_groups"):
                self._db.execute(f"DELETE FROM {table} WHERE group_id = ?", (group_id,))
            self._db.execute("DELETE FROM groups WHERE id = ?", (group_id,))

    def delete_app(self, app_id: str) -> None:
        """Remove an app with its assignments, push mappings, tasks and import state; its log stays."""
        with self.transaction():
            for table in ("app_users", "app_groups", "push_mappings", "tasks", "import_seen"):
                self._db.execute(f"DELETE FROM {table} WHERE app_id = ?", (app_id,))
            self._db.execute("DELETE FROM apps WHERE id = ?", (app_id,))

    def add_member(self, group_id: str, user_id: str) -> bool:
        """True when the user was not a member yet."""
        cur = self._run("INSERT OR IGNORE INTO members VALUES (?,?)", group_id, user_id)
        return cur.rowcount == 1

    def remove_member(self, group_id: str, user_id: str) -> bool:
        cur = self._run("DELETE FROM members WHERE group_id = ? AND user_id = ?", group_id, user_id)
        return cur.rowcount == 1

    def member_ids(self, group_id: str) -> list[str]:
        rows = self._all("SELECT user_id FROM members WHERE group_id = ? ORDER BY rowid", group_id)
        return [r["user_id"] for r in rows]

    def groups_of(self, user_id: str) -> list[str]:
        return [r["group_id"] for r in self._all("SELECT group_id FROM members WHERE user_id = ?", user_id)]

    # ---- apps and assignments ----------------------------------------------------------------

    def put_app(self, app: AppRec) -> None:
        a = app
        self._run(
            "INSERT OR REPLACE INTO apps VALUES (?,?,?,?,?,?,?,?)",
            a.id, a.name, a.status, a.sign_on_mode, a.connection,
            json.dumps(app_to_json(a.instance)), a.created, a.updated,
        )  # fmt: skip

    def app(self, app_id: str) -> AppRec | None:
        row = self._one("SELECT * FROM apps WHERE id = ?", app_id)
        return _app(row) if row else None

    def apps(self) -> list[AppRec]:
        return [_app(r) for r in self._all("SELECT * FROM apps ORDER BY created, id")]

    def put_app_user(self, au: AppUserRec) -> None:
        self._run(
            "INSERT OR REPLACE INTO app_users VALUES (?,?,?,?,?,?,?,?,?,?)",
            au.app_id, au.user_id, au.scope, au.scim_id, au.user_name, json.dumps(au.profile),
            au.status, au.sync_state, au.created, au.updated,
        )  # fmt: skip

    def app_user(self, app_id: str, user_id: str) -> AppUserRec | None:
        row = self._one("SELECT * FROM app_users WHERE app_id = ? AND user_id = ?", app_id, user_id)
        return _app_user(row) if row else None

    def app_users(self, app_id: str | None = None, user_id: str | None = None) -> list[AppUserRec]:
        rows = self._all(
            "SELECT * FROM app_users WHERE (?1 IS NULL OR app_id = ?1) AND (?2 IS NULL OR user_id = ?2)"
            " ORDER BY created, user_id",
            app_id, user_id,
        )  # fmt: skip
        return [_app_user(r) for r in rows]

    def assign_app_group(self, app_id: str, group_id: str, priority: int) -> None:
        self._run("INSERT OR REPLACE INTO app_groups VALUES (?,?,?,?)", app_id, group_id, priority, now())

    def unassign_app_group(self, app_id: str, group_id: str) -> bool:
        cur = self._run("DELETE FROM app_groups WHERE app_id = ? AND group_id = ?", app_id, group_id)
        return cur.rowcount == 1

    def app_groups(self, app_id: str) -> list[AppGroupRec]:
        rows = self._all("SELECT * FROM app_groups WHERE app_id = ? ORDER BY created, group_id", app_id)
        return [AppGroupRec(**dict(r)) for r in rows]

    def app_group_ids(self, app_id: str) -> list[str]:
        rows = self._all("SELECT group_id FROM app_groups WHERE app_id = ? ORDER BY created", app_id)
        return [r["group_id"] for r in rows]

    def apps_of_group(self, group_id: str) -> list[str]:
        return [r["app_id"] for r in self._all("SELECT app_id FROM app_groups WHERE group_id = ?", group_id)]

    # ---- group push, tasks, log --------------------------------------------------------------

    def put_push(self, p: PushRec) -> None:
        self._run(
            "INSERT OR REPLACE INTO push_mappings VALUES (?,?,?,?,?,?,?,?,?,?)",
            p.id, p.app_id, p.source_group_id, p.target_scim_id, p.target_name, p.status,
            p.error, p.created, p.updated, p.last_push,
        )  # fmt: skip

    def push(self, mapping_id: str) -> PushRec | None:
        row = self._one("SELECT * FROM push_mappings WHERE id = ?", mapping_id)
        return PushRec(**dict(row)) if row else None

    def pushes(self, app_id: str | None = None, group_id: str | None = None) -> list[PushRec]:
        rows = self._all(
            "SELECT * FROM push_mappings WHERE (?1 IS NULL OR app_id = ?1)"
            " AND (?2 IS NULL OR source_group_id = ?2) ORDER BY created, id",
            app_id, group_id,
        )  # fmt: skip
        return [PushRec(**dict(r)) for r in rows]

    def delete_push(self, mapping_id: str) -> None:
        self._run("DELETE FROM push_mappings WHERE id = ?", mapping_id)

    def add_task(self, t: TaskRec) -> None:
        self._run(
            "INSERT INTO tasks VALUES (?,?,?,?,?,?,?,?)",
            t.id, t.app_id, t.object_id, t.action, t.error, t.failed_step, t.status, t.created,
        )  # fmt: skip

    def tasks(self) -> list[TaskRec]:
        return [TaskRec(**dict(r)) for r in self._all("SELECT * FROM tasks ORDER BY created, id")]

    def task(self, task_id: str) -> TaskRec | None:
        row = self._one("SELECT * FROM tasks WHERE id = ?", task_id)
        return TaskRec(**dict(row)) if row else None

    def put_task(self, t: TaskRec) -> None:
        """Replace a task (a retry closes it or records its latest error)."""
        self._run(
            "INSERT OR REPLACE INTO tasks VALUES (?,?,?,?,?,?,?,?)",
            t.id, t.app_id, t.object_id, t.action, t.error, t.failed_step, t.status, t.created,
        )  # fmt: skip

    def delete_task(self, task_id: str) -> None:
        self._run("DELETE FROM tasks WHERE id = ?", task_id)

    def add_log(self, entry: LogRec) -> int:
        e = entry
        cur = self._run(
            "INSERT INTO logs (uuid, published, event_type, result, reason, message, app_id,"
            " object_id, step, exchange, targets) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            e.uuid, e.published, e.event_type, e.result, e.reason, e.message, e.app_id,
            e.object_id, e.step, json.dumps(e.exchange) if e.exchange is not None else None,
            json.dumps(list(e.targets)) if e.targets is not None else None,
        )  # fmt: skip
        return int(cur.lastrowid or 0)

    def logs(self, after: int = 0, limit: int = 100) -> list[LogRec]:
        rows = self._all("SELECT * FROM logs WHERE seq > ? ORDER BY seq LIMIT ?", after, limit)
        return [_log(r) for r in rows]

    def recent_logs(self, limit: int = 100, before: int | None = None) -> list[LogRec]:
        """Provisioning entries, newest first; `before` is the seq the previous page ended at."""
        rows = self._all(
            "SELECT * FROM logs WHERE step IS NOT NULL AND (?1 IS NULL OR seq < ?1)"
            " ORDER BY seq DESC LIMIT ?2", before, limit,
        )  # fmt: skip
        return [_log(r) for r in rows]

    def log_entry(self, seq: int) -> LogRec | None:
        row = self._one("SELECT * FROM logs WHERE seq = ?", seq)
        return _log(row) if row else None

    def logs_of(self, app_id: str, object_id: str) -> list[LogRec]:
        """Every exchange logged for one object of one app, oldest first."""
        sql = "SELECT * FROM logs WHERE app_id = ? AND object_id = ? AND step IS NOT NULL ORDER BY seq"
        rows = self._all(sql, app_id, object_id)
        return [_log(r) for r in rows]

    # ---- passwords and import state ----------------------------------------------------------

    def put_password(self, rec: PasswordRec) -> None:
        self._run("INSERT OR REPLACE INTO passwords VALUES (?,?,?)", rec.user_id, rec.hash, rec.changed)

    def password(self, user_id: str) -> PasswordRec | None:
        row = self._one("SELECT * FROM passwords WHERE user_id = ?", user_id)
        return PasswordRec(**dict(row)) if row else None

    def import_seen(self, app_id: str, kind: str) -> dict[str, str]:
        """SCIM id -> fingerprint of what the last successful import of `kind` saw."""
        sql = "SELECT scim_id, fingerprint FROM import_seen WHERE app_id = ? AND kind = ?"
        rows = self._all(sql, app_id, kind)
        return {r["scim_id"]: r["fingerprint"] for r in rows}

    def put_import_seen(self, app_id: str, kind: str, seen: Mapping[str, str]) -> None:
        """Replace the import state of one app and kind as a unit."""
        with self.transaction():
            self._db.execute("DELETE FROM import_seen WHERE app_id = ? AND kind = ?", (app_id, kind))
            self._db.executemany(
                "INSERT INTO import_seen VALUES (?,?,?,?)",
                [(app_id, kind, scim_id, digest) for scim_id, digest in seen.items()],
            )
