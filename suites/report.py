"""Reports built from recorded metadata: results, summary.json, HAR, HTML extras, the gate."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from _pytest.junitxml import mangle_test_address, xml_key  # junitxml's writer and its test names

from simulator import __version__
from suites import interrupted
from suites.baseline import FAILING, RANK, by_id, compare, gating, okta_failures, rfc_failures
from suites.client import Exchange, Reply, ScimClient
from suites.config import Auth, RunConfig
from suites.expect import ConformanceFailure
from suites.gate_view import baseline_line, check_lines, gate_html, gate_name, regression_lines, totals_line
from suites.ledger import Ledger
from suites.levels import Level
from suites.lostcreates import possibly_left_block, possibly_left_line
from suites.matrix import extension_matrix, matrix_html
from suites.state import CheckResult, RunState
from suites.waivers import Waiver

WAIVED = "scimcert_waived"  # the attribute that marks a waived check's pytest report: the reason


def route_standard_reports(config: pytest.Config, report_dir: Path) -> None:
    """Point pytest-html and junitxml into the report folder unless told otherwise."""
    report_dir.mkdir(parents=True, exist_ok=True)
    if config.pluginmanager.hasplugin("html") and not config.getoption("htmlpath", None):
        config.option.htmlpath = str(report_dir / "report.html")
        config.option.self_contained_html = True
    if not config.getoption("xmlpath", None):
        config.option.xmlpath = str(report_dir / "junit.xml")


def stand_down(config: pytest.Config, report_dir: Path) -> None:
    """No check will run (none selected, bad input, target unusable): junit.xml and report.html
    must not be written into report_dir, whose previous files are still there."""
    xml = config.stash.get(xml_key, None)
    if xml is not None and config.option.xmlpath == str(report_dir / "junit.xml"):
        del config.stash[xml_key]
        config.pluginmanager.unregister(xml)
    if config.getoption("htmlpath", None) != str(report_dir / "report.html"):
        return
    try:
        from pytest_html.basereport import BaseReport  # noqa: PLC0415 - optional at run time
    except ImportError:
        return
    for plugin in config.pluginmanager.get_plugins():
        if isinstance(plugin, BaseReport):
            config.pluginmanager.unregister(plugin)


def preflight(client: ScimClient, option: str = "--", credentials: str | None = None) -> str | None:
    """One clear sentence when the target cannot be tested at all; None when it can.

    option is how the command line in use spells its options: '--' (scimcert run), '--scim-' (pytest);
    credentials, where the credentials came from when known (e.g. 'SCIMCERT_TOKEN').
    """
    reply = client.get("/Users", params={"startIndex": 1, "count": 1}, step="preflight")
    where = client.redactor.url(client.base)
    if reply.status is None:
        return unreachable(where, reply.exchange.error or "no response", client.config, option)
    if reply.status in (401, 403):
        options = f"{option}token, {option}basic or {option}header"
        if client.config.auth.kind == "none":
            return (f"{where} needs credentials (GET /Users -> {reply.status}) and none were given; "
                    f"give {options}.")
        return (f"{where} rejected the credentials (GET /Users -> {reply.status}); "
                f"check {credentials or options}.")
    return _wrong_base(client, reply, where)


def unreachable(where: str, error: str, config: RunConfig, option: str) -> str:
    """Why no response came, with the fix that fits this failure and this configuration."""
    if error.startswith("TLS certificate") and "mismatch" in error:
        return (f"cannot reach {where} ({error}); use the host name the certificate was issued for, "
                f"or pass {option}insecure.")
    if error.startswith("TLS certificate"):
        fix = (f"check that {option}ca-bundle {config.verify} holds the CA that signed it"
               if isinstance(config.verify, str) else f"give the CA that signed it with {option}ca-bundle")
        return f"cannot reach {where} ({error}); {fix}, or pass {option}insecure."
    if error.startswith("TLS"):
        return (f"cannot reach {where} ({error}); is the server speaking https on that port? "
                "For a plain-http server give an http:// URL.")
    if error == "timed out":
        return (f"cannot reach {where} (no answer within {config.timeout:g} s); check the URL and that "
                f"the server is running, or give a longer {option}timeout.")
    return f"cannot reach {where} ({error}); check the URL and that the server is running."


def _wrong_base(client: ScimClient, reply: Reply, where: str) -> str | None:
    """A sentence when the answer shows no SCIM service at this base URL (404, redirect, HTML)."""
    status = reply.status or 0
    hint = "is the base URL right?" + ("" if where.lower().endswith("/scim/v2") else
                                       " It usually ends in /scim/v2.")
    request = f"GET {where}/Users"
    if 300 <= status < 400:
        return f"{request} answered {status}, a redirect to {reply.headers.get('Location', '?')}: {hint}"
    # A server that answers 404 to an empty list (a bug the checks report) still serves discovery.
    if status == 404 and not _serves_discovery(client):
        return f"{request} answered 404: {hint}"
    if 200 <= status < 300 and reply.json is None:
        kind = reply.headers.get("Content-Type", "").partition(";")[0] or "no Content-Type"
        return f"{request} answered {status} with a body that is not JSON ({kind}): {hint}"
    return None


def _serves_discovery(client: ScimClient) -> bool:
    spc = client.get("/ServiceProviderConfig", step="preflight")
    return spc.status == 200 and isinstance(spc.json, dict)


def update_result(result: CheckResult, rep: pytest.TestReport, call: pytest.CallInfo[None],
                  state: RunState) -> None:
    """Fold one phase's report into the check's result, applying waivers."""
    if rep.when == "call" or rep.outcome != "passed":
        result.duration_s += rep.duration
    failed = rep.failed
    if failed:
        result.outcome = "failed" if rep.when == "call" else "error"
        result.message = _message(call)
        _waive(result, rep, state.waivers.get(result.info.id))
    elif rep.skipped and result.outcome == "passed":
        result.outcome = "skipped"
        result.message = str(rep.longrepr[2]) if isinstance(rep.longrepr, tuple) else str(rep.longrepr)
    if rep.when == "call" or (failed and rep.when == "setup"):
        _attach(rep, _evidence(result, call), state.config.auth, with_curl=failed)


def _evidence(result: CheckResult, call: pytest.CallInfo[None]) -> list[Exchange]:
    """The check's exchanges, led by the one its failure judged when that one was sent before the
    check (a discovery document, fetched once per run): a failure always shows its response."""
    exc = call.excinfo.value if call.excinfo else None
    judged = exc.reply.exchange if isinstance(exc, ConformanceFailure) and exc.reply is not None else None
    if judged is None or judged in result.exchanges:
        return result.exchanges
    return [judged, *result.exchanges]


def _waive(result: CheckResult, rep: pytest.TestReport, waiver: Waiver | None) -> None:
    """A failure, or an error (the check could not reach its verdict: a precondition failed), that
    an active waiver accepts is waived: it does not fail the run. pytest counts it as an expected
    failure; its report keeps the failure's text (report.html shows it under the reason)."""
    if waiver is None or not waiver.active(date.today()):
        return
    result.outcome = "waived"
    result.message = f"waived: {waiver.reason}\n{result.message}"
    rep.outcome = "skipped"
    rep.wasxfail = f"waived: {waiver.reason}"
    setattr(rep, WAIVED, waiver.reason)


