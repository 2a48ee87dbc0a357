"""The only I/O of the Okta simulator's engine: run a plan over HTTP with Okta's timeout and 429 policy."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Protocol
from urllib.parse import urlsplit

import requests

from simulator.causes import causes
from simulator.okta.plan import Outcome, Plan, drive
from simulator.okta.retry import REQUEST_TIMEOUT_S, Clock, RetryPolicy, SystemClock
from simulator.okta.wire import ScimRequest, ScimResponse

_DEFAULT_PORTS: Final = {"http": 80, "https": 443}


class HttpSession(Protocol):
    """What the transport needs of `requests.Session` (tests pass a scripted fake)."""

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        data: bytes | None,
        timeout: float,
        allow_redirects: bool,
        verify: bool | str,
    ) -> requests.Response: ...


@dataclass(frozen=True, slots=True)
class Exchange:
    """One HTTP attempt: the (redacted) request, its response, and any 429 wait before it."""

    request: ScimRequest
    response: ScimResponse
    attempt: int  # 1, then 2… for retries of the same step after a 429
    waited_s: float  # the sleep that preceded this attempt
    elapsed_ms: float

    @property
    def request_line(self) -> str:
        """'GET /scim/v2/Users?startIndex=1&count=2 -> 200'."""
        outcome = (
            str(self.response.status) if self.response.status else f"no response ({self.response.error})"
        )
        return f"{self.request.request_line} -> {outcome}"

    def to_json(self) -> dict[str, Any]:
        return {
            "request": self.request.to_json(),
            "response": self.response.to_json(),
            "attempt": self.attempt,
            "waited_s": self.waited_s,
            "elapsed_ms": round(self.elapsed_ms, 3),
        }


@dataclass(frozen=True, slots=True)
class RateLimited:
    """A run that ended on a 429 (okta-scim.md §10): the step, how many requests its task has made
    for it, and the wait Okta's policy asks before the next one. `delay_s` None: the policy gave up
    after its last attempt. Otherwise the run is *paused*: the wait would have gone past the
    transport's inline budget, so it was not slept and the plan got the 429."""

    step: str
    attempt: int
    delay_s: float | None
    max_attempts: int

    @property
    def paused(self) -> bool:
        return self.delay_s is not None

    def to_json(self) -> dict[str, Any]:
        return {"step": self.step, "attempt": self.attempt, "max_attempts": self.max_attempts,
                "paused": self.paused, "delay_s": self.delay_s}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Run:
    """A plan's outcome and every exchange made for it, in order; `rate_limited` when a 429 ended it."""

    outcome: Outcome
    exchanges: tuple[Exchange, ...]
    rate_limited: RateLimited | None = None


