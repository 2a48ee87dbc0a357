"""scimcert's pytest plugin: options, the run config, the check registry and the per-check
reports; its fixtures are in suites/fixtures.py and the end of a run in suites/session_end.py."""

from __future__ import annotations

import sys
from collections.abc import Callable, Collection, Generator
from pathlib import Path
from typing import Any

import pytest

from suites import fixtures, interrupted, report, report_html, reportdir, session_end
from suites.catalogue import catalogue
from suites.config import HarnessError, Preset, RunConfig
from suites.exchange import Redactor
from suites.extensions.discovery import untested_group_extensions
from suites.levels import Level
from suites.scrub import scrub_report
from suites.settings import load_toml, resolve
from suites.state import STATE_KEY, CheckInfo, CheckResult, ExtensionCell, RunState, state_of
from suites.waivers import Waivers

OPTIONS = (  # (flag, dest, help); every one also reads SCIMCERT_<NAME> and scimcert.toml
    ("--scim-url", "url", "Base URL of the SCIM service provider under test, e.g. https://host/scim/v2."),
    ("--scim-token", "token", "Bearer token."),
    ("--scim-basic", "basic", "Basic credentials USER:PASSWORD."),
    ("--scim-header", "header", "One literal auth header 'Name: value' (Okta's Header Auth)."),
    ("--scim-timeout", "timeout", "Seconds to wait for each response (default 60, as Okta)."),
    ("--scim-ca-bundle", "ca_bundle", "CA bundle file to verify the target's TLS certificate."),
    ("--scim-fail-on", "fail_on", "Lowest level that fails the run: must (default), should or may."),
    ("--scim-run-id", "run_id", "Run id used in created names: up to 24 ASCII letters, digits and "
     "dashes, used in lower case (default: random)."),
    ("--scim-report-dir", "report_dir", "Write report.html, junit.xml, summary.json, HAR, ledger here "
     "(replacing a previous run's, unless its ledger lists resources left on its target)."),
    ("--scim-waivers", "waivers", "TOML file of [[waiver]] id/reason/expires."),
    ("--scim-baseline", "baseline", "A previous summary.json: fail only on regressions (at or above "
     "--scim-fail-on, or Okta-critical unless --scim-no-okta-gate)."),
    ("--okta-flavour", "okta_flavour", "Okta app flavour for the Okta suite: oin (default) or aiw."),
)
FLAGS = (
    ("--scim-insecure", "insecure", "Do not verify the target's TLS certificate."),
    ("--scim-read-only", "read_only", "Run only checks that send no writes."),
    ("--scim-no-cleanup", "no_cleanup", "Keep what the run created (the ledger lists it)."),
    ("--scim-no-okta-gate", "no_okta_gate",
     "Gate on RFC levels only: a failed okta=True check below --scim-fail-on does not fail the run."),
)
LISTS = (
    ("--scim-extension", "extension", "Extension under test, URN=attr[:type],... (repeatable). The "
     "suites test User extensions: a Group one (URN ending in :Group) is not tested, as the run says."),
    ("--scim-extension-file", "extension_file", "Extension from an RFC 7643 §7 file (repeatable)."),
)


