"""report.html's extras: the id, level, refs and okta columns, waived rows, the run header, and
each check's exchanges."""

from __future__ import annotations

import html
import json

import pytest

from suites import interrupted
from suites.config import Auth
from suites.exchange import Exchange
from suites.gate_view import gate_html
from suites.known_bugs import known_bugs_html
from suites.matrix import matrix_html
from suites.state import state_of
from suites.summary import build_summary, verdicts_line

WAIVED = "scimcert_waived"  # the attribute that marks a waived check's pytest report: the reason


def attach_exchanges(rep: pytest.TestReport, exchanges: list[Exchange], auth: Auth, with_curl: bool) -> None:
    """Show the exchanges (with curl lines when with_curl) in the check's report.html row."""
    extras = list(getattr(rep, "extras", []))
    try:
        from pytest_html import extras as html_extras  # noqa: PLC0415 - optional at run time
    except ImportError:
        return
    if exchanges:
        extras.append(html_extras.html(exchanges_html(exchanges, with_curl, auth)))
    rep.extras = extras  # type: ignore[attr-defined]  # pytest-html reads this attribute


def exchanges_html(exchanges: list[Exchange], with_curl: bool, auth: Auth | None = None) -> str:
    """Each exchange as request/response blocks (pretty JSON), plus a curl line on failures."""
    parts = ['<div class="scimcert-exchanges">']
    for ex in exchanges:
        parts.append(f"<h4>{html.escape(ex.request_line)} <small>({ex.elapsed_ms:.0f} ms)</small></h4>")
        req = "\n".join(f"{k}: {v}" for k, v in ex.request_headers)
        parts.append(f"<pre>{html.escape(ex.method + ' ' + ex.url)}\n{html.escape(req)}\n\n"
                     f"{html.escape(_pretty(ex.request_body))}</pre>")
        resp = "\n".join(f"{k}: {v}" for k, v in ex.response_headers)
        parts.append(f"<pre>{ex.status if ex.status is not None else html.escape(str(ex.error))}\n"
                     f"{html.escape(resp)}\n\n{html.escape(_pretty(ex.response_body))}</pre>")
        if with_curl:
            parts.append(f"<pre>{html.escape(ex.curl(auth))}</pre>")
    parts.append("</div>")
    return "".join(parts)


def _pretty(body: str | None) -> str:
    if not body:
        return ""
    try:
        return json.dumps(json.loads(body), indent=2, ensure_ascii=False)
    except (ValueError, RecursionError):  # not JSON, or absurdly nested (a security probe)
        return body if len(body) <= 20_000 else body[:20_000] + f"… ({len(body)} chars)"


class HtmlHooks:
    """pytest-html columns (id, level, refs, okta), waived rows, and the run header."""

    def pytest_html_results_table_header(self, cells: list[str]) -> None:
        cells.insert(1, "<th>Id</th><th>Level</th><th>Refs</th><th>Okta</th>")

    def pytest_html_results_table_row(self, report: pytest.TestReport, cells: list[str]) -> None:
        props = dict(getattr(report, "user_properties", ()))  # a CollectReport (collection error) has none
        # pytest-html files a waived check under XFailed, which its filters and sorting need as
        # the result column's text: the reason goes under the id.
        waived = getattr(report, WAIVED, None)
        note = ("" if waived is None else
                f'<br><small class="scimcert-waived">{html.escape(f"waived: {waived}")}</small>')
        values = {k: html.escape(str(props.get(k, ""))) for k in ("check_id", "level", "refs", "okta")}
        values["check_id"] += note
        cells.insert(1, "".join(f"<td>{v}</td>" for v in values.values()))

    def pytest_html_results_table_html(self, report: pytest.TestReport, data: list[str]) -> None:
        """A waived check's log opens with the waiver's reason, then the failure as pytest saw it."""
        if hasattr(report, WAIVED):
            data.insert(0, html.escape(f"waived: {getattr(report, WAIVED)}") + "\n")

    def pytest_html_results_summary(self, prefix: list[str], summary: list[str],
                                    postfix: list[str], session: pytest.Session) -> None:
        state = state_of(session.config)
        data = state.summary or build_summary(state, None)
        prefix.append(
            f"<p>Target: {html.escape(str(data['target']))} &middot; run {html.escape(state.config.run_id)}"
            f"</p><p><b>{html.escape(verdicts_line(data, ' · '))}</b></p>")
        stopped = interrupted.line(data)
        if stopped:
            prefix.append(f'<p class="scimcert-interrupted"><b>{html.escape(stopped)}</b></p>')
        baseline = state.config.baseline
        prefix.append(gate_html(data, state.waivers, str(baseline) if baseline else None))
        prefix.append(known_bugs_html(data))
        prefix.append(matrix_html(data.get("extensions") or []))