def plain_failure_line(rep: pytest.TestReport, call: pytest.CallInfo[None]) -> None:
    """A check's failure line (junit.xml's message, pytest's short summary) is its own evidence,
    request line first, not 'suites.expect.ConformanceFailure: ' and then the evidence."""
    crash = getattr(rep.longrepr, "reprcrash", None)
    if call.excinfo is not None and isinstance(call.excinfo.value, ConformanceFailure) and crash is not None:
        crash.message = str(call.excinfo.value)


def name_junit_case(config: pytest.Config, rep: pytest.TestReport) -> None:
    """junit.xml names a check's testcase '<check id> <test name>': CI test views list cases by
    name, and few show the <properties> that also carry the id."""
    xml = config.stash.get(xml_key, None)
    check_id = dict(rep.user_properties).get("check_id")
    if xml is not None and check_id:
        name = mangle_test_address(rep.nodeid)[-1]  # the name junitxml gives it
        xml.node_reporter(rep).add_attribute("name", f"{check_id} {name}")


def _message(call: pytest.CallInfo[None]) -> str:
    exc = call.excinfo.value if call.excinfo else None
    if exc is None:
        return ""
    if isinstance(exc, ConformanceFailure):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _attach(rep: pytest.TestReport, exchanges: list[Exchange], auth: Auth, with_curl: bool) -> None:
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
        from suites.plugin import state_of  # noqa: PLC0415 - avoids an import cycle

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
        prefix.append(matrix_html(data.get("extensions") or []))


