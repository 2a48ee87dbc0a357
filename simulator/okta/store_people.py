"""OrgStore's people and groups: users, groups, memberships and passwords."""

from __future__ import annotations

import json
import sqlite3

from simulator.okta.store_db import StoreCore
from simulator.okta.store_records import GroupRec, PasswordRec, UserRec


def _user(r: sqlite3.Row) -> UserRec:
    return UserRec(r["id"], json.loads(r["profile"]), r["status"], r["created"], r["updated"])


class PeopleTables(StoreCore):
    """Users, groups, group members and passwords."""

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

    def put_password(self, rec: PasswordRec) -> None:
        self._run("INSERT OR REPLACE INTO passwords VALUES (?,?,?)", rec.user_id, rec.hash, rec.changed)

    def password(self, user_id: str) -> PasswordRec | None:
        row = self._one("SELECT * FROM passwords WHERE user_id = ?", user_id)
        return PasswordRec(**dict(row)) if row else None
