"""The recording SCIM client: every HTTP call becomes a frozen, redacted Exchange (suites/exchange.py)."""

from __future__ import annotations

import http.client
import json
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import cached_property
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import requests

from simulator.causes import causes
from simulator.scim import urns
from simulator.scim.ownership import lookup_hits, lookup_query, prefixed_name
from suites.bulkcreates import BULK_PATH, read_outcome
from suites.bulkcreates import report as bulk_report
from suites.config import HarnessError, RunConfig
from suites.exchange import Exchange, Redactor

MAX_RETRIES_429 = 3
MAX_RETRY_WAIT = 5.0
USER_AGENT = "scimcert/0.1 (+https://www.rfc-editor.org/info/rfc7644)"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Reply:
    """A response as checks see it: status, headers, parsed JSON, and the Exchange."""

    def __init__(self, exchange: Exchange, response: requests.Response | None) -> None:
        self.exchange = exchange
        self.status = exchange.status
        self.headers: Mapping[str, str] = response.headers if response is not None else {}
        self.text = response.text if response is not None else ""

    @cached_property
    def json(self) -> Any:
        """The parsed body, or None when it is empty or not JSON."""
        try:
            return json.loads(self.text) if self.text.strip() else None
        except (ValueError, RecursionError):
            return None

    @property
    def body(self) -> dict[str, Any]:
        """The body as an object ({} when it is not one)."""
        return self.json if isinstance(self.json, dict) else {}


Recorder = Callable[[Exchange], None]
CreatedHook = Callable[[str, str, str], None]  # (kind, id, name)
DeletedHook = Callable[[str, str], None]  # (kind, id)
UnconfirmedHook = Callable[[str, str], None]  # (kind, name)
CREATE_PATH = re.compile(r"/(Users|Groups)/?$")
RESOURCE_PATH = re.compile(r"/(Users|Groups)/([^/]+)$")
HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def deferred_interrupt() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block ends, so a created resource always reaches the
    ledger; the first one held is then delivered to the handler that was in place (`scimcert run`
    turns both into KeyboardInterrupt), any later one is dropped."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    held = [s for s in HELD_SIGNALS if signal.getsignal(s) is not None]  # None: set outside Python
    previous = {s: signal.signal(s, lambda signum, frame: received.append(signum)) for s in held}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if received:
            signal.raise_signal(received[0])  # its handler runs now (KeyboardInterrupt for SIGINT)


