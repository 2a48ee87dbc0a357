"""`scimcert cleanup LEDGER`: delete what an interrupted run left, on the ledger's target."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from simulator.cli.interrupts import Interrupted, Interrupts
from simulator.cli.params import (
    TARGET_SETTINGS,
    CannotStart,
    credentials_source,
    plural,
    settings,
    source,
    target_options,
    unverified_tls,
)
from simulator.scim.paths import resource_path
from suites import reportdir
from suites.cleanup import CleanupResult, cleanup
from suites.client import ScimClient
from suites.config import HarnessError, target_url
from suites.ledger import Ledger
from suites.ledgerfile import KINDS, LedgerError
from suites.lostcreates import lookup_path, possibly_left_block, possibly_left_line

STOPPING = "stopping: finishing the deletes in flight and writing the ledger; kill -9 abandons them"


@click.command("cleanup")
@click.argument("ledger_file", metavar="LEDGER", type=click.Path(exists=True))
@target_options(url_help="Base URL of the SCIM server [default: the ledger's target]; a different one is "
                "refused without --allow-other-url.")
@click.option("--allow-other-url", is_flag=True,
              help="Delete at --url (or SCIMCERT_URL, or url in scimcert.toml) although the ledger names "
              "another target (the same server at a new address).")
def cleanup_cmd(ledger_file: str, allow_other_url: bool, **options: Any) -> None:
    """Delete what an interrupted run created, as its ledger lists it, on the ledger's target.

    LEDGER is a run's ledger.json, its report folder, or the ledger.journal a killed run left
    beside it (its changes are read either way). Each resource is read first and deleted only
    when its userName / displayName still starts with the run's prefix (scimcert-<runid>-);
    one that does not is skipped and listed, never deleted. First, each create of the run that got
    no response and that no lookup has settled yet is looked up by the name it sent (userName /
    displayName eq "<name>"), and each resource of exactly that name is deleted with the rest; one
    no lookup can find is said to be possibly left. Exit status: 0 nothing failed (skipped
    ones included), 1 a read, lookup or delete failed, 2 not a ledger, a bad option, or the target refused
    the first read (401/403: no credentials, or the wrong ones), 130 stopped by
    Ctrl-C (143 by SIGTERM): the deletes in flight finish, the ledger is written and what is left
    is counted; run cleanup again to delete it. It updates the ledger and the cleanup block of the
    run's summary.json beside it (what is left, failed, skipped); report.html and junit.xml keep
    the run's end state.
    An option not given is read as `scimcert run` reads it: from its SCIMCERT_* variable
    (SCIMCERT_URL, SCIMCERT_TOKEN, …), else from ./scimcert.toml ([target] url, token, …), the
    credentials from one source as a set.
    """
    path = _ledger_path(Path(ledger_file))
    try:
        ledger = Ledger.load(path)
    except LedgerError as exc:
        raise click.UsageError(str(exc)) from exc
    config = settings(options, only=TARGET_SETTINGS)
    target = _cleanup_target(ledger, path, config.url, source("url", options), allow_other_url)
    try:
        client = ScimClient(replace(config, url=target_url(target)), lambda _: None)
    except HarnessError as exc:
        raise click.UsageError(str(exc)) from exc
    unverified_tls(client.config)
    _check_credentials(client, ledger, credentials_source(config, options))
    todo = len(ledger.pending())
    elsewhere = target.rstrip("/") != ledger.target.rstrip("/")
    interrupts = Interrupts(STOPPING)
    with interrupts.installed(), interrupts.stopping():
        result = cleanup(client, ledger, elsewhere=elsewhere, stop=lambda: interrupts.received is not None)
        ledger.flush()
        unchanged = _update_summary(path, ledger, result)
    left = f", {result.left} left (stopped)" if result.left else ""
    if result.looked_up:
        click.echo(f"{plural(result.looked_up, 'create')} that got no response looked up by name at "
                   f"{client.base}: {plural(result.found, 'resource')} found")
    click.echo(f"{todo + result.found} to delete at {client.base}: {result.deleted} deleted, {result.gone} "
               f"already gone, {len(result.skipped)} skipped (no longer the run's), {len(result.failed)} "
               f"failed{left}")
    if result.missing:
        click.echo(f"  {len(result.missing)} not found at this URL: left in the ledger, as they may still "
                   f"exist at {ledger.target}", err=True)
    for line in result.skipped:
        click.echo(f"  skipped: {line}", err=True)
    for line in result.failed:
        click.echo(f"  failed: {line}", err=True)
    possibly = possibly_left_line(possibly_left_block(ledger), str(path))
    if possibly:
        click.echo(possibly, err=True)
    if unchanged:
        click.echo(f"note: {unchanged}", err=True)
    if interrupts.received is not None:
        stopped = Interrupted(interrupts.received)
        click.echo(f"stopped by {stopped}: {plural(len(ledger.pending()), 'resource')} still to delete; "
                   f"'scimcert cleanup {path}' again deletes them.", err=True)
        sys.exit(stopped.exit_code)
    sys.exit(1 if result.failed else 0)



def _check_credentials(client: ScimClient, ledger: Ledger, given: str | None) -> None:
    """Read the first resource to delete once: a 401/403 refuses the cleanup up front (given:
    where the credentials came from), rather than failing every resource one by one."""
    first = next((e for e in ledger.pending() if e["type"] in KINDS), None)
    lost = next(iter(ledger.unsettled()), None)
    if first is not None:
        path = resource_path(f"{first['type']}s", first["id"])
    elif lost is not None:  # only creates that got no response: their lookup is the first read
        path = lookup_path(lost["type"], lost["name"])
    else:
        return
    status = client.get(path, step="preflight").status
    if status not in (401, 403):
        return
    request = f"GET {path} -> {status}"
    if given is None:
        raise CannotStart(f"{client.base} refused a request without credentials ({request}); the ledger's "
                          "target needs the run's credentials: give --token, --basic or --header (or "
                          "SCIMCERT_TOKEN, SCIMCERT_BASIC or SCIMCERT_HEADER, or one in scimcert.toml).")
    raise CannotStart(f"{client.base} rejected the credentials from {given} ({request}); check {given}.")


def _update_summary(path: Path, ledger: Ledger, result: CleanupResult) -> str | None:
    """Bring the cleanup block of the run's summary.json beside the ledger up to date: what is left
    now, this cleanup's failures, every resource skipped so far. Why not, when it is left as it was."""
    summary_file = path.with_name("summary.json")
    kept = f"left {summary_file} as it was"
    summary, why = reportdir.run_summary(summary_file, ledger.run_id)
    if summary is None:
        return (f"no summary.json beside {path}: only the ledger was updated." if why == "absent"
                else f"{kept}: {why}.")
    block = summary.get("cleanup")
    if not isinstance(block, dict):
        return f"{kept}: it has no cleanup block."
    block.update(left=len(ledger.pending()), failed=list(result.failed),
                 skipped=[e["skipped"] for e in ledger.entries if e.get("skipped")])
    if "possibly_left" in block or ledger.possibly_left():
        block.update(possibly_left=ledger.possibly_left(), prefix=ledger.prefix)
    try:
        reportdir.rewrite_summary(summary_file, summary)
    except OSError as exc:
        return f"{kept}: cannot write it ({exc.strerror or exc})."
    return None


