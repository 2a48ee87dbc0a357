"""Which known bugs a run's failures match (suites/known_bugs.py), on hand-made results."""

from __future__ import annotations

from itertools import combinations

from simulator.scim.deviation_registry import REGISTRY
from suites.catalogue import catalogue
from suites.known_bugs import SHOWN, console_lines, known_bugs_html, matching
from suites.levels import Level
from suites.patch import test_idp_bodies
from suites.state import CheckInfo, CheckResult


def result(check: str, outcome: str, *caught_by: str, message: str = "") -> CheckResult:
    info = CheckInfo(check, check, Level.MUST, (), False, False, caught_by)
    return CheckResult(info, f"suites/x.py::{check}", outcome, message)


def names(*results: CheckResult) -> list[str]:
    found = matching(results, [r.as_json() for r in results])
    return [bug.name for bug in found]


def test_a_bug_matches_when_every_check_of_it_the_run_judged_failed() -> None:
    assert names(result("A", "failed", "patch-requires-path"),
                 result("B", "failed", "patch-requires-path"),
                 result("C", "skipped", "patch-requires-path")) == ["patch-requires-path"]
    # one of its checks passed: the target does not behave as the bug does
    assert names(result("A", "failed", "patch-requires-path"),
                 result("B", "passed", "patch-requires-path")) == []
    # none judged: nothing to go by
    assert names(result("A", "skipped", "patch-requires-path")) == []
    # waived and errored checks fail too
    assert names(result("A", "waived", "password-returned"),
                 result("B", "error", "password-returned")) == ["password-returned"]


def test_larger_bugs_come_first_and_one_they_cover_is_left_out() -> None:
    results = (result("A", "failed", "patch-requires-path", "group-rename-rejects-id"),
               result("B", "failed", "patch-requires-path"),
               result("C", "failed", "member-readd-duplicates"))
    # group-rename-rejects-id's only failure is patch-requires-path's too
    assert names(*results) == ["patch-requires-path", "member-readd-duplicates"]


def test_bugs_failing_the_very_same_checks_are_both_named() -> None:
    """The failures cannot tell them apart, so neither is left out."""
    assert names(result("A", "failed", "groups-not-derived", "delete-keeps-memberships")) == [
        "delete-keeps-memberships", "groups-not-derived"]


def test_a_check_failed_on_a_501_is_evidence_for_no_bug() -> None:
    """django-scim2 answers PATCH add with 501: PATCH-USR-PRIMARY-001 fails, but not as
    primary-not-settled (whose only check it is) would fail it. No bug answers 501."""
    not_implemented = "PATCH /scim/v2/Users/3 -> 501\nExpected: HTTP 200 or 204"
    assert names(result("A", "failed", "primary-not-settled", message=not_implemented)) == []
    assert names(result("A", "failed", "primary-not-settled", message="[x] PATCH /Users/3 -> 501")) == []
    # another failure of it (a wrong value) still counts
    wrong = "GET /Users/3 -> 200\nExpected: one primary email"
    assert names(result("A", "failed", "primary-not-settled", message=wrong)) == ["primary-not-settled"]
    # a bug with other failed checks is named on those
    both = (result("A", "failed", "patch-requires-path", message=not_implemented),
            result("B", "failed", "patch-requires-path", message="PATCH /Users/1 -> 400"))
    found = matching(both, [r.as_json() for r in both])
    assert [(b.name, b.checks) for b in found] == [("patch-requires-path", ("B",))]


def test_a_crash_is_evidence_only_for_the_bugs_that_crash() -> None:
    """mitol-django-scim crashes with 500 on every PATCH with a path: that is not
    primary-not-settled (a wrong primary flag), and its 409 without scimType for a taken group name
    is not group-name-conflict-500 (which crashes there)."""
    crashed = "PATCH /scim/v2/Users/3 -> 500\nExpected: HTTP 200 or 204\nReceived: 500 {}"
    assert names(result("A", "failed", "primary-not-settled", message=crashed)) == []
    assert names(result("A", "failed", "group-name-conflict-500", message=crashed)) == [
        "group-name-conflict-500"]
    refused = "POST /scim/v2/Groups -> 409\nExpected: scimType = uniqueness\nReceived: null"
    assert names(result("A", "failed", "group-name-conflict-500", message=refused)) == []
    # a bug is named on the checks that failed its way, the others judged nothing it does
    mixed = (result("A", "failed", "bad-filter-500", message="GET /Users?filter=x -> 500"),
             result("B", "failed", "bad-filter-500", message="GET /Users?filter=y -> 200\nExpected: 400"))
    found = matching(mixed, [r.as_json() for r in mixed])
    assert [(b.name, b.checks) for b in found] == [("bad-filter-500", ("A",))]


def test_a_failed_precondition_is_evidence_for_no_bug() -> None:
    """GRP-MEMBERSHIP-002 needs a group that lists the user it was created with; where the target
    ignores members (mitol-django-scim), its precondition fails, which says nothing about
    groups-not-derived. An earlier step of an Okta flow is no precondition: it is Okta's own."""
    setup = ("GET /scim/v2/Groups/62 -> 200\nExpected: (precondition) the group created with the user "
             "lists it as a member (GRP-CREATE-005 judges that)\nReceived: 200 {}")
    assert names(result("A", "failed", "groups-not-derived", message=setup)) == []
    assert names(result("A", "failed", "groups-not-derived", message="Expected: (precondition) x")) == []
    assert names(result("A", "failed", "groups-not-derived", message=setup),
                 result("B", "failed", "groups-not-derived", message="GET /Users/1 -> 200")) == [
        "groups-not-derived"]
    okta = ("PATCH /scim/v2/Groups/7 -> 400\nExpected: (an earlier Okta step) group-push step rename "
            "(Rename): Okta's rename_group to end with ok = True\nReceived: 400")
    renamed = result("A", "failed", "group-rename-rejects-id", message=okta)
    assert names(renamed) == ["group-rename-rejects-id"]


