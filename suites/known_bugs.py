"""The known real-world bugs a run's failures match, for triage.

Every bug the reference provider can switch on (`scimcert deviations`) names the checks it makes
fail, and the self-tests prove it fails exactly those. A target on which every one of a bug's
checks that the run judged failed behaves as that bug does there: a pointer to a likely cause
with where the bug was seen, not a diagnosis (another fault can fail the same checks). The bugs
that explain more failures come first, and a bug whose failures those before it all explain is
left out.

A failure is evidence only for the bugs that fail that way. Failed on a 501 Not Implemented (no
bug answers 501: the target does not implement what the check asked) or on its precondition (a
setup request, which another check judges), a check judged nothing a bug does: it counts for
none of them. Failed on a 500 (the target crashed on the request the check judged), it counts
only for the bugs that crash (`crashes` in the deviation table), and any other failure only for
those that do not: a server that crashes on every PATCH with a path is not told it refuses
extension paths with 400, nor one that answers a taken group name with 409 that it crashes there.
Where a check's message tells a bug's failure apart from another bug's (a missing Location header,
or one that differs from meta.location) or from another cause (a path refused with 400, or
accepted and ignored), the check's marker gives the bug a pattern (`evidence`), and a failure
whose message the pattern does not find is evidence against that bug.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from simulator.scim.deviation_registry import REGISTRY
from suites.baseline import FAILING
from suites.state import CheckResult

SHOWN = 5  # on the console; summary.json and report.html list them all
# a failure message opening with the exchange it judged, answered 501: "[param] PATCH /Users/1 -> 501"
NOT_IMPLEMENTED = re.compile(r"^(?:\[[^\]]*\] )?[A-Z]+ \S+ -> 501\b")
CRASHED = re.compile(r"^(?:\[[^\]]*\] )?[A-Z]+ \S+ -> 500\b")
PRECONDITION = re.compile(r"(?m)^Expected: \(precondition\) ")  # a setup failure (patch.ops.precondition...)
HEADING = ("failures that match known bugs ({explained} of {failures} failed checks; each bug's checks "
           "all failed here; 'scimcert deviations' describes every bug):")


@dataclass(frozen=True, slots=True)
class KnownBug:
    name: str
    summary: str
    seen_in: str
    checks: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "summary": self.summary, "seen_in": self.seen_in,
                "checks": list(self.checks)}


def matching(results: Iterable[CheckResult], checks: Sequence[Mapping[str, Any]]) -> list[KnownBug]:
    """The bugs (not the conditions: those fail no check) whose checks, of those the run judged
    (not skipped), all failed; checks: summary.json's, one outcome per check id."""
    outcome = {str(c["id"]): str(c["outcome"]) for c in checks}
    caught: dict[str, set[str]] = {}
    kinds: dict[str, set[bool]] = {}  # check -> its failures' kinds: True crashed (500), False another
    shown: dict[tuple[str, str], bool] = {}  # (bug, check) with evidence -> a failure showed it
    for result in results:
        for name in result.info.caught_by:
            caught.setdefault(name, set()).add(result.info.id)
        kind = _kind(result) if result.outcome in FAILING else None
        if kind is not None:
            kinds.setdefault(result.info.id, set()).add(kind)
        for name, pattern in result.info.evidence:
            key = (name, result.info.id)
            shown[key] = shown.get(key, False) or (
                result.outcome in FAILING and re.search(pattern, result.message) is not None)
    found = []
    for name, ids in caught.items():
        bug = REGISTRY.get(name)
        if bug is None or bug.condition:
            continue
        # judged for this bug: passed, or failed in a way this bug fails (501s, preconditions and the
        # other kind of failure judged nothing it does)
        failed = {i for i in ids if outcome.get(i) in FAILING and bug.crashes in kinds.get(i, ())}
        judged = sorted(failed | {i for i in ids if outcome.get(i, "skipped") not in (*FAILING, "skipped")})
        if judged and all(i in failed and shown.get((name, i), True) for i in judged):
            found.append(KnownBug(name, bug.summary, bug.seen_in, tuple(judged)))
    return _cover(sorted(found, key=lambda b: (-len(b.checks), b.name)))


def _kind(result: CheckResult) -> bool | None:
    """What a failure is evidence of: True a crash (the judged request answered 500), False another
    failure, None nothing a bug does (a 501 Not Implemented, a failed precondition)."""
    if NOT_IMPLEMENTED.match(result.message) or PRECONDITION.search(result.message):
        return None
    return CRASHED.match(result.message) is not None


def _cover(bugs: list[KnownBug]) -> list[KnownBug]:
    """Each bug in turn that explains a failure none before it explains, or exactly the failures
    one before it explains (the failures cannot tell the two apart): a bug whose checks larger
    ones already cover adds nothing."""
    explained: set[str] = set()
    kept: list[KnownBug] = []
    for bug in bugs:
        if not explained.issuperset(bug.checks) or any(k.checks == bug.checks for k in kept):
            kept.append(bug)
            explained.update(bug.checks)
    return kept


def heading(bugs: Sequence[Mapping[str, Any]], checks: Sequence[Mapping[str, Any]]) -> str:
    """The heading of the known bugs: how many of the failed checks they explain."""
    failures = {str(c["id"]) for c in checks if c["outcome"] in FAILING}
    explained = failures & {str(i) for bug in bugs for i in bug["checks"]}
    return HEADING.format(explained=len(explained), failures=len(failures))


def console_lines(summary: Mapping[str, Any]) -> list[str]:
    """The first SHOWN of summary.json's known_bugs, one line each, and how many more there are."""
    bugs = summary.get("known_bugs") or []
    if not bugs:
        return []
    lines = [heading(bugs, summary["checks"])]
    for bug in bugs[:SHOWN]:
        lines.append(f"  {bug['name']} ({', '.join(bug['checks'])}): {bug['summary']}")
    if len(bugs) > SHOWN:
        lines.append(f"  and {len(bugs) - SHOWN} more: known_bugs in summary.json, or report.html")
    return lines


def known_bugs_html(summary: Mapping[str, Any]) -> str:
    """report.html's table of summary.json's known_bugs ("" when there are none)."""
    bugs = summary.get("known_bugs") or []
    if not bugs:
        return ""
    rows = "".join(
        f"<tr><td>{html.escape(b['name'])}</td><td>{html.escape(b['summary'])}</td>"
        f"<td>{html.escape(b['seen_in'])}</td><td>{html.escape(', '.join(b['checks']))}</td></tr>"
        for b in bugs)
    title = html.escape(heading(bugs, summary["checks"]))
    return (f'<div class="scimcert-known-bugs"><p><b>{title}</b></p><table>'
            "<tr><th>bug</th><th>what it does</th><th>seen in</th><th>its checks that failed</th></tr>"
            f"{rows}</table></div>")