def _preset(config: pytest.Config) -> Preset | None:
    return next((p for p in config.pluginmanager.get_plugins() if isinstance(p, Preset)), None)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("scimcert", "SCIM conformance (scimcert); an option not given is read from "
                            "SCIMCERT_<NAME> (e.g. SCIMCERT_FAIL_ON), then from the --scim-config file")
    for flag, dest, help_text in OPTIONS:
        group.addoption(flag, dest=f"scim_{dest}", default=None, help=help_text)
    for flag, dest, help_text in FLAGS:
        group.addoption(flag, dest=f"scim_{dest}", action="store_true", default=False, help=help_text)
    for flag, dest, help_text in LISTS:
        group.addoption(flag, dest=f"scim_{dest}", action="append", default=[], help=help_text)
    group.addoption("--scim-config", dest="scim_config", default="scimcert.toml",
                    help="Settings file (default ./scimcert.toml when present).")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "check(id, level='MUST', refs=(), okta=False, readonly=False, caught_by=(), evidence={}, "
        "ext_op=None): a conformance check with a stable id, an RFC 2119 level, references, whether a "
        "failure breaks Okta, whether it sends no writes, the provider deviations that make it fail "
        "(with, for a deviation whose failure the check's message can tell from another's, a pattern "
        "its message shows), and the extension-matrix operation it covers (with parameters urn and "
        "attribute)",
    )
    preset = _preset(config)
    try:
        run = preset.config if preset else _resolve_options(config)
        state = RunState.open(run)
        state.exchanges.extend(("session", ex) for ex in (preset.preflight if preset else ()))
        if run.report_dir is not None:  # a previous run's files are replaced, never mixed with ours
            reportdir.check(run.report_dir, replace=True)  # (once checks are to run: _start_reports)
    except HarnessError as exc:
        raise pytest.UsageError(f"scimcert: {exc}") from exc
    config.stash[STATE_KEY] = state
    if run.verify is False:  # asked for: not two lines of urllib3's warning on every request
        config.addinivalue_line("filterwarnings", "ignore::urllib3.exceptions.InsecureRequestWarning")
    note = None if preset else untested_group_extensions(run)  # `scimcert run` said it already
    if note:
        sys.stderr.write(f"{note}\n")
    config.pluginmanager.register(fixtures, "scimcert-fixtures")
    config.pluginmanager.register(interrupted.Hook(state), "scimcert-interrupt")
    config.pluginmanager.register(session_end.Verdict(), "scimcert-verdict")
    if run.report_dir is not None:
        try:
            report.route_standard_reports(config, run.report_dir)
        except OSError as exc:
            raise pytest.UsageError(f"scimcert: cannot create the report folder {run.report_dir} "
                                    f"({exc.strerror}); choose another --scim-report-dir") from exc
    if config.pluginmanager.hasplugin("html"):
        config.pluginmanager.register(report_html.HtmlHooks(), "scimcert-html")


def _resolve_options(config: pytest.Config) -> RunConfig:
    """--scim-* options > SCIMCERT_* environment > the settings file."""
    cli = {name: config.getoption(f"scim_{name}") for _, name, _ in OPTIONS + FLAGS + LISTS}
    return resolve(cli, toml=load_toml(Path(config.getoption("scim_config"))))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Validate markers, reject duplicate ids, apply --scim-read-only, run run-wide checks last."""
    state = state_of(config)
    seen: dict[str, str] = {}
    keep: list[pytest.Item] = []
    deselected: list[pytest.Item] = []
    for item in items:
        info = _info(item)
        if info is None:
            keep.append(item)
            continue
        base = item.nodeid.split("[", 1)[0]
        if seen.setdefault(info.id, base) != base:
            raise pytest.UsageError(f"check id {info.id} is used by both {seen[info.id]} and {item.nodeid}")
        level = info.level.name if info.basis == "rfc" else f"{info.level.name} (Okta)"
        for key, value in (("check_id", info.id), ("level", level),
                           ("refs", " ".join(info.refs)), ("okta", str(info.okta).lower())):
            item.user_properties.append((key, value))
        (deselected if state.config.read_only and not info.readonly else keep).append(item)
    _check_waivers(state.waivers, seen)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
    keep.sort(key=lambda it: bool((m := it.get_closest_marker("check")) and m.kwargs.get("run_wide")))
    items[:] = keep


def _check_waivers(waivers: Waivers, collected: Collection[str]) -> None:
    """Every waiver must name a check of this run, or of the catalogue (a --suite run waives others)."""
    if all(w.id in collected for w in waivers.items):
        return
    try:
        waivers.check_ids({*collected, *(e.id for e in catalogue())})
    except HarnessError as exc:
        raise pytest.UsageError(f"scimcert: {exc}") from exc


def _info(item: pytest.Item) -> CheckInfo | None:
    marker = item.get_closest_marker("check")
    if marker is None:
        return None
    check_id = marker.args[0] if marker.args else marker.kwargs.get("id")
    if not isinstance(check_id, str) or not check_id:
        raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.check needs an id")
    level = marker.kwargs.get("level", "MUST")
    if level not in Level.__members__:
        raise pytest.UsageError(f"{item.nodeid}: level {level!r} is not MUST, SHOULD or MAY")
    return CheckInfo.from_item(item)


_STARTED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_collection(session: pytest.Session) -> Generator[None, Any, Any]:
    """Preflight once the checks are collected, then start the reports. A run that ends before that
    (no check selected, bad input, target unusable) leaves the report folder as it found it: no
    junit.xml or report.html, and a previous run's files kept."""
    config = session.config
    state = state_of(config)
    try:
        result = yield
        if session.items and not config.option.collectonly:
            if state.selected and _preset(config) is None:  # `scimcert run` checked it before pytest
                _preflight(state)
            _start_reports(config)
        return result
    except KeyboardInterrupt:
        _start_reports(config)  # an interrupted run still writes its reports, marked
        raise
    finally:
        if state.config.report_dir is not None and not config.stash.get(_STARTED, False):
            report.stand_down(config, state.config.report_dir)


