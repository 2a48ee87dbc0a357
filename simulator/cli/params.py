"""Option checks the conformance commands share (`run`, `cleanup`, `replay`)."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any, TypeVar

import click
from urllib3.exceptions import InsecureRequestWarning

from suites.config import (
    TARGET_KEYS,
    HarnessError,
    RunConfig,
    seconds,
    target_url,
)
from suites.settings import load_toml, origin, resolve


class CannotStart(click.ClickException):
    """A command cannot do its work at all (target unreachable or refusing the credentials, a
    port it cannot listen on): one sentence, exit status 2 (1 means the work found failures)."""

    exit_code = 2

F = TypeVar("F", bound=Callable[..., Any])
SETTINGS_FILE = "scimcert.toml"  # in the current folder
# What `replay` and `cleanup` read of the settings: the target and how to reach it ([target]).
TARGET_SETTINGS = TARGET_KEYS
# What `replay` reads: the target's, and the Okta flavour and extensions its flow and checks use.
REPLAY_SETTINGS = (*TARGET_KEYS, "okta_flavour", "extension", "extension_file")


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


def target_options(url_help: str) -> Callable[[F], F]:
    """--url, the credentials, --timeout and TLS options; settings() adds SCIMCERT_* and
    scimcert.toml to what is given on the command line."""

    def decorate(func: F) -> F:
        for option in reversed((
            click.option("--url", callback=target_url_option, metavar="URL", help=url_help),
            click.option("--token", help="Bearer token."),
            click.option("--basic", metavar="USER:PASS", help="Basic credentials."),
            click.option("--header", metavar="'NAME: VALUE'",
                         help="One literal auth header, e.g. 'Authorization: SSWS abc' (Okta Header Auth)."),
            click.option("--timeout", type=float, callback=seconds_option, metavar="SECONDS",
                         help="Seconds to wait for each response [default: 60, as Okta]."),
            click.option("--insecure", is_flag=True, help="Do not verify TLS certificates."),
            click.option("--ca-bundle", type=click.Path(exists=True, dir_okay=False),
                         help="CA bundle to verify the target's certificate."),
        )):
            func = option(func)
        return func

    return decorate


def settings(options: Mapping[str, Any], only: Collection[str] | None = None) -> RunConfig:
    """The command's settings: options given on the command line > SCIMCERT_* > ./scimcert.toml >
    defaults, as `run` reads them (only: the settings the command has); a bad one is a usage error."""
    try:
        return resolve(options, os.environ, load_toml(Path(SETTINGS_FILE)), only)
    except HarnessError as exc:
        raise click.UsageError(str(exc)) from exc


def source(name: str, options: Mapping[str, Any]) -> str:
    """Where settings() took one from, for a message: '--url', 'SCIMCERT_URL' or 'url in scimcert.toml'."""
    return origin(name, options, os.environ, SETTINGS_FILE)


def credentials_source(config: RunConfig, options: Mapping[str, Any]) -> str | None:
    """Where settings() took the credentials from ('--token', 'SCIMCERT_BASIC', 'header in
    scimcert.toml'); None when no source gave any."""
    name = {"bearer": "token", "basic": "basic", "header": "header"}.get(config.auth.kind)
    return None if name is None else source(name, options)


def plural(n: int, noun: str) -> str:
    """'1 check', '2 checks'."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def unverified_tls(config: RunConfig) -> None:
    """With --insecure (or its setting): say so once, instead of urllib3's InsecureRequestWarning,
    two lines on every request the command sends to an https target."""
    if config.verify is not False:
        return
    warnings.filterwarnings("ignore", category=InsecureRequestWarning)
    if str(config.url).lower().startswith("https://"):
        click.echo("warning: the target's TLS certificate is not verified (insecure).", err=True)
