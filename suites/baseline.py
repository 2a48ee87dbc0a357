"""Regression gates: compare a run's checks with a previous summary.json."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from suites.config import HarnessError

BAD = ("failed", "error")


RANK = {"error": 5, "failed": 4, "waived": 3, "passed": 2, "skipped": 1}


def by_id(checks: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Check id -> outcome; a parametrised check takes its worst parametrisation's outcome."""
    out: dict[str, str] = {}
    for c in checks:
        cid, outcome = str(c["id"]), str(c["outcome"])
        if RANK.get(outcome, 0) > RANK.get(out.get(cid, ""), 0):
            out[cid] = outcome
    return out


def load_baseline(path: Path) -> dict[str, str]:
    """Check id -> outcome from a summary.json."""
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
    return by_id(checks)


def compare(baseline: Mapping[str, str], checks: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Regressions (passed before, failing now), fixes, checks failing in both runs (a waived
    failure is a failure), and new failures: checks failing now that the baseline did not run,
    skipped, or did not have. Only regressions are evidence the target got worse."""
    now = by_id(checks)
    failed_before = {i for i, o in baseline.items() if o in (*BAD, "waived")}
    failing = [i for i, o in now.items() if o in BAD]
    return {
        "regressions": sorted(i for i in failing if baseline.get(i) == "passed"),
        "fixes": sorted(i for i, o in now.items() if o == "passed" and i in failed_before),
        "still_failing": sorted(i for i in failing if i in failed_before),
        "new_failing": sorted(i for i in failing if baseline.get(i) != "passed" and i not in failed_before),
    }
