"""Option checks the conformance commands share (`run`, `cleanup`, `replay`)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from suites.config import HarnessError, seconds, target_url


def target_url_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Callback of --url: the base URL of a SCIM server (http(s), a host, no query or fragment)."""
    if value is None:
        return None
    try:
        return target_url(value)
    except HarnessError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


def seconds_option(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """Callback of --timeout: a positive, finite number of seconds that sockets can take."""
    if value is None:
        return None
    try:
        return seconds(value)
    except HarnessError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


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
