"""`scimcert replay` lists what it leaves on its target in a ledger that `scimcert cleanup` takes."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from simulator.cli import main, replay_ledger
from simulator.okta.flowcleanup import Cleanup
from suites import reportdir
from suites.config import SOURCES
from suites.ledger import Ledger
from tests.conftest import user_body
from tests.suites.support import TOKEN, provider


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No SCIMCERT_* of the machine, and a folder of our own (reports/ goes there)."""
    for variable, _ in SOURCES.values():
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.chdir(tmp_path)

CHECKOUT = Path(__file__).resolve().parents[2]  # this scimcert, whatever the current folder


def users_on(url: str) -> set[str]:
    listing = requests.get(f"{url}/Users", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30).json()
    return {u["id"] for u in listing.get("Resources", [])}


def pending(path: Path) -> set[str]:
    return {e["id"] for e in Ledger.load(path).pending()}


def test_no_cleanup_lists_what_the_flow_kept_and_cleanup_deletes_exactly_that(tmp_path: Path) -> None:
    with provider() as url:
        result = CliRunner().invoke(main, ["replay", "user-lifecycle", "--url", url, "--token", TOKEN,
                                           "--no-cleanup"])
        assert result.exit_code == 0, result.output
        found = re.search(r"--no-cleanup kept 2 resources the flow created on \S+, listed in (\S+); "
                          r"'scimcert cleanup \1' \(with the same credentials\) deletes them\.",
                          result.output)
        assert found, result.output
        ledger = Path(found[1])
        assert ledger.parent.parent == Path("reports") and ledger.name == "ledger.json"
        kept = users_on(url)
        assert len(kept) == 2 and pending(ledger) == kept
        assert Ledger.load(ledger).target == url
        assert all(e["name"].startswith(Ledger.load(ledger).prefix) for e in Ledger.load(ledger).entries)
        cleaned = CliRunner().invoke(main, ["cleanup", str(ledger), "--token", TOKEN])
        assert cleaned.exit_code == 0, cleaned.output
        assert "2 to delete" in cleaned.output and "2 deleted" in cleaned.output
        assert users_on(url) == set() and pending(ledger) == set()