def build_summary(state: RunState, ledger: Ledger | None) -> dict[str, Any]:
    """The summary.json document (DESIGN.md), with the gate decision."""
    import time  # noqa: PLC0415

    checks = summary_checks(state.results.values())
    totals = dict.fromkeys(("passed", "failed", "skipped", "errors", "waived"), 0)
    for c in checks:
        totals["errors" if c["outcome"] == "error" else c["outcome"]] += 1
    threshold = state.config.fail_on
    # A waived check did not pass: the verdicts say so; its waiver only keeps it from the gate.
    rfc, okta = rfc_failures(checks, threshold, FAILING), okta_failures(checks, FAILING)
    ran = [c for c in checks if c["outcome"] != "skipped"]
    okta_gate = state.config.okta_gate  # Okta readiness gates too, whatever the RFC level
    gate = gating(checks, threshold, okta_gate)
    summary: dict[str, Any] = {
        "target": state.config.url,
        "started": state.started,
        "duration_s": round(time.monotonic() - state.clock, 2),
        "totals": totals,
        "verdicts": {
            "rfc": _verdict(rfc, [c for c in ran if c["basis"] == "rfc"]),
            "okta": _verdict(okta, [c for c in ran if c["okta"] or c["basis"] == "okta"]),
        },
        "checks": checks,
        "scimcert_version": __version__,
        "run_id": state.config.run_id,
        "fail_on": threshold.name,
        "okta_gate": okta_gate,
        "waivers": _waiver_report(state, checks),
    }
    matrix = extension_matrix(state.results.values())
    if matrix:
        summary["extensions"] = matrix
    if state.baseline is not None:
        diff = compare(state.baseline, checks)
        summary["baseline"] = diff
        gate = [i for i in gate if i in diff["regressions"]]  # a waived regression is not gating
    summary["gate_failed"] = bool(gate)
    interrupted.mark(summary, state)
    if ledger is not None:
        summary["cleanup"] = {"left": len(ledger.pending()), "failed": list(state.cleanup_failed),
                              "skipped": list(state.cleanup_skipped), "discarded": state.discarded}
        summary["cleanup"].update(possibly_left_block(ledger))
    return summary


def _verdict(failing: Sequence[Mapping[str, Any]], ran: list[dict[str, Any]]) -> str:
    """"fail", "pass", or "not run" when no check of the verdict ran (e.g. --suite okta for RFC
    conformance): a PASS with nothing behind it would read as a certificate."""
    return "fail" if failing else "pass" if ran else "not run"


