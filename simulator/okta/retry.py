"""Okta's 429 policy (okta-scim.md §10 [D] S4) and request timeout (§1.4 [D] S5), pure."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Final, Protocol

REQUEST_TIMEOUT_S: Final = 60.0  # Okta closes the socket after 60 s without a response
DEFAULT_RETRY_AFTER_S: Final = 300.0  # Retry-After absent or an HTTP-date: 5 minutes
MAX_ATTEMPTS: Final = 10


def parse_retry_after(value: str | None) -> int | None:
    """Integer seconds from Retry-After; None for absent, HTTP-date or anything else."""
    if value is None or not re.fullmatch(r"[0-9]+", value.strip()):
        return None
    return int(value.strip())


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Wait Retry-After seconds (else 300 s), doubling each retry; at most 10 attempts.

    The wait after the n-th 429 is base * 2**(n-1), where base is that response's integer
    Retry-After (or 300 s). After the max_attempts-th request the task fails for good.
    """

    max_attempts: int = MAX_ATTEMPTS
    default_delay_s: float = DEFAULT_RETRY_AFTER_S
    factor: float = 2.0

    def delay(self, attempt: int, retry_after: str | None) -> float | None:
        """Seconds to wait after request number `attempt` got a 429; None means give up."""
        if attempt >= self.max_attempts:
            return None
        seconds = parse_retry_after(retry_after)
        base = self.default_delay_s if seconds is None else float(seconds)
        return base * self.factor ** (attempt - 1)


class Clock(Protocol):
    """Time as the transport sees it; inject a FakeClock so tests never sleep."""

    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@dataclass
class FakeClock:
    """A clock that only advances when slept on, and remembers every sleep."""

    now: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
