"""Proof that the checks are right: the compliant provider passes every check, and each
provider deviation fails exactly the checks that name it — no more, no fewer."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from simulator.provider.app import create_app
from simulator.provider.deviations import REGISTRY
from simulator.provider.server import start_in_thread
from simulator.provider.service import ProviderConfig
from simulator.scim.extensions import parse_extension_spec
from simulator.scim.schema import AttributeDef, SchemaDef
from suites.baseline import by_id
from suites.catalogue import by_deviation, catalogue
from tests.suites.scripted import all_scripted
from tests.suites.support import IVANTI_SPEC, SKIP_IN_MATRIX, TOKEN, failing, provider, run_suites

CATALOGUE = catalogue()
BY_DEVIATION = by_deviation()
# The conditions that are circumstances (slow, rate-limited), with the value each is tested at; the
# others are choices the RFCs leave to a server, tested all at once.
OPERATING = {"slow": "slow=0.02", "rate-limited": "rate-limited=25"}
# Choices that switch off a feature Okta's OIN apps need, with the feature and the Okta checks that
# then fail, as Okta would: it deactivates, reactivates and pushes group members with PATCH and does
# not fall back to PUT (okta-scim.md §0, §6.1, §8.3); it looks a user up by userName eq before it
# creates or links it, a group by displayName eq before it pushes it, and its SPEC test looks users
# up the same way (§4.1, §8.1, §11.1). They stay out of the all-at-once run below and have their own.
OKTA_NEEDS = {
    "patch-unsupported": ("patch", {
        "OKTA-CRUD-003", "OKTA-CRUD-004", "OKTA-CRUD-005",  # they follow the CRUD test's deactivate
        *(f"OKTA-GROUP-00{n}" for n in range(1, 8)),  # every push adds its members with PATCH
        "OKTA-USER-004", "OKTA-USER-005",  # deactivate, reactivate
    }),
    "filter-unsupported": ("filter", {
        *(f"OKTA-CRUD-00{n}" for n in range(1, 6)), "OKTA-EXT-001", "OKTA-EXT-002",  # assign looks up
        *(f"OKTA-GROUP-00{n}" for n in range(1, 8)),  # assigning the members, or the group's lookup
        "OKTA-SPEC-003", "OKTA-SPEC-005", "OKTA-SPEC-009",  # the SPEC test's userName lookups
        *(f"OKTA-USER-00{n}" for n in range(1, 7)),  # every assignment looks the user up first
    }),
}
# RFC 9865 §2.3 lets a server page by cursor only; Okta pages by startIndex and reads startIndex and
# itemsPerPage (okta-scim.md §2, §3): its connection test, SPEC test and import fail, as Okta would.
# The checks of startIndex paging skip there. It has a test of its own too.
CURSOR_ONLY = "cursor-only"
OKTA_PAGES_BY_INDEX = {"OKTA-CONNECT-002", "OKTA-IMPORT-001", "OKTA-SPEC-001", "OKTA-SPEC-002"}
# cursor-omits-total (one of the legal variants) leaves totalResults out of cursor-paged lists (RFC
# 9865 §2), which with cursor-only are all lists: Okta reads it, so its group import (paged by
# startIndex too) and its SPEC test's "totalResults 0" lookups fail as well, saying why.
OKTA_READS_TOTAL = {"OKTA-IMPORT-002", "OKTA-SPEC-003", "OKTA-SPEC-005"}
INDEX_PAGING = {"PAGE-COUNTS-001", "PAGE-START-001", "PAGE-START-002", "PAGE-START-003", "PAGE-WALK-001",
                "PAGE-OKTA-001", "SEARCH-PAGE-001", "SORT-PAGE-001",
                "PAGE-COUNT-003"}  # count=-1 read as 0: RFC 9865 makes count positive on cursor pages
LEGAL_VARIANTS = sorted(SKIP_IN_MATRIX - set(OPERATING) - set(OKTA_NEEDS) - {CURSOR_ONLY})
# the checks of those features then skip
UNADVERTISING = {"etag-unsupported", "sort-unsupported", "change-password-unsupported"}
# filter-eq-only declines every operator but eq, and or/not/valuePath (RFC 7644 §3.12
# invalidFilter): the checks whose subject is one of them skip, saying which filter was declined.
# FLT-BOOL-001 judges `active eq false` first, then skips at `active ne false`.
EQ_ONLY_SUBJECTS = {
    "FLT-OP-001", "FLT-OP-002", "FLT-OP-003", "FLT-OP-004", "FLT-OP-005", "FLT-OP-006", "FLT-OP-007",
    "FLT-BOOL-001", "FLT-DATE-001", "FLT-EQ-005",
    "FLT-LOGIC-002", "FLT-LOGIC-003", "FLT-LOGIC-004", "FLT-LOGIC-005",
}
IVANTI = "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User"

# Checks the default self-test provider cannot exercise (it declares no required extension and
# no canonicalValues, advertises filtering, and throttles nobody);
# test_checks_skipped_by_default_pass_where_they_apply runs them.
SKIPPED_BY_DEFAULT = {"DISC-FILTER-002", "ERR-RATE-001", "EXT-REQ-001", "EXT-TYPE-003"}
ACME = "urn:ietf:params:scim:schemas:extension:acme:2.0:User"
# Okta's SPEC test POSTs fixed bodies with the core schema only (okta-scim.md §11.1): a server that
# requires an extension refuses step 6, as it refuses Okta's own test; 7 to 9 need step 6.
OKTA_FIXED_BODIES = {"OKTA-SPEC-006", "OKTA-SPEC-007", "OKTA-SPEC-008", "OKTA-SPEC-009"}
ACME_GROUP = "urn:example:params:scim:schemas:extension:acme:2.0:Group"
# Okta's group push sends displayName and members only (okta-scim.md §8.1) and no Okta mapping adds
# Group extension data: a server whose Group resource type requires an extension refuses every push.
OKTA_GROUP_PUSH = {f"OKTA-GROUP-00{n}" for n in range(1, 8)}
# Checks that need a user without a required extension's data, by case: skipped, saying why.
NEED_A_USER_WITHOUT = {
    *((check, ext) for check in ("EXT-CREATE-003", "EXT-PUT-002", "EXT-PATCH-006")
      for ext in ("ivanti", "acme")),
    ("EXT-PATCH-003", "acme.costCode"),  # its only attribute; Ivanti keeps two others
}


@pytest.fixture(scope="module")
def compliant_summary() -> dict:
    with provider() as url:
        return run_suites(url)


def test_compliant_provider_passes_every_check(compliant_summary: dict) -> None:
    outcomes = by_id(compliant_summary["checks"])
    bad = {c["id"]: c["message"] for c in compliant_summary["checks"]
           if c["outcome"] not in ("passed", "skipped")}
    assert bad == {}
    assert {i for i, o in outcomes.items() if o == "skipped"} == SKIPPED_BY_DEFAULT
    assert compliant_summary["exit_code"] == 0
    assert compliant_summary["known_bugs"] == []
    assert set(outcomes) == {e.id for e in CATALOGUE}


def test_checks_skipped_by_default_pass_where_they_apply() -> None:
    ivanti = SchemaDef(IVANTI, "Ivanti", "Ivanti extension", (
        AttributeDef("custAttr1", canonical_values=("Gold", "Silver")),))
    cfg = ProviderConfig(token=TOKEN, extensions=(ivanti,), required_extensions=frozenset({IVANTI}))
    with start_in_thread(create_app(cfg)) as server:
        summary = run_suites(server.url + "/scim/v2", ["extensions"], "-k",
                             "required_extension or canonical_values")
    with provider("filter-unsupported") as url:
        declined = run_suites(url, ["discovery"], "-k", "filter_is_declined")
    with provider("rate-limited=5") as url:
        throttled = run_suites(url, ["errors"])
    small = ProviderConfig(token=TOKEN, max_results=5)  # DISC-MAXRESULTS-001 creates the 6 users it needs
    with start_in_thread(create_app(small)) as server:
        limited = run_suites(server.url + "/scim/v2", ["discovery"], "-k", "max_results_is_honoured")
    outcomes = {**by_id(summary["checks"]), **by_id(declined["checks"]),
                **{c["id"]: c["outcome"] for c in throttled["checks"] if c["id"] == "ERR-RATE-001"}}
    assert outcomes == dict.fromkeys(SKIPPED_BY_DEFAULT, "passed")
    assert failing(throttled) == set()
    # alone (in a full run it runs last, after PAGE-MAX-001 created more than maxResults users)
    assert by_id(limited["checks"]) == {"DISC-MAXRESULTS-001": "passed"}


def test_the_max_results_check_skips_where_it_cannot_observe_the_limit() -> None:
    """Fewer users than maxResults show nothing about the limit: DISC-MAXRESULTS-001 used to pass
    there. Up to 250 it creates the users it needs (max-results-ignored then fails it, as the
    deviation matrix shows); above, it says why it is skipped."""
    cfg = ProviderConfig(token=TOKEN, max_results=300)
    with start_in_thread(create_app(cfg)) as server:
        summary = run_suites(server.url + "/scim/v2", ["discovery"], "-k", "max_results_is_honoured")
    (check,) = summary["checks"]
    assert check["outcome"] == "skipped", check
    assert "no more than maxResults=300 users exist" in check["message"]


def test_a_provider_that_requires_extensions_fails_only_okta_s_fixed_bodies() -> None:
    """RFC 7643 §6: "If true, a resource of this type MUST include this schema extension". Such a
    server refused every user the harness created (133 failed checks, 43 errors); now its users
    carry the data, the checks that need a user without it say why they are skipped, and only
    Okta's fixed SPEC-test body fails, saying why (it fails Okta's own test the same way)."""
    cfg = ProviderConfig(token=TOKEN, extensions=(parse_extension_spec(IVANTI_SPEC),
                                                  parse_extension_spec(f"{ACME}=costCode")),
                         required_extensions=frozenset({IVANTI, ACME}))
    with start_in_thread(create_app(cfg)) as server:
        summary = run_suites(server.url + "/scim/v2", (), "--scim-no-okta-gate")
    bad = {c["id"]: c["message"] for c in summary["checks"] if c["outcome"] in ("failed", "error")}
    assert set(bad) == OKTA_FIXED_BODIES, bad
    assert all(f"carries no {IVANTI}, {ACME} data, which the target's User resource type requires "
               "(RFC 7643 §6)" in message for message in bad.values())
    assert summary["verdicts"] == {"rfc": "pass", "okta": "fail"} and summary["exit_code"] == 0
    cases = {(c["id"], k["case"]): k for c in summary["checks"] for k in c.get("cases", [])}
    skipped = {case for case, k in cases.items() if k["outcome"] == "skipped"
               and "required (RFC 7643 §6: \"a resource of this type MUST include this schema extension"
               in k["message"]}
    assert skipped == NEED_A_USER_WITHOUT
    assert cases[("EXT-PATCH-001", "acme.costCode")]["outcome"] == "passed"  # adds over another value
    assert {cases[("EXT-REQ-001", e)]["outcome"] for e in ("ivanti", "acme")} == {"passed"}
    assert {c["outcome"] for c in summary["checks"] if c["id"].startswith(("OKTA-USER", "OKTA-CRUD"))} == {
        "passed"}


def test_a_provider_that_requires_a_group_extension_fails_only_okta_s_group_push() -> None:
    """RFC 7643 §6 for Groups: such a server refused every group the harness created (34 failed
    checks); now every group it creates or replaces carries the data, and only the Okta checks that
    push groups fail, saying why (Okta's own push fails the same way)."""
    cfg = ProviderConfig(token=TOKEN, extensions=(parse_extension_spec(IVANTI_SPEC),
                                                  parse_extension_spec(f"{ACME_GROUP}=costCenter,size:integer")),
                         required_extensions=frozenset({ACME_GROUP}))
    with start_in_thread(create_app(cfg)) as server:
        summary = run_suites(server.url + "/scim/v2", (), "--scim-no-okta-gate")
    bad = {c["id"]: c["message"] for c in summary["checks"] if c["outcome"] in ("failed", "error")}
    assert set(bad) == OKTA_GROUP_PUSH, bad
    assert all(f"Okta's group push body carries no {ACME_GROUP} data, which the target's Group resource "
               "type requires (RFC 7643 §6); Okta pushes a group's displayName and members only, and no "
               "Okta mapping adds Group extension data" in message for message in bad.values())
    assert summary["verdicts"] == {"rfc": "pass", "okta": "fail"} and summary["exit_code"] == 0
    outcomes = by_id(summary["checks"])
    assert {outcomes[c] for c in outcomes if c.startswith(("GRP-", "PATCH-GRP-"))} == {"passed"}


def test_a_provider_without_the_optional_enterprise_extension_fails_no_check() -> None:
    """RFC 7643 §4.3 is optional: its cases are skipped, saying why, where the target neither
    advertises it nor keeps its data; they used to fail 25 checks of a correct server."""
    cfg = ProviderConfig(token=TOKEN, enterprise=False,
                         extensions=(parse_extension_spec(IVANTI_SPEC),))
    with start_in_thread(create_app(cfg)) as server:
        summary = run_suites(server.url + "/scim/v2")
    assert failing(summary) == set() and summary["exit_code"] == 0
    cases = {(c["id"], k["case"]): k for c in summary["checks"] for k in c.get("cases", [])}
    assert cases[("EXT-DISC-003", "ivanti")]["outcome"] == "passed"
    skipped = cases[("EXT-DISC-003", "enterprise")]
    assert skipped["outcome"] == "skipped"
    assert "refused a user with enterprise data (HTTP 400)" in skipped["message"]
    assert by_id(summary["checks"])["EXT-MGR-001"] == "skipped"


def test_a_read_only_run_keeps_the_enterprise_cases_of_checks_that_send_no_write() -> None:
    """--read-only skips only checks that write: where the target advertises the enterprise
    extension, the read-only discovery checks run its case (no user has to decide its support).
    They were skipped as "creates resources" because the probe's fixture asked for the factory."""
    with provider() as url:
        summary = run_suites(url, ["extensions"], "--scim-read-only")
    cases = {(c["id"], k["case"]): k for c in summary["checks"] for k in c.get("cases", [])}
    disc = {key: case["outcome"] for key, case in cases.items()
            if key[0].startswith("EXT-DISC-") and key[1] == "enterprise"}
    assert disc and set(disc.values()) == {"passed"}, disc


def _failing_in(deviation: str, suites: list[str]) -> tuple[set[str], int, list[str]]:
    with provider(deviation) as url:
        summary = run_suites(url, suites)
    return failing(summary), summary["exit_code"], [b["name"] for b in summary["known_bugs"]]


def _runs(suites: list[str]) -> list[list[str]]:
    """The okta suite against a provider of its own, the other suites together against another:
    Okta's connection test, import and SPEC test judge what else the target holds (an empty
    listing), so caught_by is measured for it alone; one run for the rest saves a pytest start
    per suite (the matrix took twice as long with one run per suite)."""
    okta = [s for s in suites if s == "okta"]
    rest = [s for s in suites if s != "okta"]
    return [run for run in (okta, rest) if run]


@pytest.mark.parametrize("deviation", sorted(BY_DEVIATION))
def test_deviation_fails_exactly_its_checks(deviation: str) -> None:
    assert deviation in REGISTRY, f"checks name an unknown deviation {deviation!r}"
    listed = set(BY_DEVIATION[deviation])
    suites = sorted({e.suite for e in CATALOGUE if e.id in listed})
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda run: _failing_in(deviation, run), _runs(suites)))
    assert set().union(*(found for found, _, _ in runs)) == listed
    # and the run names it among the known bugs its failures match (suites/known_bugs.py)
    assert all(deviation in known for found, _, known in runs if found), [known for _, _, known in runs]
    # The default gate (fail-on MUST + Okta readiness) fails the run exactly when the deviation
    # breaks a MUST or an Okta-critical check; a SHOULD/MAY-only one fails at --fail-on should/may.
    gated = any((e.level == "MUST" and e.basis == "rfc") or e.okta for e in CATALOGUE if e.id in listed)
    assert max(code for _, code, _ in runs) == (1 if gated else 0)