def verdicts_line(summary: Mapping[str, Any], sep: str = "    ") -> str:
    """`RFC conformance: PASS (184 of 190 checks ran)    Okta readiness: FAIL (1 waived)`: each
    verdict with what stands behind it — how many of the run's checks for it ran (a --read-only
    or --suite run backs its PASS with fewer), and how many of its failures are waived."""
    checks, verdicts = summary["checks"], summary["verdicts"]
    threshold = Level.__members__.get(str(summary.get("fail_on")), Level.MUST)
    parts = []
    for key, name, failing, mine in (
            ("rfc", "RFC conformance", rfc_failures(checks, threshold, FAILING),
             [c for c in checks if c.get("basis", "rfc") == "rfc"]),
            ("okta", "Okta readiness", okta_failures(checks, FAILING),
             [c for c in checks if c.get("okta") or c.get("basis") == "okta"])):
        ran = sum(c["outcome"] != "skipped" for c in mine)
        waived = sum(c["outcome"] == "waived" for c in failing)
        notes = [f"{waived} waived"] if waived else []
        if ran:
            notes.append(f"{ran} of {len(mine)} checks ran")
        text = f"{name}: {str(verdicts[key]).upper()}"
        judged = verdicts[key] in ("pass", "fail")  # not "not run", "interrupted", "incomplete"
        parts.append(f"{text} ({'; '.join(notes)})" if notes and judged else text)
    return sep.join(parts)


def summary_checks(results: Iterable[CheckResult]) -> list[dict[str, Any]]:
    """One entry per check id, as waivers and baselines name checks. A parametrised check (per
    extension URN, per Okta step...) has its first worst case's outcome and message, the summed
    duration, and every case as `cases: [{case, outcome, message, duration_s}]`."""
    by_check: dict[str, list[CheckResult]] = {}
    for result in results:
        by_check.setdefault(result.info.id, []).append(result)
    return [_merged(found) for found in by_check.values()]


def _merged(found: list[CheckResult]) -> dict[str, Any]:
    entry = found[0].as_json()
    if len(found) == 1 and not found[0].nodeid.endswith("]"):
        return entry
    cases: list[dict[str, Any]] = [
        {"case": r.nodeid.partition("[")[2].removesuffix("]"), "outcome": r.outcome,
         "message": r.message, "duration_s": round(r.duration_s, 3)} for r in found]
    worst = max(cases, key=lambda c: RANK.get(c["outcome"], 0))
    message = f"[{worst['case']}] {worst['message']}" if worst["message"] else ""
    entry.update(outcome=worst["outcome"], message=message, cases=cases,
                 duration_s=round(sum(r.duration_s for r in found), 3))
    return entry


def _waiver_report(state: RunState, checks: list[dict[str, Any]]) -> dict[str, list[str]]:
    outcomes = by_id(checks)
    today = date.today()
    return {
        "applied": sorted(w.id for w in state.waivers.items if outcomes.get(w.id) == "waived"),
        "expired": sorted(w.id for w in state.waivers.items if not w.active(today)),
        "stale": sorted(w.id for w in state.waivers.items
                        if w.active(today) and outcomes.get(w.id) == "passed"),
    }


def write_files(state: RunState, summary: dict[str, Any], ledger: Ledger | None) -> None:
    out = state.config.report_dir
    assert out is not None
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    # Compact: indent= would switch json to its pure-Python encoder, 4x slower on a 5 MB HAR.
    (out / "exchanges.har").write_text(json.dumps(har(state.exchanges)), encoding="utf-8")
    if ledger is not None:
        ledger.flush()
    else:
        (out / "ledger.json").write_text(json.dumps(
            {"run_id": state.config.run_id, "target": state.config.url, "resources": []}, indent=2))


def har(exchanges: list[tuple[str, Exchange]]) -> dict[str, Any]:
    """HAR 1.2 of every exchange; the comment names the check that sent it."""
    return {"log": {"version": "1.2", "creator": {"name": "scimcert", "version": __version__},
                    "entries": [_har_entry(check_id, ex) for check_id, ex in exchanges]}}


def extend_har(path: Path, exchanges: list[tuple[str, Exchange]], fresh: bool) -> None:
    """Add exchanges after the entries of the HAR at path (e.g. a replayed flow's requests after its
    checks'); fresh, or when that file holds no HAR: a new HAR of them alone."""
    document = har([])
    if not fresh:
        try:
            found = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            found = None
        log = found.get("log") if isinstance(found, dict) else None
        if isinstance(log, dict) and isinstance(log.get("entries"), list):
            document = found
    document["log"]["entries"].extend(_har_entry(check_id, ex) for check_id, ex in exchanges)
    path.write_text(json.dumps(document), encoding="utf-8")


