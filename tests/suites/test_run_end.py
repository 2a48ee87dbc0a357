"""How a run ends: a run cut short by -x has no verdict, the verdict block is the last thing
printed, and what the checks deleted themselves is not counted as left on the target."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from suites.baseline import load_baseline
from suites.config import HarnessError
from suites.ledger import Ledger
from tests.suites.support import TOKEN, provider, run_suites
from tests.suites.test_harness import CHECKS, run_fake, summary_of

FAILS_FIRST = CHECKS.replace('client.get("/Users"), 200', 'client.get("/Users"), 418')


def test_a_run_stopped_by_x_is_incomplete_not_a_pass(pytester: pytest.Pytester, tmp_path: Path) -> None:
    """-x after a failure below the gate used to end PASS, exit 0, with two checks never run."""
    source = FAILS_FIRST.replace('level="MUST", refs=["RFC7644 §3.4.2"]',
                                 'level="MAY", refs=["RFC7644 §3.4.2"]')
    with provider() as url:
        stopped = run_fake(pytester, url, "--scim-report-dir", str(tmp_path), "-x", source=source)
    assert stopped.ret == 1
    summary = summary_of(tmp_path)
    assert summary["verdicts"] == {"rfc": "incomplete", "okta": "incomplete"} and summary["gate_failed"]
    assert summary["stopped_early"] == "stopping after 1 failures" and summary["not_run"] == 2
    assert summary["interrupted"] is False
    stopped.stdout.fnmatch_lines(["*stopping after 1 failures*",
                                  "*= scimcert =*",
                                  "*RFC conformance: INCOMPLETE    Okta readiness: INCOMPLETE*",
                                  "INCOMPLETE: stopping after 1 failures (-x or --maxfail), after 1 of 3 "
                                  "checks: the run has no verdict"])
    with pytest.raises(HarnessError, match="a run stopped early"):
        load_baseline(tmp_path / "summary.json")


def test_x_without_a_failure_to_stop_on_is_a_complete_run(pytester: pytest.Pytester, tmp_path: Path) -> None:
    with provider() as url:
        done = run_fake(pytester, url, "--scim-report-dir", str(tmp_path), "-x")
    assert done.ret == 0
    summary = summary_of(tmp_path)
    assert summary["verdicts"] == {"rfc": "pass", "okta": "pass"} and "stopped_early" not in summary


def test_the_verdict_block_comes_after_everything_pytest_prints(pytester: pytest.Pytester,
                                                                tmp_path: Path) -> None:
    with provider() as url:
        result = run_fake(pytester, url, "--scim-report-dir", str(tmp_path), "-ra", source=FAILS_FIRST)
    out = result.stdout.str()
    assert out.index("short test summary info") < out.index("1 failed, 2 passed") < out.index("= scimcert =")
    assert out.rstrip().splitlines()[-1] == f"reports: {tmp_path}"


def test_what_the_checks_deleted_is_not_left_in_the_ledger(tmp_path: Path) -> None:
    """USR-DELETE-* delete their users themselves: with --no-cleanup the ledger's pending entries
    are exactly what is still on the target (before, they counted as kept, then 'already gone')."""
    with provider() as url:
        summary = run_suites(url, ["users"], "-k", "delete", "--scim-no-cleanup", report_dir=tmp_path)
        auth = {"Authorization": f"Bearer {TOKEN}"}
        listing = requests.get(f"{url}/Users", headers=auth, timeout=30).json()
    assert summary["exit_code"] == 0, summary["stdout"][-3000:]
    ledger = Ledger.load(tmp_path / "ledger.json")
    deleted = [e for e in ledger.entries if e["deleted"]]
    assert deleted, "the delete checks deleted users the ledger lists"
    assert sorted(e["id"] for e in ledger.pending()) == sorted(u["id"] for u in listing.get("Resources", []))
    assert summary["cleanup"]["left"] == len(ledger.pending()) == listing["totalResults"]
    assert json.loads((tmp_path / "summary.json").read_text())["cleanup"]["left"] == listing["totalResults"]