@pytest.mark.parametrize("condition", sorted(OPERATING))
def test_conditions_do_not_fail_a_run(condition: str) -> None:
    """A slow or rate-limiting server is not wrong: the run waits and retries, and passes."""
    with provider(OPERATING[condition]) as url:
        summary = run_suites(url, ["users", "okta/test_spec.py"])
    assert failing(summary) == set() and summary["exit_code"] == 0
    assert summary["totals"]["passed"] >= 40


def test_legal_variants_do_not_fail_a_run() -> None:
    """Every choice the RFCs leave to a server, all at once (they compose): PATCH answered 204,
    pages of 100, lists in hash order, numeric and opaque ids, nulls for unassigned attributes, dateTimes
    with an offset, no ETags, no sorting, no password change, eq filters only... No check fails;
    those that need ETags, sorting or a password change are skipped, saying the target does not
    advertise them, and those that judge an operator other than eq, saying the target declined
    it. The checks that use a filter as a vehicle only (the paging checks' scope, FLT-LOGIC-001's
    `and`) use an eq filter there."""
    with provider(*LEGAL_VARIANTS) as url:
        summary = run_suites(url)
    assert failing(summary) == set() and summary["exit_code"] == 0, {
        c["id"]: c["message"][:400] for c in summary["checks"] if c["outcome"] in ("failed", "error")}
    skipped = {c["id"]: c["message"] for c in summary["checks"] if c["outcome"] == "skipped"}
    unadvertised = {i for i, m in skipped.items() if any(
        f"{feature}.supported is not true" in m for feature in ("etag", "sort", "changePassword", "bulk"))}
    declined = {i for i, m in skipped.items()
                if "the target declines the filter '" in m and "'invalidFilter'" in m}
    assert declined == EQ_ONLY_SUBJECTS
    assert set(skipped) - unadvertised - declined == SKIPPED_BY_DEFAULT
    assert {i for i in unadvertised if i.startswith(("ETAG-", "SORT-"))} == {
        e.id for e in CATALOGUE if e.suite in ("etag", "sort")}
    assert {"DISC-PASSWORD-001", "PATCH-USR-PASSWORD-001"} <= unadvertised
    assert {i for i in unadvertised if i.startswith("BULK-")} == {
        e.id for e in CATALOGUE if e.suite == "bulk"}


