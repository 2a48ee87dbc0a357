"""`scimcert replay FLOW`: send one Okta flow to a SCIM server and print each step's verdict."""

from __future__ import annotations

import random
import secrets
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, closing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import click
import pytest
from faker import Faker

from simulator.cli import replay_ledger
from simulator.cli.interrupts import Interrupted, Interrupts
from simulator.cli.params import (
    REPLAY_SETTINGS,
    CannotStart,
    credentials_source,
    plural,
    report_folder,
    settings,
    target_options,
)
from simulator.cli.provider_cmd import load_extensions
from simulator.cli.replay_har import FlowRecorder
from simulator.cli.replay_output import CleanupProgress, Progress
from simulator.cli.replay_required import Required, StepRequests, read_required
from simulator.cli.run_cmd import ISOLATED
from simulator.okta.embedded import embedded_simulator
from simulator.okta.flowcleanup import cleanup
from simulator.okta.flowdata import Flow, FlowError, load_flow
from simulator.okta.flows import FlowResult, FlowRun, StepResult
from simulator.okta.model import AppInstance, Flavour, new_id
from simulator.okta.profile_editor import mapping_simulator, with_mappings
from simulator.okta.transport import Transport
from simulator.okta.wire import Auth, BasicAuth, BearerAuth, HeaderAuth
from simulator.provider.app import create_app
from simulator.provider.server import start_in_thread
from simulator.provider.service import ProviderConfig
from simulator.scim import urns
from simulator.scim.extensions import targets_group
from simulator.scim.schema import SchemaDef
from suites import reportdir
from suites.catalogue import SUITES_DIR
from suites.client import ScimClient
from suites.config import Auth as RunAuth
from suites.config import HarnessError, Preset, RunConfig
from suites.extensions.data import other_value, simple_attributes, value_for
from suites.ledger import Ledger
from suites.lostcreates import settle_lost
from suites.report import preflight

EXIT_FAILED, EXIT_HARNESS = 1, 2
# The Okta suite module holding each flow's checks: `--report-dir` runs it for the reports.
FLOW_CHECKS = {"connect": "test_connect.py", "spec-test": "test_spec.py",
               "crud-test": "test_crud.py", "user-lifecycle": "test_users.py",
               "group-push": "test_groups.py", "import": "test_import.py",
               "custom-attributes": "test_custom_attributes.py"}
# The vendor example the custom-attributes flow uses against the embedded provider by default.
EXAMPLE_EXTENSION = "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User=custAttr1"
OKTA_TYPES = {"integer": "integer", "boolean": "boolean", "decimal": "number"}  # else string
STOPPING = "stopping: deleting what the flow created; kill -9 abandons it"


@click.command("replay")
@click.argument("flow")
@target_options(url_help="Base URL of the SCIM server (default: start the embedded reference provider).")
@click.option("--flavour", type=click.Choice(["oin", "aiw"]),
              help="Okta app flavour: OIN template (PATCH) or App Integration Wizard (GET + PUT) "
              "[default: SCIMCERT_OKTA_FLAVOUR, else okta_flavour in scimcert.toml, else oin].")
@click.option("--no-cleanup", is_flag=True,
              help="Keep the users and groups the flow created; they are listed in the ledger.json of "
              "--report-dir (else of a new reports/<timestamp>/), which 'scimcert cleanup' takes.")
@click.option("--extension", "extensions", multiple=True, metavar="URN=ATTR[:TYPE],...",
              help="The custom extension under test (repeatable): custom-attributes maps and pushes each "
              "of its attributes; the embedded provider declares it. Not given (nor --extension-file), "
              "they come from SCIMCERT_EXTENSION / SCIMCERT_EXTENSION_FILE, else from extension / "
              "extension_file in scimcert.toml; from none, custom-attributes against the embedded "
              f"provider takes '{EXAMPLE_EXTENSION}'.")
@click.option("--extension-file", "extension_files", multiple=True,
              type=click.Path(exists=True, dir_okay=False),
              help="The same as an RFC 7643 §7 schema file (repeatable).")
@click.option("--report-dir", type=click.Path(file_okay=False),
              help="Also run the flow's Okta checks and write the `scimcert run` reports here; their "
              "exchanges.har also holds every request the flow sent, after the checks'.")
