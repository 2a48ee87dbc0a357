"""scimcert's pytest plugin: the `check` marker and its registry of stable ids."""

from __future__ import annotations

import enum

import pytest


class Level(enum.Enum):
    """RFC 2119 requirement levels, strongest first."""

    MUST = "MUST"
    SHOULD = "SHOULD"
    MAY = "MAY"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "check(id, level='MUST', refs=(), okta=False): a conformance check with a stable id, "
        "an RFC 2119 level, references and whether a failure breaks Okta provisioning",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Reject duplicate check ids and unknown levels before anything runs."""
    seen: dict[str, str] = {}
    for item in items:
        marker = item.get_closest_marker("check")
        if marker is None:
            continue
        check_id = marker.args[0] if marker.args else marker.kwargs.get("id")
        if not isinstance(check_id, str) or not check_id:
            raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.check needs an id")
        level = marker.kwargs.get("level", "MUST")
        if level not in Level.__members__:
            raise pytest.UsageError(f"{item.nodeid}: level {level!r} is not MUST, SHOULD or MAY")
        base = item.nodeid.split("[", 1)[0]
        if seen.setdefault(check_id, base) != base:
            raise pytest.UsageError(f"check id {check_id} is used by both {seen[check_id]} and {item.nodeid}")