@dataclass
class ScimClient:
    """One requests.Session per run; auth, timeout and TLS from the RunConfig."""

    config: RunConfig
    recorder: Recorder
    on_created: CreatedHook | None = None
    on_deleted: DeletedHook | None = None  # a DELETE of /Users/{id} or /Groups/{id} answered 2xx
    # a create that got no response, whose run-prefixed name a lookup did not find (_find_lost)
    on_unconfirmed: UnconfirmedHook | None = None
    session: requests.Session = field(default_factory=requests.Session)
    sleep: Callable[[float], None] = time.sleep

    def __post_init__(self) -> None:
        if self.config.url is None:
            raise HarnessError("no target: give --url (scimcert run) or --scim-url (pytest)")
        self.base = self.config.url
        self.redactor = Redactor(self.config.auth.secrets())
        self.session.verify = self.config.verify
        # HTTP(S)_PROXY / NO_PROXY for the target, read once: requests would re-read the
        # environment on every request, a measurable share of a 1,400-request run.
        self.session.proxies.update(requests.utils.get_environ_proxies(self.base))
        self.session.trust_env = False
        self.session.headers.update({"Accept": urns.SCIM_MEDIA_TYPE, "User-Agent": USER_AGENT})

    def request(self, method: str, path: str, *, json_body: Any = None, data: str | bytes | None = None,
                params: Mapping[str, Any] | None = None, headers: Mapping[str, str] | None = None,
                auth: bool = True, step: str | None = None, exact: bool = False) -> Reply:
        """Send one request (retrying 429s briefly) and record every attempt.

        `exact` sends `headers` as the only header lines, in their order, without the session's
        defaults (Accept, User-Agent, Connection): Okta's requests go out as Okta sends them."""
        method = method.upper()
        if self.config.read_only and method in WRITE_METHODS and not path.endswith(".search"):
            raise HarnessError(f"read-only run: refusing to send {method} {path}")
        all_headers = dict(self.config.auth.headers()) if auth else {}
        if json_body is not None:
            data = json.dumps(json_body)
            all_headers["Content-Type"] = f"{urns.SCIM_MEDIA_TYPE}; charset=utf-8"
        all_headers.update(headers or {})
        url = path if path.startswith(("http://", "https://")) else self.base + path
        creates = method == "POST" and CREATE_PATH.search(urlsplit(url).path)
        if method == "POST" and BULK_PATH.search(urlsplit(url).path):
            with deferred_interrupt():  # a BulkRequest creates too: its creates reach the ledger
                reply = self._send_retrying(method, url, data, params, all_headers, step, exact)
                outcome = read_outcome(data, reply.status, reply.json)
                bulk_report(outcome, self.on_created, self.on_deleted, lambda kind, sent: self._find_lost(
                    kind, f"{url.rsplit('/Bulk', 1)[0]}/{kind}s", json.dumps(sent)))
            return reply
        if not creates:
            reply = self._send_retrying(method, url, data, params, all_headers, step, exact)
            deletes = method == "DELETE" and RESOURCE_PATH.search(urlsplit(url).path)
            if deletes and self.on_deleted is not None and reply.status in (200, 204):
                self.on_deleted(deletes.group(1)[:-1], unquote(deletes.group(2)))
            return reply
        with deferred_interrupt():
            reply = self._send_retrying(method, url, data, params, all_headers, step, exact)
            self._report_created(creates.group(1)[:-1], reply, url, data)
        return reply

    def _send_retrying(self, method: str, url: str, data: str | bytes | None,
                       params: Mapping[str, Any] | None, headers: dict[str, str],
                       step: str | None, exact: bool = False) -> Reply:
        for attempt in range(MAX_RETRIES_429 + 1):
            reply = self._send(method, url, data, params, headers, step, exact)
            wait = _retry_after(reply) if reply.status == 429 and attempt < MAX_RETRIES_429 else None
            if wait is None:
                return reply
            self.sleep(wait)
        return reply

    def _report_created(self, kind: str, reply: Reply, url: str, sent: str | bytes | None) -> None:
        if reply.status is None:
            self._find_lost(kind, url, sent)
            return
        rid = reply.body.get("id")
        if self.on_created is None or reply.status not in (200, 201) or not isinstance(rid, str) or not rid:
            return
        name = reply.body.get("userName") or reply.body.get("displayName") or ""
        self.on_created(kind, rid, str(name))

    def _find_lost(self, kind: str, url: str, sent: str | bytes | None) -> None:
        """A create that got no response (timed out, or the connection dropped) may have created
        its resource: look up the run-prefixed name it sent (one GET) and report each resource of
        exactly that name as created. When none is found, or the lookup cannot tell, report the name
        as unconfirmed: the server may still be creating it, and the cleanup looks again."""
        name = prefixed_name(kind, _json_or_none(sent), self.config.prefix)
        if name is None or self.on_created is None:
            return
        parts = urlsplit(url)
        query = lookup_query(kind, name)
        lookup = urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), query, ""))
        found = self._send_retrying("GET", lookup, None, None,
                                    dict(self.config.auth.headers()), "lookup after no response")
        hits = lookup_hits(kind, name, found.json) if found.status == 200 else None
        for rid in hits or ():
            self.on_created(kind, rid, name)
        if not hits and self.on_unconfirmed is not None:
            self.on_unconfirmed(kind, name)

    def _send(self, method: str, url: str, data: str | bytes | None, params: Mapping[str, Any] | None,
              headers: dict[str, str], step: str | None, exact: bool = False) -> Reply:
        request = requests.Request(method, url, data=data, params=params, headers=headers)
        prepared = request.prepare() if exact else self.session.prepare_request(request)
        started = datetime.now(UTC).isoformat(timespec="milliseconds")
        clock = time.perf_counter()
        response: requests.Response | None = None
        error = None
        try:
            response = self.session.send(prepared, timeout=self.config.timeout, allow_redirects=False)
        except requests.RequestException as exc:
            error = _describe(exc)
        else:
            if response.status_code >= 500:
                # A server that failed may tear its connection down right after answering (Express's
                # final handler destroys the socket when an error follows a sent response, as
                # scimmy-routers' does), and the next request, reusing that connection, would race
                # the close and fail with no response: the next request opens a new one.
                self.session.close()
        elapsed = (time.perf_counter() - clock) * 1000
        exchange = self._record(prepared, response, elapsed, started, error, step)
        return Reply(exchange, response)

    def _record(self, prepared: requests.PreparedRequest, response: requests.Response | None,
                elapsed: float, started: str, error: str | None, step: str | None) -> Exchange:
        body = prepared.body.decode("utf-8", "replace") if isinstance(prepared.body, bytes) else prepared.body
        exchange = self.redactor.exchange(Exchange(
            method=prepared.method or "GET",
            url=prepared.url or "",
            request_headers=tuple(prepared.headers.items()),
            request_body=body,
            status=response.status_code if response is not None else None,
            response_headers=tuple(response.headers.items()) if response is not None else (),
            response_body=response.text if response is not None else None,
            elapsed_ms=round(elapsed, 2),
            started=started,
            error=error,
            step=step,
            credentials=self._carries_credentials(prepared.headers),
        ))
        self.recorder(exchange)
        return exchange

    def _carries_credentials(self, headers: Mapping[str, str]) -> bool:
        """Whether a request sent the run's own credentials, not a probe's wrong or missing ones."""
        own = self.config.auth.headers()
        return bool(own) and all(headers.get(name) == value for name, value in own.items())

    def get(self, path: str, **kw: Any) -> Reply:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Reply:
        return self.request("POST", path, json_body=body, **kw)

    def put(self, path: str, body: Any = None, **kw: Any) -> Reply:
        return self.request("PUT", path, json_body=body, **kw)

    def patch(self, path: str, body: Any = None, **kw: Any) -> Reply:
        return self.request("PATCH", path, json_body=body, **kw)

    def delete(self, path: str, **kw: Any) -> Reply:
        return self.request("DELETE", path, **kw)