def _har_entry(check_id: str, ex: Exchange) -> dict[str, Any]:
    request: dict[str, Any] = {
        "method": ex.method, "url": ex.url, "httpVersion": "HTTP/1.1", "cookies": [],
        "headers": [{"name": k, "value": v} for k, v in ex.request_headers],
        "queryString": _query_string(ex.url), "headersSize": -1, "bodySize": len(ex.request_body or ""),
    }
    if ex.request_body is not None:
        request["postData"] = {"mimeType": _header(ex.request_headers, "content-type"),
                               "text": ex.request_body}
    body = ex.response_body or ""
    return {
        "startedDateTime": ex.started, "time": ex.elapsed_ms, "request": request,
        "response": {
            "status": ex.status or 0, "statusText": ex.error or "", "httpVersion": "HTTP/1.1",
            "cookies": [], "headers": [{"name": k, "value": v} for k, v in ex.response_headers],
            "content": {"size": len(body), "mimeType": _header(ex.response_headers, "content-type"),
                        "text": body},
            "redirectURL": "", "headersSize": -1, "bodySize": len(body),
        },
        "cache": {}, "timings": {"send": 0, "wait": ex.elapsed_ms, "receive": 0},
        "comment": f"{check_id}{' / ' + ex.step if ex.step else ''}",
    }


def _query_string(url: str) -> list[dict[str, str]]:
    """HAR 1.2 queryString: the parameters of the (already redacted) URL, decoded, in order."""
    return [{"name": k, "value": v} for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True)]


def _header(headers: tuple[tuple[str, str], ...], name: str) -> str:
    return next((v for k, v in headers if k.lower() == name), "")


def print_summary(tr: Any, summary: dict[str, Any], state: RunState) -> None:
    tr.write_sep("=", "scimcert")
    fail_on, okta_gate = Level[summary["fail_on"]], bool(summary["okta_gate"])
    tr.write_line(f"target {summary['target']}  run {state.config.run_id}  {gate_name(fail_on, okta_gate)}")
    tr.write_line(totals_line(summary))
    tr.write_line(verdicts_line(summary))
    stopped = interrupted.line(summary)
    if stopped:
        tr.write_line(stopped, red=True, bold=True)
    _print_failed(tr, summary["checks"], {r.info.id: r.interrupted_by for r in state.results.values()
                                          if r.interrupted_by})
    if "baseline" in summary:
        tr.write_line(baseline_line(summary["baseline"]))
        for text in regression_lines(summary, fail_on, okta_gate):
            tr.write_line(text)
    w = summary["waivers"]
    for key in ("expired", "stale"):
        if w[key]:
            tr.write_line(f"{key} waivers: {', '.join(w[key])}")
    if state.cleanup_failed:
        tr.write_line(f"cleanup failed for {len(state.cleanup_failed)} resources (see ledger.json)")
    for line in state.cleanup_skipped:
        tr.write_line(f"cleanup skipped {line}")
    possibly = possibly_left_line(summary.get("cleanup") or {})
    if possibly:
        tr.write_line(possibly, yellow=True)
    if state.config.report_dir is not None:
        tr.write_line(f"reports: {state.config.report_dir}")


def _print_failed(tr: Any, checks: list[dict[str, Any]], cut_off: dict[str, str]) -> None:
    """The failed checks by id and level: the names --waivers and --baseline use (not node ids);
    cut_off: the check an interrupt cut short, with the signal's name."""
    bad = [c for c in checks if c["outcome"] in ("failed", "error")]
    if not bad:
        return
    tr.write_line("failed checks (id, level, okta):")
    notes = {c["id"]: f"interrupted by {cut_off[c['id']]}" if c["id"] in cut_off
             else "error in setup or teardown" for c in bad if c["outcome"] == "error"}
    for text in check_lines(bad, notes):
        tr.write_line(text)
