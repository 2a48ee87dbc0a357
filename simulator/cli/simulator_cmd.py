"""`scimcert simulator`: the Okta simulator's admin API and web console on a real threaded HTTP server."""

from __future__ import annotations

import os
import secrets
import sqlite3
import sys
from pathlib import Path

import click

from simulator.cli.params import CannotStart
from simulator.okta.api import SimulatorConfig, create_app
from simulator.okta.store import OrgFileError, OrgStore
from simulator.provider.server import build_server


def default_db() -> str:
    """A file in the user's data dir ($XDG_DATA_HOME or ~/.local/share)/scimcert/simulator.db."""
    root = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    folder = root / "scimcert"
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / "simulator.db")


def _org_token(path: str, given: str | None) -> str:
    """The org's API token (see OrgStore.admin_token); a usage error when the file is no org file."""
    try:
        store = OrgStore(path)
    except OrgFileError as exc:
        raise click.BadParameter(str(exc), param_hint="'--db'") from exc
    try:
        return store.admin_token(given, lambda: secrets.token_urlsafe(30))
    except sqlite3.DatabaseError as exc:  # e.g. a read-only file
        raise click.BadParameter(
            f"cannot write {path} ({exc}); check its permissions", param_hint="'--db'"
        ) from exc
    finally:
        store.close()


@click.command("simulator")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option(
    "--port", default=7070, show_default=True, type=click.IntRange(0, 65535),
    help="Port to bind (0 picks a free one).",
)  # fmt: skip
@click.option(
    "--db", "db", default=None, help="SQLite file of the org [default: user data dir]; ':memory:' for none."
)
@click.option(
    "--admin-token", envvar="SCIMCERT_ADMIN_TOKEN",
    help="API token clients send as 'SSWS <token>'; kept in the org database for the next start "
    "[env SCIMCERT_ADMIN_TOKEN; default: the one kept there, else random; printed].",
)  # fmt: skip
def simulator_cmd(host: str, port: int, db: str | None, admin_token: str | None) -> None:
    """Serve the Okta simulator's admin API (Okta's /api/v1 subset) and web console until Ctrl-C.

    The org (and its API token) lives in the --db file, so a restart loses nothing.
    """
    if admin_token is not None and (not admin_token.strip() or admin_token != admin_token.strip()):
        raise click.BadParameter("the token must be non-blank text without leading or trailing spaces "
                                 "(clients send it as 'SSWS <token>')", param_hint="'--admin-token'")
    path = db or default_db()
    token = _org_token(path, admin_token)
    try:
        server = build_server(create_app(SimulatorConfig(token, path)), host, port, quiet=False)
    except OSError as exc:
        raise CannotStart(f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another "
                          "--host/--port (--port 0 picks a free one).") from exc
    origin = f"http://{host}:{server.port}"
    click.echo(f"Okta simulator admin API at {origin}/api/v1")
    click.echo(f"Console: {origin}/console/")
    click.echo(f"Org database: {path}")
    click.echo(f"API token (Authorization: SSWS <token>): {token}")
    click.echo("Press Ctrl-C to stop.")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("\nstopped", err=True)
    finally:
        server.server_close()
