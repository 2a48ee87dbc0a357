"""Find the `fixtures/` data folder in a source checkout, an editable install or a wheel."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # .../simulator


@cache
def fixtures_dir() -> Path:
    """The fixtures folder: inside the package in a wheel, beside it in a checkout."""
    for candidate in (_PACKAGE_DIR / "_fixtures", _PACKAGE_DIR.parent / "fixtures"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"scimcert fixtures not found next to {_PACKAGE_DIR}")


def fixture_path(*parts: str) -> Path:
    """A path inside the fixtures folder."""
    return fixtures_dir().joinpath(*parts)


@cache
def load_json(*parts: str) -> Any:
    """Parse a JSON fixture once; callers must not mutate the result."""
    return json.loads(fixture_path(*parts).read_text(encoding="utf-8"))
