"""Option checks the conformance commands share (`run`, `cleanup`, `replay`)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from suites.config import HarnessError, seconds, target_url

F = TypeVar("F", bound=Callable[..., Any])


def _callback(check: Callable[[Any], Any]) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """A click option callback applying one of suites.config's checks (None stays None); its
    HarnessError becomes click's usage error naming the option."""

    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is None:
            return None
        try:
            return check(value)
        except HarnessError as exc:
            raise click.BadParameter(str(exc), ctx, param) from None

    return callback


# --url: the base URL of a SCIM server (http(s), a host, no query or fragment).
target_url_option = _callback(target_url)
# --timeout: a positive, finite number of seconds that sockets can take.
seconds_option = _callback(seconds)


def report_folder(path: Path) -> list[Path]:
    """Create the report folder now, before any request (usage error when it cannot be written).

    Returns the folders it created, deepest first, so a run that cannot start removes them again.
    """
    missing = [p for p in (path, *path.parents) if not p.exists()]
    if path.exists() and not path.is_dir():
        raise click.UsageError(f"the report folder {path} is a file; choose another --report-dir")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise click.UsageError(f"cannot create the report folder {path} ({exc.strerror}); "
                               "choose another --report-dir") from exc
    if not os.access(path, os.W_OK | os.X_OK):
        raise click.UsageError(f"the report folder {path} is not writable; choose another --report-dir")
    return missing


def remove_empty(folders: list[Path]) -> None:
    """Remove the folders report_folder created, if nothing was written into them."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            return


def target_options(url_help: str, from_env: bool = False) -> Callable[[F], F]:
    """--url, the credentials, --timeout and TLS options. `run` reads SCIMCERT_* and scimcert.toml
    itself (suites/config.py); with from_env click reads SCIMCERT_* and fills in the defaults."""

    def env(name: str) -> str | None:
        return f"SCIMCERT_{name}" if from_env else None

    def decorate(func: F) -> F:
        for option in reversed((
            click.option("--url", callback=target_url_option, envvar=env("URL"), metavar="URL",
                         help=url_help),
            click.option("--token", envvar=env("TOKEN"), help="Bearer token."),
            click.option("--basic", envvar=env("BASIC"), metavar="USER:PASS", help="Basic credentials."),
            click.option("--header", envvar=env("HEADER"), metavar="'NAME: VALUE'",
                         help="One literal auth header, e.g. 'Authorization: SSWS abc' (Okta Header Auth)."),
            click.option("--timeout", type=float, callback=seconds_option, default=60.0 if from_env else None,
                         metavar="SECONDS", help="Seconds to wait for each response [default: 60, as Okta]."),
            click.option("--insecure", is_flag=True, help="Do not verify TLS certificates."),
            click.option("--ca-bundle", type=click.Path(exists=True, dir_okay=False),
                         help="CA bundle to verify the target's certificate."),
        )):
            func = option(func)
        return func

    return decorate


def plural(n: int, noun: str) -> str:
    """'1 check', '2 checks'."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
