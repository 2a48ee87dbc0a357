"""Shared fixtures of the Okta checks."""

from __future__ import annotations

import pytest
from faker import Faker

from simulator.scim import urns
from suites.client import ScimClient
from suites.config import RunConfig
from suites.extensions.data import simple_attributes
from suites.extensions.discovery import short, under_test
from suites.factory import Factory
from suites.ledger import Ledger
from suites.okta.support import OktaSender
from suites.pagination.scope import index_declined
from suites.target import Target

CROWD = 101  # one more than Okta's page size and group push batch (okta-scim.md §3, §8.3)


@pytest.fixture
def okta(client: ScimClient, ledger: Ledger, scim_config: RunConfig, target: Target) -> OktaSender:
    """A fresh sender for one check: Okta's requests through the recording client (with what the
    app needs to send the extensions the target requires, and why Okta fails where no mapping
    can: suites/okta/required.py; or where the target says it supports no PATCH or no filtering)."""
    faker = Faker(use_weighting=False)
    faker.seed_instance(scim_config.run_id)
    return OktaSender(client, ledger, target.required_extensions("User"), faker,
                      required_groups=target.required_extensions("Group"),
                      declined=frozenset(f for f in ("patch", "filter") if target.declines(f))
                      | ({"index"} if index_declined(target) else set()))


@pytest.fixture(scope="session")
def crowd(factory: Factory) -> list[dict[str, str]]:
    """101 run-owned users (id, userName), created once for the paging and batching checks."""
    created = factory.users([factory.user_body() for _ in range(CROWD)])
    return [{"id": body["id"], "userName": body.get("userName", "")} for body in created]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """`custom_attribute`: (URN, attribute) of every custom User extension attribute under test."""
    if "custom_attribute" not in metafunc.fixturenames:
        return
    pairs: list[tuple[str, str] | None] = [
        (ext.id, attr.name)
        for ext in under_test(metafunc.config)
        if ext.id.casefold() != urns.ENTERPRISE_USER.casefold()
        for attr in simple_attributes(ext)
    ]
    ids = [f"{short(p[0])}.{p[1]}" for p in pairs if p is not None]
    metafunc.parametrize("custom_attribute", pairs or [None], ids=ids or ["none"])
