"""A 429 the transport will not wait for inline pauses the task (okta-scim.md §10): transport,
service and the org file's new task columns."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from requests.structures import CaseInsensitiveDict

from simulator.okta import engine
from simulator.okta.api import SimulatorConfig, create_app
from simulator.okta.model import AppUser
from simulator.okta.retry import FakeClock
from simulator.okta.service import OrgService
from simulator.okta.store import AppRec, OrgStore, TaskRec, now, parse_stamp
from simulator.okta.transport import Transport
from tests.console.test_console import Console
from tests.okta.support import app, sample_user

Script = tuple[int, dict[str, str], Any]


class Target:
    """A scripted SCIM target: answers per method from queues (the last answer repeats)."""

    def __init__(self, **answers: list[Script]) -> None:
        self.answers = {method.upper(): list(script) for method, script in answers.items()}
        self.calls: list[str] = []

    def request(self, method: str, url: str, **kw: Any) -> requests.Response:
        self.calls.append(method)
        queue = self.answers[method]
        status, headers, body = queue.pop(0) if len(queue) > 1 else queue[0]
        raw = requests.Response()
        raw.status_code, raw.headers, raw.encoding = status, CaseInsensitiveDict(headers), "utf-8"
        raw._content = b"" if body is None else json.dumps(body).encode()
        return raw


EMPTY: Script = (200, {}, {"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                           "totalResults": 0, "Resources": []})  # fmt: skip
CREATED: Script = (201, {}, {"id": "s-1", "userName": "ann@example.com", "active": True})
LIMITED: Script = (429, {}, {"detail": "slow down"})  # no Retry-After: Okta waits 5 minutes


def deactivate_plan() -> engine.Plan:
    return engine.deactivate(app(), sample_user(), AppUser("00u1", scim_id="s-1"))


# ---- transport ------------------------------------------------------------------------------


def test_a_wait_past_the_budget_pauses_the_run_without_sleeping():
    clock = FakeClock()
    target = Target(patch=[LIMITED, (204, {}, None)])
    run = Transport(target, clock=clock, inline_wait_s=10).run(deactivate_plan())
    assert clock.sleeps == [] and target.calls == ["PATCH"]
    assert not run.outcome.ok and run.outcome.failed_step == "deactivate.patch"
    limited = run.rate_limited
    assert limited is not None and limited.paused
    shown = (limited.step, limited.attempt, limited.delay_s, limited.max_attempts)
    assert shown == ("deactivate.patch", 1, 300, 10)


def test_waits_within_the_budget_happen_inline_as_before():
    clock = FakeClock()
    once: Script = (429, {"Retry-After": "1"}, None)
    target = Target(patch=[once, once, (204, {}, None)])
    run = Transport(target, clock=clock, inline_wait_s=10).run(deactivate_plan())
    assert run.outcome.ok and run.rate_limited is None
    assert clock.sleeps == [1, 2]


def test_the_budget_counts_every_wait_of_the_request():
    clock = FakeClock()
    target = Target(patch=[(429, {"Retry-After": "3"}, None)])
    run = Transport(target, clock=clock, inline_wait_s=10).run(deactivate_plan())
    assert clock.sleeps == [3, 6]  # 3 + 6 fits in 10; the next 12 would not
    assert run.rate_limited is not None and (run.rate_limited.attempt, run.rate_limited.delay_s) == (3, 12)


def test_a_retried_task_continues_okta_s_count():
    clock = FakeClock()
    ends = []
    for used in (2, 9):
        transport = Transport(Target(patch=[LIMITED]), clock=clock, inline_wait_s=0)
        run = transport.run(deactivate_plan(), attempts_used=used)
        assert run.rate_limited is not None
        ends.append((run.rate_limited.attempt, run.rate_limited.delay_s))
    assert ends == [(3, 1200), (10, None)]  # 300 s doubled twice; the tenth attempt is the last


def test_no_budget_waits_inline_and_says_when_the_policy_gave_up():
    clock = FakeClock()
    run = Transport(Target(patch=[LIMITED]), clock=clock).run(deactivate_plan())
    assert len(clock.sleeps) == 9
    assert run.rate_limited is not None and not run.rate_limited.paused and run.rate_limited.attempt == 10


# ---- service --------------------------------------------------------------------------------


def org(target: Target, path: str = ":memory:", budget: float = 1.0) -> tuple[OrgService, str, str]:
    """A service with one provisioning app and one person; (service, app id, user id)."""
    svc = OrgService(OrgStore(path), Transport(target, inline_wait_s=budget), seed=1)
    inst = app()
    svc.store.put_app(AppRec("scim2testapp", "ACTIVE", "SAML_2_0", "ENABLED", inst, now(), now()))
    profile = {"login": "ann@example.com", "email": "ann@example.com", "firstName": "Ann", "lastName": "T"}
    user = svc.create_user(profile, activate=True, has_password=True)
    return svc, inst.id, user.id


def test_an_assignment_rate_limited_without_retry_after_returns_with_a_paused_task():
    svc, app_id, user_id = org(Target(get=[EMPTY], post=[LIMITED]))  # real clock: 300 s if it waited
    done: list[Any] = []
    assigning = threading.Thread(target=lambda: done.append(svc.assign(app_id, user_id)))
    started = time.monotonic()
    assigning.start()
    profile = {"login": "bob@example.com", "email": "bob@example.com", "firstName": "Bob", "lastName": "T"}
    svc.create_user(profile, activate=True, has_password=True)  # the store lock is not held for minutes
    assigning.join(10)
    assert done and time.monotonic() - started < 10

    rec, happened = done[0]
    assert rec.status == "STAGED" and rec.sync_state == "ERROR"
    [task] = svc.store.tasks()
    assert happened.tasks == [task] and task.status == "OPEN"
    assert task.attempts == 1 and task.failed_step == "assign.create"
    due = parse_stamp(str(task.retry_at))
    assert abs((due - datetime.now(UTC) - timedelta(seconds=300)).total_seconds()) < 10
    assert task.error == (f"Rate limited by the target (429) at step assign.create; Okta retries at "
                          f"{task.retry_at[:19].replace('T', ' ')} UTC (attempt 2 of 10).")  # fmt: skip
    events = [(e.step, e.event_type) for e in svc.store.logs() if e.step]
    assert events == [("assign.lookup", "application.provision.user.verify_exists"),
                      ("assign.create", "application.integration.rate_limit_exceeded")]  # fmt: skip
    paused = happened.to_json()["provisioning"][0]["rate_limited"]
    assert paused == {"step": "assign.create", "attempt": 1, "max_attempts": 10, "paused": True,
                      "delay_s": 300}  # fmt: skip


def test_the_wake_up_hears_of_each_paused_task():
    svc, app_id, user_id = org(Target(get=[EMPTY], post=[LIMITED]))
    heard: list[TaskRec] = []
    svc.on_paused = heard.append
    svc.assign(app_id, user_id)
    assert [t.id for t in heard] == [t.id for t in svc.store.tasks()]


# ---- the org file ---------------------------------------------------------------------------


def test_an_org_file_without_the_task_retry_columns_gets_them(tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:  # the tasks table as scimcert wrote it before paused tasks
        db.execute("CREATE TABLE tasks (id TEXT PRIMARY KEY, app_id TEXT NOT NULL, object_id TEXT NOT NULL,"
                   " action TEXT NOT NULL, error TEXT NOT NULL, failed_step TEXT, status TEXT NOT NULL,"
                   " created TEXT NOT NULL)")  # fmt: skip
        db.execute("INSERT INTO tasks VALUES ('tsk1', '0oa1', '00u1', 'assign_user', 'boom', NULL, 'OPEN',"
                   " '2026-01-01T00:00:00.000Z')")  # fmt: skip
    store = OrgStore(str(path))
    columns = [r["name"] for r in store._db.execute("PRAGMA table_info(tasks)")]
    assert columns[-2:] == ["attempts", "retry_at"]
    old = store.task("tsk1")
    assert old is not None and (old.attempts, old.retry_at) == (0, None)
    paused = TaskRec("tsk2", "0oa1", "00u2", "assign_user", "429", "assign.create", "OPEN", now(), 1, now())
    store.add_task(paused)
    assert store.paused_tasks() == [paused]
    store.close()
    assert OrgStore(str(path)).task("tsk2") == paused


# ---- what the admin sees ------------------------------------------------------------------


def test_the_task_json_and_the_tasks_page_show_the_retry(tmp_path):
    flask_app = create_app(SimulatorConfig("adm", str(tmp_path / "org.db"), Transport(Target(get=[EMPTY]))))
    store = flask_app.extensions["okta_org"].svc.store
    paused = TaskRec("tsk1", "0oa1", "00u1", "assign_user", "Rate limited", "assign.create", "OPEN", now(), 3,
                     "2026-11-29T17:52:10.000Z")  # fmt: skip
    store.add_task(paused)
    answer = flask_app.test_client().get("/api/v1/tasks", headers={"Authorization": "SSWS adm"})
    [shown] = answer.get_json()
    assert (shown["attempts"], shown["retryAt"]) == (3, "2026-11-29T17:52:10.000Z")
    console = Console(flask_app)
    assert console.login("adm").status == 302
    row = console.get("/console/tasks").table("tasks")
    assert "paused by a 429: Okta retries it at 2026-11-29T17:52:10.000Z (3 attempts made)" in row
