"""Follow-up actions the web console offers: retry a failed task, apply mapping changes, read back.

They reuse the org services and the engine's plans (no second provisioning path): a retry
re-runs the failed action for the task's object and closes the task when it succeeds, or
keeps it open with the newest error, as Okta's Tasks page does with "Retry Selected".
"""

from __future__ import annotations

from dataclasses import replace

from simulator.okta import engine, wire
from simulator.okta.plan import request
from simulator.okta.service import Happened, OrgService, invalid, not_found
from simulator.okta.service_apps import AppActions
from simulator.okta.service_groups import GroupActions
from simulator.okta.store import AppRec, AppUserRec, TaskRec
from simulator.okta.wire import ScimResponse

USER_ACTIONS = ("assign_user", "update_profile", "deactivate", "reactivate")
GROUP_ACTIONS = ("push_group", "update_members", "push_now", "rename_group")
APP_ACTIONS = ("import_users", "import_groups", "test_connection")


class SyncActions:
    """Task retry, 'Apply updates now' after a mapping change, and reading resources back."""

    def __init__(self, svc: OrgService, apps: AppActions, groups: GroupActions) -> None:
        self.svc, self.apps, self.groups = svc, apps, groups
        self.store = svc.store

    # ---- tasks ------------------------------------------------------------------------------

    def retry_task(self, task_id: str, *, scheduled: bool = False) -> tuple[TaskRec, Happened]:
        """Re-run a task's failed action; the task is CLOSED on success, else keeps the new error.

        `scheduled`: Okta's own retry of a task a 429 paused (okta-scim.md §10): it continues the
        task's count of attempts, and does nothing when the task is no longer paused. A manual
        retry ("Retry Selected") starts the count over.
        """
        happened = Happened()
        with self.store.transaction():
            task = self.store.task(task_id)
            if task is None:
                raise not_found(task_id, "Task")
            if scheduled and (task.status != "OPEN" or task.retry_at is None):
                return task, happened  # retried by hand (or closed) since it was due
            if task.status != "OPEN":
                raise invalid("status", f"Task {task_id} is {task.status}; only open tasks can be retried")
            app = self.svc.app(task.app_id)
            if not self.svc.provisioning(app):
                raise invalid("connection", "Provisioning is not enabled for the app instance.")
            with self.svc.continuing(task.attempts if scheduled else 0):
                self._rerun(app, task, happened)
            task = self._settle(task, happened)
        return task, happened

    def _rerun(self, app: AppRec, task: TaskRec, happened: Happened) -> None:
        if task.action in USER_ACTIONS:
            self._rerun_user(app, task, happened)
        elif task.action in GROUP_ACTIONS:
            push = next((p for p in self.store.pushes(app.id, task.object_id)), None)
            if push is None or push.status == "INACTIVE":
                raise invalid("task", "The group is no longer actively pushed to this app; push it again")
            _, again = self.groups.push_now(app.id, push.id)
            _merge(happened, again)
        elif task.action in APP_ACTIONS:
            if task.action == "test_connection":
                again = self.apps.test_connector(app.id)
            else:
                again = self.apps.import_now(app.id, task.action.removeprefix("import_"))
            _merge(happened, again)
        else:
            raise invalid("task", f"A failed {task.action.replace('_', ' ')} cannot be retried from here")

    def _rerun_user(self, app: AppRec, task: TaskRec, happened: Happened) -> None:
        user = self.svc.user(task.object_id)
        rec = self.store.app_user(app.id, user.id)
        if rec is None or (rec.status == "DEPROVISIONED" and task.action != "deactivate"):
            raise invalid("task", f"{user.okta.display_name} is no longer assigned to {app.instance.label}")
        inst = app.instance
        if task.action == "assign_user":
            if rec.scim_id:
                return  # provisioned since the task was opened
            plan = engine.assign_user(inst, user.okta, rec.model, rng=self.svc.rng)
            outcome = self.svc.execute(app, plan, user.id, happened).outcome
            if outcome.ok and outcome.scim_id:
                fixed = replace(rec, scim_id=outcome.scim_id, status="PROVISIONED", sync_state="SYNCHRONIZED")
                self.store.put_app_user(fixed)
            return
        if not rec.scim_id:
            raise invalid("task", f"{user.okta.display_name} was never created in {inst.label}")
        plans = {
            "update_profile": engine.update_profile,
            "deactivate": engine.deactivate,
            "reactivate": engine.reactivate,
        }
        self.svc.execute(app, plans[task.action](inst, user.okta, rec.model), user.id, happened)

    def _settle(self, task: TaskRec, happened: Happened) -> TaskRec:
        """Close the task, or fold the retry's new task into it so one failure stays one task."""
        if not happened.tasks:
            closed = replace(task, status="CLOSED", retry_at=None)
            self.store.put_task(closed)
            return closed
        latest = happened.tasks[-1]
        for new in happened.tasks:
            self.store.delete_task(new.id)
        kept = replace(task, error=latest.error, failed_step=latest.failed_step, attempts=latest.attempts,
                       retry_at=latest.retry_at)  # fmt: skip
        self.store.put_task(kept)
        happened.tasks[:] = [kept]
        return kept

    # ---- mappings ---------------------------------------------------------------------------

    def apply_mappings(self, app_id: str) -> Happened:
        """'Apply updates now' after a mapping change: push the profile of every provisioned app user."""
        happened = Happened()
        with self.store.transaction():
            app = self.svc.app(app_id)
            if not self.svc.provisioning(app) or not app.instance.actions.update_attributes:
                return happened
            for rec in self._provisioned(app.id):
                user = self.svc.user(rec.user_id)
                plan = engine.update_profile(app.instance, user.okta, rec.model)
                self.svc.execute(app, plan, user.id, happened)
        return happened

    def _provisioned(self, app_id: str) -> list[AppUserRec]:
        return [r for r in self.store.app_users(app_id=app_id) if r.status == "PROVISIONED" and r.scim_id]

    # ---- read back --------------------------------------------------------------------------

    def read_back(self, app_id: str, endpoint: str, scim_id: str) -> ScimResponse:
        """GET /Users/{id} or /Groups/{id} with Okta's headers (Verify view; Okta logs no such read)."""
        if endpoint not in ("Users", "Groups"):
            raise invalid("endpoint", "endpoint: must be Users or Groups")
        app = self.svc.app(app_id)
        if not app.instance.base_url:
            raise invalid("baseUrl", "baseUrl: set the connection first")
        path = wire.resource_path(endpoint, scim_id)
        return self.svc.transport.send(request(app.instance, f"verify.{endpoint.lower()}.get", "GET", path))


def _merge(into: Happened, other: Happened) -> None:
    into.runs.extend(other.runs)
    into.tasks.extend(other.tasks)
