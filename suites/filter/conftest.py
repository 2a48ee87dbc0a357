"""Shared data of the filter checks."""

from __future__ import annotations

import pytest

from suites.config import RunConfig
from suites.factory import Factory
from suites.filter.query import Trio, make_trio
from suites.target import Target


@pytest.fixture(scope="module")
def trio(target: Target, factory: Factory, scim_config: RunConfig) -> Trio:
    """Three users under a scope of their own, created once per module (only if filter is supported)."""
    target.require("filter")
    return make_trio(factory, scim_config)
