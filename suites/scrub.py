"""Credentials out of pytest's own reports of a check: its traceback and captured output.

Exchanges are redacted when recorded (suites/client.py Redactor), but a failing check's traceback
shows the arguments of every frame (and its locals with -l): a RunConfig, an Okta request with its
Authorization header. pytest's terminal output, junit.xml and report.html all print that report,
so it is scrubbed once, where it is made, whatever the repr of the objects in it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

Redact = Callable[[str], str]


def scrub_report(rep: pytest.TestReport, redact: Redact) -> None:
    """Replace every secret in the report's longrepr and captured sections, in place."""
    if isinstance(rep.longrepr, str):
        rep.longrepr = redact(rep.longrepr)
    elif isinstance(rep.longrepr, tuple):  # a skip: (path, lineno, reason)
        rep.longrepr = _scrubbed(rep.longrepr, redact, set())
    elif rep.longrepr is not None:
        _scrub_fields(rep.longrepr, redact, set())
    rep.sections = [(title, redact(content)) for title, content in rep.sections]


def _scrubbed(value: Any, redact: Redact, seen: set[int]) -> Any:
    """value with its strings redacted: a new str or tuple, or the same object scrubbed in place."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, tuple):
        return tuple(_scrubbed(v, redact, seen) for v in value)
    if isinstance(value, list):
        value[:] = [_scrubbed(v, redact, seen) for v in value]
    elif isinstance(value, dict):
        for key in list(value):
            value[key] = _scrubbed(value[key], redact, seen)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        _scrub_fields(value, redact, seen)
    return value


def _scrub_fields(obj: Any, redact: Redact, seen: set[int]) -> None:
    """Every string in a repr object's fields (pytest's ReprEntry, ReprFuncArgs… are dataclasses)."""
    if id(obj) in seen:
        return
    seen.add(id(obj))
    for field in dataclasses.fields(obj):
        old = getattr(obj, field.name)
        new = _scrubbed(old, redact, seen)
        if new is not old:
            object.__setattr__(obj, field.name, new)  # some are frozen
