"""`scimcert run`: the conformance checks against a SCIM server, with their reports."""

from __future__ import annotations

import importlib.util
import os
import secrets
import sys
from contextlib import ExitStack
from dataclasses import replace
from importlib.metadata import entry_points
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import pytest
from _pytest.config import builtin_plugins  # pytest's own plugins, which -p names without "_pytest."

from simulator.cli.interrupts import Interrupts
from simulator.cli.params import (
    CannotStart,
    credentials_source,
    remove_empty,
    report_folder,
    settings,
    target_options,
    unverified_tls,
)
from simulator.cli.progress_line import ProgressLine
from simulator.cli.run_end import exit_code, left_behind
from simulator.provider.child import ChildServer, start_in_child
from simulator.provider.service import ProviderConfig
from suites import reportdir
from suites.catalogue import SUITES_DIR, check_ids, suite_names
from suites.client import ScimClient
from suites.config import Auth, HarnessError, Preset, RunConfig
from suites.exchange import Exchange
from suites.extensions.discovery import untested_group_extensions
from suites.report import preflight
from suites.state import RunState

if TYPE_CHECKING:
    from simulator.provider.server import RunningServer

EXIT_SIGNAL = {"SIGINT": 130, "SIGTERM": 143}  # 128 + the signal's number, as shells report it
STOPPING = "stopping: deleting what the run created and writing its reports; kill -9 abandons it"
# Only the plugins a run needs: whatever else is installed beside pytest (randomly, xdist,
# hypothesis…) must not reorder, slow down or change a certification run. `-- -p NAME` adds one.
ISOLATED = ("--disable-plugin-autoload", "-p", "metadata", "-p", "html",
            # its end-of-run hunt for unraisable exceptions is five full gc passes over every
            # recorded exchange; a certification run has no use for it
            "-p", "no:unraisableexception",
            # pytest marks '-p html' for assertion rewriting by name, then finds the stdlib's html
            "-W", "ignore:Module already imported so cannot be rewritten; html"
                  ":pytest.PytestAssertRewriteWarning")


