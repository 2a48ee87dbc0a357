"""`scimcert cleanup LEDGER` as a user meets it: only the ledger's target, only the run's resources."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from simulator.cli import main
from suites.ledger import Ledger
from tests.conftest import TOKEN, ProviderFactory, Scim


def write_ledger(path: Path, target: str, *users: dict[str, object], run_id: str = "r1") -> Path:
    ledger = Ledger(path, run_id, target)
    for user in users:
        ledger.add("User", str(user["id"]), str(user["userName"]))
    ledger.flush()
    return path


def cleanup(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["cleanup", *args, "--token", TOKEN], env=env)
    return result.exit_code, result.output


def exists(scim: Scim, rid: str) -> bool:
    return scim.get(f"/Users/{rid}").status_code == 200


def test_a_url_other_than_the_ledgers_target_is_refused(make_provider: ProviderFactory,
                                                        tmp_path: Path) -> None:
    a, b = make_provider(), make_provider()
    alice = a.create_user("alice@example.com")  # made by hand on server A
    ours = b.create_user("scimcert-r1-ann@example.com")
    ledger = write_ledger(tmp_path / "ledger.json", b.base, {**alice, "userName": "scimcert-r1-x"}, ours)
    for args, env, given in ((["--url", a.base], None, "--url"),
                             ([], {"SCIMCERT_URL": a.base}, "SCIMCERT_URL")):
        code, out = cleanup(str(ledger), *args, env=env)
        assert code == 2, out
        assert f"lists what a run created at {b.base}, but {given} is {a.base}" in out
        assert "--allow-other-url" in out and "Traceback" not in out
    assert exists(a, alice["id"]) and exists(b, ours["id"])
    code, out = cleanup(str(ledger), env={"SCIMCERT_URL": b.base + "/"})  # the same target
    assert code == 0, out
    assert f"2 to delete at {b.base}: 1 deleted, 1 already gone, 0 skipped" in out
    assert not exists(b, ours["id"])
    usage = " ".join(CliRunner().invoke(main, ["cleanup", "--help"]).output.split())
    assert "[default: the ledger's target]" in usage and "embedded" not in usage


def test_only_resources_still_named_with_the_runs_prefix_are_deleted(
        make_provider: ProviderFactory, tmp_path: Path) -> None:
    a = make_provider()
    alice = a.create_user("alice@example.com")  # a recorded id the server gave to somebody else
    ours = a.create_user("SCIMCERT-R1-bob@example.com")  # servers may fold the case
    ledger = write_ledger(tmp_path / "ledger.json", "https://b.example/scim/v2",
                          {**alice, "userName": "scimcert-r1-x"}, ours)
    code, out = cleanup(str(ledger), "--url", a.base, "--allow-other-url")
    assert code == 0, out
    assert f"2 to delete at {a.base}: 1 deleted, 0 already gone, 1 skipped (no longer the run's)" in out
    assert (f"skipped: User {alice['id']}: userName is 'alice@example.com', not scimcert-r1-…; "
            "not deleted") in out
    assert exists(a, alice["id"]) and not exists(a, ours["id"])
    pending = [r["id"] for r in json.loads(ledger.read_text())["resources"] if not r["deleted"]]
    assert pending == [alice["id"]]  # never marked deleted: it was not


def test_what_is_not_a_ledger_exits_2_with_a_sentence(tmp_path: Path) -> None:
    summary = tmp_path / "summary.json"
    summary.write_text(json.dumps({"target": "http://x", "checks": [], "verdicts": {}}))
    listing = tmp_path / "list.json"
    listing.write_text("[]")
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(b"\xff\xfe{")
    entry = tmp_path / "entry.json"
    entry.write_text(json.dumps({"run_id": "r1", "target": "http://x", "resources": [{"id": "1"}]}))
    (tmp_path / "empty").mkdir()
    for path, message in ((summary, "is a run's summary.json, not its ledger"),
                          (listing, "is not a scimcert ledger (it has no run_id, target and resources)"),
                          (garbage, "is not a scimcert ledger: it is not JSON text"),
                          (entry, "resource 1 is not an object with type User or Group"),
                          (tmp_path / "empty", "has no ledger.json; give a run's report folder")):
        code, out = cleanup(str(path))
        assert code == 2, (path, out)
        assert message in out and "Traceback" not in out, out
    journal = tmp_path / "lone.journal"
    journal.write_text("")
    code, out = cleanup(str(journal))
    assert code == 2 and "lone.journal is a ledger's journal and its lone.json is missing" in out


def test_a_killed_runs_folder_or_journal_is_accepted(make_provider: ProviderFactory, tmp_path: Path) -> None:
    """A killed run leaves ledger.json (written at start) and ledger.journal (every create since)."""
    a = make_provider()
    ledger = Ledger(tmp_path / "ledger.json", "r1", a.base)
    ledger.flush()
    for n in range(2):
        user = a.create_user(f"scimcert-r1-u{n}@example.com")
        ledger.add("User", user["id"], user["userName"])
    assert json.loads((tmp_path / "ledger.json").read_text())["resources"] == []  # killed here
    code, out = cleanup(str(tmp_path / "ledger.journal"))
    assert code == 0 and "2 to delete" in out and "2 deleted" in out, out
    code, out = cleanup(str(tmp_path))
    assert code == 0 and "0 to delete" in out, out


def test_at_another_url_a_missing_resource_is_not_marked_gone(make_provider: ProviderFactory,
                                                                tmp_path: Path) -> None:
    """--allow-other-url pointed at the wrong server: nothing there, so nothing is marked deleted."""
    real, wrong = make_provider(), make_provider()
    ours = real.create_user("scimcert-r1-ann@example.com")
    ledger = write_ledger(tmp_path / "ledger.json", real.base, ours)
    code, out = cleanup(str(ledger), "--url", wrong.base, "--allow-other-url")
    assert code == 0, out
    assert f"1 to delete at {wrong.base}: 0 deleted, 0 already gone" in out
    assert f"1 not found at this URL: left in the ledger, as they may still exist at {real.base}" in out
    assert [e["id"] for e in Ledger.load(ledger).pending()] == [ours["id"]]
    code, out = cleanup(str(ledger))  # the right target then finds and deletes it
    assert code == 0 and f"1 to delete at {real.base}: 1 deleted" in out and not exists(real, ours["id"])


def test_ctrl_c_finishes_the_deletes_in_flight_writes_the_ledger_and_exits_130(
        make_provider: ProviderFactory, tmp_path: Path) -> None:
    a = make_provider("slow=0.3")
    users = [a.create_user(f"scimcert-r1-u{n}@example.com") for n in range(12)]
    ledger = write_ledger(tmp_path / "ledger.json", a.base, *users)
    proc = subprocess.Popen([sys.executable, "-m", "simulator.cli", "cleanup", str(ledger), "--token", TOKEN],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and a.get("/Users").json()["totalResults"] == len(users):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    time.sleep(0.05)
    proc.send_signal(signal.SIGINT)  # also ignored: the ledger must still be written
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130, out
    assert "stopping: finishing the deletes in flight and writing the ledger" in out
    assert "Aborted!" not in out and "Traceback" not in out
    on_server = {u["id"] for u in a.get("/Users?count=100").json()["Resources"]}
    pending = {r["id"] for r in json.loads(ledger.read_text())["resources"] if not r["deleted"]}
    assert on_server and pending == on_server  # the ledger says exactly what is left
    assert f"{len(pending)} left (stopped)" in out
    assert f"stopped by SIGINT: {len(pending)} resources still to delete; 'scimcert cleanup {ledger}'" in out


def test_the_cleanup_block_of_the_runs_summary_beside_the_ledger_is_brought_up_to_date(
        make_provider: ProviderFactory, tmp_path: Path) -> None:
    """A CI job reading summary.json after `scimcert cleanup` sees what is left now, not the run's end."""
    a = make_provider()
    alice = a.create_user("alice@example.com")  # a recorded id the server gave to somebody else
    ours = a.create_user("scimcert-r1-ann@example.com")
    ledger = write_ledger(tmp_path / "ledger.json", a.base, {**alice, "userName": "scimcert-r1-x"}, ours)
    summary = {"target": a.base, "run_id": "r1", "gate_failed": False,
               "cleanup": {"left": 2, "failed": [f"User {ours['id']}: DELETE -> 500"], "skipped": [],
                           "discarded": 0}}
    (tmp_path / "summary.json").write_text(json.dumps(summary))
    code, out = cleanup(str(ledger))
    assert code == 0 and "1 deleted" in out and "note:" not in out, out
    after = json.loads((tmp_path / "summary.json").read_text())
    assert list(after) == list(summary) and list(after["cleanup"]) == list(summary["cleanup"])
    assert after["cleanup"] == {"left": 0, "failed": [], "discarded": 0, "skipped": [
        f"User {alice['id']}: userName is 'alice@example.com', not scimcert-r1-…; not deleted"]}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left
    assert Ledger.load(ledger).pending() == []
    usage = " ".join(CliRunner().invoke(main, ["cleanup", "--help"]).output.split())
    assert ("It updates the ledger and the cleanup block of the run's summary.json beside it (what is "
            "left, failed, skipped); report.html and junit.xml keep the run's end state.") in usage


