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


class Outcome(enum.Enum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"
    ERROR = "error"
    WAIVED = "waived"
