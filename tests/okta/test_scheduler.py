"""Okta's retry of paused tasks (simulator/okta/scheduler.py) on an injected wall clock."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import requests

from simulator.okta.retry import FakeClock
from simulator.okta.scheduler import RetryScheduler
from simulator.okta.service import OrgService
from simulator.okta.service_apps import AppActions
from simulator.okta.service_groups import GroupActions
from simulator.okta.service_sync import SyncActions
from simulator.okta.store import AppRec, OrgStore, TaskRec, now, parse_stamp
from simulator.okta.transport import Transport
from tests.okta.support import app
from tests.okta.test_paused import CREATED, EMPTY, LIMITED, Target


class Wall:
    """A wall clock that moves only when told."""

    def __init__(self) -> None:
        self.at = datetime(2026, 11, 29, 17, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


def retries(target: Target, path: str, wall: Wall) -> RetryScheduler:
    svc = OrgService(OrgStore(path), Transport(target, clock=FakeClock(), inline_wait_s=0), seed=1)
    svc.wall = wall
    return RetryScheduler(SyncActions(svc, AppActions(svc), GroupActions(svc)))


def paused_assignment(tmp_path, target: Target, wall: Wall) -> tuple[RetryScheduler, str, str]:
    """Ann's assignment paused by a 429; (scheduler, app id, user id)."""
    sched = retries(target, str(tmp_path / "org.db"), wall)
    svc = sched.sync.svc
    inst = app()
    svc.store.put_app(AppRec("scim2testapp", "ACTIVE", "SAML_2_0", "ENABLED", inst, now(), now()))
    profile = {"login": "ann@example.com", "email": "ann@example.com", "firstName": "Ann", "lastName": "T"}
    user = svc.create_user(profile, activate=True, has_password=True)
    svc.assign(inst.id, user.id)
    return sched, inst.id, user.id


def only_task(sched: RetryScheduler) -> TaskRec:
    [task] = sched.store.tasks()
    return task


def test_a_due_task_is_retried_and_closed_when_the_target_answers(tmp_path):
    wall, target = Wall(), Target(get=[EMPTY], post=[LIMITED, CREATED])
    sched, app_id, user_id = paused_assignment(tmp_path, target, wall)
    wall.advance(299)
    assert sched.run_due() == [] and only_task(sched).status == "OPEN"
    wall.advance(1)
    [done] = sched.run_due()
    assert done.status == "CLOSED" and done.retry_at is None and only_task(sched) == done
    rec = sched.store.app_user(app_id, user_id)
    assert rec is not None and rec.status == "PROVISIONED" and rec.scim_id == "s-1"
    assert target.calls == ["GET", "POST", "GET", "POST"]  # the action re-planned from current state


def test_another_429_doubles_the_delay_and_counts_the_attempt(tmp_path):
    wall = Wall()
    sched, _, _ = paused_assignment(tmp_path, Target(get=[EMPTY], post=[LIMITED]), wall)
    first = only_task(sched)
    wall.advance(300)
    [again] = sched.run_due()
    assert again.id == first.id and again.status == "OPEN"
    assert again.attempts == 2 and parse_stamp(str(again.retry_at)) == wall.at + timedelta(seconds=600)
    assert "(attempt 3 of 10)" in again.error


def test_the_tenth_attempt_gives_up_and_a_manual_retry_starts_over(tmp_path):
    wall, target = Wall(), Target(get=[EMPTY], post=[LIMITED])
    sched, _, _ = paused_assignment(tmp_path, target, wall)
    for attempt in range(2, 11):
        wall.advance(300 * 2 ** (attempt - 2))
        [task] = sched.run_due()
        assert task.attempts == attempt
    assert task.status == "OPEN" and task.retry_at is None
    assert task.error == ("Rate limited by the target (429) at step assign.create; Okta gave up after "
                          "10 of 10 attempts (Retry starts over).")  # fmt: skip
    assert target.calls.count("POST") == 10
    wall.advance(10**6)
    assert sched.run_due() == []  # no retry_at: only a manual retry
    manual, _ = sched.sync.retry_task(task.id)
    assert manual.id == task.id and manual.attempts == 1 and manual.retry_at is not None


