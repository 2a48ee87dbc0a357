"""`scimcert run`, `checks` and friends as a user meets them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests
from click.testing import CliRunner

from simulator.cli import main
from suites.ledger import Ledger
from tests.suites.support import TOKEN, provider


def test_checks_catalogue() -> None:
    result = CliRunner().invoke(main, ["checks", "--json"])
    assert result.exit_code == 0
    entries = json.loads(result.output)
    assert entries and {"id", "level", "okta", "refs", "title", "suite"} <= set(entries[0])
    assert len({e["id"] for e in entries}) == len(entries)
    text = CliRunner().invoke(main, ["checks"]).output
    suites = sorted({e["suite"] for e in entries})
    assert text.rstrip().endswith(f"{len(entries)} checks in {len(suites)} suites")
    for suite in suites:  # the names --suite takes head their groups
        count = sum(e["suite"] == suite for e in entries)
        assert f"\n{suite}: {count} checks (--suite {suite})\n" in f"\n{text}"
    rows = [line for line in text.splitlines() if line.startswith("  ")]
    assert len(rows) == len(entries)
    assert len({row.index(e["title"]) for row, e in zip(rows, entries, strict=True)}) == 1  # aligned


def test_checks_of_one_suite_and_an_unknown_suite() -> None:
    sort = json.loads(CliRunner().invoke(main, ["checks", "--json", "--suite", "sort"]).output)
    text = CliRunner().invoke(main, ["checks", "--suite", "sort"]).output
    assert sort and text.rstrip().endswith(f"{len(sort)} checks in 1 suite")
    unknown = CliRunner().invoke(main, ["checks", "--suite", "nosuch"])
    assert unknown.exit_code == 2 and "unknown suite 'nosuch'; suites: discovery, errors" in unknown.output


def test_run_bad_input_exits_2_without_traceback() -> None:
    runner = CliRunner()
    for args, message in (
        (["--suite", "nope"], "unknown suite 'nope'"),
        (["--token", "x"], "need --url"),
        (["--extension", "garbage"], "expected URN=attr"),
        (["--fail-on", "often"], "'often' is not one of"),
    ):
        result = runner.invoke(main, ["run", *args])
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output and "Traceback" not in result.output


def test_run_unreachable_target_is_one_sentence(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "simulator.cli",
            "run",
            "--url",
            "http://127.0.0.1:9/scim/v2",
            "--token",
            "x",
            "--report-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    assert "cannot reach http://127.0.0.1:9/scim/v2 (connection failed)" in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr


def test_ctrl_c_still_cleans_up(tmp_path: Path) -> None:
    with provider("slow=0.2") as url:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "simulator.cli",
                "run",
                "--url",
                url,
                "--token",
                TOKEN,
                "--suite",
                "users",
                "--report-dir",
                str(tmp_path),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        ledger = tmp_path / "ledger.json"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if ledger.exists() and Ledger.load(ledger).entries:  # ledger.json + its journal
                break
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 130, out
        resources = json.loads(ledger.read_text())["resources"]
        assert resources and all(r["deleted"] for r in resources)
        listing = requests.get(
            f"{url}/Users", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30
        ).json()
        assert listing["totalResults"] == 0


def test_ctrl_c_in_a_terminal_still_cleans_up_on_the_embedded_provider(tmp_path: Path) -> None:
    """Ctrl-C reaches the terminal's whole foreground group; the provider's child process is not
    in it (nor would it die of SIGINT), so the interrupted run's cleanup still finds it."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator.cli", "run", "--suite", "users", "--report-dir", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    ledger = tmp_path / "ledger.json"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (ledger.exists() and Ledger.load(ledger).entries):
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGINT)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 130, out
    assert "cleanup failed" not in out
    resources = json.loads(ledger.read_text())["resources"]
    assert resources and all(r["deleted"] for r in resources)


def test_extension_from_scimcert_toml_is_tested_and_declared_on_the_embedded_provider(tmp_path: Path) -> None:
    acme = "urn:ietf:params:scim:schemas:extension:acme:2.0:User"
    (tmp_path / "scimcert.toml").write_text(f'[run]\nextension = ["{acme}=badge,level:integer"]\n')
    proc = subprocess.run(
        [sys.executable, "-m", "simulator.cli", "run", "--suite", "extensions", "--report-dir", "out"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    matrix = json.loads((tmp_path / "out" / "summary.json").read_text())["extensions"]
    rows = {(r["urn"], r["attribute"]) for r in matrix}
    assert {(acme, "badge"), (acme, "level")} <= rows
    assert {r["outcome"] for r in matrix if r["urn"] == acme} == {"passed"}