def test_bulk_checks_pass_under_every_other_legal_variant() -> None:
    """The legal-variants run has no bulk (bulk-unsupported is one of them): the bulk suite runs
    against every other variant at once, numeric and opaque ids in its locations and paths,
    PATCH answered 204, no ETags, and passes."""
    with provider(*(v for v in LEGAL_VARIANTS if v != "bulk-unsupported")) as url:
        summary = run_suites(url, ["bulk", "discovery"], "-k", "bulk or BULK")
    assert failing(summary) == set() and summary["exit_code"] == 0, {
        c["id"]: c["message"][:400] for c in summary["checks"] if c["outcome"] in ("failed", "error")}
    assert {c["id"]: c["outcome"] for c in summary["checks"]} == {
        "DISC-BULK-001": "passed", **{e.id: "passed" for e in CATALOGUE if e.suite == "bulk"}}


@pytest.mark.parametrize("condition", sorted(OKTA_NEEDS))
def test_okta_fails_where_it_needs_a_feature_the_target_switches_off(condition: str) -> None:
    """RFC 7644 §3.5.2: "HTTP PATCH is an OPTIONAL server function"; §3.4.2.2: "Filtering is an
    OPTIONAL parameter for SCIM service providers". With every other legal variant on too, no RFC
    check fails and every check of the feature's suite is skipped, naming the flag. Okta's OIN apps
    need both (OKTA_NEEDS says where): exactly those Okta checks fail, saying why, as Okta would."""
    feature, okta_checks = OKTA_NEEDS[condition]
    with provider(*LEGAL_VARIANTS, condition) as url:
        summary = run_suites(url)
    bad = {c["id"]: c["message"] for c in summary["checks"] if c["outcome"] in ("failed", "error")}
    assert set(bad) == okta_checks, {i: m[:400] for i, m in bad.items()}
    assert all(f"({feature}.supported is false in /ServiceProviderConfig: Okta" in message
               and "so Okta fails here too)" in message for message in bad.values()), bad
    assert summary["verdicts"] == {"rfc": "pass", "okta": "fail"} and summary["exit_code"] == 1
    reason = f"{feature}.supported is not true in /ServiceProviderConfig"
    skipped = {c["id"] for c in summary["checks"] if c["outcome"] == "skipped" and reason in c["message"]}
    assert {e.id for e in CATALOGUE if e.suite == feature} <= skipped