class _RunCommand(click.Command):
    """Only what follows `--` goes to pytest: a stray argument before it is a usage error."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        after = len(args) - args.index("--") - 1 if "--" in args else 0
        rest = super().parse_args(ctx, args)
        given = ctx.params.get("pytest_args", ())
        if len(given) > after:
            raise click.UsageError(f"unexpected argument {given[0]!r}: suites are chosen with --suite NAME, "
                                   "and arguments for pytest go after --", ctx)
        return rest



@click.command("run", cls=_RunCommand)
@target_options(url_help="Base URL of the SCIM server under test "
                "(default: start the embedded reference provider).")
@click.option("--suite", "suites", multiple=True, metavar="NAME",
              help="Run only this suite (repeatable); see 'scimcert checks'.")
@click.option("--extension", "extension", multiple=True, metavar="URN=ATTR[:TYPE],...",
              help="Custom extension under test (repeatable); also declared on the embedded provider "
              "(SCIMCERT_EXTENSION takes several, separated by ';'). The suites test User extensions: a "
              "Group one (URN ending in :Group) is not tested, as the run says before the checks.")
@click.option("--extension-file", "extension_file", multiple=True,
              type=click.Path(exists=True, dir_okay=False), help="Extension from an RFC 7643 §7 file.")
@click.option("--fail-on", type=click.Choice(["must", "should", "may"], case_sensitive=False),
              help="Lowest requirement level that fails the run [default: must].")
@click.option("--no-okta-gate", is_flag=True,
              help="Gate on --fail-on only; by default a failed Okta-critical check (okta=True) fails the "
              "run whatever its RFC level, because it breaks Okta provisioning.")
@click.option("--read-only", is_flag=True, help="Run only the checks that send no writes.")
@click.option("--no-cleanup", is_flag=True, help="Keep what the run created (listed in ledger.json); the run "
              "ends by saying how much it kept and the 'scimcert cleanup' command that deletes it.")
@click.option("--waivers", type=click.Path(exists=True, dir_okay=False),
              help="TOML file of [[waiver]] id/reason/expires: known failures that do not fail the run.")
@click.option("--baseline", type=click.Path(exists=True, dir_okay=False),
              help="A previous run's summary.json: fail only on regressions (those at or above --fail-on, "
              "or Okta-critical unless --no-okta-gate; a waived one is listed, not gating).")
@click.option("--report-dir", type=click.Path(file_okay=False),
              help="Where the reports go [default: a new reports/<timestamp>/]. A folder holding a previous "
              "run's reports is refused unless --overwrite, and always while its ledger lists resources "
              "not yet deleted.")
@click.option("--overwrite", is_flag=True,
              help="Replace the reports a previous run left in --report-dir (its ledger must list nothing "
              "left to delete).")
@click.option("--run-id", help="Run id used in the names of created resources: up to 24 ASCII letters, "
              "digits and dashes, used in lower case [default: random].")
@click.option("--okta-flavour", type=click.Choice(["oin", "aiw"]),
              help="Okta app flavour for the Okta checks [default: oin].")
@click.argument("pytest_args", nargs=-1, type=click.UNPROCESSED)
def run_cmd(suites: tuple[str, ...], pytest_args: tuple[str, ...], overwrite: bool, **options: Any) -> None:
    """Run the conformance checks against a SCIM server and write the reports.

    Without a URL the embedded reference provider is started on 127.0.0.1 with a random token.
    Every option but --suite and --overwrite, when not given, is read from its SCIMCERT_* variable
    (SCIMCERT_URL, SCIMCERT_FAIL_ON, SCIMCERT_REPORT_DIR, …), else from ./scimcert.toml
    ([target] url, token, timeout, …; [run] fail_on, report_dir, …), else takes its default.
    Arguments after -- go to pytest (e.g. -- -k filter -x); pytest plugins installed beside
    scimcert are not loaded unless named there (-- -p NAME). Exit status: 0 no failure at or
    above --fail-on and no failed Okta-critical check (see --no-okta-gate), 1 failures, 2 the run
    could not start, 130 interrupted by Ctrl-C and 143 by SIGTERM (the run still deletes what it
    created, and its reports say it was interrupted and give no verdict). Only the first signal
    counts: one more while the run stops or cleans up is ignored with a notice (kill -9 does not
    wait).
    """
    unknown = [s for s in suites if s not in suite_names()]
    if unknown:
        raise click.UsageError(f"unknown suite {unknown[0]!r}; suites: {', '.join(suite_names())}")
    _reject_scim_options(pytest_args)
    _reject_unknown_plugins(pytest_args)
    cfg = _resolve(options, pytest_args)
    if cfg.url is None and any(options[n] for n in ("token", "basic", "header")):
        raise click.UsageError("--token/--basic/--header need --url (or SCIMCERT_URL, or url in "
                               "scimcert.toml); without one the embedded reference provider is tested")
    out, created = _report_dir(cfg.report_dir, overwrite)
    cfg = replace(cfg, report_dir=out)
    note = untested_group_extensions(cfg)
    if note:
        click.echo(note, err=True)
    embedded = cfg.url is None
    sent: tuple[Exchange, ...] = ()  # the preflight's request, recorded in the run's HAR
    progress = ProgressLine()  # the notice starts a line, also after pytest's progress dots
    with Interrupts(STOPPING, progress.say).installed() as interrupts:
        checks = _Checks(interrupts)
        try:
            with ExitStack() as stack:
                if cfg.url is None:
                    cfg = _embedded(stack, cfg)
                elif not {"--collect-only", "--co"} & set(pytest_args):
                    if cfg.url.startswith("http://"):
                        click.echo("warning: the target URL is plain http://; Okta requires https.", err=True)
                    unverified_tls(cfg)
                    sent = _preflight(cfg, created, credentials_source(cfg, options))
                paths = [str(SUITES_DIR / s) for s in suites] if suites else [str(SUITES_DIR)]
                code = pytest.main([*ISOLATED, *paths, *pytest_args],
                                   plugins=[Preset(cfg, sent), checks, progress])
        except KeyboardInterrupt as exc:  # before pytest started (the embedded provider's start)
            remove_empty(created)
            sys.exit(EXIT_SIGNAL.get(str(exc), 130))
        remove_empty(created)  # a run that wrote nothing (no check selected, --collect-only) leaves no folder
        left_behind(out / "ledger.json", embedded, not cfg.cleanup)
    sys.exit(EXIT_SIGNAL[checks.stopped_by] if checks.stopped_by else exit_code(int(code), cfg.read_only))


def _reject_scim_options(pytest_args: tuple[str, ...]) -> None:
    """The plugin's own options would be ignored after --: say so instead."""
    found = next((a for a in pytest_args if a.startswith(("--scim-", "--okta-flavour"))), None)
    if found is not None:
        raise click.UsageError(f"{found.partition('=')[0]} after -- would be ignored: scimcert run takes its "
                               "settings from its own options, SCIMCERT_* variables and ./scimcert.toml")