def test_with_a_report_dir_the_kept_resources_join_the_checks_ledger(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with provider() as url:
        result = CliRunner().invoke(main, ["replay", "user-lifecycle", "--url", url, "--token", TOKEN,
                                           "--no-cleanup", "--report-dir", str(out)])
        assert result.exit_code == 0, result.output
        assert f"listed in {out / 'ledger.json'}; 'scimcert cleanup {out / 'ledger.json'}'" in result.output
        ledger = Ledger.load(out / "ledger.json")
        checks = [e for e in ledger.entries if e["deleted"]]  # the checks cleaned up after themselves
        assert checks and all(e["name"].startswith(ledger.prefix) for e in ledger.entries)
        assert pending(out / "ledger.json") == users_on(url) != set()
        summary = json.loads((out / "summary.json").read_text())  # the folder agrees with itself
        assert summary["cleanup"] == {"left": 2, "failed": [], "skipped": [], "discarded": 0}
        assert not Path("reports").exists()
        again = CliRunner().invoke(main, ["replay", "connect", "--url", url, "--token", TOKEN,
                                          "--report-dir", str(out)])
        assert again.exit_code == 2 and "lists 2 resources a previous run left" in again.output
        cleaned = CliRunner().invoke(main, ["cleanup", str(out), "--token", TOKEN])
        assert cleaned.exit_code == 0 and "2 deleted" in cleaned.output, cleaned.output
        assert users_on(url) == set()
    reportdir.check(out, replace=True)  # cleaned up: the folder no longer blocks a run


def test_a_replay_that_cleaned_up_leaves_a_report_dir_that_blocks_no_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with provider() as url:
        result = CliRunner().invoke(main, ["replay", "user-lifecycle", "--url", url, "--token", TOKEN,
                                           "--report-dir", str(out)])
    assert result.exit_code == 0, result.output
    ledger = Ledger.load(out / "ledger.json")
    assert len(ledger.entries) > 2 and not ledger.pending()  # the checks' and the flow's, all deleted
    assert not (out / "ledger.journal").exists()
    reportdir.check(out, replace=True)


def test_what_the_flow_deleted_itself_is_not_listed_as_kept() -> None:
    """group-push ends by deleting its group: the journal records that too, so only its users are kept."""
    with provider() as url:
        result = CliRunner().invoke(main, ["replay", "group-push", "--url", url, "--token", TOKEN,
                                           "--no-cleanup"])
        assert result.exit_code == 0, result.output
        [path] = Path("reports").glob("*/ledger.json")
        assert "--no-cleanup kept 2 resources the flow created" in result.output
        ledger = Ledger.load(path)
        assert pending(path) == users_on(url) and {e["type"] for e in ledger.pending()} == {"User"}
        assert [e["deleted"] for e in ledger.entries if e["type"] == "Group"] == [True]


def test_the_embedded_provider_leaves_nothing_to_clean_up() -> None:
    result = CliRunner().invoke(main, ["replay", "user-lifecycle", "--no-cleanup"])
    assert result.exit_code == 0, result.output
    assert ("--no-cleanup kept 2 resources the flow created on the embedded reference provider, which "
            "stops with the replay: nothing is left to delete.") in result.output
    assert not Path("reports").exists()


def test_a_replay_that_cleaned_up_writes_no_ledger() -> None:
    with provider() as url:
        result = CliRunner().invoke(main, ["replay", "user-lifecycle", "--url", url, "--token", TOKEN])
    assert result.exit_code == 0, result.output
    assert "listed in" not in result.output and not Path("reports").exists()


def test_what_the_cleanup_could_not_delete_is_listed(tmp_path: Path) -> None:
    ledger, made = replay_ledger.open_ledger(None, False, "ab12", "https://scim.example.com/scim/v2")
    created = [("User", "u1", "scimcert-ab12-a"), ("User", "u2", "scimcert-ab12-b"), ("User", "u3", "x")]
    stranger = "User u3: userName is 'x', not scimcert-ab12-…; not deleted"
    done = Cleanup((), (("User", "u1", "deleted", "User u1"),
                        ("User", "u2", "failed", "User u2: DELETE -> 500"),
                        ("User", "u3", "skipped", stranger)))
    replay_ledger.record(ledger, created, done)
    with CliRunner().isolation() as (stdout, _, _):
        replay_ledger.write(ledger, None, embedded=False, no_cleanup=False, made=made)
    [path] = Path("reports").glob("*/ledger.json")
    assert not path.with_suffix(".journal").exists()  # written whole at the end
    assert (f"the replay left 1 resource on https://scim.example.com/scim/v2, listed in {path}"
            in stdout.getvalue().decode())
    written = json.loads(path.read_text())
    assert written["run_id"] == "ab12" and pending(path) == {"u2"}
    assert [e.get("skipped") for e in written["resources"]] == [None, None, stranger]


def test_the_checks_summary_in_the_report_dir_counts_what_the_flow_left(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    checks = {"run_id": "ab12", "cleanup": {"left": 1, "failed": ["Group g1: DELETE -> 500"], "skipped": [],
                                            "discarded": 0}}
    (out / "summary.json").write_text(json.dumps(checks))
    theirs = Ledger(out / "ledger.json", "ab12", "https://scim.example.com/scim/v2")
    theirs.add("Group", "g1", "scimcert-ab12-g")
    theirs.flush()
    ledger, _ = replay_ledger.open_ledger(out, False, "ab12", "https://scim.example.com/scim/v2")
    assert ledger.entries == theirs.entries  # the flow continues the ledger of the checks (run first)
    stranger = "User u3: userName is 'x', not scimcert-ab12-…; not deleted"
    replay_ledger.record(ledger, [("User", "u2", "scimcert-ab12-b"), ("User", "u3", "x")],
                         Cleanup((), (("User", "u2", "failed", "User u2: DELETE -> 500"),
                                      ("User", "u3", "skipped", stranger))))
    with CliRunner().isolation():
        replay_ledger.write(ledger, out, embedded=False, no_cleanup=False, failed=["User u2: DELETE -> 500"])
    assert pending(out / "ledger.json") == {"g1", "u2"}
    assert json.loads((out / "summary.json").read_text())["cleanup"] == {
        "left": 2, "failed": ["Group g1: DELETE -> 500", "User u2: DELETE -> 500"], "skipped": [stranger],
        "discarded": 0}
    (out / "summary.json").write_text(json.dumps({**checks, "run_id": "other"}))  # not this replay's
    with CliRunner().isolation():
        replay_ledger.write(ledger, out, embedded=False, no_cleanup=False)
    assert json.loads((out / "summary.json").read_text())["cleanup"]["left"] == 1


def test_a_previous_runs_ledger_in_the_report_dir_is_replaced(tmp_path: Path) -> None:
    """The checks could not start and left a previous run's ledger there (nothing left on its target,
    or the replay would have refused the folder): the flow's own journal must not join it."""
    old = Ledger(tmp_path / "ledger.json", "old1", "https://old.example/scim/v2")
    old.add("User", "u0", "scimcert-old1-a")
    old.mark_deleted("User", "u0")
    old.flush()
    ledger, made = replay_ledger.open_ledger(tmp_path, False, "ab12", "https://scim.example.com/scim/v2")
    ledger.add("User", "u1", "scimcert-ab12-a")
    found = Ledger.load(tmp_path / "ledger.json")  # as a kill -9 would leave it
    assert (found.run_id, found.target, pending(tmp_path / "ledger.json")) == (
        "ab12", "https://scim.example.com/scim/v2", {"u1"})
    assert made == [] and [e["id"] for e in found.entries] == ["u1"]


def test_a_reports_file_stops_the_replay_before_the_flow() -> None:
    Path("reports").write_text("not a folder")
    with provider() as url:
        result = CliRunner().invoke(main, ["replay", "user-lifecycle", "--url", url, "--token", TOKEN])
        assert users_on(url) == set()
    assert result.exit_code == 2, result.output
    assert "reports is a file; give --report-dir or move it." in result.output
    assert "Traceback" not in result.output and Path("reports").read_text() == "not a folder"


def _killed_after_its_first_create(url: str, *args: str) -> tuple[Path, str]:
    """`scimcert replay user-lifecycle` in a subprocess, SIGKILLed once the flow has journaled its
    first create (the lookup-and-POST step; the next request is a GET, so nothing is in flight)."""
    proc = subprocess.Popen([sys.executable, "-m", "simulator.cli", "replay", "user-lifecycle", "--url", url,
                             "--token", TOKEN, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env={**os.environ, "PYTHONPATH": str(CHECKOUT)})  # run here, in tmp
    assert proc.stdout is not None
    seen: list[str] = []
    while not any(line.startswith("user-lifecycle: ") for line in seen):  # the flow starts (checks done)
        line = proc.stdout.readline()
        assert line, "".join(seen)
        seen.append(line)
    folder = f"{args[args.index('--report-dir') + 1]}" if "--report-dir" in args else "reports/*"
    deadline = time.monotonic() + 60
    while not (added := [j for j in Path().glob(f"{folder}/ledger.journal") if '"add"' in j.read_text()]):
        assert time.monotonic() < deadline and proc.poll() is None, "".join(seen)
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    out = "".join(seen) + proc.communicate(timeout=60)[0]
    assert proc.returncode == -signal.SIGKILL, out
    return added[0].with_suffix(".json"), out


@pytest.mark.parametrize("args", [(), ("--no-cleanup",), ("--no-cleanup", "--report-dir", "out")])
def test_a_killed_replay_leaves_a_ledger_that_cleanup_finishes(args: tuple[str, ...]) -> None:
    """kill -9 gives the replay no chance to clean up or write anything at the end: what it created
    was journaled before the next request, refuses the folder to a later run (as a killed run's
    does) and `scimcert cleanup` deletes exactly it, and then the folder takes a new run."""
    with provider("slow=0.3") as url:
        theirs = requests.post(f"{url}/Users", json=user_body("someone@example.com"), timeout=30,
                               headers={"Authorization": f"Bearer {TOKEN}"}).json()["id"]
        path, out = _killed_after_its_first_create(url, *args)
        created = users_on(url) - {theirs}
        assert len(created) == 1 and pending(path) == created, out  # in the ledger, though never flushed
        assert path.with_suffix(".journal").exists()
        refused = CliRunner().invoke(main, ["run", "--url", url, "--token", TOKEN, "--overwrite",
                                            "--report-dir", str(path.parent)])
        assert refused.exit_code == 2, refused.output
        assert (f"{path} lists 1 resource a previous run left on {url}; delete them with 'scimcert cleanup "
                f"{path}'") in refused.output
        cleaned = CliRunner().invoke(main, ["cleanup", str(path.parent), "--token", TOKEN])
        assert cleaned.exit_code == 0, cleaned.output
        assert f"1 to delete at {url}: 1 deleted" in cleaned.output
        assert users_on(url) == {theirs} and pending(path) == set()
    reportdir.check(path.parent, replace=True)  # nothing left: a later run may replace the folder