def test_a_cursor_only_target_skips_index_paging_and_fails_okta_s_paging() -> None:
    """RFC 9865 §2.3: "A service provider MAY require cursor-based pagination to retrieve all
    results for a query". With every other legal variant on too (but sort-unsupported: sorted pages
    are judged here), no RFC check fails, the checks of startIndex paging are skipped saying why,
    and the cursor checks pass; Okta pages by startIndex (okta-scim.md §2, §3), so exactly its
    paging checks fail, saying why, as Okta would. With cursor-omits-total no list carries
    totalResults (RFC 9865 §2 allows it): the checks that need it count by nextCursor, or skip
    saying why (PAGE-COUNTS-003); Okta's checks that read it fail, saying so."""
    with provider(*(v for v in LEGAL_VARIANTS if v != "sort-unsupported"), CURSOR_ONLY) as url:
        summary = run_suites(url)
    bad = {c["id"]: c["message"] for c in summary["checks"] if c["outcome"] in ("failed", "error")}
    assert set(bad) == OKTA_PAGES_BY_INDEX | OKTA_READS_TOTAL, {i: m[:400] for i, m in bad.items()}
    assert all("(pagination.index is false in /ServiceProviderConfig: the target pages by cursor only "
               "(RFC 9865 §2.3), but Okta pages by startIndex" in bad[i] for i in OKTA_PAGES_BY_INDEX), bad
    assert all("totalResults, which the target leaves out" in bad[i] or "the target leaves totalResults "
               "out of its cursor-paged list, which RFC 9865 §2 allows, but Okta reads totalResults" in bad[i]
               for i in OKTA_READS_TOTAL), bad
    assert summary["verdicts"] == {"rfc": "pass", "okta": "fail"} and summary["exit_code"] == 1
    skipped = {c["id"]: c["message"] for c in summary["checks"] if c["outcome"] == "skipped"}
    assert {i for i, m in skipped.items() if "pagination.index is false in /ServiceProviderConfig" in m} \
        == INDEX_PAGING
    assert {i for i, m in skipped.items() if "leaves totalResults out" in m} == {"PAGE-COUNTS-003"}
    outcomes = by_id(summary["checks"])
    assert {outcomes[e.id] for e in CATALOGUE if e.suite == "cursor"} == {"passed"}


