"""What every admin action of the org service uses (no Flask): refused calls (OrgError), what a
call caused (Happened), System Log targets and event types, and OrgCore — running the engine's
plans through the injected Transport, logging each SCIM exchange, turning failures into tasks,
and the lookups that refuse what the org does not hold.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from simulator.okta import errors
from simulator.okta.model import USER_PREFIX
from simulator.okta.plan import Plan
from simulator.okta.store import AppRec, GroupRec, LogRec, OrgStore, TaskRec, UserRec, now, stamp
from simulator.okta.transport import RateLimited, Run, Transport

RATE_LIMIT_EVENT: Final = "application.integration.rate_limit_exceeded"  # okta-admin-api.md §12 [D] A6


class OrgError(Exception):
    """A refused admin call: the HTTP status and Okta's errorCode/errorSummary/errorCauses."""

    def __init__(self, status: int, code: str, summary: str, causes: tuple[str, ...] = ()) -> None:
        super().__init__(summary)
        self.status, self.code, self.summary, self.causes = status, code, summary, causes


def not_found(key: str, kind: str) -> OrgError:
    return OrgError(404, "E0000007", f"Not found: Resource not found: {key} ({kind})")


def invalid(field_name: str, *causes: str) -> OrgError:
    return OrgError(400, "E0000001", f"Api validation failed: {field_name}", causes)


@dataclass
class Happened:
    """The SCIM runs an admin call caused, and the tasks its failures left."""

    runs: list[Run] = field(default_factory=list)
    tasks: list[TaskRec] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "provisioning": [
                {
                    **run.outcome.to_json(),
                    **({"rate_limited": run.rate_limited.to_json()} if run.rate_limited else {}),
                    "exchanges": [{"step": e.request.step, "request": e.request_line} for e in run.exchanges],
                }
                for run in self.runs
            ],
            "tasks": [t.id for t in self.tasks],
        }


_EVENTS = (  # step-id prefix -> System Log eventType (okta-admin-api.md §12)
    ("assign.lookup", "application.provision.user.verify_exists"),
    ("assign.", "application.provision.user.push"),
    ("update.", "application.provision.user.push_profile"),
    ("deactivate.", "application.provision.user.deactivate"),
    ("reactivate.", "application.provision.user.reactivate"),
    ("password.", "application.provision.user.password"),
    ("group.push.lookup", "application.provision.group.verify_exists"),
    ("group.push.create", "application.provision.group.add"),
    ("group.unlink.", "application.provision.group.remove"),
    ("group.rename", "application.provision.group.update"),
    ("group.push-now", "application.provision.group_push.push_memberships"),
    ("group.", "application.provision.group_membership.update"),
    ("import.", "application.provision.user.sync"),
    ("connect.", "application.provision.connection.test"),  # scimcert's own [I]
)


def user_target(u: UserRec) -> dict[str, str]:
    name = f"{u.profile.get('firstName', '')} {u.profile.get('lastName', '')}".strip()
    return {"id": u.id, "type": "User", "alternateId": str(u.profile.get("login", "")), "displayName": name}


def group_target(g: GroupRec) -> dict[str, str]:
    return {"id": g.id, "type": "UserGroup", "alternateId": "unknown", "displayName": g.name}


def app_target(a: AppRec) -> dict[str, str]:
    label = a.instance.label
    return {"id": a.id, "type": "AppInstance", "alternateId": label, "displayName": label}


def assignable(user: UserRec) -> bool:
    """Can the person get an app assignment? Not once deactivated (DEPROVISIONED)."""
    return user.status != "DEPROVISIONED"


def event_type(step: str, status: int = 0) -> str:
    """A SCIM exchange's System Log event; a 429 is Okta's rate-limit event (legacy
    app.api.error.rate.limit.exceeded), whatever the step."""
    if status == 429:
        return RATE_LIMIT_EVENT
    return next((event for prefix, event in _EVENTS if step.startswith(prefix)), "application.provision")