def wait_for(check: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_retry_that_raises_keeps_the_task_and_the_thread(tmp_path, monkeypatch: pytest.MonkeyPatch):
    wall = Wall()
    target = Target(get=[EMPTY], post=[LIMITED, LIMITED, CREATED])
    sched, app_id, _ = paused_assignment(tmp_path, target, wall)
    first = only_task(sched)
    real = sched.sync.retry_task

    def boom(task_id: str, *, scheduled: bool = False) -> tuple:
        if task_id == first.id:
            raise RuntimeError("disk on fire")
        return real(task_id, scheduled=scheduled)

    monkeypatch.setattr(sched.sync, "retry_task", boom)
    wall.advance(300)
    sched.start()
    try:
        wait_for(lambda: only_task(sched).retry_at is None)
        kept = only_task(sched)
        assert kept.status == "OPEN"
        assert "Okta's retry could not run (RuntimeError: disk on fire)" in kept.error
        assert sched.running
        profile = {"login": "bob@x.io", "email": "bob@x.io", "firstName": "Bob", "lastName": "T"}
        bob = sched.sync.svc.create_user(profile, activate=True, has_password=True)
        sched.sync.svc.assign(app_id, bob.id)  # paused too (the POST answers 429 again), wakes the thread
        wall.advance(300)
        sched.wake()
        wait_for(lambda: [t.status for t in sched.store.tasks()] == ["OPEN", "CLOSED"])
    finally:
        assert sched.stop(timeout=10)
    assert not sched.running


def test_it_sleeps_until_the_soonest_retry_and_wakes_for_a_new_one(tmp_path, monkeypatch: pytest.MonkeyPatch):
    wall = Wall()
    sched, _, _ = paused_assignment(tmp_path, Target(get=[EMPTY], post=[LIMITED, CREATED]), wall)
    looks: list[int] = []
    real = sched.store.paused_tasks
    monkeypatch.setattr(sched.store, "paused_tasks", lambda: looks.append(1) or real())
    sched.start()
    try:
        time.sleep(0.5)
        assert len(looks) <= 4  # not a busy poll: one look for due tasks, one for the next wait
        wall.advance(300)
        sched.wake()
        wait_for(lambda: only_task(sched).status == "CLOSED")
    finally:
        sched.stop(timeout=10)


def test_a_task_paused_before_a_restart_is_retried_after_it(tmp_path):
    wall = Wall()
    before, _, _ = paused_assignment(tmp_path, Target(get=[EMPTY], post=[LIMITED]), wall)
    paused = only_task(before)
    before.store.close()
    wall.advance(3600)  # the simulator was down when the task fell due
    after = retries(Target(get=[EMPTY], post=[CREATED]), str(tmp_path / "org.db"), wall).start()
    try:
        wait_for(lambda: only_task(after).status == "CLOSED")
    finally:
        after.stop(timeout=10)
    assert only_task(after).id == paused.id


def test_a_stop_lets_the_retry_in_flight_finish(tmp_path):
    wall, sending, release = Wall(), threading.Event(), threading.Event()

    class Slow(Target):
        def request(self, method: str, url: str, **kw: object) -> requests.Response:
            if method == "POST" and self.calls.count("POST") == 1:  # the scheduled retry's create
                sending.set()
                release.wait(10)
            return super().request(method, url, **kw)

    sched, _, _ = paused_assignment(tmp_path, Slow(get=[EMPTY], post=[LIMITED, CREATED]), wall)
    wall.advance(300)
    sched.start()
    assert sending.wait(10)
    assert not sched.stop(timeout=0.2)  # still sending
    release.set()
    assert sched.stop(timeout=10)
    assert only_task(sched).status == "CLOSED"  # finished and recorded, not cut off
