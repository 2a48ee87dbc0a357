"""`scimcert simulator` against a target answering 429: admin calls return, Okta's retry runs later."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from flask import Flask, Response, jsonify

from simulator.okta.store import parse_stamp
from simulator.provider.server import start_in_thread
from tests.okta.test_admin_api import Admin, install_test_app, person

LIST = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 0, "Resources": []}


def limited_target(limited: int, retry_after: str | None) -> Flask:
    """Lists are empty; the first `limited` POST /Users answer 429 (with `retry_after`), then 201."""
    app, posts = Flask("limited-target"), [0]

    @app.get("/scim/v2/<kind>")
    def listing(kind: str) -> Response:
        return jsonify(LIST)

    @app.post("/scim/v2/Users")
    def create() -> tuple[Response, int, dict[str, str]]:
        posts[0] += 1
        if posts[0] <= limited:
            return jsonify({"detail": "slow down", "status": "429"}), 429, (
                {"Retry-After": retry_after} if retry_after else {})  # fmt: skip
        return jsonify({"id": "s-1", "userName": "ann@example.com", "active": True}), 201, {}

    return app


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[Callable[..., Admin]]:
    procs: list[subprocess.Popen[str]] = []

    def start(*args: str) -> Admin:
        proc = subprocess.Popen(
            [sys.executable, "-m", "simulator.cli", "simulator", "--port", "0", "--db",
             str(tmp_path / "org.db"), "--admin-token", "adm", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        procs.append(proc)
        assert proc.stdout is not None
        first = proc.stdout.readline()
        for _ in range(4):
            proc.stdout.readline()
        api = re.search(r"(http://\S+)/api/v1", first).group(1)  # type: ignore[union-attr]
        return Admin(api, auth="SSWS adm")

    yield start
    for proc in procs:
        proc.send_signal(signal.SIGINT)
        try:
            proc.communicate(timeout=30)
        finally:
            proc.kill()
    for proc in procs:
        assert proc.returncode == 0  # stopped cleanly, a paused task and all


def test_an_assignment_rate_limited_without_retry_after_returns_and_the_org_stays_usable(simulator):
    target = start_in_thread(limited_target(10**6, None))
    try:
        admin = simulator()
        app_id = install_test_app(admin, target.url + "/scim/v2")
        ann = person(admin, "ann@example.com", "Ann")
        started = time.monotonic()
        assigned = admin.call("POST", f"/apps/{app_id}/users", {"id": ann["id"]})
        assert time.monotonic() - started < 20  # Okta's policy would wait 300 s, then 600 s, …
        [task] = admin.call("GET", "/tasks")
        assert assigned["_scimcert"]["tasks"] == [task["id"]]
        assert task["status"] == "OPEN" and task["attempts"] == 1 and task["failedStep"] == "assign.create"
        wait = (parse_stamp(task["retryAt"]) - datetime.now(UTC)).total_seconds()
        assert 260 < wait <= 300
        assert "Okta retries at" in task["errorSummary"] and "(attempt 2 of 10)" in task["errorSummary"]
        rate_limit = 'eventType eq "application.integration.rate_limit_exceeded"'
        events = admin.call("GET", "/logs", filter=rate_limit)
        assert [e["debugContext"]["debugData"]["step"] for e in events] == ["assign.create"]

        started = time.monotonic()  # and the rest of the org answers at once
        assert len(admin.call("GET", "/users")) == 1
        signin = requests.get(admin.base.removesuffix("/api/v1") + "/console/tasks", timeout=10)
        assert signin.status_code < 500 and time.monotonic() - started < 5
    finally:
        target.stop()


@pytest.mark.parametrize(("budget", "inline"), [("10", True), ("0", False)])
def test_retry_after_1_completes_inline_or_in_the_background(simulator, budget: str, inline: bool):
    target = start_in_thread(limited_target(2, "1"))  # waits 1 s, then 2 s: within the default budget
    try:
        admin = simulator("--inline-429-wait", budget)
        app_id = install_test_app(admin, target.url + "/scim/v2")
        ann = person(admin, "ann@example.com", "Ann")
        assigned = admin.call("POST", f"/apps/{app_id}/users", {"id": ann["id"]})
        assert (assigned["status"] == "PROVISIONED") is inline
        if not inline:  # paused: retried 1 s later (429 again), then 2 s later (201)
            [task] = admin.call("GET", "/tasks")
            assert task["status"] == "OPEN" and task["attempts"] == 1
            deadline = time.monotonic() + 20
            while admin.call("GET", "/tasks")[0]["status"] == "OPEN":
                assert time.monotonic() < deadline, admin.call("GET", "/tasks")
                time.sleep(0.1)
            [task] = admin.call("GET", "/tasks")
            assert task["status"] == "CLOSED" and task["retryAt"] is None
        else:
            assert admin.call("GET", "/tasks") == []
        assert admin.call("GET", f"/apps/{app_id}/users/{ann['id']}")["status"] == "PROVISIONED"
    finally:
        target.stop()


def test_the_help_documents_the_inline_budget():
    shown = subprocess.run([sys.executable, "-m", "simulator.cli", "simulator", "--help"],
                           capture_output=True, text=True, timeout=30, check=True).stdout  # fmt: skip
    assert "--inline-429-wait SECONDS" in shown and "[default: 10; x>=0]" in shown
