"""`scimcert simulator` as a user runs it: the org file and its API token."""

from __future__ import annotations

import re
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.conftest import ProviderFactory
from tests.okta.test_admin_api import Admin, install_test_app, person


def _start(db: Path, *args: str) -> tuple[str, str]:
    """Start the simulator on a free port, call its API once, stop it; (token, API status)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator.cli", "simulator", "--port", "0", "--db", str(db), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(4)]
        api = re.search(r"(http://\S+/api/v1)", lines[0]).group(1)  # type: ignore[union-attr]
        token = lines[3].rsplit(": ", 1)[1].strip()
        reply = requests.get(f"{api}/users", headers={"Authorization": f"SSWS {token}"}, timeout=10)
        return token, str(reply.status_code)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=10)


def test_a_restart_keeps_the_api_token(tmp_path: Path) -> None:
    db = tmp_path / "org.db"
    first, status = _start(db)
    assert status == "200" and len(first) >= 30
    assert _start(db) == (first, "200")
    assert _start(db, "--admin-token", "chosen-token") == ("chosen-token", "200")


def _foreign_db(path: Path) -> Path:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    return path


def _unusable(tmp: Path, kind: str) -> Path:
    if kind == "folder":
        return tmp
    if kind == "missing-folder":
        return tmp / "missing" / "org.db"
    if kind == "not-sqlite":
        (tmp / "notes.txt").write_text("hello, not a database\n" * 20)
        return tmp / "notes.txt"
    return _foreign_db(tmp / "app.db")


@pytest.mark.parametrize(("kind", "message"), [
    ("folder", "is a folder; give a file in it"),
    ("missing-folder", "does not exist; create it"),
    ("not-sqlite", "is not an SQLite database"),
    ("foreign-sqlite", "is an SQLite database of something else (tables invoices)"),
])
def test_an_unusable_db_is_a_usage_error(tmp_path: Path, kind: str, message: str) -> None:
    result = _refused(_unusable(tmp_path, kind))
    assert result.returncode == 2, result.stderr
    assert "Invalid value for '--db'" in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr


def _refused(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A subprocess with a timeout: a simulator that accepts the file would serve until killed."""
    command = [sys.executable, "-m", "simulator.cli", "simulator", "--port", "0", "--db", str(db), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)


@pytest.mark.parametrize("token", [" ", "", " padded "])
def test_a_blank_or_padded_admin_token_is_refused_and_not_kept(tmp_path: Path, token: str) -> None:
    result = _refused(tmp_path / "org.db", "--admin-token", token)
    assert result.returncode == 2 and "Invalid value for '--admin-token'" in result.stderr
    assert not (tmp_path / "org.db").exists()  # refused before the org file is opened


def test_a_foreign_db_is_left_untouched(tmp_path: Path) -> None:
    path = _foreign_db(tmp_path / "app.db")
    assert _refused(path).returncode == 2
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert tables == ["invoices"]


def _serving(db: Path) -> tuple[subprocess.Popen[str], str]:
    """A simulator serving the org file at db; (process, admin API URL)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator.cli", "simulator", "--port", "0", "--db", str(db),
         "--admin-token", "adm"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    first = proc.stdout.readline()
    for _ in range(4):
        proc.stdout.readline()
    return proc, re.search(r"(http://\S+/api/v1)", first).group(1)  # type: ignore[union-attr]


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_finishes_the_admin_call_in_flight(tmp_path: Path, make_provider: ProviderFactory,
                                                  stop: signal.Signals) -> None:
    scim = make_provider("slow=0.8")  # every SCIM answer takes 0.8 s
    proc, api = _serving(tmp_path / "org.db")
    admin = Admin(api.removesuffix("/api/v1"), auth="SSWS adm")
    try:
        app_id = install_test_app(admin, scim.base)
        ann = person(admin, "ann@example.com", "Ann")
        with ThreadPoolExecutor(1) as pool:
            assigning = pool.submit(admin.call, "POST", f"/apps/{app_id}/users", {"id": ann["id"]})
            time.sleep(0.4)  # the lookup is on its way to the target
            proc.send_signal(stop)
            assigned = assigning.result(timeout=30)  # answered in full, not cut off
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "stopping: finishing 1 admin call(s) in flight" in err and err.rstrip().endswith("stopped")
    assert scim.get(f"/Users/{assigned['externalId']}").json()["userName"] == "ann@example.com"

    proc, api = _serving(tmp_path / "org.db")  # what the call sent is on record after a restart
    again = Admin(api.removesuffix("/api/v1"), auth="SSWS adm")
    try:
        kept = again.call("GET", f"/apps/{app_id}/users/{ann['id']}")
        steps = [e["debugContext"]["debugData"].get("step") for e in again.call("GET", "/logs", limit=1000)]
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)
    assert kept["externalId"] == assigned["externalId"] and kept["status"] == "PROVISIONED"
    assert steps[-2:] == ["assign.lookup", "assign.create"]


def test_a_second_simulator_on_the_same_org_file_is_refused(tmp_path: Path) -> None:
    proc, api = _serving(tmp_path / "org.db")
    try:
        second = _refused(tmp_path / "org.db", "--admin-token", "other")
        answer = requests.get(f"{api}/users", headers={"Authorization": "SSWS adm"}, timeout=10)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)
    assert second.returncode == 2 and "Traceback" not in second.stderr
    assert "org.db is in use by another running scimcert simulator; stop that one or give another --db" in (
        " ".join(second.stderr.split())  # click wraps long messages
    )
    assert answer.status_code == 200  # the first one's token was not replaced
    assert _start(tmp_path / "org.db")[0] == "adm"  # free again once the first has stopped
