"""summary.json: the totals, the two verdicts, every check once by id, the waivers, the baseline
and the cleanup, with the gate decision."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from simulator import __version__
from suites import interrupted
from suites.baseline import FAILING, RANK, by_id, compare, gating, okta_failures, rfc_failures
from suites.known_bugs import matching
from suites.ledger import Ledger
from suites.levels import Level
from suites.lostcreates import possibly_left_block
from suites.matrix import extension_matrix
from suites.state import CheckResult, RunState


def build_summary(state: RunState, ledger: Ledger | None) -> dict[str, Any]:
    """The summary.json document (DESIGN.md), with the gate decision."""
    import time  # noqa: PLC0415

    checks = summary_checks(state.results.values())
    totals = dict.fromkeys(("passed", "failed", "skipped", "errors", "waived"), 0)
    for c in checks:
        totals["errors" if c["outcome"] == "error" else c["outcome"]] += 1
    threshold = state.config.fail_on
    # A waived check did not pass: the verdicts say so; its waiver only keeps it from the gate.
    rfc, okta = rfc_failures(checks, threshold, FAILING), okta_failures(checks, FAILING)
    ran = [c for c in checks if c["outcome"] != "skipped"]
    okta_gate = state.config.okta_gate  # Okta readiness gates too, whatever the RFC level
    gate = gating(checks, threshold, okta_gate)
    summary: dict[str, Any] = {
        "target": state.config.url,
        "started": state.started,
        "duration_s": round(time.monotonic() - state.clock, 2),
        "totals": totals,
        "verdicts": {
            "rfc": _verdict(rfc, [c for c in ran if c["basis"] == "rfc"]),
            "okta": _verdict(okta, [c for c in ran if c["okta"] or c["basis"] == "okta"]),
        },
        "checks": checks,
        "scimcert_version": __version__,
        "run_id": state.config.run_id,
        "fail_on": threshold.name,
        "okta_gate": okta_gate,
        "waivers": _waiver_report(state, checks),
        "known_bugs": [bug.as_json() for bug in matching(state.results.values(), checks)],
    }
    matrix = extension_matrix(state.results.values())
    if matrix:
        summary["extensions"] = matrix
    if state.baseline is not None:
        diff = compare(state.baseline, checks)
        summary["baseline"] = diff
        gate = [i for i in gate if i in diff["regressions"]]  # a waived regression is not gating
    summary["gate_failed"] = bool(gate)
    interrupted.mark(summary, state)
    if ledger is not None:
        summary["cleanup"] = {"left": len(ledger.pending()), "failed": list(state.cleanup_failed),
                              "skipped": list(state.cleanup_skipped), "discarded": state.discarded}
        summary["cleanup"].update(possibly_left_block(ledger))
    return summary


def _verdict(failing: Sequence[Mapping[str, Any]], ran: list[dict[str, Any]]) -> str:
    """"fail", "pass", or "not run" when no check of the verdict ran (e.g. --suite okta for RFC
    conformance): a PASS with nothing behind it would read as a certificate."""
    return "fail" if failing else "pass" if ran else "not run"


def verdicts_line(summary: Mapping[str, Any], sep: str = "    ") -> str:
    """`RFC conformance: PASS (184 of 190 checks ran)    Okta readiness: FAIL (1 waived)`: each
    verdict with what stands behind it — how many of the run's checks for it ran (a --read-only
    or --suite run backs its PASS with fewer), and how many of its failures are waived."""
    checks, verdicts = summary["checks"], summary["verdicts"]
    threshold = Level.__members__.get(str(summary.get("fail_on")), Level.MUST)
    parts = []
    for key, name, failing, mine in (
            ("rfc", "RFC conformance", rfc_failures(checks, threshold, FAILING),
             [c for c in checks if c.get("basis", "rfc") == "rfc"]),
            ("okta", "Okta readiness", okta_failures(checks, FAILING),
             [c for c in checks if c.get("okta") or c.get("basis") == "okta"])):
        ran = sum(c["outcome"] != "skipped" for c in mine)
        waived = sum(c["outcome"] == "waived" for c in failing)
        notes = [f"{waived} waived"] if waived else []
        if ran:
            notes.append(f"{ran} of {len(mine)} checks ran")
        text = f"{name}: {str(verdicts[key]).upper()}"
        judged = verdicts[key] in ("pass", "fail")  # not "not run", "interrupted", "incomplete"
        parts.append(f"{text} ({'; '.join(notes)})" if notes and judged else text)
    return sep.join(parts)


def summary_checks(results: Iterable[CheckResult]) -> list[dict[str, Any]]:
    """One entry per check id, as waivers and baselines name checks. A parametrised check (per
    extension URN, per Okta step...) has its first worst case's outcome and message, the summed
    duration, and every case as `cases: [{case, outcome, message, duration_s}]`."""
    by_check: dict[str, list[CheckResult]] = {}
    for result in results:
        by_check.setdefault(result.info.id, []).append(result)
    return [_merged(found) for found in by_check.values()]


def _merged(found: list[CheckResult]) -> dict[str, Any]:
    entry = found[0].as_json()
    if len(found) == 1 and not found[0].nodeid.endswith("]"):
        return entry
    cases: list[dict[str, Any]] = [
        {"case": r.nodeid.partition("[")[2].removesuffix("]"), "outcome": r.outcome,
         "message": r.message, "duration_s": round(r.duration_s, 3)} for r in found]
    worst = max(cases, key=lambda c: RANK.get(c["outcome"], 0))
    message = f"[{worst['case']}] {worst['message']}" if worst["message"] else ""
    entry.update(outcome=worst["outcome"], message=message, cases=cases,
                 duration_s=round(sum(r.duration_s for r in found), 3))
    return entry


def _waiver_report(state: RunState, checks: list[dict[str, Any]]) -> dict[str, list[str]]:
    outcomes = by_id(checks)
    today = date.today()
    return {
        "applied": sorted(w.id for w in state.waivers.items if outcomes.get(w.id) == "waived"),
        "expired": sorted(w.id for w in state.waivers.items if not w.active(today)),
        "stale": sorted(w.id for w in state.waivers.items
                        if w.active(today) and outcomes.get(w.id) == "passed"),
    }