def replay_cmd(flow: str, flavour: str, no_cleanup: bool, extensions: tuple[str, ...],
               extension_files: tuple[str, ...], report_dir: str | None, **options: Any) -> None:
    """Replay one Okta flow and print each step as it completes: id, request line, status, verdict.

    Flows: connect, spec-test, crud-test, user-lifecycle, group-push, import, custom-attributes.
    crud-test and custom-attributes are driven through an in-process simulator's admin API, as
    Okta's own CRUD test drives an org; the SCIM requests it sends are printed under each step.
    Where the target's User resource type requires an extension (RFC 7643 §6, read from
    /ResourceTypes and /Schemas), the app maps a value into each of its attributes, as that
    target's Okta admin must (one line names them); a step failed for lacking one says so.
    Ctrl-C (or SIGTERM) stops the flow and deletes what it created (unless --no-cleanup); one
    more during that cleanup is ignored with a notice (kill -9 does not wait). A create that got no
    response is looked up by its name, at once and again before the cleanup, and what is found is
    deleted too. What it leaves on the target (--no-cleanup, a delete that failed, or a create no
    lookup could settle) is listed in the ledger.json of --report-dir,
    else of a new reports/<timestamp>/, whose path it prints: 'scimcert cleanup' takes it. Each
    resource is recorded there as it is created, so a replay killed with kill -9 leaves its
    ledger.journal for 'scimcert cleanup'. With --report-dir the checks run first.
    A target option, --flavour or --extension/--extension-file not given is read as `scimcert run`
    reads it: from its SCIMCERT_* variable (SCIMCERT_URL, SCIMCERT_TOKEN, SCIMCERT_OKTA_FLAVOUR,
    SCIMCERT_EXTENSION, …), else from ./scimcert.toml ([target] url, token, …; [run] okta_flavour,
    extension, extension_file), the credentials and the extensions each from one source as a set;
    without a URL the embedded provider is used.
    Exit status: 0 every step passed, 1 a step failed (named), 2 the replay could not run (bad
    option, target unreachable, credentials rejected), 130 stopped by Ctrl-C (143 by SIGTERM).
    """
    try:
        spec = load_flow(flow)
    except FlowError as exc:
        raise click.UsageError(str(exc)) from exc
    config = settings({**options, "okta_flavour": flavour, "extension": extensions,
                       "extension_file": extension_files}, only=REPLAY_SETTINGS)
    flavour, declared = config.okta_flavour, config.extensions
    if config.url is None and not declared and flow == "custom-attributes":
        extensions = (EXAMPLE_EXTENSION,)
        declared = load_extensions(extensions, ())
    attributes = list(_custom_attributes(declared)) if flow == "custom-attributes" else [None]
    if not attributes:
        raise click.UsageError("custom-attributes needs a custom User extension with a simple attribute: "
                               "--extension 'URN=attr' (what your server defines)")
    out = _report_dir(report_dir)
    interrupts = Interrupts(STOPPING)
    embedded, run_id = config.url is None, secrets.token_hex(4)
    ledger: Ledger | None = None  # once the target answers (and the checks have run)
    made: list[Path] = []  # the folders made for the ledger
    failed: list[str] = []  # what the flow's cleanup could not delete, for summary.json
    recorder: FlowRecorder | None = None  # with --report-dir: the flow's requests, for exchanges.har
    with interrupts.installed(), ExitStack() as stack:
        try:
            config = _target(stack, config, options, declared)
            auth, url = _okta_auth(config.auth), str(config.url)
            code = 0
            if out is not None:  # first: the flow then journals in the ledger the checks wrote
                code = _reports(spec.name, config, run_id, declared, out)
                recorder = FlowRecorder(spec.name, config.auth)
            ledger, made = _open_ledger(out, embedded, run_id, url)
            required = (Required() if embedded else
                        read_required(config, declared, run_id, recorder.record if recorder else None))
            # Not redacted by the transport: the recorder redacts as the run's HAR does.
            transport = Transport(timeout=config.timeout, verify=config.verify, redact=False,
                                  on_exchange=recorder)
            lookup = ScimClient(config, recorder.record if recorder else lambda _: None)
            replay = _Replay(spec, url, auth, flavour, transport, no_cleanup, interrupts, ledger, failed,
                             required, lookup)
            code = max(code, *(replay.once(variables) for variables in attributes))
        except Interrupted as exc:
            click.echo(f"{spec.name}: stopped by {signal.Signals(exc.signum).name}", err=True)
            code = exc.exit_code
        finally:  # whatever stopped the replay, what it left on the target is listed
            with interrupts.stopping():
                if ledger is not None:
                    replay_ledger.write(ledger, out, embedded, no_cleanup, failed, made)
                if recorder is not None and out is not None:
                    recorder.write(out, run_id)
    sys.exit(code)