def pytest_collection_finish(session: pytest.Session) -> None:
    """The ids of the checks the run is to run (also after a collection error, for the summary)."""
    state_of(session.config).selected = frozenset(
        info.id for it in session.items if (info := _info(it)) is not None)


def _preflight(state: RunState) -> None:
    """One request proves the target is reachable and accepts the credentials."""
    if state.config.url is None:
        pytest.exit("scimcert: no target. Give --scim-url (or SCIMCERT_URL) to run the checks.", returncode=2)
    problem = report.preflight(fixtures.make_client(state), "--scim-")
    if problem:
        pytest.exit(f"scimcert: {problem}", returncode=2)


def _start_reports(config: pytest.Config) -> None:
    """Checks are about to run: the previous run's files in the report folder go now."""
    report_dir = state_of(config).config.report_dir
    if report_dir is not None:
        reportdir.clear(report_dir)
    config.stash[_STARTED] = True


_SETTLED = pytest.StashKey[bool]()
_REDACT = pytest.StashKey[Callable[[str], str] | None]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, Any, Any]:
    state = state_of(item.config)
    info = CheckInfo.from_item(item)
    if info is not None:
        state.current = []
        state.current_id = info.id
        state.results[item.nodeid] = CheckResult(info, item.nodeid, exchanges=state.current,
                                                 extension=ExtensionCell.from_item(item))
    try:
        return (yield)
    except KeyboardInterrupt as exc:
        if info is not None and not item.stash.get(_SETTLED, False):  # it must not count as passed
            interrupted.cut_off(item, state.results[item.nodeid], interrupted.signal_name(exc))
        raise
    finally:
        state.current, state.current_id = None, "session"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    rep: pytest.TestReport = yield
    if rep.when == "call" or not rep.passed:
        item.stash[_SETTLED] = True  # the check's outcome is known; an interrupt after this keeps it
    report.plain_failure_line(rep, call)
    report.name_junit_case(item.config, rep)  # before junitxml records this report's testcase
    state = state_of(item.config)
    result = state.results.get(item.nodeid)
    if result is not None:
        report.update_result(result, rep, call, state)
    redact = _redactor(item.config)
    if redact is not None:  # last: before the terminal, junit.xml and report.html print any of it
        scrub_report(rep, redact)
        if result is not None:
            result.message = redact(result.message)
    return rep


def _redactor(config: pytest.Config) -> Callable[[str], str] | None:
    """What takes the run's credentials out of a text; None when it has none."""
    if _REDACT not in config.stash:
        secrets = state_of(config).config.auth.secrets()
        config.stash[_REDACT] = Redactor(secrets).text if secrets else None
    return config.stash[_REDACT]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    session_end.finish(session, exitstatus)
