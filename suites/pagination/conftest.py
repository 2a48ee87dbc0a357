"""Users the paging checks share: they only read them, so one set serves the suite."""

from __future__ import annotations

import pytest

from suites.pagination.scope import Scope


@pytest.fixture(scope="session")
def scoped(paged_users: Scope) -> Scope:
    """The run's paged users (suites/fixtures.py), which the cursor suite pages over too."""
    return paged_users
