"""The cursor checks page over the paged users the pagination checks share (suites/fixtures.py)."""

from __future__ import annotations

import pytest

from suites.pagination.scope import Scope


@pytest.fixture(scope="session")
def scoped(paged_users: Scope) -> Scope:
    """The run's paged users: read only, so the two paging suites share one set."""
    return paged_users
