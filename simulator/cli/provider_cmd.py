"""`scimcert provider` and `scimcert deviations`."""

from __future__ import annotations

import json
import secrets
import sys

import click

from simulator.cli.params import CannotStart
from simulator.provider.app import create_app
from simulator.provider.deviations import REGISTRY, Deviations, UnknownDeviation
from simulator.provider.server import build_server
from simulator.provider.service import DEFAULT_MAX_BODY, DEFAULT_MAX_RESULTS, ProviderConfig
from simulator.scim import urns
from simulator.scim.extensions import load_extension_file, parse_extension_spec
from simulator.scim.schema import SchemaDef, SchemaDefinitionError
from suites.catalogue import by_deviation
from suites.config import header_safe


def load_extensions(specs: tuple[str, ...], files: tuple[str, ...]) -> tuple[SchemaDef, ...]:
    """Parse --extension and --extension-file values, failing with a usage error."""
    try:
        found = [parse_extension_spec(s) for s in specs] + [load_extension_file(f) for f in files]
    except SchemaDefinitionError as exc:
        raise click.UsageError(str(exc)) from exc
    ids = [e.id.casefold() for e in found]
    if len(set(ids)) != len(ids):
        raise click.UsageError("the same extension URN is declared twice")
    return tuple(found)


@click.command("provider")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option(
    "--port",
    default=8080,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to bind (0 picks a free one).",
)
@click.option(
    "--token",
    envvar="SCIMCERT_PROVIDER_TOKEN",
    help="Bearer token clients must send [env SCIMCERT_PROVIDER_TOKEN; default: random, printed].",
)
@click.option(
    "--deviation",
    "deviations",
    multiple=True,
    metavar="NAME[=VALUE]",
    help="Switch on a real-world bug, or a condition: a choice the RFCs leave to a server, such as "
    "patch-no-content (repeatable); see 'scimcert deviations'.",
)
@click.option(
    "--extension",
    "extensions",
    multiple=True,
    metavar="URN=ATTR[:TYPE],...",
    help="Declare a custom extension, e.g. "
    "'urn:ietf:params:scim:schemas:extension:ivanti:2.0:User=custAttr1' (repeatable).",
)
@click.option(
    "--extension-file",
    "extension_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Declare an extension from an RFC 7643 §7 schema JSON file (repeatable).",
)
@click.option(
    "--require-extension",
    "required",
    multiple=True,
    metavar="URN",
    help="Mark an extension as required in the User/Group resource type (repeatable): a declared "
    "one or the built-in enterprise extension.",
)
@click.option(
    "--open-discovery",
    is_flag=True,
    help="Serve /ServiceProviderConfig, /ResourceTypes and /Schemas without a token.",
)
@click.option(
    "--max-results",
    default=DEFAULT_MAX_RESULTS,
    show_default=True,
    type=click.IntRange(1),
    help="filter.maxResults: the largest page served.",
)
@click.option(
    "--max-body",
    default=DEFAULT_MAX_BODY,
    show_default=True,
    type=click.IntRange(1),
    help="Largest request body in bytes; larger ones get 413.",
)
def provider_cmd(
    host: str,
    port: int,
    token: str | None,
    deviations: tuple[str, ...],
    extensions: tuple[str, ...],
    extension_files: tuple[str, ...],
    required: tuple[str, ...],
    open_discovery: bool,
    max_results: int,
    max_body: int,
) -> None:
    """Serve the reference SCIM 2.0 provider at http://HOST:PORT/scim/v2 until Ctrl-C."""
    try:
        devs = Deviations.parse(deviations)
    except UnknownDeviation as exc:
        raise click.UsageError(str(exc)) from exc
    if token is not None and not header_safe(token):
        raise click.BadParameter("holds a line break, a control character or a character beyond Latin-1, "
                                 "which no client can send in an HTTP header", param_hint="--token")
    exts = load_extensions(extensions, extension_files)
    config = ProviderConfig(
        token=token or secrets.token_urlsafe(24),
        deviations=devs,
        extensions=exts,
        required_extensions=_required(required, exts),
        open_discovery=open_discovery,
        max_results=max_results,
        max_body_bytes=max_body,
    )
    try:
        server = build_server(create_app(config), host, port, quiet=False)
    except OSError as exc:
        raise CannotStart(f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another "
                          "--host/--port (--port 0 picks a free one).") from exc
    _announce(server.port, host, config)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("\nstopped", err=True)
    finally:
        server.server_close()


def _required(required: tuple[str, ...], exts: tuple[SchemaDef, ...]) -> frozenset[str]:
    """The --require-extension URNs as declared: a declared extension or the built-in enterprise one."""
    known = {urn.casefold(): urn for urn in (urns.ENTERPRISE_USER, *(e.id for e in exts))}
    missing = [r for r in required if r.casefold() not in known]
    if missing:
        raise click.UsageError(
            f"--require-extension {missing[0]} names no declared or built-in extension; declare it with "
            f"--extension or --extension-file (built in: {urns.ENTERPRISE_USER})"
        )
    return frozenset(known[r.casefold()] for r in required)


def _announce(port: int, host: str, config: ProviderConfig) -> None:
    click.echo(f"SCIM 2.0 reference provider at http://{host}:{port}/scim/v2")
    click.echo(f"Bearer token: {config.token}")
    for ext in config.extensions:
        click.echo(f"Extension: {ext.id} ({', '.join(a.name for a in ext.attributes)})")
    if config.deviations.active:
        click.echo(f"Deviations on: {', '.join(sorted(config.deviations.active))}")
    click.echo("Press Ctrl-C to stop.")
    sys.stdout.flush()


@click.command("deviations")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def deviations_cmd(as_json: bool) -> None:
    """List the provider's switchable deviations and the checks that catch each, then its conditions."""
    caught = by_deviation()
    if as_json:
        rows = [
            {"name": d.name, "summary": d.summary, "seen_in": d.seen_in, "param": d.param,
             "default": d.default, "condition": d.condition, "caught_by": caught.get(d.name, [])}
            for d in REGISTRY.values()
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    width = max(len(name) for name in REGISTRY)
    bugs = [d for d in REGISTRY.values() if not d.condition]
    conditions = [d for d in REGISTRY.values() if d.condition]
    for dev in bugs:
        click.echo(f"{dev.name.ljust(width)}  {dev.summary}")
        click.echo(f"{''.ljust(width)}  seen: {dev.seen_in}")
        click.echo(f"{''.ljust(width)}  caught by: {', '.join(caught.get(dev.name, []))}")
    click.echo("\nConditions (no bug: circumstances and choices of a correct server, which no check fails):")
    for dev in conditions:
        click.echo(f"{dev.name.ljust(width)}  {dev.summary}")
        click.echo(f"{''.ljust(width)}  seen: {dev.seen_in}")
    click.echo(f"\n{len(bugs)} deviations and {len(conditions)} conditions. "
               "Use: scimcert provider --deviation NAME[=VALUE]")
