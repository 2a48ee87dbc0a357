"""The provisioning log (every SCIM exchange, token redacted) and the Tasks page with Retry."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, abort, redirect, request, url_for
from werkzeug.wrappers import Response

from simulator.okta.console.web import flash_error, flash_ok, page, problem, report, services, sync
from simulator.okta.service import OrgError
from simulator.okta.store import LogRec, TaskRec
from simulator.okta.wire import REDACTED

bp = Blueprint("logs", __name__)

PAGE = 100
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "x-api-key"})


@bp.get("/log")
def log() -> Any:
    before = request.args.get("before", type=int)
    entries = services().svc.store.recent_logs(PAGE, before)
    older = entries[-1].seq if len(entries) == PAGE else None
    return page("log.html", entries=entries, older=older)


def _redacted(headers: dict[str, Any], secret: str | None) -> dict[str, Any]:
    """Hide credentials again at display time (the log is redacted when written; this is a backstop)."""
    hidden = _SECRET_HEADERS | ({secret.lower()} if secret else set())
    return {k: REDACTED if k.lower() in hidden else v for k, v in headers.items()}


def _pretty(body: Any) -> str:
    return "" if body is None else json.dumps(body, indent=2, ensure_ascii=False)


def render_exchange(entry: LogRec, secret: str | None) -> tuple[str, str]:
    """The request and response of a log entry as text: request line, headers, JSON bodies."""
    exchange = entry.exchange or {}
    req, resp = exchange.get("request") or {}, exchange.get("response") or {}
    query = f"?{req['query']}" if req.get("query") else ""
    lines = [f"{req.get('method', '?')} {req.get('path', '?')}{query}"]
    lines += [f"{k}: {v}" for k, v in _redacted(req.get("headers") or {}, secret).items()]
    request_text = "\n".join(lines) + (
        "\n\n" + _pretty(req.get("body")) if req.get("body") is not None else ""
    )
    status = resp.get("status")
    head = f"HTTP {status}" if status else f"No response: {resp.get('error') or 'unknown error'}"
    shown = _pretty(resp.get("body")) if resp.get("body") is not None else resp.get("text") or ""
    response_text = head + ("\n\n" + shown if shown else "")
    return request_text, response_text


@bp.get("/log/<int:seq>")
def log_entry(seq: int) -> Any:
    store = services().svc.store
    entry = store.log_entry(seq)
    if entry is None:
        abort(404)
    app = store.app(entry.app_id) if entry.app_id else None
    secret = app.instance.auth.header()[0] if app else None
    request_text, response_text = render_exchange(entry, secret)
    exchange = entry.exchange or {}
    return page(
        "log_entry.html", entry=entry, app=app, request_text=request_text, response_text=response_text,
        attempt=exchange.get("attempt"), elapsed=exchange.get("elapsed_ms"), waited=exchange.get("waited_s"),
    )  # fmt: skip


@bp.get("/tasks")
def tasks() -> Any:
    store = services().svc.store
    found = sorted(store.tasks(), key=lambda t: (t.status != "OPEN", t.created))  # open ones first
    apps = {a.id: a for a in store.apps()}
    return page("tasks.html", tasks=found, apps=apps, subject=_subject)


def _subject(task: TaskRec) -> str:
    """Who or what the task is about: a login, a group name, or the app itself."""
    store = services().svc.store
    if task.object_id.startswith("00u"):
        user = store.user(task.object_id)
        return str(user.profile.get("login")) if user else task.object_id
    if task.object_id.startswith("00g"):
        group = store.group(task.object_id)
        return group.name if group else task.object_id
    return "(the app)"


@bp.post("/tasks/<task_id>/retry")
def retry(task_id: str) -> Response:
    try:
        task, happened = sync().retry_task(task_id)
    except OrgError as exc:
        flash_error(problem(exc))
        return redirect(url_for("console.logs.tasks"))
    if task.status == "CLOSED":
        flash_ok(f"Retried task {task.id}: it succeeded and the task is closed.")
    report(happened)
    return redirect(url_for("console.logs.tasks"))
