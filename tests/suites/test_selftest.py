"""Proof that the checks are right: the compliant provider passes every check, and each
provider deviation fails exactly the checks that name it — no more, no fewer."""

from __future__ import annotations

import pytest

from simulator.provider.deviations import REGISTRY
from suites.catalogue import by_deviation, catalogue
from tests.suites.scripted import all_scripted
from tests.suites.support import SKIP_IN_MATRIX, failing, provider, run_suites

CATALOGUE = catalogue()
BY_DEVIATION = by_deviation()


@pytest.fixture(scope="module")
def compliant_summary() -> dict:
    with provider() as url:
        return run_suites(url)


def test_compliant_provider_passes_every_check(compliant_summary: dict) -> None:
    bad = {c["id"]: c["message"] for c in compliant_summary["checks"] if c["outcome"] != "passed"}
    assert bad == {}
    assert compliant_summary["exit_code"] == 0
    assert {c["id"] for c in compliant_summary["checks"]} == {e.id for e in CATALOGUE}


@pytest.mark.parametrize("deviation", sorted(BY_DEVIATION))
def test_deviation_fails_exactly_its_checks(deviation: str) -> None:
    assert deviation in REGISTRY, f"checks name an unknown deviation {deviation!r}"
    listed = set(BY_DEVIATION[deviation])
    suites = sorted({e.suite for e in CATALOGUE if e.id in listed})
    with provider(deviation) as url:
        summary = run_suites(url, suites)
    assert failing(summary) == listed
    assert summary["exit_code"] == (1 if any(
        e.level == "MUST" for e in CATALOGUE if e.id in listed) else 0)


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
    assert not (SKIP_IN_MATRIX & set(BY_DEVIATION)), "slow deviations need targeted self-tests"