@pytest.mark.parametrize("total", [(), ("cursor-omits-total",)], ids=["with-total", "omits-total"])
def test_filter_and_sort_checks_follow_next_cursor_on_a_cursor_only_target(total: tuple[str, ...]) -> None:
    """A cursor-only target ignores startIndex (RFC 9865 §2.3): the filter and sort checks read a
    short-paged listing's later pages by startIndex, got the first page again, and failed 11 checks
    of such a server with pages of 1. They follow nextCursor where a page carries one, also where
    the page leaves totalResults out (RFC 9865 §2): they stopped at the first page there."""
    with provider(CURSOR_ONLY, "page-size=1", *total) as url:
        summary = run_suites(url, ["filter", "sort"])
    assert failing(summary) == set() and summary["exit_code"] == 0
    assert {c["id"] for c in summary["checks"] if c["outcome"] == "skipped"} == {"SORT-PAGE-001"}


# Okta's own bodies, sent again as Okta sends them: a server with unique emails refuses them for
# the email too, as it would refuse Okta.
OKTA_SAME_BODY = {"OKTA-SPEC-008", "OKTA-USER-006"}


@pytest.mark.parametrize("deviation", ["duplicate-username-allowed", "username-case-sensitive"])
def test_unique_emails_hide_no_username_bug(deviation: str) -> None:
    """A server may refuse an email in use (unique-emails, RFC 7644 §3.3), and such a server's 409
    for a second user that reused the first one's email hid a userName uniqueness bug: the
    userName checks posted the same email again (USR-CREATE-009, -010, ERR-BODY-003 passed
    there). Their second user now has an email of its own."""
    listed = set(BY_DEVIATION[deviation]) - OKTA_SAME_BODY
    suites = sorted({e.suite for e in CATALOGUE if e.id in listed})
    with provider("unique-emails", deviation) as url:
        summary = run_suites(url, suites)
    assert failing(summary) == listed


