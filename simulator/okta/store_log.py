"""OrgStore's record of provisioning: group push mappings, tasks and the System Log."""

from __future__ import annotations

import json
import sqlite3

from simulator.okta.store_db import StoreCore
from simulator.okta.store_records import LogRec, PushRec, TaskRec


def _log(r: sqlite3.Row) -> LogRec:
    values = dict(r)
    values["exchange"] = json.loads(values["exchange"]) if values["exchange"] else None
    values["targets"] = tuple(json.loads(values["targets"])) if values.get("targets") else None
    return LogRec(**values)


class LogTables(StoreCore):
    """Group push mappings, provisioning tasks and log entries."""

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
        self._put_task("INSERT", t)

    def tasks(self) -> list[TaskRec]:
        return [TaskRec(**dict(r)) for r in self._all("SELECT * FROM tasks ORDER BY created, id")]

    def task(self, task_id: str) -> TaskRec | None:
        row = self._one("SELECT * FROM tasks WHERE id = ?", task_id)
        return TaskRec(**dict(row)) if row else None

    def put_task(self, t: TaskRec) -> None:
        """Replace a task (a retry closes it or records its latest error)."""
        self._put_task("INSERT OR REPLACE", t)

    def _put_task(self, verb: str, t: TaskRec) -> None:
        self._run(
            f"{verb} INTO tasks (id, app_id, object_id, action, error, failed_step, status, created,"
            " attempts, retry_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            t.id, t.app_id, t.object_id, t.action, t.error, t.failed_step, t.status, t.created,
            t.attempts, t.retry_at,
        )  # fmt: skip

    def paused_tasks(self) -> list[TaskRec]:
        """Open tasks Okta retries by itself (a 429 paused them), the soonest first."""
        rows = self._all("SELECT * FROM tasks WHERE status = 'OPEN' AND retry_at IS NOT NULL"
                         " ORDER BY retry_at, id")  # fmt: skip
        return [TaskRec(**dict(r)) for r in rows]

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
