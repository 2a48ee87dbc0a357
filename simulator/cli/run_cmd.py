"""`scimcert run`, `checks`, `cleanup` and `diff`: the conformance side of the command line."""

from __future__ import annotations

import json
import os
import secrets
import sys
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import Any

import click
import pytest

from simulator.cli.provider_cmd import load_extensions
from simulator.provider.app import create_app
from simulator.provider.child import ChildServer, start_in_child
from simulator.provider.server import RunningServer, start_in_thread
from simulator.provider.service import ProviderConfig
from simulator.scim.schema import SchemaDef
from suites.baseline import compare, load_baseline
from suites.catalogue import SUITES_DIR, catalogue, suite_names
from suites.client import ScimClient
from suites.config import HarnessError, build, load_toml, resolve
from suites.ledger import Ledger, cleanup

EXIT_HARNESS = 2
# Only the plugins a run needs: whatever else is installed beside pytest (randomly, xdist,
# hypothesis…) must not reorder, slow down or change a certification run. `-- -p NAME` adds one.
ISOLATED = ("--disable-plugin-autoload", "-p", "metadata", "-p", "html",
            # its end-of-run hunt for unraisable exceptions is five full gc passes over every
            # recorded exchange; a certification run has no use for it
            "-p", "no:unraisableexception",
            # pytest marks '-p html' for assertion rewriting by name, then finds the stdlib's html
            "-W", "ignore:Module already imported so cannot be rewritten; html"
                  ":pytest.PytestAssertRewriteWarning")


def _auth_options(func: Any) -> Any:
    for option in reversed((
        click.option("--url", envvar="SCIMCERT_URL", help="Base URL of the SCIM server under test "
                     "(default: start the embedded reference provider)."),
        click.option("--token", envvar="SCIMCERT_TOKEN", help="Bearer token."),
        click.option("--basic", envvar="SCIMCERT_BASIC", metavar="USER:PASS", help="Basic credentials."),
        click.option("--header", envvar="SCIMCERT_HEADER", metavar="'NAME: VALUE'",
                     help="One literal auth header, e.g. 'Authorization: SSWS abc' (Okta Header Auth)."),
        click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
                     help="Seconds to wait for each response (Okta waits 60)."),
        click.option("--insecure", is_flag=True, help="Do not verify TLS certificates."),
        click.option("--ca-bundle", type=click.Path(exists=True, dir_okay=False),
                     help="CA bundle to verify the target's certificate."),
    )):
        func = option(func)
    return func


@click.command("run", context_settings={"ignore_unknown_options": True})
@_auth_options
@click.option("--suite", "suites", multiple=True, metavar="NAME",
              help="Run only this suite (repeatable); see 'scimcert checks'.")
@click.option("--extension", "extensions", multiple=True, metavar="URN=ATTR[:TYPE],...",
              help="Extension under test (repeatable); also declared on the embedded provider.")
@click.option("--extension-file", "extension_files", multiple=True,
              type=click.Path(exists=True, dir_okay=False), help="Extension from an RFC 7643 §7 file.")
@click.option("--fail-on", type=click.Choice(["must", "should", "may"], case_sensitive=False),
              default="must", show_default=True, help="Lowest requirement level that fails the run.")
@click.option("--no-okta-gate", is_flag=True,
              help="Gate on --fail-on only; by default a failed Okta-critical check (okta=True) fails the "
              "run whatever its RFC level, because it breaks Okta provisioning.")
@click.option("--read-only", is_flag=True, help="Run only the checks that send no writes.")
@click.option("--no-cleanup", is_flag=True, help="Keep what the run created (listed in ledger.json).")
@click.option("--waivers", type=click.Path(exists=True, dir_okay=False),
              help="TOML file of [[waiver]] id/reason/expires: known failures that do not fail the run.")
@click.option("--baseline", type=click.Path(exists=True, dir_okay=False),
              help="A previous run's summary.json: fail only on regressions.")
@click.option("--report-dir", type=click.Path(file_okay=False),
              help="Where the reports go [default: reports/<timestamp>/].")