def test_checks_read_every_page_of_a_short_paged_listing() -> None:
    """RFC 7644 §3.4.2.4: a server "MAY return fewer results" than count. The filter and sort
    checks read the first page only and failed 14 checks of a server whose pages hold one
    resource; they now read every page (SORT-PAGE-001 starts each page after the last). The
    other variants are on too, but for those that switch ETags, sorting and password changes off
    and for filter-eq-only (it declines the operators the filter checks judge): here the ETag and
    sort checks judge strong ETags and sorting over lists in hash order."""
    specs = [v for v in LEGAL_VARIANTS if v not in UNADVERTISING | {"page-size", "filter-eq-only"}]
    with provider(*specs, "page-size=1") as url:
        summary = run_suites(url, ["filter", "sort", "etag", "discovery/test_features.py"])
    assert failing(summary) == set() and summary["exit_code"] == 0
    skipped = {c["id"] for c in summary["checks"] if c["outcome"] == "skipped"}
    assert skipped == {"DISC-FILTER-002"} and summary["totals"]["passed"] >= 50  # filtering advertised


# (filter-ignored would not do: it ignores the filter before filter-eq-only could decline it)
@pytest.mark.parametrize(("deviation", "vehicles"), [
    ("startindex-zero-based", {"PAGE-START-001", "PAGE-START-002", "FLT-LOGIC-001", "FLT-BOOL-001"}),
    ("inactive-hidden", {"FLT-BOOL-001"}),
])
def test_eq_vehicles_still_catch_bugs_where_only_eq_is_taken(deviation: str, vehicles: set[str]) -> None:
    """On a server that takes eq filters only, the checks that scope their users with an eq
    filter instead (the paging checks by title, FLT-LOGIC-001 and FLT-BOOL-001 by userName) still
    fail on their deviations: exactly the checks of the deviation fail, but for those whose
    subject is a declined operator (they skip)."""
    with provider("filter-eq-only", deviation) as url:
        summary = run_suites(url, ["pagination", "filter"], "-k", "not above_max_results")
    listed = {e.id for e in CATALOGUE if e.suite in ("pagination", "filter")} & set(BY_DEVIATION[deviation])
    judged = listed - (EQ_ONLY_SUBJECTS - {"FLT-BOOL-001"})  # its eq half fails before the ne one
    assert vehicles <= judged
    assert failing(summary) == judged - {"PAGE-MAX-001"}


