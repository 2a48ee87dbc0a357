"""`scimcert simulator` as a user runs it: the org file and its API token."""

from __future__ import annotations

import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import requests


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
