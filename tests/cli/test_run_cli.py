"""`scimcert run`, `checks` and friends as a user meets them."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from simulator.cli import main
from simulator.cli.run_cmd import STOPPING
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
    # a title is the docstring's whole first paragraph, also where it wraps over two lines
    titles = {e["id"]: e["title"] for e in entries}
    assert titles["BULK-FAIL-001"].endswith("a DELETE of an existing user that follows a DELETE of a "
                                            "missing one leaves the user in place.")


def test_checks_of_one_suite_and_an_unknown_suite() -> None:
    sort = json.loads(CliRunner().invoke(main, ["checks", "--json", "--suite", "sort"]).output)
    text = CliRunner().invoke(main, ["checks", "--suite", "sort"]).output
    assert sort and text.rstrip().endswith(f"{len(sort)} checks in 1 suite")
    unknown = CliRunner().invoke(main, ["checks", "--suite", "nosuch"])
    assert unknown.exit_code == 2
    assert "unknown suite 'nosuch'; suites: bulk, cursor, discovery" in unknown.output


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
    in it (nor would it die of SIGINT), so the check in flight gets its answer and the run ends
    with every resource accounted for (discarded with the provider). The run is every suite: the
    users suite alone (31 checks) once ended in 0.3 s, before the signal came."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator.cli", "run", "--report-dir", str(tmp_path)],
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


def _scimcert(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "simulator.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300, check=False)


def test_a_report_dir_with_a_previous_run_is_refused_unless_overwrite(tmp_path: Path) -> None:
    old = tmp_path / "rd"
    old.mkdir()
    (old / "summary.json").write_text('{"verdicts": {"rfc": "pass", "okta": "pass"}}')
    (old / "junit.xml").write_text("<testsuites/>")
    ledger = Ledger(old / "ledger.json", "r1", "https://old.example/scim/v2")
    ledger.flush()
    ledger.add("User", "u1", "scimcert-r1-a")  # a killed run: only its journal lists the user
    unreachable = ["run", "--url", "http://127.0.0.1:9/scim/v2", "--token", "x", "--report-dir", str(old)]
    for extra in ([], ["--overwrite"]):
        refused = CliRunner().invoke(main, [*unreachable, *extra])
        assert refused.exit_code == 2, refused.output
        assert f"lists 1 resource a previous run left on https://old.example/scim/v2; delete them with " \
               f"'scimcert cleanup {old / 'ledger.json'}'" in refused.output
    assert Ledger.load(old / "ledger.json").pending()  # nothing lost

    Ledger.load(old / "ledger.json").mark_deleted("User", "u1")  # cleaned up now
    refused = CliRunner().invoke(main, unreachable)
    assert refused.exit_code == 2 and "already holds the reports of a previous run" in refused.output
    assert "--overwrite" in refused.output and (old / "summary.json").exists()

    # --overwrite replaces them only once the target has answered: a run that cannot start
    # leaves the old reports as they were, and writes nothing beside them
    failed = _scimcert(*unreachable, "--overwrite")
    assert failed.returncode == 2, failed.stdout + failed.stderr
    assert (old / "summary.json").read_text() == '{"verdicts": {"rfc": "pass", "okta": "pass"}}'
    assert (old / "junit.xml").read_text() == "<testsuites/>"
    with provider() as url:
        replaced = _scimcert("run", "--url", url, "--token", TOKEN, "--suite", "discovery", "--report-dir",
                             str(old), "--overwrite")
    assert replaced.returncode == 0, replaced.stdout + replaced.stderr
    assert json.loads((old / "summary.json").read_text())["target"] == url


def test_no_cleanup_says_what_it_kept_and_the_dir_is_kept_for_its_cleanup(tmp_path: Path) -> None:
    report_dir = tmp_path / "rd"
    with provider() as url:
        args = ["run", "--url", url, "--token", TOKEN, "--suite", "users", "--report-dir", str(report_dir)]
        kept = _scimcert(*args, "--no-cleanup", "--", "-k", "test_create_returns_201")
        assert kept.returncode == 0, kept.stdout[-3000:]
        assert (f"--no-cleanup kept 1 resource the run created on {url}; "
                f"'scimcert cleanup {report_dir / 'ledger.json'}'") in kept.stdout
        again = _scimcert(*args, "--overwrite", "--", "-k", "test_create_returns_201")
        assert again.returncode == 2 and "lists 1 resource a previous run left" in again.stderr
        before = json.loads((report_dir / "summary.json").read_text())
        html = (report_dir / "report.html").read_text()
        assert before["cleanup"] == {"left": 1, "failed": [], "skipped": [], "discarded": 0}
        done = CliRunner().invoke(main, ["cleanup", str(report_dir / "ledger.json"), "--token", TOKEN])
        assert "1 deleted" in done.output and "note:" not in done.output
    after = json.loads((report_dir / "summary.json").read_text())
    assert after == {**before, "cleanup": {"left": 0, "failed": [], "skipped": [], "discarded": 0}}
    assert list(after) == list(before)  # the shape DESIGN.md fixes: values updated, no key added
    assert (report_dir / "report.html").read_text() == html  # the run's end state, as the help says


def test_a_run_on_the_embedded_provider_discards_instead_of_deleting(tmp_path: Path) -> None:
    """The embedded provider stops with the run and its memory with it: deleting what the run
    created one by one was a third of a full run's requests for nothing."""
    proc = _scimcert("run", "--suite", "users", "--report-dir", str(tmp_path),
                     "--", "-k", "test_create_returns_201")
    assert proc.returncode == 0, proc.stdout[-3000:]
    cleanup = json.loads((tmp_path / "summary.json").read_text())["cleanup"]
    assert cleanup == {"left": 0, "failed": [], "skipped": [], "discarded": 1}
    har = json.loads((tmp_path / "exchanges.har").read_text())
    steps = [e.get("comment", "") for e in har["log"]["entries"]]
    assert steps and not [s for s in steps if s.endswith("cleanup")]
    assert Ledger.load(tmp_path / "ledger.json").pending() == []
    assert "nothing is left to delete" not in proc.stdout  # nothing to say without --no-cleanup


