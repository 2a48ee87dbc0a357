"""`scimcert replay FLOW`: send one Okta flow to a SCIM server and print each step's verdict."""

from __future__ import annotations

import random
import secrets
import sys
from contextlib import ExitStack
from pathlib import Path

import click
import pytest

from simulator.okta.flowdata import FlowError, load_flow
from simulator.okta.flows import FlowResult, FlowRun, StepResult, cleanup
from simulator.okta.model import AppInstance, Flavour, new_id
from simulator.okta.transport import Transport
from simulator.okta.wire import Auth, BasicAuth, BearerAuth, HeaderAuth
from simulator.provider.app import create_app
from simulator.provider.server import start_in_thread
from simulator.provider.service import ProviderConfig
from suites.catalogue import SUITES_DIR

EXIT_FAILED, EXIT_HARNESS = 1, 2
# The Okta suite module holding each flow's checks: `--report-dir` runs it for the reports.
FLOW_CHECKS = {"connect": "test_connect.py", "spec-test": "test_spec.py",
               "user-lifecycle": "test_users.py", "group-push": "test_groups.py",
               "import": "test_import.py"}
SHOWN_REPEATS = 2  # a step repeated 101 times prints its first and last requests only


def _auth(token: str | None, basic: str | None, header: str | None) -> Auth:
    if basic is not None:
        user, sep, password = basic.partition(":")
        if not sep:
            raise click.UsageError("--basic takes USER:PASS")
        return BasicAuth(user, password)
    if header is not None:
        name, sep, value = header.partition(":")
        if not sep or not name.strip():
            raise click.UsageError("--header takes 'NAME: VALUE'")
        return HeaderAuth(value.strip(), name.strip())
    if token is None:
        raise click.UsageError("--url needs --token, --basic or --header")
    return BearerAuth(token)


@click.command("replay")
@click.argument("flow")
@click.option("--url", envvar="SCIMCERT_URL", help="Base URL of the SCIM server "
              "(default: start the embedded reference provider).")
@click.option("--token", envvar="SCIMCERT_TOKEN", help="Bearer token (Okta's OAuth Bearer Token app).")
@click.option("--basic", envvar="SCIMCERT_BASIC", metavar="USER:PASS", help="Basic credentials.")
@click.option("--header", envvar="SCIMCERT_HEADER", metavar="'NAME: VALUE'",
              help="One literal auth header (Okta's Header Auth app).")
@click.option("--flavour", type=click.Choice(["oin", "aiw"]), default="oin", show_default=True,
              help="Okta app flavour: OIN template (PATCH) or App Integration Wizard (GET + PUT).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds to wait for each response (Okta waits 60).")
@click.option("--insecure", is_flag=True, help="Do not verify TLS certificates.")
@click.option("--no-cleanup", is_flag=True, help="Keep the users and groups the flow created.")
@click.option("--report-dir", type=click.Path(file_okay=False),
              help="Also run the flow's Okta checks and write the `scimcert run` reports here.")
def replay_cmd(flow: str, url: str | None, token: str | None, basic: str | None, header: str | None,
               flavour: str, timeout: float, insecure: bool, no_cleanup: bool,
               report_dir: str | None) -> None:
    """Replay one Okta flow and print each step: id, request line, status, verdict.

    Flows: connect, spec-test, user-lifecycle, group-push, import. Exit status: 0 every step
    passed, 1 a step failed (named), 2 the replay could not run.
    """
    try:
        spec = load_flow(flow)
    except FlowError as exc:
        raise click.UsageError(str(exc)) from exc
    with ExitStack() as stack:
        if url is None:
            if token or basic or header:
                raise click.UsageError("--token/--basic/--header need --url")
            token = secrets.token_urlsafe(24)
            server = stack.enter_context(start_in_thread(create_app(ProviderConfig(token=token))))
            url = server.url + "/scim/v2"
            click.echo(f"embedded reference provider at {url}")
        auth = _auth(token, basic, header)
        rng = random.Random()
        app = AppInstance(new_id("0oa", rng), url, auth, flavour=Flavour(flavour))
        transport = Transport(timeout=timeout, verify=not insecure)
        prefix = f"scimcert-{secrets.token_hex(4)}-"
        click.echo(f"{spec.name}: {spec.title} ({flavour}) against {url}")
        result = FlowRun(spec, app, transport.send, prefix=prefix, rng=rng).run()
        for step in result.steps:
            _print_step(step)
        if not no_cleanup and result.created:
            calls = cleanup(app, result.created, transport.send)
            gone = sum(c.status in (204, 404) for c in calls)
            click.echo(f"cleanup: {gone} of {len(calls)} created resources deleted")
        code = _verdict(result)
        if report_dir is not None:
            code = max(code, _reports(spec.name, url, auth, flavour, Path(report_dir)))
    sys.exit(code)


def _print_step(step: StepResult) -> None:
    calls = list(step.calls)
    if len(calls) > 2 * SHOWN_REPEATS:
        hidden = len(calls) - SHOWN_REPEATS
        calls = calls[:1] + calls[-1:]
        click.echo(f"  {step.id:22} ({hidden} similar requests not shown)")
    for call in calls:
        click.echo(f"  {step.id:22} {call.request_line} -> {call.status or 'no response'}")
    label = {"pass": "PASS", "fail": "FAIL", "skip": "SKIP"}[step.verdict]
    if step.verdict != "pass" and step.optional:
        label += " (optional)"
    click.echo(f"  {step.id:22} {label}  {step.title}")
    if step.verdict != "pass":
        click.echo(f"  {'':22}   Expected: {step.expected}")
        click.echo(f"  {'':22}   Received: {step.received}")


def _verdict(result: FlowResult) -> int:
    failed = result.first_failure
    if failed is None:
        click.echo(f"{result.flow}: all {len(result.steps)} steps passed")
        return 0
    click.echo(f"{result.flow}: FAILED at step {failed.id} ({failed.title})", err=True)
    return EXIT_FAILED


def _reports(flow: str, url: str, auth: Auth, flavour: str, out: Path) -> int:
    """Run the Okta checks of this flow through pytest, which writes the run reports."""
    module = SUITES_DIR / "okta" / FLOW_CHECKS[flow]
    name, value = auth.header()
    args = [str(module), "-q", "-p", "no:randomly", "--scim-url", url, "--scim-report-dir", str(out),
            "--okta-flavour", flavour]
    if isinstance(auth, BearerAuth):
        args += ["--scim-token", auth.token]
    elif isinstance(auth, BasicAuth):
        args += ["--scim-basic", f"{auth.username}:{auth.password}"]
    else:
        args += ["--scim-header", f"{name}: {value}"]
    code = int(pytest.main(args))
    click.echo(f"reports written to {out}")
    return code if code in (0, 1) else EXIT_HARNESS
