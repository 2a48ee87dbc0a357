"""The requests of a replayed flow in the exchanges.har of `scimcert replay --report-dir`, recorded
as `scimcert run` records its own."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from simulator.okta import transport
from suites import reportdir
from suites.config import Auth
from suites.exchange import Exchange, Redactor
from suites.har import extend_har


class FlowRecorder:
    """A Transport's on_exchange: every request the flow and its cleanup send (each 429 retry too),
    redacted as the run's HAR entries are; each entry's comment names the flow and the request's step."""

    def __init__(self, flow: str, auth: Auth) -> None:
        self.label = f"replay {flow}"
        self.redactor = Redactor(auth.secrets())
        self.own = auth.headers()
        self.exchanges: list[tuple[str, Exchange]] = []

    def __call__(self, sent: transport.Exchange) -> None:
        request, response = sent.request, sent.response
        body, headers = request.body_bytes(), dict(request.headers)
        started = datetime.now(UTC) - timedelta(milliseconds=sent.elapsed_ms)
        self.exchanges.append((self.label, self.redactor.exchange(Exchange(
            method=request.method, url=request.url, request_headers=request.headers,
            request_body=body.decode("utf-8") if body is not None else None,
            status=response.status or None, response_headers=response.headers,
            response_body=response.text if response.status else None,
            elapsed_ms=round(sent.elapsed_ms, 2), started=started.isoformat(timespec="milliseconds"),
            error=response.error, step=request.step,
            credentials=bool(self.own) and all(headers.get(k) == v for k, v in self.own.items())))))

    def record(self, sent: Exchange) -> None:
        """A ScimClient's recorder: a request the replay sent around the flow (its read of what the
        target requires), recorded (and redacted) by the client already."""
        self.exchanges.append((self.label, replace(sent, step=sent.step or "discovery")))

    def write(self, folder: Path, run_id: str) -> None:
        """Add the flow's requests to folder's exchanges.har, after those of the checks the replay
        ran first (same run id); when the checks wrote no reports, a new HAR of the flow's alone."""
        if not self.exchanges:
            return
        summary, _ = reportdir.run_summary(folder / "summary.json", run_id)
        extend_har(folder / "exchanges.har", self.exchanges, fresh=summary is None)
