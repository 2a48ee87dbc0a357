"""Reports built from recorded metadata: where they go, the preflight, each check's result, the files
and the closing block (summary.json is built in suites.summary, the HAR in suites.har, report.html's
extras in suites.report_html)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from _pytest.junitxml import mangle_test_address, xml_key  # junitxml's writer and its test names

from suites import interrupted
from suites.client import Reply, ScimClient
from suites.config import RunConfig
from suites.exchange import Exchange
from suites.expect import ConformanceFailure
from suites.gate_view import baseline_line, check_lines, gate_name, regression_lines, totals_line
from suites.har import har
from suites.known_bugs import console_lines
from suites.ledger import Ledger
from suites.levels import Level
from suites.lostcreates import possibly_left_line
from suites.report_html import WAIVED, attach_exchanges
from suites.state import CheckResult, RunState
from suites.summary import verdicts_line
from suites.waivers import Waiver


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
        attach_exchanges(rep, _evidence(result, call), state.config.auth, with_curl=failed)


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
    for text in console_lines(summary):
        tr.write_line(text)
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