class OrgCore:
    """The store and transport (injectable: fake sessions, a fake clock) every action works with."""

    def __init__(self, store: OrgStore, transport: Transport | None = None, seed: int | None = None,
                 *, exact_links: bool = False) -> None:
        self.store = store
        self.transport = transport or Transport()
        self.rng = random.Random(seed) if seed is not None else random.SystemRandom()
        self.exact_links = exact_links  # every app links exact lookup hits only (AppInstance.exact_links)
        self.wall: Callable[[], datetime] = lambda: datetime.now(UTC)  # when paused tasks are due
        self.on_paused: Callable[[TaskRec], None] | None = None  # a scheduler's wake-up
        self._attempts_used = 0

    # ---- System Log ----------------------------------------------------------------------------

    def audit(self, event: str, message: str, *targets: dict[str, str]) -> None:
        """Log an admin action the way Okta's System Log does (okta-admin-api.md §12): its event
        type, display message and targets; no SCIM step, no exchange. The display messages are
        Okta's as seen in its System Log [I]."""
        self.store.add_log(LogRec(0, str(uuid.uuid4()), now(), event, "SUCCESS", None, message,
                                  None, None, None, None, tuple(targets)))  # fmt: skip

    # ---- running plans -------------------------------------------------------------------------

    def execute(self, app: AppRec, plan: Plan, object_id: str, happened: Happened) -> Run:
        """Run a plan, log every exchange, and leave a task when it failed."""
        run = self.transport.run(plan, attempts_used=self._attempts_used)
        for ex in run.exchanges:
            ok = 200 <= ex.response.status < 300 or (
                ex.request.step.endswith("lookup") and ex.response.status == 404
            )
            self.store.add_log(
                LogRec(
                    0, str(uuid.uuid4()), now(), event_type(ex.request.step, ex.response.status),
                    "SUCCESS" if ok else "FAILURE", None if ok else f"HTTP {ex.response.status}",
                    ex.request_line, app.id, object_id, ex.request.step, ex.to_json(),
                )
            )  # fmt: skip
        if not run.outcome.ok:
            task = TaskRec(
                "tsk" + uuid.uuid4().hex[:17], app.id, object_id, run.outcome.action,
                run.outcome.error or "", run.outcome.failed_step, "OPEN", now(),
            )  # fmt: skip
            if run.rate_limited is not None:
                task = self._rate_limited(task, run.rate_limited)
            self.store.add_task(task)
            happened.tasks.append(task)
            if task.retry_at is not None and self.on_paused is not None:
                self.on_paused(task)
        if object_id.startswith(USER_PREFIX):
            self._record_sync(app.id, object_id, run.outcome.ok)
        happened.runs.append(run)
        return run

    def _rate_limited(self, task: TaskRec, limited: RateLimited) -> TaskRec:
        """A 429 ended the run: the task is paused until Okta's retry (or it gave up)."""
        retry_at = None
        if limited.delay_s is not None:
            retry_at = stamp(self.wall() + timedelta(seconds=limited.delay_s))
        error = errors.rate_limited(limited.step, limited.attempt, limited.max_attempts, retry_at)
        step = limited.step
        return replace(task, error=error, failed_step=step, attempts=limited.attempt, retry_at=retry_at)

    @contextmanager
    def continuing(self, attempts_used: int) -> Iterator[None]:
        """Run plans as the retry of a paused task that already made `attempts_used` requests."""
        before, self._attempts_used = self._attempts_used, attempts_used
        try:
            yield
        finally:
            self._attempts_used = before

    def _record_sync(self, app_id: str, user_id: str, ok: bool) -> None:
        """A provisioned app user's syncState follows its last push: ERROR while the target missed
        one (okta-admin-api.md §7 [I]), SYNCHRONIZED again once a push (or its retry) went through.
        Assignment and (de)activation set the state of the records they write themselves."""
        rec = self.store.app_user(app_id, user_id)
        state = "SYNCHRONIZED" if ok else "ERROR"
        if rec is not None and rec.status == "PROVISIONED" and rec.sync_state != state:
            self.store.put_app_user(replace(rec, sync_state=state, updated=now()))

    # ---- lookups ------------------------------------------------------------------------------

    def user(self, key: str) -> UserRec:
        found = self.store.user(key)
        if found is None:
            raise not_found(key, "User")
        return found

    def group(self, group_id: str) -> GroupRec:
        found = self.store.group(group_id)
        if found is None:
            raise not_found(group_id, "UserGroup")
        return found

    def app(self, app_id: str) -> AppRec:
        found = self.store.app(app_id)
        if found is None:
            raise not_found(app_id, "AppInstance")
        if self.exact_links:
            return replace(found, instance=replace(found.instance, exact_links=True))
        return found

    def provisioning(self, app: AppRec) -> bool:
        """Does the app send SCIM requests? Only an ACTIVE app with an enabled connection does."""
        return app.status == "ACTIVE" and app.connection == "ENABLED" and bool(app.instance.base_url)