def _open_ledger(out: Path | None, embedded: bool, run_id: str, url: str) -> tuple[Ledger, list[Path]]:
    """replay_ledger.open_ledger(), its HarnessError (no report folder can be made) a usage error."""
    try:
        return replay_ledger.open_ledger(out, embedded, run_id, url)
    except HarnessError as exc:
        raise click.UsageError(str(exc)) from exc


def _report_dir(report_dir: str | None) -> Path | None:
    """--report-dir, created now and refused before the flow runs, not after, when its ledger
    lists resources a previous run left behind."""
    if report_dir is None:
        return None
    report_folder(Path(report_dir))
    try:
        reportdir.check(Path(report_dir), replace=True)
    except HarnessError as exc:
        raise click.UsageError(str(exc)) from exc
    return Path(report_dir)



def _target(stack: ExitStack, config: RunConfig, options: dict[str, Any],
            declared: tuple[SchemaDef, ...]) -> RunConfig:
    """The settings with the target to replay against: checked as `scimcert run` checks them, and
    reachable; or the embedded reference provider, started here."""
    if config.url is None:
        if any(options[n] for n in ("token", "basic", "header")):
            raise click.UsageError("--token/--basic/--header need --url (or SCIMCERT_URL, or url in "
                                   "scimcert.toml); without one the embedded reference provider is used")
        if config.auth.kind != "none":
            click.echo("note: no target URL is set, so the flow runs against the embedded reference "
                       "provider; the credentials from SCIMCERT_* or scimcert.toml are not used.", err=True)
        token = secrets.token_urlsafe(24)  # the embedded provider has its own token
        server = stack.enter_context(start_in_thread(create_app(ProviderConfig(token=token,
                                                                               extensions=declared))))
        click.echo(f"embedded reference provider at {server.url}/scim/v2")
        return replace(config, url=server.url + "/scim/v2", auth=RunAuth("bearer", token), verify=True)
    if config.auth.kind == "none":
        raise click.UsageError("replay sends what Okta sends, and Okta's SCIM apps always authenticate "
                               "(bearer token, basic or a header): give --token, --basic or --header (or "
                               "SCIMCERT_TOKEN, SCIMCERT_BASIC or SCIMCERT_HEADER, or one in scimcert.toml)")
    client = ScimClient(config, lambda _: None)
    with closing(client.session):
        problem = preflight(client, credentials=credentials_source(config, options))
    if problem:
        raise CannotStart(problem)
    return config


def _okta_auth(auth: RunAuth) -> Auth:
    """The Okta app's credentials for the checked ones."""
    if auth.kind == "basic":
        user, _, password = auth.value.partition(":")
        return BasicAuth(user, password)
    if auth.kind == "header":
        name, _, value = auth.value.partition(":")
        return HeaderAuth(value.strip(), name.strip())
    return BearerAuth(auth.value)


