"""The Group checks run only where the target offers Groups."""

from __future__ import annotations

import pytest

from suites.target import Target


@pytest.fixture(autouse=True)
def groups_offered(target: Target) -> None:
    """Skip every Group check when /ResourceTypes leaves Group out (a server may serve Users only)."""
    target.require_resource("Group")
