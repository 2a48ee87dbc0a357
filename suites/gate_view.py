"""The gate as people read it: totals, waivers and the baseline comparison, for the console,
`scimcert diff` and report.html."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from suites.baseline import gating
from suites.levels import Level
from suites.waivers import Waivers

KEYS = ("regressions", "fixes", "still_failing", "new_failing")
NEW_FAILING = "skipped, not run or absent from the baseline"
_NOUNS = {"regressions": ("regression", "regressions"), "fixes": ("fix", "fixes")}


def count(n: int, key: str) -> str:
    """'1 regression', '2 fixes', '3 still failing'."""
    one, many = _NOUNS.get(key, (key.replace("_", " "),) * 2)
    return f"{n} {one if n == 1 else many}"


def totals_line(summary: Mapping[str, Any]) -> str:
    """'12 checks: 10 passed, 1 failed, 0 skipped, 0 errors, 1 waived'."""
    t = summary["totals"]
    errors = f"{t['errors']} error" + ("" if t["errors"] == 1 else "s")
    return (f"{len(summary['checks'])} checks: {t['passed']} passed, {t['failed']} failed, "
            f"{t['skipped']} skipped, {errors}, {t['waived']} waived")


def gate_name(fail_on: Level, okta_gate: bool) -> str:
    """'fail-on MUST + Okta readiness': what fails the run."""
    return f"fail-on {fail_on.name}" + (" + Okta readiness" if okta_gate else "")


def baseline_line(diff: Mapping[str, Sequence[str]]) -> str:
    """The comparison's counts in one line."""
    return (f"baseline: {', '.join(count(len(diff[k]), k) for k in KEYS)} "
            f"(new failing: {NEW_FAILING}; they do not fail the run)")


def regression_notes(checks: Sequence[Mapping[str, Any]], regressions: Sequence[str],
                     fail_on: Level, okta_gate: bool) -> dict[str, str]:
    """Why a regression does not fail the run, by id: it is waived, below --fail-on, or Okta's
    alone while Okta readiness does not gate. Regressions that fail the run have no note."""
    gates = set(gating(checks, fail_on, okta_gate))
    found = {str(c["id"]): c for c in checks}
    return {i: f"{_why_not(found.get(i, {}), fail_on, okta_gate)}, not gating" for i in regressions
            if i not in gates}


def _why_not(check: Mapping[str, Any], fail_on: Level, okta_gate: bool) -> str:
    if check.get("outcome") == "waived":
        return "waived"
    if check.get("basis") == "okta":  # the okta suite's levels are Okta's: they never meet --fail-on
        return "--no-okta-gate" if check.get("okta") else "not Okta-critical"
    return f"below fail-on {fail_on.name}" + (", --no-okta-gate" if check.get("okta") else "")


def check_lines(checks: Sequence[Mapping[str, Any]], notes: Mapping[str, str]) -> list[str]:
    """One aligned line per check: id, level, okta, title, and its note in parentheses."""
    if not checks:
        return []
    width = max(len(str(c["id"])) for c in checks)
    levels = {c["id"]: str(c.get("level", "")) + (" (Okta)" if c.get("basis") == "okta" else "")
              for c in checks}
    level_width = max(len(v) for v in levels.values())
    return [f"  {c['id']:{width}}  {levels[c['id']]:{level_width}}  {'okta' if c.get('okta') else '    '}  "
            f"{c.get('title', '')}" + (f"  ({notes[c['id']]})" if c["id"] in notes else "")
            for c in checks]


def regression_lines(summary: Mapping[str, Any], fail_on: Level, okta_gate: bool) -> list[str]:
    """The regressions by id, as the failed checks are listed, each saying when it does not gate."""
    regressions = summary["baseline"]["regressions"]
    if not regressions:
        return []
    found = {str(c["id"]): c for c in summary["checks"]}
    entries = [found.get(i, {"id": i}) for i in regressions]
    notes = regression_notes(summary["checks"], regressions, fail_on, okta_gate)
    return ["regressions (id, level, okta):", *check_lines(entries, notes)]


def gate_html(summary: Mapping[str, Any], waivers: Waivers, baseline_file: str | None) -> str:
    """report.html's account of the gate: totals, waivers with their reasons, the baseline comparison."""
    fail_on, okta_gate = Level[summary["fail_on"]], bool(summary["okta_gate"])
    gate = gate_name(fail_on, okta_gate)
    parts = [f"<p>{html.escape(totals_line(summary))} &middot; gate: {html.escape(gate)}"
             f" &middot; {'FAILED' if summary['gate_failed'] else 'passed'}</p>"]
    if summary["totals"]["waived"]:
        parts.append("<p>Waived checks are listed below as XFailed (expected failures), with the "
                     "waiver's reason under their id.</p>")
    parts += _waivers_html(summary["waivers"], waivers)
    if "baseline" in summary:
        parts += _baseline_html(summary, fail_on, okta_gate, baseline_file)
    return f'<div class="scimcert-gate">{"".join(parts)}</div>'


_WAIVER_KINDS = (("applied", "applied (failing, accepted)"), ("expired", "expired (no longer applied)"),
                 ("stale", "stale (the check passes now)"))


def _waivers_html(report: Mapping[str, Sequence[str]], waivers: Waivers) -> list[str]:
    rows = []
    for key, label in _WAIVER_KINDS:
        for check_id in report.get(key, ()):
            waiver = waivers.get(check_id)
            reason = waiver.reason if waiver else ""
            until = f" (expires {waiver.expires.isoformat()})" if waiver and waiver.expires else ""
            rows.append(f"<li>{html.escape(label)}: <b>{html.escape(check_id)}</b> &mdash; "
                        f"{html.escape(reason)}{html.escape(until)}</li>")
    if not rows:
        return []
    source = f" from {html.escape(str(waivers.source))}" if waivers.source else ""
    return [f"<h3>Waivers{source} (as of {date.today().isoformat()})</h3><ul>", *rows, "</ul>"]


def _baseline_html(summary: Mapping[str, Any], fail_on: Level, okta_gate: bool,
                   baseline_file: str | None) -> list[str]:
    diff = summary["baseline"]
    notes = regression_notes(summary["checks"], diff["regressions"], fail_on, okta_gate)
    outcomes = {str(c["id"]): c["outcome"] for c in summary["checks"]}
    rows = []
    for key in KEYS:
        ids = [html.escape(i) + (f" ({html.escape(notes[i])})" if key == "regressions" and i in notes else
                                 " (waived)" if outcomes.get(i) == "waived" else "") for i in diff[key]]
        label = count(len(diff[key]), key) + (f" ({NEW_FAILING}; not gating)" if key == "new_failing" else "")
        rows.append(f"<li>{html.escape(label)}: {', '.join(ids) or 'none'}</li>")
    against = f" with {html.escape(baseline_file)}" if baseline_file else ""
    return [f"<h3>Baseline comparison{against}</h3><ul>", *rows, "</ul>"]