@click.option("--run-id", help="Run id used in the names of created resources [default: random].")
@click.option("--okta-flavour", type=click.Choice(["oin", "aiw"]), default="oin", show_default=True,
              help="Okta app flavour for the Okta checks.")
@click.argument("pytest_args", nargs=-1, type=click.UNPROCESSED)
def run_cmd(url: str | None, token: str | None, basic: str | None, header: str | None, timeout: float,
            insecure: bool, ca_bundle: str | None, suites: tuple[str, ...], extensions: tuple[str, ...],
            extension_files: tuple[str, ...], fail_on: str, no_okta_gate: bool, read_only: bool,
            no_cleanup: bool, waivers: str | None, baseline: str | None, report_dir: str | None,
            run_id: str | None, okta_flavour: str, pytest_args: tuple[str, ...]) -> None:
    """Run the conformance checks against a SCIM server and write the reports.

    Without --url the embedded reference provider is started on 127.0.0.1 with a random token.
    Arguments after -- go to pytest (e.g. -- -k filter -x); pytest plugins installed beside
    scimcert are not loaded unless named there (-- -p NAME). Exit status: 0 no failure at or
    above --fail-on and no failed Okta-critical check (see --no-okta-gate), 1 failures, 2 the run
    could not start.
    """
    unknown = [s for s in suites if s not in suite_names()]
    if unknown:
        raise click.UsageError(f"unknown suite {unknown[0]!r}; suites: {', '.join(suite_names())}")
    load_extensions(extensions, extension_files)  # fail early with a usage error
    out = Path(report_dir or Path("reports") / datetime.now().strftime("%Y%m%d-%H%M%S"))
    with ExitStack() as stack:
        if url is None:
            if token or basic or header:
                raise click.UsageError("--token/--basic/--header need --url")
            token = secrets.token_urlsafe(24)
            cfg = ProviderConfig(token=token, extensions=_declared(extensions, extension_files))
            # A child process where it can be: provider and checks then run on two cores.
            server: ChildServer | RunningServer = (
                start_in_child(cfg) if os.name == "posix" else start_in_thread(create_app(cfg)))
            stack.enter_context(server)
            url = server.url + "/scim/v2"
            click.echo(f"embedded reference provider at {url}")
        elif url.startswith("http://"):
            click.echo("warning: the target URL is plain http://; Okta requires https.", err=True)
        args = [*ISOLATED, *(str(SUITES_DIR / s) for s in suites)] if suites else [*ISOLATED, str(SUITES_DIR)]
        args += ["--scim-url", url, "--scim-timeout", str(timeout), "--scim-fail-on", fail_on,
                 "--scim-report-dir", str(out), "--okta-flavour", okta_flavour]
        args += _pairs(("--scim-token", token), ("--scim-basic", basic), ("--scim-header", header),
                       ("--scim-ca-bundle", ca_bundle), ("--scim-waivers", waivers),
                       ("--scim-baseline", baseline), ("--scim-run-id", run_id))
        args += [a for e in extensions for a in ("--scim-extension", e)]
        args += [a for f in extension_files for a in ("--scim-extension-file", f)]
        args += [f for f, on in (("--scim-insecure", insecure), ("--scim-read-only", read_only),
                                 ("--scim-no-cleanup", no_cleanup), ("--scim-no-okta-gate", no_okta_gate))
                 if on]
        watcher = _InterruptWatcher()
        code = pytest.main([*args, *pytest_args], plugins=[watcher])
    sys.exit(130 if watcher.interrupted else _exit_code(int(code)))


def _declared(extensions: tuple[str, ...], extension_files: tuple[str, ...]) -> tuple[SchemaDef, ...]:
    """The extensions under test, from the options, else SCIMCERT_EXTENSION(_FILE), else
    scimcert.toml — as the suites will read them — so the embedded provider declares them too."""
    if extensions or extension_files:
        return load_extensions(extensions, extension_files)
    try:
        return resolve({}, toml=load_toml(Path("scimcert.toml"))).extensions
    except HarnessError as exc:
        raise click.UsageError(str(exc)) from exc


