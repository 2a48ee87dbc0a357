"""What `scimcert replay` prints while a flow runs: each step as it completes, progress of long ones."""

from __future__ import annotations

import time
from collections.abc import Callable

import click

from simulator.okta import transport
from simulator.okta.flowresults import StepResult
from simulator.okta.plan import Send
from simulator.okta.retry import RetryPolicy, parse_retry_after
from simulator.okta.wire import ScimRequest, ScimResponse

SHOWN_REPEATS = 2  # a step repeated 101 times prints its first and last requests only
PROGRESS_EVERY_S = 5.0  # a step still running after this long says how far it got


class Progress:
    """FlowRun's on_step and on_request: prints each step as it completes, and now and then how
    many requests a long step has sent so far."""

    def __init__(self, every: float = PROGRESS_EVERY_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.every, self.clock = every, clock
        self._step, self._shown = "", 0.0

    def request(self, step_id: str, count: int) -> None:
        now = self.clock()
        if step_id != self._step:
            self._step, self._shown = step_id, now
        elif now - self._shown >= self.every:
            click.echo(f"  {step_id:22} … {count} requests so far")
            self._shown = now

    def step(self, step: StepResult) -> None:
        print_step(step)
        self._step = ""

    def interrupted(self, step_id: str) -> None:
        """The step that was running when the flow was stopped."""
        if step_id:
            click.echo(f"  {step_id:22} INTERRUPTED")


class RateLimitNotice:
    """A Transport's on_exchange: says at once when the target answered 429 and what Okta's policy
    does next (okta-scim.md §10: Retry-After seconds if an integer, else 300 s, doubled on each retry,
    10 attempts), so a wait of minutes is not mistaken for a hang. `step` names the flow's running
    step (FlowReplay points it at the flow, then at its cleanup)."""

    def __init__(self, policy: RetryPolicy) -> None:
        self.policy = policy
        self.step: Callable[[], str] = lambda: ""

    def __call__(self, sent: transport.Exchange) -> None:
        if sent.response.status != 429:
            return
        request, step = sent.request, self.step()
        via = f"{request.step}: " if request.step != step else ""  # as print_step shows a call
        head = f"  {step:22} … {via}{request.request_line} -> 429"
        delay = self.policy.delay(sent.attempt, sent.response.header("Retry-After"))
        if delay is None:
            click.echo(f"{head}; Okta gives up after {sent.attempt} attempts")
            return
        click.echo(f"{head}; Okta sends it again in {_duration(delay)} "
                   f"(attempt {sent.attempt + 1} of {self.policy.max_attempts}; {self._why(sent)})")

    def _why(self, sent: transport.Exchange) -> str:
        header = sent.response.header("Retry-After")
        doubled = f", doubled {sent.attempt - 1}x" if sent.attempt > 1 else ""
        seconds = parse_retry_after(header)
        if seconds is not None:
            return f"Retry-After: {seconds}{doubled}"
        said = "no Retry-After" if header is None else f"Retry-After {header.strip()!r} is not in seconds"
        return f"{said}: Okta's default {self.policy.default_delay_s:g} s{doubled}"


def _duration(seconds: float) -> str:
    """'1 s', '5 min', '10 h 40 min'."""
    if seconds < 120:
        return f"{seconds:g} s"
    hours, minutes = divmod(round(seconds / 60), 60)
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


class CleanupProgress:
    """The cleanup's send, counting what is gone (deleted, or 404 already) and saying now and then
    how far it got: deleting 101 users from a slow server takes a minute."""

    def __init__(self, send: Send, total: int, every: float = PROGRESS_EVERY_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.send, self.total, self.every, self.clock = send, total, every, clock
        self.deleted = 0
        self._shown = clock()

    def __call__(self, request: ScimRequest) -> ScimResponse:
        response = self.send(request)
        gone = response.status == 404 or (request.method == "DELETE" and response.status in (200, 204))
        self.deleted += gone
        now = self.clock()
        if now - self._shown >= self.every:
            click.echo(f"cleanup: {self.deleted} of {self.total} deleted")
            self._shown = now
        return response


def print_step(step: StepResult) -> None:
    calls = list(step.calls)
    if len(calls) > 2 * SHOWN_REPEATS:
        hidden = len(calls) - SHOWN_REPEATS
        calls = calls[:1] + calls[-1:]
        click.echo(f"  {step.id:22} ({hidden} similar requests not shown)")
    for call in calls:
        # requests sent by an engine plan or behind an admin call carry their own step id (assign.create)
        via = f"{call.step}: " if call.step != step.id else ""
        click.echo(f"  {step.id:22} {via}{call.request_line} -> {call.status or 'no response'}")
    label = {"pass": "PASS", "fail": "FAIL", "skip": "SKIP"}[step.verdict]
    if step.verdict != "pass" and step.optional:
        label += " (optional)"
    click.echo(f"  {step.id:22} {label}  {step.title}")
    if step.verdict != "pass":
        click.echo(f"  {'':22}   Expected: {step.expected}")
        click.echo(f"  {'':22}   Received: {step.received}")
