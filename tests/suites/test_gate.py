"""The CI gate: waivers, --baseline and `scimcert diff` agree, and say what they decided where."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from simulator.cli import main
from suites.config import SOURCES, HarnessError
from suites.gate_view import baseline_line, regression_notes
from suites.levels import Level
from suites.waivers import Waivers
from tests.suites.support import provider
from tests.suites.test_harness import CHECKS, run_fake, summary_of

SHOULD_FAILS = CHECKS.replace('client.get("/Users/nope"), 404', 'client.get("/Users/nope"), 418')
OKTA_SHOULD_FAILS = SHOULD_FAILS.replace('level="SHOULD", refs=["RFC7644 §3.12"], readonly=True',
                                         'level="SHOULD", refs=["RFC7644 §3.12"], readonly=True, okta=True')
BROKEN_SETUP = CHECKS + '''

@pytest.fixture
def precondition():
    raise RuntimeError("the precondition failed")


@pytest.mark.check("T-ERR-001", level="MUST", refs=["RFC7644 §3.4.2"], readonly=True)
def test_needs_a_precondition(precondition, client):
    """A check that cannot reach its verdict: its setup fails."""
'''


@pytest.fixture(autouse=True)
def isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No SCIMCERT_* of the machine, and a folder of our own (scimcert.toml)."""
    for variable, _ in SOURCES.values():
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.chdir(tmp_path)