def _ledger_path(given: Path) -> Path:
    """The ledger.json a user means: the file, the one in a report folder, or the one beside a journal."""
    if given.is_dir():
        found = given / "ledger.json"
        if not found.is_file():
            raise click.UsageError(f"{given} has no ledger.json; give a run's report folder or its "
                                   "ledger.json.")
        return found
    if given.suffix == ".journal":
        found = given.with_suffix(".json")
        if not found.is_file():
            raise click.UsageError(f"{given} is a ledger's journal and its {found.name} is missing; "
                                   "cleanup needs the ledger.json it belongs to.")
        return found
    return given


def _cleanup_target(ledger: Ledger, path: Path, url: str | None, given: str, allow_other: bool) -> str:
    """The ledger's own target, unless the settings name another (given: where that one comes from)
    and the user allows it."""
    if url is None:
        if not ledger.target:
            raise click.UsageError(f"{path} names no target; give --url.")
        return ledger.target
    if not ledger.target or url.rstrip("/") == ledger.target.rstrip("/") or allow_other:
        return url
    there = f"leave out {given}" if given.startswith(("--", "SCIMCERT_")) else f"give --url {ledger.target}"
    raise click.UsageError(f"{path} lists what a run created at {ledger.target}, but {given} is {url}; "
                           f"{there} to clean up there, or add --allow-other-url if that server now "
                           "answers at this address.")
