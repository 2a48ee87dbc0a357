"""Okta's own retry of paused tasks: a thread of the `scimcert simulator` server.

A 429 the transport would not wait for inline pauses the task (okta-scim.md §10 [D] S4: "the
task is paused" and retried later); its `retry_at` is wall-clock UTC in the org file, so a
restart keeps it and retries what fell due meanwhile. The thread sleeps until the soonest
`retry_at` (a new paused task wakes it) and retries each due task through
SyncActions.retry_task — the same path as "Retry Selected", continuing the task's attempts.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Final

from simulator.okta.service_sync import SyncActions
from simulator.okta.store import TaskRec, parse_stamp

MAX_SLEEP_S: Final = 600.0  # re-read the tasks at least this often (wall clock changes, other writers)

_log = logging.getLogger(__name__)


class RetryScheduler:
    """Retries due paused tasks on its own thread; `now` is the wall clock (injectable)."""

    def __init__(self, sync: SyncActions, *, now: Callable[[], datetime] | None = None) -> None:
        self.sync, self.store = sync, sync.store
        self.now = now or sync.svc.wall
        self._changed = threading.Condition()
        self._woken = False
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._broken: set[str] = set()  # tasks whose retry raised and could not be put aside

    # ---- lifecycle --------------------------------------------------------------------------

    def start(self) -> RetryScheduler:
        """Start the thread, and be woken by every task the service pauses from now on."""
        self.sync.svc.on_paused = lambda task: self.wake()
        self._thread = threading.Thread(target=self._loop, name="scimcert-task-retry", daemon=True)
        self._thread.start()
        return self

    def wake(self) -> None:
        """Look at the tasks again (a task was paused; or a test moved the clock)."""
        with self._changed:
            self._woken = True
            self._changed.notify_all()

    def stop(self, timeout: float | None = None) -> bool:
        """Retry no more; a retry in flight finishes first. False if it is still running after timeout."""
        if self.sync.svc.on_paused is not None:
            self.sync.svc.on_paused = None
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
            return not self._thread.is_alive()
        return True

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # ---- work -------------------------------------------------------------------------------

    def due(self) -> list[TaskRec]:
        moment = self.now()
        return [t for t in self.store.paused_tasks()
                if t.retry_at and parse_stamp(t.retry_at) <= moment and t.id not in self._broken]  # fmt: skip

    def run_due(self) -> list[TaskRec]:
        """Retry every due task once, soonest first; what each became."""
        done = []
        for task in self.due():
            if self._stopping:
                break
            done.append(self._retry(task))
        return done

    def _retry(self, task: TaskRec) -> TaskRec:
        try:
            return self.sync.retry_task(task.id, scheduled=True)[0]
        except Exception as exc:  # a retry that raises must not end Okta's retries of the others
            _log.exception("scheduled retry of task %s failed", task.id)
            return self._put_aside(task, exc)

    def _put_aside(self, task: TaskRec, exc: Exception) -> TaskRec:
        """Keep the task OPEN for a manual retry, no longer scheduled, saying why."""
        reason = getattr(exc, "summary", None) or f"{type(exc).__name__}: {exc}"
        causes = "; ".join(getattr(exc, "causes", ()))
        kept = replace(task, retry_at=None, error=f"{task.error} Okta's retry could not run "
                       f"({causes or reason}); retry the task by hand.")  # fmt: skip
        try:
            self.store.put_task(kept)
        except Exception:
            _log.exception("could not record the failed retry of task %s", task.id)
            self._broken.add(task.id)
            return task
        return kept

    def _seconds_to_next(self) -> float:
        upcoming = [t for t in self.store.paused_tasks() if t.retry_at and t.id not in self._broken]
        if not upcoming:
            return MAX_SLEEP_S
        wait = (parse_stamp(str(upcoming[0].retry_at)) - self.now()).total_seconds()
        return min(max(wait, 0.0), MAX_SLEEP_S)

    def _loop(self) -> None:
        while not self._stopping:
            try:
                self.run_due()
                wait = self._seconds_to_next()
            except Exception:  # e.g. the org file went away: try again later, never die
                _log.exception("scheduled task retries failed")
                wait = MAX_SLEEP_S
            with self._changed:
                if not self._woken and not self._stopping and wait > 0:
                    self._changed.wait(wait)
                self._woken = False