class Transport:
    """Sends plan requests with `requests` (or to `forward`); retries 429s per RetryPolicy on the clock.

    `inline_wait_s` bounds the 429 waits one request may sleep through (None: no bound, as the
    in-process uses want). A wait that would go past it is not slept: the plan gets the 429 and
    the Run says it was paused (RateLimited), so a server can retry the task later as Okta does.
    """

    def __init__(
        self,
        session: HttpSession | None = None,
        *,
        timeout: float = REQUEST_TIMEOUT_S,
        retry: RetryPolicy | None = None,
        clock: Clock | None = None,
        redact: bool = True,
        verify: bool | str = True,  # or the path of a CA bundle
        on_exchange: Callable[[Exchange], None] | None = None,
        forward: Callable[[ScimRequest], ScimResponse] | None = None,
        inline_wait_s: float | None = None,
    ) -> None:
        self._own_session: requests.Session | None = None  # one it made, and so may close
        if session is None:
            session = self._own_session = _okta_session()
        self.session = session
        self.forward = forward  # when set, requests go to it instead of HTTP (a recording client)
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.clock = clock or SystemClock()
        self.redact = redact
        self.verify = verify
        self.on_exchange = on_exchange
        self.inline_wait_s = inline_wait_s

    def run(self, plan: Plan, *, attempts_used: int = 0) -> Run:
        """Drive the plan to its end; a failed request becomes part of the Outcome, not an exception.

        `attempts_used`: requests a paused task already made (its retry continues Okta's count).
        Once paused, nothing more is sent: a further request of the plan gets the same 429.
        """
        log: list[Exchange] = []
        limited: list[RateLimited] = []
        last: list[ScimResponse] = []

        def send(request: ScimRequest) -> ScimResponse:
            if limited and limited[-1].paused:
                return last[-1]
            response, ended = self._send(request, log, attempts_used)
            limited[:] = [ended] if ended else []
            last[:] = [response]
            return response

        outcome = drive(plan, send)
        return Run(outcome, tuple(log), limited[-1] if limited else None)

    def send(self, request: ScimRequest, log: list[Exchange] | None = None) -> ScimResponse:
        """One step: send, and on 429 wait and resend until the policy gives up (or the budget ends)."""
        return self._send(request, log, 0)[0]

    def _send(
        self, request: ScimRequest, log: list[Exchange] | None, attempts_used: int
    ) -> tuple[ScimResponse, RateLimited | None]:
        attempt, waited, slept = 1, 0.0, 0.0
        while True:
            started = self.clock.monotonic()
            response = self._once(request)
            elapsed_ms = (self.clock.monotonic() - started) * 1000.0
            shown, kept = request, response.compact()
            if self.redact:
                shown, kept = request.redacted(), kept.redacted(request.secrets())
            exchange = Exchange(shown, kept, attempt, waited, elapsed_ms)
            if log is not None:
                log.append(exchange)
            if self.on_exchange is not None:
                self.on_exchange(exchange)
            if response.status != 429:
                return response, None
            used = attempts_used + attempt
            delay = self.retry.delay(used, response.header("Retry-After"))
            if delay is None or (self.inline_wait_s is not None and slept + delay > self.inline_wait_s):
                return response, RateLimited(request.step, used, delay, self.retry.max_attempts)
            self.clock.sleep(delay)
            attempt, waited, slept = attempt + 1, delay, slept + delay

    def _once(self, request: ScimRequest) -> ScimResponse:
        if self.forward is not None:
            return self.forward(request)
        try:
            raw = self.session.request(
                request.method,
                request.url,
                headers=dict(wire_headers(request)),
                data=request.body_bytes(),
                timeout=self.timeout,
                allow_redirects=False,
                verify=self.verify,
            )
        except requests.Timeout:
            return ScimResponse(0, error=f"Read timed out after {self.timeout:g} s")
        except requests.RequestException as exc:
            cause = _cause(exc)
            shown = f"{type(exc).__name__} ({cause})" if cause else type(exc).__name__
            return ScimResponse(0, error=f"Connection failed: {shown}")
        if raw.status_code >= 500 and self._own_session is not None:
            # A failing server may tear the connection down right after answering (Express's final
            # handler does when an error follows a sent response): the next request must not race
            # that close on a reused connection, so it opens a new one.
            self._own_session.close()
        text = raw.content.decode(raw.encoding or "utf-8", errors="replace")
        return ScimResponse.from_text(raw.status_code, text, tuple(raw.headers.items()))


def _cause(exc: BaseException) -> str | None:
    """The operating system's or TLS's reason under a requests failure ('Connection refused',
    'Name or service not known', '[SSL: …] …'), None when it names none."""
    return next((str(e.strerror) for e in causes(exc) if isinstance(e, OSError) and e.strerror), None)


def _okta_session() -> requests.Session:
    session = requests.Session()
    session.headers.clear()  # only Okta's headers (wire_headers), not python-requests' defaults
    return session


def wire_headers(request: ScimRequest) -> tuple[tuple[str, str], ...]:
    """Every header line of the request in the order of Okta's capture (§1.1 [D] S3).

    The request's own headers, with Content-Length (on bodies, and 0 on a body-less DELETE as
    before), Host and `Connection: Keep-Alive` put between Authorization and Accept-Encoding,
    where the capture has them (python-requests would send Host and Connection first).
    """
    own = request.headers
    names = [name.lower() for name, _ in own]
    body = request.body_bytes()
    http = []
    if body is not None or request.method not in ("GET", "HEAD"):
        http.append(("Content-Length", str(len(body or b""))))
    http += [("Host", _host(request.url)), ("Connection", "Keep-Alive")]
    http = [(name, value) for name, value in http if name.lower() not in names]
    at = names.index("accept-encoding") if "accept-encoding" in names else len(own)
    return (*own[:at], *http, *own[at:])


def _host(url: str) -> str:
    """The Host value python-requests would send: host, with the port unless the default."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    return host if parts.port in (None, _DEFAULT_PORTS.get(parts.scheme)) else f"{host}:{parts.port}"


def execute(plan: Plan, transport: Transport | None = None) -> Run:
    """Run one plan with a default Transport (real clock, 60 s timeout, Okta's 429 policy)."""
    return (transport or Transport()).run(plan)
