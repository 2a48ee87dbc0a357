"""Regression gates: compare a run's checks with a previous summary.json."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from suites.config import HarnessError
from suites.levels import Level

BAD = ("failed", "error")
# A waived check failed too: its waiver only keeps it from failing the run. A comparison of two
# runs counts it as failing on both sides.
FAILING = (*BAD, "waived")


RANK = {"error": 5, "failed": 4, "waived": 3, "passed": 2, "skipped": 1}


def by_id(checks: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Check id -> outcome; a parametrised check takes its worst parametrisation's outcome."""
    out: dict[str, str] = {}
    for c in checks:
        cid, outcome = str(c["id"]), str(c["outcome"])
        if RANK.get(outcome, 0) > RANK.get(out.get(cid, ""), 0):
            out[cid] = outcome
    return out


def load_checks(path: Path) -> list[dict[str, Any]]:
    """The checks of a finished run's summary.json (each with at least id and outcome)."""
    what = f"{path} is not a scimcert summary.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise HarnessError(f"cannot read {path}: {exc.strerror}") from exc
    except ValueError as exc:  # not UTF-8, or not JSON
        raise HarnessError(f"{what} (not JSON); give the summary.json of an earlier run") from exc
    checks = data.get("checks") if isinstance(data, dict) else None
    if not isinstance(checks, list) or not all(
            isinstance(c, dict) and isinstance(c.get("id"), str) and isinstance(c.get("outcome"), str)
            for c in checks):
        raise HarnessError(f"{what} (it has no list of checks with id and outcome); "
                           "give the summary.json of an earlier run")
    if data.get("interrupted") or data.get("stopped_early"):  # the checks it never ran would pass as
        # "new" in any comparison
        how = "an interrupted run" if data.get("interrupted") else "a run stopped early (-x or --maxfail)"
        raise HarnessError(f"{path} is the summary of {how}; use a complete run's summary.json.")
    return checks


def load_baseline(path: Path) -> dict[str, str]:
    """Check id -> outcome from a summary.json."""
    return by_id(load_checks(path))


def compare(baseline: Mapping[str, str], checks: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Regressions (passed before, failing now), fixes, checks failing in both runs, and new
    failures: checks failing now that the baseline did not run, skipped, or did not have. A waived
    check counts as failing, before and now. Only regressions are evidence the target got worse."""
    now = by_id(checks)
    failed_before = {i for i, o in baseline.items() if o in FAILING}
    failing = [i for i, o in now.items() if o in FAILING]
    return {
        "regressions": sorted(i for i in failing if baseline.get(i) == "passed"),
        "fixes": sorted(i for i, o in now.items() if o == "passed" and i in failed_before),
        "still_failing": sorted(i for i in failing if i in failed_before),
        "new_failing": sorted(i for i in failing if baseline.get(i) != "passed" and i not in failed_before),
    }


def rfc_failures(checks: Iterable[Mapping[str, Any]], threshold: Level,
                 failing: tuple[str, ...] = BAD) -> list[Mapping[str, Any]]:
    """Failed RFC checks at or above threshold, and RFC checks in error (at any level). failing:
    the outcomes that count (FAILING for a verdict, where a waived check did not pass)."""
    return [c for c in checks if c["outcome"] in failing and c.get("basis", "rfc") == "rfc"
            and (c["outcome"] == "error" or _level(c).fails_run(threshold))]


def okta_failures(checks: Iterable[Mapping[str, Any]],
                  failing: tuple[str, ...] = BAD) -> list[Mapping[str, Any]]:
    """Failed Okta-critical checks, and the okta suite's checks in error: Okta readiness fails.

    The okta suite's levels are Okta's, not the RFC's (levels.basis_of): its checks decide Okta
    readiness only; an error there (a check that could not run) counts against Okta."""
    return [c for c in checks if c["outcome"] in failing
            and (c.get("okta") or (c.get("basis") == "okta" and c["outcome"] == "error"))]


def gating(checks: Iterable[Mapping[str, Any]], threshold: Level, okta_gate: bool) -> list[str]:
    """Ids of the checks whose failure fails a run with this --fail-on (and, with okta_gate, Okta
    readiness, whatever the RFC level). Waived checks never do."""
    listed = list(checks)
    found = rfc_failures(listed, threshold) + (okta_failures(listed) if okta_gate else [])
    return sorted({str(c["id"]) for c in found})


def _level(check: Mapping[str, Any]) -> Level:
    return Level.__members__.get(str(check.get("level")), Level.MUST)  # unknown: as strict as can be
