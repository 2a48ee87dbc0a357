"""What running an Okta flow yields: each step's verdict (StepResult) and the flow's (FlowResult)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from simulator.okta.flowcheck import Call


@dataclass(frozen=True, slots=True)
class StepResult:
    """A step's verdict; `expected`/`received` describe the first failing assertion."""

    id: str
    title: str
    verdict: Literal["pass", "fail", "skip"]
    calls: tuple[Call, ...] = ()
    expected: str | None = None
    received: str | None = None
    optional: bool = False
    setup: bool = False

    @property
    def failure(self) -> str | None:
        if self.verdict == "pass":
            return None
        return f"Expected: {self.expected}; Received: {self.received}"


@dataclass(frozen=True, slots=True)
class FlowResult:
    """Every step's verdict in order; ok when no required step failed or was skipped."""

    flow: str
    steps: tuple[StepResult, ...]
    created: tuple[tuple[str, str, str], ...] = ()  # (User|Group, id, name) the flow created

    @property
    def first_failure(self) -> StepResult | None:
        return next((s for s in self.steps if s.verdict != "pass" and not s.optional), None)

    @property
    def ok(self) -> bool:
        return self.first_failure is None
