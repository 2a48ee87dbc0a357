"""`scimcert simulator`: the Okta simulator's admin API and web console on a real threaded HTTP server."""

from __future__ import annotations

import json
import os
import secrets
import signal
import sqlite3
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from types import FrameType
from typing import Any

import click
from werkzeug.serving import BaseWSGIServer

from simulator.cli.params import CannotStart
from simulator.okta.api import SimulatorConfig, create_app
from simulator.okta.scheduler import RetryScheduler
from simulator.okta.service_sync import SyncActions
from simulator.okta.store import OrgFileError, OrgStore
from simulator.okta.transport import Transport
from simulator.provider.server import build_server

if sys.platform != "win32":
    import fcntl

WsgiApp = Any  # a WSGI callable (environ, start_response) -> iterable of bytes


def default_db() -> str:
    """A file in the user's data dir ($XDG_DATA_HOME or ~/.local/share)/scimcert/simulator.db."""
    root = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    folder = root / "scimcert"
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / "simulator.db")


def _hold_org(path: str) -> int | None:
    """Lock the org file for this process (the file descriptor to keep open), so that a second
    simulator cannot serve it too: its admin calls would fail while this one provisions, and its
    --admin-token would replace this one's. None for ':memory:', a path the store will refuse
    (it says why) and where there are no advisory locks."""
    if path == ":memory:" or sys.platform == "win32":
        return None
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        raise click.BadParameter(
            f"{path} is in use by another running scimcert simulator; stop that one or give another --db",
            param_hint="'--db'",
        ) from exc
    return fd


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
@click.option(
    "--inline-429-wait", "inline_wait", default=10, show_default=True, type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="How long one SCIM request may wait through 429 answers inside an admin call; a longer "
    "wait pauses the task and Okta's retry runs later in the background.",
)  # fmt: skip
def simulator_cmd(host: str, port: int, db: str | None, admin_token: str | None, inline_wait: float) -> None:
    """Serve the Okta simulator's admin API (Okta's /api/v1 subset) and web console until Ctrl-C.

    The org (and its API token) lives in the --db file, so a restart loses nothing. Ctrl-C or
    SIGTERM lets the admin calls in flight finish first; a second Ctrl-C abandons them.

    A target answering 429 is retried as Okta does: after Retry-After seconds (else 300), doubling,
    at most 10 attempts. Waits that fit in --inline-429-wait happen inside the admin call; a longer
    one pauses the task (Tasks page and GET /api/v1/tasks show when it is retried) and the server
    retries it then, also after a restart.
    """
    if admin_token is not None and (not admin_token.strip() or admin_token != admin_token.strip()):
        raise click.BadParameter("the token must be non-blank text without leading or trailing spaces "
                                 "(clients send it as 'SSWS <token>')", param_hint="'--admin-token'")
    path = db or default_db()
    held = _hold_org(path)  # noqa: F841 (kept open, and so locked, until the process ends)
    token = _org_token(path, admin_token)
    app = create_app(SimulatorConfig(token, path, transport=Transport(inline_wait_s=inline_wait)))
    org = app.extensions["okta_org"]
    retries = RetryScheduler(SyncActions(org.svc, org.apps, org.groups))
    calls = InFlight(app.wsgi_app)
    app.wsgi_app = calls  # type: ignore[method-assign]
    try:
        server = build_server(app, host, port, quiet=False)
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
    retries.start()
    _serve(server, calls, retries)


class InFlight:
    """WSGI middleware counting the calls being answered, so a stop can let them finish.

    An admin call provisions synchronously inside one org transaction: ending the process
    mid-call would roll back the org's record of SCIM requests the target already received.
    Once stopping, new calls are answered 503 (Okta's error body) and the connection closed.
    """

    def __init__(self, app: WsgiApp) -> None:
        self.app = app
        self.count = 0
        self.stopping = False
        self.changed = threading.Condition()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        with self.changed:
            if self.stopping:
                return _stopping_reply(start_response)
            self.count += 1
        try:
            return _Answer(self.app(environ, start_response), self._done)
        except BaseException:
            self._done()
            raise

    def _done(self) -> None:
        with self.changed:
            self.count -= 1
            self.changed.notify_all()

    def stop(self) -> int:
        """Refuse new calls; how many are still being answered."""
        with self.changed:
            self.stopping = True
            return self.count

    def wait(self) -> None:
        """Until no call is being answered (in short waits, so a signal can interrupt it)."""
        with self.changed:
            while self.count:
                self.changed.wait(0.2)


class _Answer:
    """A call's response body; the server closes it once the body is sent, and so ends the call."""

    def __init__(self, body: Iterable[bytes], done: Any) -> None:
        self.body, self.done = body, done

    def __iter__(self) -> Any:
        return iter(self.body)

    def close(self) -> None:
        try:
            getattr(self.body, "close", lambda: None)()
        finally:
            self.done()


def _stopping_reply(start_response: Any) -> list[bytes]:
    body = {"errorCode": "E0000009", "errorSummary": "The simulator is stopping.", "errorLink": "E0000009",
            "errorId": "oaestopping", "errorCauses": []}  # fmt: skip
    start_response("503 SERVICE UNAVAILABLE", [("Content-Type", "application/json"), ("Connection", "close")])
    return [json.dumps(body).encode()]


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # SIGTERM (how CI and service managers stop it) stops it as Ctrl-C does


def _serve(server: BaseWSGIServer, calls: InFlight, retries: RetryScheduler) -> None:
    """Serve until Ctrl-C or SIGTERM, then finish the admin calls and the task retry in flight
    (a second signal abandons them: exit 1, saying so)."""
    signal.signal(signal.SIGTERM, _interrupt)
    server.serve_forever()  # returns on KeyboardInterrupt, with the listening socket closed
    waiting = calls.stop()
    retries.stop(timeout=0)  # starts no new retry
    if waiting:
        click.echo(f"\nstopping: finishing {waiting} admin call(s) in flight, so the org records what "
                   "they sent to the target; Ctrl-C again abandons them", err=True)
    try:
        calls.wait()
        while not retries.stop(timeout=0.2):  # short waits, so a signal can interrupt them
            pass
    except KeyboardInterrupt:
        click.echo(f"stopped: abandoned {calls.count} admin call(s) (and any task retry) in flight; the "
                   "org may not record the SCIM requests they sent (see the target)", err=True)
        sys.exit(1)
    click.echo("stopped", err=True)
