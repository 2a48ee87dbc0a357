"""OrgStore's apps: app instances, their user and group assignments, and import state."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping

from simulator.okta.codec import app_from_json, app_to_json
from simulator.okta.store_db import StoreCore, now
from simulator.okta.store_records import AppGroupRec, AppRec, AppUserRec


def _app(r: sqlite3.Row) -> AppRec:
    inst = app_from_json(json.loads(r["instance"]))
    return AppRec(
        r["name"], r["status"], r["sign_on_mode"], r["connection"], inst, r["created"], r["updated"]
    )


def _app_user(r: sqlite3.Row) -> AppUserRec:
    values = dict(r)
    values["profile"] = json.loads(values["profile"])
    return AppUserRec(**values)


class AppTables(StoreCore):
    """Apps, app users, app groups and what the last import of each app saw."""

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

    def delete_app(self, app_id: str) -> None:
        """Remove an app with its assignments, push mappings, tasks and import state; its log stays."""
        with self.transaction():
            for table in ("app_users", "app_groups", "push_mappings", "tasks", "import_seen"):
                self._db.execute(f"DELETE FROM {table} WHERE app_id = ?", (app_id,))
            self._db.execute("DELETE FROM apps WHERE id = ?", (app_id,))

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
