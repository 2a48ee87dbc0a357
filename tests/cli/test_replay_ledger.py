"""`scimcert replay` lists what it leaves on its target in a ledger that `scimcert cleanup` takes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from simulator.cli import main, replay_ledger
from simulator.okta.flowcleanup import Cleanup
from suites.config import SOURCES
from suites.ledger import Ledger
from tests.suites.support import TOKEN, provider


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No SCIMCERT_* of the machine, and a folder of our own (reports/ goes there)."""
    for variable, _ in SOURCES.values():
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.chdir(tmp_path)


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
    ledger = Ledger(None, "ab12", "https://scim.example.com/scim/v2")
    created = [("User", "u1", "scimcert-ab12-a"), ("User", "u2", "scimcert-ab12-b"), ("User", "u3", "x")]
    stranger = "User u3: userName is 'x', not scimcert-ab12-…; not deleted"
    done = Cleanup((), (("User", "u1", "deleted", "User u1"),
                        ("User", "u2", "failed", "User u2: DELETE -> 500"),
                        ("User", "u3", "skipped", stranger)))
    replay_ledger.record(ledger, created, done)
    with CliRunner().isolation() as (stdout, _, _):
        replay_ledger.write(ledger, None, embedded=False, no_cleanup=False)
    [path] = Path("reports").glob("*/ledger.json")
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
    ledger = Ledger(None, "ab12", "https://scim.example.com/scim/v2")
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