def test_a_summary_that_is_not_the_ledgers_runs_is_left_as_it_was_and_said_so(
        make_provider: ProviderFactory, tmp_path: Path) -> None:
    a = make_provider()
    block = {"left": 1, "failed": [], "skipped": [], "discarded": 0}
    for name, content, note in (
            ("absent", None, "note: no summary.json beside {ledger}: only the ledger was updated."),
            ("other", json.dumps({"run_id": "r2", "cleanup": block}),
             "note: left {summary} as it was: it is run r2's, not run r1's (the ledger's)."),
            ("garbage", "{not json", "note: left {summary} as it was: it is not JSON."),
            ("no-block", json.dumps({"run_id": "r1"}),
             "note: left {summary} as it was: it has no cleanup block."),
            ("folder", "", "note: left {summary} as it was: cannot read it (Is a directory).")):
        folder = tmp_path / name
        folder.mkdir()
        ours = a.create_user(f"scimcert-r1-{name}@example.com")
        ledger = write_ledger(folder / "ledger.json", a.base, ours)
        summary = folder / "summary.json"
        if name == "folder":
            summary.mkdir()
        elif content is not None:
            summary.write_text(content)
        code, out = cleanup(str(folder))
        assert code == 0 and "1 deleted" in out and "Traceback" not in out, out
        assert note.format(ledger=ledger, summary=summary) in out
        assert not exists(a, ours["id"]) and Ledger.load(ledger).pending() == []
        assert content is None or summary.is_dir() or summary.read_text() == content


def test_a_ledger_of_creates_that_got_no_response_only(make_provider: ProviderFactory,
                                                       tmp_path: Path) -> None:
    """Its first read is a lookup by name: wrong credentials stop it there; with the right ones the
    resource of exactly that name is deleted, nothing else."""
    scim = make_provider()
    made = scim.create_user("scimcert-r1-made@example.com")
    other = scim.create_user("scimcert-r1-made@example.org")
    ledger = Ledger(tmp_path / "ledger.json", "r1", scim.base)
    ledger.add_unconfirmed("User", "scimcert-r1-made@example.com")
    ledger.flush()
    refused = CliRunner().invoke(main, ["cleanup", str(tmp_path), "--token", "wrong"])
    assert refused.exit_code == 2, refused.output
    assert "rejected the credentials from --token (GET /Users?filter=" in refused.output
    code, out = cleanup(str(tmp_path))
    assert code == 0, out
    assert f"1 create that got no response looked up by name at {scim.base}: 1 resource found" in out
    assert f"1 to delete at {scim.base}: 1 deleted" in out
    assert not exists(scim, made["id"]) and exists(scim, other["id"])
    assert Ledger.load(tmp_path / "ledger.json").unconfirmed[0]["settled"] == "found"