def _json_or_none(data: str | bytes | None) -> Any:
    try:
        return json.loads(data) if data else None
    except (ValueError, RecursionError):
        return None


def _retry_after(reply: Reply) -> float:
    """Seconds to wait before resending a 429's request: its Retry-After as delay-seconds or as an
    HTTP-date (RFC 9110 §10.2.3), kept within [0, MAX_RETRY_WAIT]; 1 s when it gives neither."""
    raw = reply.headers.get("Retry-After", "").strip()
    try:
        seconds = float(raw)
    except ValueError:
        try:
            seconds = (parsedate_to_datetime(raw) - datetime.now(UTC)).total_seconds()
        except (TypeError, ValueError, IndexError):
            seconds = 1.0
    return min(MAX_RETRY_WAIT, max(0.0, seconds))


def _describe(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.exceptions.SSLError):
        found = re.search(r"certificate verify failed: ([^(]+?)\s*(\(_ssl|$)", str(exc))
        if found is None:
            return "TLS handshake failed"
        return f"TLS certificate verification failed: {found.group(1).rstrip('.')}"
    if isinstance(exc, requests.exceptions.Timeout):  # before ConnectionError: a ConnectTimeout is both
        return "timed out"
    if isinstance(exc, requests.exceptions.ConnectionError):
        under = list(causes(exc))
        if any(isinstance(e, http.client.RemoteDisconnected) for e in under):  # a ConnectionResetError too
            return "connection closed by the target without a response"
        if any(isinstance(e, (ConnectionResetError, BrokenPipeError)) for e in under):
            return "connection reset by the target"
        return "connection failed"
    return type(exc).__name__