@dataclass(frozen=True)
class _Replay:
    """One flow against one target: run it, print it, clean up after it (also when interrupted)."""

    spec: Flow
    url: str
    auth: Auth
    flavour: str
    transport: Transport
    no_cleanup: bool
    interrupts: Interrupts
    ledger: Ledger  # what each flow created, in the run's ledger format; its run id names them
    failed: list[str]  # each resource the flow's cleanup failed to delete ("User <id>: DELETE -> 500")
    required: Required  # what the target requires, and what the app maps for it
    lookup: ScimClient  # looks up, before the cleanup, what the creates that got no response made

    def once(self, variables: dict[str, Any] | None) -> int:
        rng = random.Random()
        app = AppInstance(new_id("0oa", rng), self.url, self.auth, flavour=Flavour(self.flavour))
        app = with_mappings(app, self.required.mapped)
        prefix = self.ledger.prefix
        shown = f" [{variables['ext_urn']}:{variables['ext_attr']}]" if variables else ""
        click.echo(f"{self.spec.name}: {self.spec.title} ({self.flavour}){shown} against {self.url}")
        progress, send = Progress(), StepRequests(self.transport.send, self.spec, self.required)

        def on_step(step: StepResult) -> None:
            progress.step(step)
            send.step(step)

        try:
            run = FlowRun(self.spec, app, send, prefix=prefix, rng=rng,
                          simulator=mapping_simulator(embedded_simulator(), self.required.mapped),
                          variables=dict(variables or {}), hold=self.interrupts.held, on_step=on_step,
                          on_request=progress.request, on_created=self.ledger.add_once,
                          on_deleted=self.ledger.deleted_by_run, on_unconfirmed=self.ledger.add_unconfirmed)
        except FlowError as exc:
            raise click.UsageError(str(exc)) from exc
        try:
            result = run.run()
        except Interrupted:
            progress.interrupted(run.current_step)
            self._cleanup(app, run.created, prefix)
            raise
        self._cleanup(app, run.created, prefix)
        code = _verdict(result, send.notes)
        if self.interrupts.received is not None:  # a signal during the cleanup: stop after it
            raise Interrupted(self.interrupts.received)
        return code

    def _cleanup(self, app: AppInstance, created: list[tuple[str, str, str]], prefix: str) -> None:
        if not created and not self.ledger.unsettled():
            return
        if self.no_cleanup:
            if created:
                replay_ledger.record(self.ledger, created, None)
                click.echo(f"cleanup: none (--no-cleanup); {len(created)} created resources kept")
            return
        with self.interrupts.stopping():  # a signal now would leave what the flow created
            created = [*created, *self._found_lost()]
            if not created:
                return
            done = cleanup(app, created, CleanupProgress(self.transport.send, len(created)), prefix)
            replay_ledger.record(self.ledger, created, done)
        click.echo(f"cleanup: {len(done.deleted)} of {len(created)} created resources deleted")
        for line in done.skipped:
            click.echo(f"  cleanup skipped {line}", err=True)
        self.failed.extend(done.failed)
        for line in done.failed:
            click.echo(f"  cleanup failed: {line}", err=True)

    def _found_lost(self) -> list[tuple[str, str, str]]:
        """What the creates that got no response made after all: each looked up by its name once the
        target has had --timeout more to make it (settled in the ledger, where what is found joins)."""
        wait = self.ledger.settle_wait(self.transport.timeout)
        if wait >= 1:
            lost = plural(len(self.ledger.unsettled()), "create")
            click.echo(f"cleanup: waiting {wait:.0f} s before looking up {lost} that got no response (the "
                       "target may still be making them)")
        time.sleep(wait)
        before = len(self.ledger.entries)
        self.failed.extend(settle_lost(self.lookup, self.ledger))
        return [(e["type"], e["id"], e["name"]) for e in self.ledger.entries[before:]]


def _custom_attributes(declared: tuple[SchemaDef, ...]) -> Iterator[dict[str, Any]]:
    """The custom-attributes flow's variables for each simple attribute of each User extension."""
    faker = Faker()
    for ext in declared:
        if targets_group(ext) or ext.id.casefold() == urns.ENTERPRISE_USER.casefold():
            continue
        for attr in simple_attributes(ext):
            first = value_for(attr, faker)
            yield {"ext_urn": ext.id, "ext_attr": attr.name, "ext_type": OKTA_TYPES.get(attr.type, "string"),
                   "ext_value": first, "ext_value2": other_value(attr, faker, first)}


def _verdict(result: FlowResult, notes: dict[str, str]) -> int:
    """The flow's last line; a failed step's note says why, e.g. an extension the target requires."""
    failed = result.first_failure
    if failed is None:
        click.echo(f"{result.flow}: all {len(result.steps)} steps passed")
        return 0
    click.echo(f"{result.flow}: FAILED at step {failed.id} ({failed.title}){notes.get(failed.id, '')}",
               err=True)
    return EXIT_FAILED


def _reports(flow: str, config: RunConfig, run_id: str, declared: tuple[SchemaDef, ...], out: Path) -> int:
    """Run the Okta checks of this flow through pytest, which writes the run reports (and a ledger
    under the flow's run id, which the flow's own entries then join). They get the replay's settings
    whole, as `scimcert run` hands its own over: run-only settings in SCIMCERT_* or scimcert.toml
    (fail_on, read_only, no_cleanup, waivers…) are not the replay's and do not reach them."""
    module = SUITES_DIR / "okta" / FLOW_CHECKS[flow]
    checks = replace(config, run_id=run_id, report_dir=out, extensions=declared)
    watcher = _InterruptWatcher()
    code = int(pytest.main([*ISOLATED, str(module), "-q"], plugins=[Preset(checks), watcher]))
    if watcher.signum is not None:  # the checks cleaned up after themselves (their ledger)
        raise Interrupted(watcher.signum)
    if code in (0, 1):  # else pytest could not start and wrote no reports
        click.echo(f"reports written to {out}")
    return code if code in (0, 1) else EXIT_HARNESS


class _InterruptWatcher:
    """The signal that stopped the checks, if one did (pytest.exit() also ends with status 2)."""

    signum: int | None = None

    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        stop = excinfo.value
        if isinstance(stop, KeyboardInterrupt):
            self.signum = stop.signum if isinstance(stop, Interrupted) else signal.SIGINT
