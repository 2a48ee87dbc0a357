"""RFC 2119 requirement levels and check outcomes."""

from __future__ import annotations

import enum


class Level(enum.Enum):
    """RFC 2119 requirement levels, strongest first."""

    MUST = 3
    SHOULD = 2
    MAY = 1

    def fails_run(self, threshold: Level) -> bool:
        """A failure at this level fails a run whose --fail-on is threshold."""
        return self.value >= threshold.value


OKTA_SUITE = "okta"


def basis_of(suite: str) -> str:
    """What a check's level is judged against: "rfc", or "okta" for the okta suite.

    The okta suite replays Okta's own requests and asserts what Okta's provisioning and its
    SPEC/CRUD tests expect; its levels are Okta's ("Required" is MUST, "Optional" is MAY), not
    the RFC's, so those checks decide Okta readiness and never the RFC conformance verdict.
    Every RFC behaviour they exercise has its own check, at its RFC level, in the other suites.
    """
    return "okta" if suite == OKTA_SUITE else "rfc"


class Outcome(enum.Enum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"
    ERROR = "error"
    WAIVED = "waived"