def diff(old: Path, new: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(main, ["diff", str(old), str(new), *args], env=env)


def test_two_waivers_for_one_id_are_refused(tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.toml"
    waivers.write_text('[[waiver]]\nid = "T-1"\nreason = "first"\n[[waiver]]\nid = "T-2"\nreason = "r"\n'
                       '[[waiver]]\nid = "T-1"\nreason = "second"\n')
    with pytest.raises(HarnessError) as refused:
        Waivers.load(waivers)
    assert str(refused.value) == (f"{waivers}: waivers #1 and #3 both waive T-1; "
                                  "keep one [[waiver]] per check id")


def _summary(path: Path, *checks: tuple[str, str, str, bool]) -> Path:
    """A finished run's summary.json with these (id, outcome, level, okta) checks."""
    path.write_text(json.dumps({"interrupted": False, "checks": [
        {"id": i, "title": f"title of {i}", "outcome": o, "level": lv, "basis": "rfc", "okta": ok}
        for i, o, lv, ok in checks]}))
    return path


def test_diff_counts_a_waived_check_as_failing_and_says_why_it_does_not_gate(tmp_path: Path) -> None:
    old = _summary(tmp_path / "old.json", ("A", "passed", "MUST", False), ("B", "waived", "MUST", False),
                   ("C", "failed", "MUST", False), ("D", "passed", "SHOULD", False))
    new = _summary(tmp_path / "new.json", ("A", "waived", "MUST", False), ("B", "waived", "MUST", False),
                   ("C", "waived", "MUST", False), ("D", "failed", "SHOULD", False))
    result = diff(old, new)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "regressions: 2",
        "  A  MUST          title of A  (waived, not gating)",
        "  D  SHOULD        title of D  (below fail-on MUST, not gating)",
        "fixes: 0",
        "still failing: 2",
        "  B  (waived)",
        "  C  (waived)",
        "new failing: 0",
        "gate (fail-on MUST + Okta readiness): pass, no regression fails it",
    ]
    should = diff(old, new, "--fail-on", "should")
    assert should.exit_code == 1
    assert should.output.endswith("gate (fail-on SHOULD + Okta readiness): FAIL on D\n")


def test_diff_reads_its_gate_from_the_environment_and_scimcert_toml(tmp_path: Path) -> None:
    old = _summary(tmp_path / "old.json", ("D", "passed", "SHOULD", True))
    new = _summary(tmp_path / "new.json", ("D", "failed", "SHOULD", True))
    assert diff(old, new).exit_code == 1  # Okta-critical: it gates whatever its level
    assert diff(old, new, "--no-okta-gate").exit_code == 0
    assert diff(old, new, env={"SCIMCERT_NO_OKTA_GATE": "yes"}).exit_code == 0
    Path("scimcert.toml").write_text("[run]\nno_okta_gate = true\nfail_on = \"should\"\n")
    assert diff(old, new).exit_code == 1  # fail_on = "should" from the file
    bad = diff(old, new, env={"SCIMCERT_FAIL_ON": "sometimes"})
    assert bad.exit_code == 2 and "SCIMCERT_FAIL_ON=sometimes" in bad.output


def test_each_regression_that_does_not_gate_says_why() -> None:
    checks = [{"id": i, "outcome": o, "level": lv, "basis": b, "okta": ok} for i, o, lv, b, ok in (
        ("W", "waived", "MUST", "rfc", True), ("S", "failed", "SHOULD", "rfc", True),
        ("O", "failed", "MUST", "okta", True), ("N", "failed", "MAY", "okta", False),
        ("M", "failed", "MUST", "rfc", False))]
    ids = [c["id"] for c in checks]
    assert regression_notes(checks, ids, Level.MUST, okta_gate=True) == {
        "W": "waived, not gating", "N": "not Okta-critical, not gating"}
    assert regression_notes(checks, ids, Level.MUST, okta_gate=False) == {
        "W": "waived, not gating", "S": "below fail-on MUST, --no-okta-gate, not gating",
        "O": "--no-okta-gate, not gating", "N": "not Okta-critical, not gating"}


def test_the_baseline_line_names_its_counts_in_good_english() -> None:
    line = baseline_line({"regressions": ["A", "B"], "fixes": ["C"], "still_failing": [],
                          "new_failing": ["D"]})
    assert line == ("baseline: 2 regressions, 1 fix, 0 still failing, 1 new failing (new failing: skipped, "
                    "not run or absent from the baseline; they do not fail the run)")


@pytest.mark.parametrize(("source", "gate", "expected", "note"), [
    (SHOULD_FAILS, (), 0, "  (below fail-on MUST, not gating)"),
    (SHOULD_FAILS, ("fail-on", "should"), 1, ""),
    (OKTA_SHOULD_FAILS, (), 1, ""),
    (OKTA_SHOULD_FAILS, ("no-okta-gate",), 0, "  (below fail-on MUST, --no-okta-gate, not gating)"),
], ids=["should", "should-fail-on-should", "okta", "okta-no-okta-gate"])
def test_run_with_a_baseline_and_diff_agree(pytester: pytest.Pytester, tmp_path: Path, source: str,
                                            gate: tuple[str, ...], expected: int, note: str) -> None:
    """The same pair, the same gate: the same exit status (a SHOULD regression, an Okta-critical one)."""
    with provider() as url:
        run_fake(pytester, url, "--scim-report-dir", str(tmp_path / "old"))
        run = run_fake(pytester, url, "--scim-report-dir", str(tmp_path / "new"), "--scim-baseline",
                       str(tmp_path / "old" / "summary.json"), *(f"--scim-{g}" for g in gate[:1]), *gate[1:],
                       source=source)
    compared = diff(tmp_path / "old" / "summary.json", tmp_path / "new" / "summary.json",
                    *(f"--{g}" for g in gate[:1]), *gate[1:])
    assert (run.ret, compared.exit_code) == (expected, expected), compared.output
    assert summary_of(tmp_path / "new")["baseline"]["regressions"] == ["T-SHOULD-001"]
    okta = "okta" if source == OKTA_SHOULD_FAILS else "    "
    run.stdout.fnmatch_lines(["baseline: 1 regression, 0 fixes, 0 still failing, 0 new failing (*",
                              "regressions (id, level, okta):",
                              f"  T-SHOULD-001  SHOULD  {okta}  An unknown id answers 404 *{note}"])
    assert f"  T-SHOULD-001  SHOULD  {okta}  An unknown id" in compared.output
    assert compared.output.splitlines()[1].endswith(note or "tests).")  # the title ends the line


def test_a_waiver_covers_a_check_in_error(pytester: pytest.Pytester, tmp_path: Path) -> None:
    """A check whose precondition failed never reached its verdict: its waiver applies, as to a failure."""
    waivers = tmp_path / "waivers.toml"
    waivers.write_text('[[waiver]]\nid = "T-ERR-001"\nreason = "ticket 9: no precondition here"\n')
    with provider() as url:
        result = run_fake(pytester, url, "--scim-waivers", str(waivers), "--scim-report-dir", str(tmp_path),
                          source=BROKEN_SETUP)
    assert result.ret == 0, result.stdout.str()
    data = summary_of(tmp_path)
    entry = next(c for c in data["checks"] if c["id"] == "T-ERR-001")
    assert entry["outcome"] == "waived" and data["totals"]["errors"] == 0
    assert entry["message"].startswith("waived: ticket 9: no precondition here\nRuntimeError: the "
                                       "precondition failed")
    assert data["waivers"] == {"applied": ["T-ERR-001"], "expired": [], "stale": []}
    # The check did not pass: its verdict says so, and how many failures are waived; the waiver
    # only keeps it from failing the run (exit 0 above).
    assert data["verdicts"] == {"rfc": "fail", "okta": "pass"} and not data["gate_failed"]
    result.stdout.fnmatch_lines(["RFC conformance: FAIL (1 waived; 4 of 4 checks ran)    "
                                 "Okta readiness: PASS (1 of 1 checks ran)"])


def test_report_html_tells_the_gate(pytester: pytest.Pytester, tmp_path: Path) -> None:
    """Waivers with their reasons, the baseline comparison by id, readable totals, a waived row."""
    waivers = tmp_path / "waivers.toml"
    waivers.write_text('[[waiver]]\nid = "T-WRITE-001"\nreason = "ticket 42: creates answer 200"\n'
                       '[[waiver]]\nid = "T-MUST-001"\nreason = "old <news>"\n'
                       '[[waiver]]\nid = "T-SHOULD-001"\nreason = "gone"\nexpires = 2001-01-01\n')
    with provider() as url:
        run_fake(pytester, url, "--scim-report-dir", str(tmp_path / "old"))
    with provider("created-returns-200") as url:
        result = run_fake(pytester, url, "--scim-waivers", str(waivers), "--scim-report-dir",
                          str(tmp_path / "new"), "--scim-baseline", str(tmp_path / "old" / "summary.json"))
    assert result.ret == 0  # a waived regression is listed, and does not fail the run
    assert summary_of(tmp_path / "new")["baseline"]["regressions"] == ["T-WRITE-001"]
    result.stdout.fnmatch_lines(["baseline: 1 regression, 0 fixes, *", "regressions (id, level, okta):",
                                 "  T-WRITE-001  MUST  okta  A user can be created.  (waived, not gating)"])
    page = (tmp_path / "new" / "report.html").read_text()
    header = page[page.index('<div class="scimcert-gate">'):]
    header = header[:header.index("</div>")]
    assert "3 checks: 2 passed, 0 failed, 0 skipped, 0 errors, 1 waived" in header
    assert "<b>RFC conformance: FAIL (1 waived; 3 of 3 checks ran) · Okta readiness: FAIL (1 waived; " \
           "1 of 1 checks ran)</b>" in page  # T-WRITE-001 is waived, not passed
    assert "&quot;passed&quot;" not in page  # the totals once were raw JSON
    assert "applied (failing, accepted): <b>T-WRITE-001</b> &mdash; ticket 42: creates answer 200" in header
    assert "expired (no longer applied): <b>T-SHOULD-001</b> &mdash; gone (expires 2001-01-01)" in header
    assert "stale (the check passes now): <b>T-MUST-001</b> &mdash; old &lt;news&gt;" in header
    assert "1 regression: T-WRITE-001 (waived, not gating)" in header and "0 fixes: none" in header
    row = _row(page, "test_create")  # pytest-html files a waived check under XFailed (its filters need it)
    assert row["result"] == "XFailed" and row["resultsTableRow"][1].startswith(
        '<td>T-WRITE-001<br><small class="scimcert-waived">waived: ticket 42: creates answer 200</small>')
    assert row["log"].startswith("waived: ticket 42: creates answer 200\n") and "Expected:" in row["log"]
    assert "('', 0, 'waived" not in row["log"]
    extras = html.unescape("".join(e["content"] for e in row["extras"]))
    assert "POST /scim/v2/Users -> 200" in extras and "curl -i -X POST" in extras


def _row(page: str, test: str) -> dict[str, Any]:
    """The data pytest-html renders the row of a test from."""
    blob = re.search(r'data-jsonblob="([^"]*)"', page).group(1)  # type: ignore[union-attr]
    tests = json.loads(html.unescape(blob))["tests"]
    return next(rows[0] for nodeid, rows in tests.items() if nodeid.endswith(f"::{test}"))