def test_okta_import_says_why_pages_of_fewer_than_100_lose_users() -> None:
    """Pages of 50 are the server's right (RFC 7644 §3.4.2.4) but Okta's import steps startIndex
    by 100 (okta-scim.md §3) and misses half of them: OKTA-IMPORT-001 fails, saying so."""
    with provider("page-size=50") as url:
        summary = run_suites(url, ["okta/test_import.py"], "-k", "every_page")
    (check,) = [c for c in summary["checks"] if c["id"] == "OKTA-IMPORT-001"]
    assert check["outcome"] == "failed"
    assert "the target answered count=100 with pages of 50" in check["message"], check["message"]


def test_okta_connection_test_reads_the_counters_of_a_list_returned_whole() -> None:
    """RFC 7644 §3.4.2 asks for startIndex and itemsPerPage only on a partial page; Okta's
    connection test (count=2 against a target holding none) reads them: OKTA-CONNECT-002 fails."""
    with provider("list-counters-when-paged") as url:
        summary = run_suites(url, ["okta/test_connect.py"])
    assert failing(summary) == {"OKTA-CONNECT-002"}


def test_every_check_can_fail() -> None:
    """A check that no deviation or scripted bad response makes fail is a defect."""
    scripted = all_scripted()
    uncaught = [e.id for e in CATALOGUE if not e.caught_by and e.id not in scripted]
    assert uncaught == []