def test_a_failure_without_a_bugs_evidence_is_evidence_against_it() -> None:
    """USR-CREATE-002 fails for a missing Location header (no-location-header) and for one that
    differs from meta.location (location-mismatch): its marker gives each bug the message it shows,
    so a target without the header is not told it may send a wrong one."""
    evidence = (("location-mismatch", r"Expected: meta\.location"),
                ("no-location-header", r"Received: no Location header"))
    info = CheckInfo("USR-CREATE-002", "t", Level.MUST, (), False, False,
                     ("location-mismatch", "no-location-header"), evidence=evidence)

    def named(*messages: str) -> list[str]:
        results = [CheckResult(info, f"x.py::t[{n}]", "failed", m) for n, m in enumerate(messages)]
        return [bug.name for bug in matching(results, [results[0].as_json()])]

    missing = "POST /Users -> 201\nExpected: a Location header\nReceived: no Location header"
    differs = "POST /Users -> 201\nExpected: meta.location = https://a/Users/1\nReceived: https://b/1"
    assert named(missing) == ["no-location-header"]
    assert named(differs) == ["location-mismatch"]
    assert named("POST /Users -> 500") == []  # another failure shows neither
    assert named(missing, differs) == ["location-mismatch", "no-location-header"]  # one case each


def test_a_path_taken_and_ignored_is_no_path_refused() -> None:
    """PATCH-USR-PATHCASE-001 fails for core-path-case-sensitive's 400 and for a target that takes
    "NAME.FAMILYNAME" with 2xx and ignores it (django-scim2-server 1.1.0): only the 400 names the
    bug. The pattern is the check's own, read from its marker."""
    mark = next(m for m in test_idp_bodies.test_path_names_any_case.pytestmark if m.name == "check")
    info = CheckInfo(mark.args[0], "t", Level.SHOULD, (), False, False, tuple(mark.kwargs["caught_by"]),
                     evidence=tuple(mark.kwargs["evidence"].items()))

    def named(message: str) -> list[str]:
        results = [CheckResult(info, "x.py::t", "failed", message)]
        return [bug.name for bug in matching(results, [results[0].as_json()])]

    refused = ('PATCH /scim/v2/Users/1 -> 400\nExpected: HTTP 200 or 204\nReceived: 400 {"scimType": '
               '"invalidPath"}')
    ignored = ('GET /scim/v2/Users/1 -> 200\nExpected: name.familyName after a replace of '
               '"NAME.FAMILYNAME" = Okafor\nReceived: Stanton')
    assert named(refused) == ["core-path-case-sensitive"]
    assert named(ignored) == []


def test_conditions_and_unknown_names_are_no_bugs() -> None:
    assert names(result("A", "failed", "patch-unsupported"), result("B", "failed", "no-such-bug")) == []


def test_console_shows_the_first_few_and_counts_the_rest() -> None:
    bugs = [{"name": f"bug-{i}", "summary": "does X", "seen_in": "here", "checks": [f"C-{i}"]}
            for i in range(SHOWN + 2)]
    checks = [{"id": f"C-{i}", "outcome": "failed"} for i in range(SHOWN + 4)]
    lines = console_lines({"known_bugs": bugs, "checks": checks})
    assert lines[0].startswith(f"failures that match known bugs ({SHOWN + 2} of {SHOWN + 4} failed checks;")
    assert lines[1] == "  bug-0 (C-0): does X"
    assert len(lines) == 1 + SHOWN + 1 and lines[-1].startswith("  and 2 more: known_bugs in summary.json")
    empty = {"known_bugs": [], "checks": checks}
    assert console_lines(empty) == [] and known_bugs_html(empty) == ""


def test_report_html_escapes_what_the_table_says() -> None:
    text = known_bugs_html({"known_bugs": [{"name": "b", "summary": "<script>", "seen_in": "a & b",
                                            "checks": ["X"]}], "checks": [{"id": "X", "outcome": "failed"}]})
    assert "&lt;script&gt;" in text and "a &amp; b" in text and "<script>" not in text
    assert "(1 of 1 failed checks;" in text


def test_bugs_that_fail_the_very_same_checks_are_told_apart_by_their_evidence() -> None:
    """Two bugs whose checks are the same cannot be told apart by which checks failed: each check
    they share must give both a pattern of its failure message (evidence), or the run names both
    for either (as it named location-mismatch for SCIMMY's missing Location header)."""
    checks: dict[str, set[str]] = {}
    for entry in catalogue():
        for name in entry.caught_by:
            checks.setdefault(name, set()).add(entry.id)
    told = {(entry.id, name) for entry in catalogue() for name in entry.evidence}
    bugs = sorted(name for name in checks if name in REGISTRY and not REGISTRY[name].condition)
    alike = [(a, b) for a, b in combinations(bugs, 2) if checks[a] == checks[b]]
    assert alike  # location-mismatch and no-location-header, the bulk cycle's two
    untold = [(a, b) for a, b in alike if not all((c, a) in told and (c, b) in told for c in checks[a])]
    assert untold == []
