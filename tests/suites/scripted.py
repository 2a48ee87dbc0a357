"""Registry of checks proven to fail by a scripted bad response rather than a deviation.

Each suite's `test_scripted_<suite>.py` registers its check ids here through `scripted()`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SCRIPTED: set[str] = set()


def scripted(*check_ids: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a self-test as the proof that check_ids can fail."""
    SCRIPTED.update(check_ids)

    def mark(func: Callable[..., Any]) -> Callable[..., Any]:
        return func

    return mark


def all_scripted() -> set[str]:
    """Import every test_scripted_*.py beside this file and return the registered ids."""
    import importlib  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    for file in sorted(Path(__file__).parent.glob("test_scripted_*.py")):
        importlib.import_module(f"tests.suites.{file.stem}")
    return set(SCRIPTED)