def test_ids_are_unique_and_deviations_exist() -> None:
    ids = [e.id for e in CATALOGUE]
    assert len(ids) == len(set(ids))
    unknown = {d for e in CATALOGUE for d in e.caught_by} - set(REGISTRY)
    assert unknown == set()
    assert not (SKIP_IN_MATRIX & set(BY_DEVIATION)), "no check may fail on an operating condition"


def test_sort_checks_scope_by_user_type_where_only_eq_is_taken() -> None:
    """On a server that takes eq filters only, the sort checks and DISC-SORT-001 select their users
    by `userType eq` instead of `userName sw` (suites/sort/scope.py): they are judged rather than
    skipped, pass on a server that sorts, and fail on one that ignores sortBy."""
    suites = ["sort", "discovery/test_features.py"]
    with provider("filter-eq-only") as url:
        sorting = run_suites(url, suites)
    with provider("filter-eq-only", "sort-ignored") as url:
        ignoring = run_suites(url, suites)
    judged = {c["id"] for c in sorting["checks"] if c["outcome"] == "passed"}
    assert failing(sorting) == set() and {"SORT-ORDER-001", "SORT-PAGE-001", "DISC-SORT-001"} <= judged
    assert failing(ignoring) == {c["id"] for c in ignoring["checks"]} & set(BY_DEVIATION["sort-ignored"])
    assert {"SORT-ORDER-001", "SORT-CASE-001", "DISC-SORT-001"} <= failing(ignoring)


def test_an_aiw_app_needs_no_patch() -> None:
    """Okta's App Integration Wizard apps are PUT-only (okta-scim.md §1: GET + PUT for users, PUT
    /Groups/{id} with the full member list for group push): a server without PATCH fails no check
    of an `--okta-flavour aiw` run, where the OIN flavour fails OKTA_NEEDS["patch-unsupported"]."""
    with provider(*LEGAL_VARIANTS, "patch-unsupported") as url:
        summary = run_suites(url, (), "--okta-flavour", "aiw")
    assert failing(summary) == set()
    assert summary["verdicts"] == {"rfc": "pass", "okta": "pass"} and summary["exit_code"] == 0


def test_okta_counters_on_a_whole_list_say_the_rfc_allows_leaving_them_out() -> None:
    """A list returned whole may leave startIndex and itemsPerPage out (RFC 7644 §3.4.2, the
    list-counters-when-paged condition); Okta's connection test reads them anyway (okta-scim.md §2),
    so OKTA-CONNECT-002 fails on an empty target, and its message says both."""
    with provider("list-counters-when-paged") as url:
        summary = run_suites(url, ["okta"], "-k", "CONNECT")
    assert failing(summary) == {"OKTA-CONNECT-002"}
    message = next(c["message"] for c in summary["checks"] if c["id"] == "OKTA-CONNECT-002")
    assert "startIndex to be a JSON number (RFC 7644 §3.4.2 lets a list returned whole leave it out; " \
           "Okta's connection test reads it whatever the list" in message