def test_read_only_that_leaves_no_check_says_why(tmp_path: Path) -> None:
    proc = _scimcert("run", "--read-only", "--suite", "patch", "--report-dir", str(tmp_path / "rd"))
    assert proc.returncode == 2
    assert "no checks selected (--read-only keeps only the checks that send no writes)" in proc.stderr
    assert not (tmp_path / "rd").exists()


def test_no_cleanup_on_the_embedded_provider_leaves_nothing_pending(tmp_path: Path) -> None:
    proc = _scimcert("run", "--suite", "users", "--no-cleanup", "--report-dir", str(tmp_path),
                     "--", "-k", "test_create_returns_201")
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert ("--no-cleanup: what the run created (1 resource) was on the embedded reference provider, "
            "which has stopped") in proc.stdout
    assert Ledger.load(tmp_path / "ledger.json").pending() == []


def test_the_default_report_dir_is_never_one_another_run_has(tmp_path: Path) -> None:
    """Runs started in the same second each get their own reports/<timestamp>[-N] folder."""
    now = datetime.now()
    taken = [tmp_path / "reports" / (now + timedelta(seconds=s)).strftime("%Y%m%d-%H%M%S") for s in range(60)]
    for folder in taken:
        folder.mkdir(parents=True)
        (folder / "summary.json").write_text("another run's")
    with provider() as url:
        proc = _scimcert("run", "--url", url, "--token", TOKEN, "--suite", "discovery",
                         "--", "-k", "test_service_provider_config_is_valid", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert all([p.name for p in f.iterdir()] == ["summary.json"] for f in taken)
    assert all((f / "summary.json").read_text() == "another run's" for f in taken)
    (mine,) = set((tmp_path / "reports").iterdir()) - set(taken)
    assert mine.name.endswith("-2") and (mine / "ledger.json").exists()


def _users_run_past_its_first_create(url: str, report_dir: Path) -> tuple[subprocess.Popen[str], Path]:
    """`scimcert run --suite users` in a subprocess, returned once its ledger lists a create."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator.cli", "run", "--url", url, "--token", TOKEN, "--suite", "users",
         "--report-dir", str(report_dir)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    ledger = report_dir / "ledger.json"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (ledger.exists() and Ledger.load(ledger).entries):
        time.sleep(0.1)
    return proc, ledger


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_run_says_so_everywhere_and_still_cleans_up(tmp_path: Path, sig: signal.Signals,
                                                                   code: int) -> None:
    with provider("slow=1") as url:  # every request takes a second: the signal lands inside a check
        proc, ledger = _users_run_past_its_first_create(url, tmp_path)
        time.sleep(0.5)  # the first check has passed; the next one is half-way through its POST
        proc.send_signal(sig)
        out, _ = proc.communicate(timeout=120)
        assert _users_left(url) == 0  # the create in flight finished, was recorded, and deleted
    assert proc.returncode == code, out
    assert all(r["deleted"] for r in json.loads(ledger.read_text())["resources"])
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["interrupted"] is True and summary["interrupted_by"] == sig.name
    assert summary["verdicts"] == {"rfc": "interrupted", "okta": "interrupted"} and summary["gate_failed"]
    assert summary["not_run"] > 0
    cut = [c for c in summary["checks"] if c["outcome"] != "passed"]
    assert [(c["outcome"], c["message"]) for c in cut] == [
        ("error", f"interrupted by {sig.name} before the check finished")]
    started = len(summary["checks"])
    assert f"INTERRUPTED by {sig.name} after {started} of {started + summary['not_run']} checks" in out
    assert f"{started - 1} passed, 1 error" in out  # pytest's count agrees with the summary's
    (cut_id,) = [c["id"] for c in cut]
    assert f"{cut_id} " in out and f"(interrupted by {sig.name})" in out and "setup or teardown" not in out
    assert "\nINTERRUPTED suites/users/" in out  # pytest's short summary names it so too
    assert out.index("short test summary info") < out.index("= scimcert =")  # the verdict block ends it
    assert f"INTERRUPTED by {sig.name}" in (tmp_path / "report.html").read_text()
    junit = (tmp_path / "junit.xml").read_text()
    assert junit.count("<error ") == 1 and f"interrupted by {sig.name}" in junit
    assert "<testcase time=" not in junit  # no nameless, empty (so passing) test case


@pytest.mark.parametrize(("first", "second", "code"), [(signal.SIGINT, signal.SIGTERM, 130),
                                                        (signal.SIGTERM, signal.SIGTERM, 143),
                                                        (signal.SIGTERM, signal.SIGINT, 143)])
def test_a_second_signal_does_not_cut_the_stopping_run_short(tmp_path: Path, first: signal.Signals,
                                                             second: signal.Signals, code: int) -> None:
    """How CI cancels a job: the first signal stops the run, the next one lands in its cleanup and
    is ignored; the run still deletes what it created, writes its reports and exits by the first."""
    with provider("slow=0.5") as url:
        proc, ledger = _users_run_past_its_first_create(url, tmp_path)
        time.sleep(0.3)
        proc.send_signal(first)
        time.sleep(0.05)  # the second arrives while the first is still unwinding the checks
        proc.send_signal(second)
        out, _ = proc.communicate(timeout=120)
        assert _users_left(url) == 0
    assert proc.returncode == code, out
    assert "Aborted!" not in out and "Traceback" not in out
    assert all(r["deleted"] for r in json.loads(ledger.read_text())["resources"])
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["interrupted"] is True and summary["interrupted_by"] == first.name


def test_the_stopping_notice_starts_its_own_line_in_merged_output(tmp_path: Path) -> None:
    """With stderr merged into stdout (2>&1, as CI logs are), the notice a second signal prints
    while the run cleans up does not land glued after pytest's progress dots, and leaves pytest's
    layout as it was: one blank line before its next section."""
    with provider("slow=1") as url:  # every delete of the cleanup takes a second: time to send it
        proc, _ = _users_run_past_its_first_create(url, tmp_path)
        assert proc.stdout is not None
        seen: list[str] = []
        reader = threading.Thread(target=lambda: seen.extend(iter(lambda: proc.stdout.read(1), "")))
        reader.start()
        # As above: the first check has passed, the next one is half-way through its POST (sent at
        # once, the signal could land in the first check's report hooks, and no check shows E).
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)  # mid-run: the check in flight is cut off, shown as E
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not re.search(r"test_create\.py \.*E", "".join(seen)):
            time.sleep(0.01)
        proc.send_signal(signal.SIGINT)  # lands in the cleanup: ignored, with the notice
        proc.wait(timeout=120)
        reader.join(timeout=60)
    out = "".join(seen)
    assert proc.returncode == 130, out
    assert [line for line in out.splitlines() if "stopping:" in line] == [STOPPING], out
    assert re.search(rf"\nsuites/users/test_create\.py \.*E\n{re.escape(STOPPING)}\n\n=", out), out


def _users_left(url: str) -> int:
    listing = requests.get(f"{url}/Users", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30).json()
    return int(listing["totalResults"])
