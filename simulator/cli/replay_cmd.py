"""`scimcert replay FLOW`: send one Okta flow to a SCIM server and print each step's verdict.

The command, its settings and the order of its work; replay_target.py checks (or starts) the
target, replay_checks.py runs the flow's checks for --report-dir, replay_flow.py runs the flow and
cleans up after it.
"""

from __future__ import annotations

import secrets
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click
from faker import Faker

from simulator.cli import replay_ledger
from simulator.cli.interrupts import Interrupted, Interrupts
from simulator.cli.params import REPLAY_SETTINGS, report_folder, settings, target_options
from simulator.cli.provider_cmd import load_extensions
from simulator.cli.replay_checks import run_checks
from simulator.cli.replay_flow import FlowReplay
from simulator.cli.replay_har import FlowRecorder
from simulator.cli.replay_output import RateLimitNotice
from simulator.cli.replay_required import Required, read_required
from simulator.cli.replay_target import checked_target, okta_auth
from simulator.okta import transport as okta_transport
from simulator.okta.flowdata import FlowError, load_flow
from simulator.okta.retry import RetryPolicy
from simulator.okta.transport import Transport
from simulator.scim import urns
from simulator.scim.extensions import targets_group
from simulator.scim.schema import SchemaDef
from suites import reportdir
from suites.client import ScimClient
from suites.config import HarnessError, RunConfig
from suites.extensions.data import other_value, simple_attributes, value_for
from suites.ledger import Ledger

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
    A 429 is printed at once with Okta's wait before it sends again (Retry-After seconds, else
    300, doubled on each retry, 10 tries).
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
    flavour = config.okta_flavour
    declared, attributes = _extensions(flow, config)
    out = _report_dir(report_dir)
    interrupts = Interrupts(STOPPING)
    embedded, run_id = config.url is None, secrets.token_hex(4)
    ledger: Ledger | None = None  # once the target answers (and the checks have run)
    made: list[Path] = []  # the folders made for the ledger
    failed: list[str] = []  # what the flow's cleanup could not delete, for summary.json
    recorder: FlowRecorder | None = None  # with --report-dir: the flow's requests, for exchanges.har
    with interrupts.installed(), ExitStack() as stack:
        try:
            config = checked_target(stack, config, options, declared)
            auth, url = okta_auth(config.auth), str(config.url)
            code = 0
            if out is not None:  # first: the flow then journals in the ledger the checks wrote
                code = run_checks(spec.name, config, run_id, declared, out)
                recorder = FlowRecorder(spec.name, config.auth)
            ledger, made = _open_ledger(out, embedded, run_id, url)
            required = (Required() if embedded else
                        read_required(config, declared, run_id, recorder.record if recorder else None))
            # Not redacted by the transport: the recorder redacts as the run's HAR does.
            notice = RateLimitNotice(RetryPolicy())
            transport = Transport(timeout=config.timeout, verify=config.verify, redact=False,
                                  retry=notice.policy, on_exchange=_each(recorder, notice))
            lookup = ScimClient(config, recorder.record if recorder else lambda _: None)
            replay = FlowReplay(spec, url, auth, flavour, transport, no_cleanup, interrupts, ledger, failed,
                                required, lookup, notice)
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


def _each(*listeners: Callable[[okta_transport.Exchange], None] | None,
          ) -> Callable[[okta_transport.Exchange], None]:
    """One on_exchange that calls each listener given (None: not there) in turn."""
    present = [listener for listener in listeners if listener is not None]

    def each(sent: okta_transport.Exchange) -> None:
        for listener in present:
            listener(sent)

    return each


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


def _extensions(
    flow: str, config: RunConfig,
) -> tuple[tuple[SchemaDef, ...], Sequence[dict[str, Any] | None]]:
    """The extensions of the replay (the embedded provider declares them) and the variables of each
    run of the flow: custom-attributes runs once per attribute of a custom User extension (against
    the embedded provider, by default the vendor example's), any other flow once without."""
    declared = config.extensions
    if config.url is None and not declared and flow == "custom-attributes":
        extensions = (EXAMPLE_EXTENSION,)
        declared = load_extensions(extensions, ())
    attributes = list(_custom_attributes(declared)) if flow == "custom-attributes" else [None]
    if not attributes:
        raise click.UsageError("custom-attributes needs a custom User extension with a simple attribute: "
                               "--extension 'URN=attr' (what your server defines)")
    return declared, attributes


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