def _pairs(*pairs: tuple[str, str | None]) -> list[str]:
    """`--flag=value` for the given values: a token such as '-x3…' would read as an option."""
    return [f"{flag}={value}" for flag, value in pairs if value]


class _InterruptWatcher:
    """Tells Ctrl-C apart from the harness's own early exit (both are pytest exit status 2)."""

    interrupted = False

    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        # pytest.exit() (the preflight) arrives here too, as an Exit exception.
        self.interrupted = isinstance(excinfo.value, KeyboardInterrupt)


def _exit_code(code: int) -> int:
    if code in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        return code
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        click.echo("scimcert: no checks selected", err=True)
    return EXIT_HARNESS


@click.command("checks")
@click.option("--json", "as_json", is_flag=True, help="Print the catalogue as JSON.")
@click.option("--suite", "suites", multiple=True, metavar="NAME",
              help="Only this suite (repeatable); the names head the groups of the full list.")
def checks_cmd(as_json: bool, suites: tuple[str, ...]) -> None:
    """Print the catalogue of checks by suite: id, level, okta, title, references."""
    unknown = [s for s in suites if s not in suite_names()]
    if unknown:
        raise click.UsageError(f"unknown suite {unknown[0]!r}; suites: {', '.join(suite_names())}")
    everything = catalogue()
    entries = [e for e in everything if not suites or e.suite in suites]
    if as_json:
        click.echo(json.dumps([e.as_json() for e in entries], indent=2))
        return
    width = max(len(e.id) for e in everything)
    groups = {e.suite: [x for x in entries if x.suite == e.suite] for e in entries}
    for suite, members in groups.items():
        click.echo(f"{suite}: {_count(len(members), 'check')} (--suite {suite})")
        for e in members:
            click.echo(f"  {e.id:{width}}  {e.level:6}  {'okta' if e.okta else '    '}  {e.title}  "
                       f"[{', '.join(e.refs)}]")
        click.echo()
    click.echo(f"{_count(len(entries), 'check')} in {_count(len(groups), 'suite')}")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


@click.command("cleanup")
@click.argument("ledger_file", type=click.Path(exists=True, dir_okay=False))
@_auth_options
def cleanup_cmd(ledger_file: str, url: str | None, token: str | None, basic: str | None,
                header: str | None, timeout: float, insecure: bool, ca_bundle: str | None) -> None:
    """Delete what an interrupted run created, exactly as its ledger.json lists it."""
    try:
        ledger = Ledger.load(Path(ledger_file))
    except (OSError, ValueError, KeyError) as exc:
        raise click.UsageError(f"{ledger_file} is not a scimcert ledger ({exc})") from exc
    settings = {"url": url or ledger.target, "token": token, "basic": basic, "header": header,
                "timeout": timeout, "insecure": insecure, "ca_bundle": ca_bundle}
    try:
        client = ScimClient(build(settings.get), lambda _: None)
    except HarnessError as exc:
        raise click.UsageError(str(exc)) from exc
    todo = len(ledger.pending())
    result = cleanup(client, ledger)
    ledger.flush()
    click.echo(f"{todo} to delete: {result.deleted} deleted, {todo - result.deleted - len(result.failed)} "
               f"already gone, {len(result.failed)} failed")
    for line in result.failed:
        click.echo(f"  failed: {line}", err=True)
    sys.exit(1 if result.failed else 0)


@click.command("diff")
@click.argument("old", type=click.Path(exists=True, dir_okay=False))
@click.argument("new", type=click.Path(exists=True, dir_okay=False))
def diff_cmd(old: str, new: str) -> None:
    """Compare two runs' summary.json: regressions, fixes, still failing. Exit 1 on regressions."""
    try:
        baseline = load_baseline(Path(old))
        checks = [{"id": i, "outcome": o} for i, o in load_baseline(Path(new)).items()]
    except HarnessError as exc:
        raise click.UsageError(str(exc)) from exc
    result = compare(baseline, checks)
    for key in ("regressions", "fixes", "still_failing", "new_failing"):
        click.echo(f"{key.replace('_', ' ')}: {len(result[key])}")
        for check_id in result[key]:
            click.echo(f"  {check_id}")
    sys.exit(1 if result["regressions"] else 0)
