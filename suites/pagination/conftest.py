"""Users the paging checks share: they only read them, so one set serves the suite."""

from __future__ import annotations

import pytest

from suites.factory import Factory
from suites.pagination.scope import Scope, scoped_users
from suites.target import Target

SCOPED = 7  # users under the shared scope: PAGE-WALK-001 pages over them by 3


@pytest.fixture(scope="session")
def scoped(factory: Factory, target: Target) -> Scope:
    """SCOPED users under a userName prefix of their own, plus one decoy outside it.

    Created once for the paging checks, which only list them: the scoped ones filter on the
    prefix (or, where the target declines `sw`, on a title of their own), the others only need
    a collection holding more users than the pages they ask for.
    """
    return scoped_users(factory, SCOPED, titled=target.defines("User", "title"))