def _reject_unknown_plugins(pytest_args: tuple[str, ...]) -> None:
    """A `-p NAME` pytest cannot load would stop it with an ImportError traceback: say so instead."""
    named = [b for a, b in pairwise(pytest_args) if a == "-p"]
    named += [a[2:] for a in pytest_args if a.startswith("-p") and len(a) > 2]
    plugins = {e.name for e in entry_points(group="pytest11")}
    for name in (n.strip() for n in named if not n.strip().startswith("no:")):
        if name not in plugins and name not in builtin_plugins and not _importable(name):
            raise click.UsageError(f"-p {name}: no pytest plugin or module of that name is installed; "
                                   "install it beside scimcert or correct the name")


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _resolve(options: dict[str, Any], pytest_args: tuple[str, ...]) -> RunConfig:
    """The run config: options given here > SCIMCERT_* > ./scimcert.toml; input files read now."""
    cfg = settings(options)
    try:
        state = RunState.open(cfg)  # waivers and baseline, rejected now rather than after the run
        # A path after -- may add the user's own checks, whose ids only the plugin sees once collected.
        if state.waivers.items and not any(Path(a.partition("::")[0]).exists() for a in pytest_args):
            state.waivers.check_ids(check_ids())
    except HarnessError as exc:
        raise click.UsageError(str(exc)) from exc
    return cfg


def _embedded(stack: ExitStack, cfg: RunConfig) -> RunConfig:
    """Start the embedded reference provider and point the run at it, with its own token."""
    if cfg.auth.kind != "none":
        click.echo("note: no target URL is set, so the embedded reference provider is tested; the "
                   "credentials from SCIMCERT_* or scimcert.toml are not used.", err=True)
    token = secrets.token_urlsafe(24)
    provider = ProviderConfig(token=token, extensions=cfg.extensions)
    # A child process where it can be: provider and checks then run on two cores.
    server: ChildServer | RunningServer
    if os.name == "posix":
        server = start_in_child(provider)
    else:  # the provider's web stack is loaded only here: on POSIX the child loads it
        from simulator.provider.app import create_app  # noqa: PLC0415
        from simulator.provider.server import start_in_thread  # noqa: PLC0415

        server = start_in_thread(create_app(provider))
    stack.enter_context(server)
    url = server.url + "/scim/v2"
    click.echo(f"embedded reference provider at {url}")
    return replace(cfg, url=url, auth=Auth("bearer", token), verify=True, ephemeral=True)


def _preflight(cfg: RunConfig, created: list[Path], credentials: str | None) -> tuple[Exchange, ...]:
    """One request before pytest starts: an unusable target is one sentence and exit 2 (naming
    where rejected credentials came from: an option, a SCIMCERT_* variable or scimcert.toml).
    Returns what it sent, for the run's HAR."""
    sent: list[Exchange] = []
    client = ScimClient(cfg, sent.append)
    try:
        problem = preflight(client, credentials=credentials)
    except KeyboardInterrupt as exc:
        remove_empty(created)
        sys.exit(EXIT_SIGNAL.get(str(exc), 130))
    finally:
        client.session.close()
    if problem:
        remove_empty(created)
        raise CannotStart(problem)
    return tuple(sent)


def _report_dir(report_dir: Path | None, overwrite: bool) -> tuple[Path, list[Path]]:
    """The run's own report folder, created now, and the folders created for it (a run that
    cannot start removes them again): a new reports/<timestamp> by default, else the given one if
    it holds no previous run's reports (or --overwrite) and no ledger of resources left."""
    try:
        if report_dir is None:
            missing = [p for p in (Path("reports"),) if not p.exists()]
            folder = reportdir.new_default(Path("reports"))
            return folder, [folder, *missing]
        created = report_folder(report_dir)
        reportdir.check(report_dir, replace=overwrite)  # the plugin replaces them after the preflight
    except HarnessError as exc:
        raise click.UsageError(str(exc)) from exc
    return report_dir, created


class _Checks:
    """The run's Interrupts as pytest sees them. SIGTERM, the way CI systems cancel a job, stops the
    checks the way Ctrl-C does, and either is told apart from the harness's own early exit (both
    are pytest exit status 2) by the Interrupted pytest caught. Once the checks are done the run
    deletes what it created and writes its reports, which no signal cuts short."""

    def __init__(self, interrupts: Interrupts) -> None:
        self.interrupts = interrupts
        self.stopped_by: str | None = None

    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        if isinstance(excinfo.value, KeyboardInterrupt):  # not pytest.exit(), which arrives here too
            self.stopped_by = self.stopped_by or str(excinfo.value) or "SIGINT"

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self) -> None:
        self.interrupts.stop()
