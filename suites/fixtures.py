"""The checks' session fixtures: the run configuration, the recording client, the target's
discovery documents, the ledger and the resource factory."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from faker import Faker

from suites.client import ScimClient
from suites.config import HarnessError, RunConfig
from suites.extensions.discovery import discovered
from suites.factory import Factory
from suites.ledger import Ledger
from suites.pagination.scope import Scope, scoped_users
from suites.state import RunState, state_of
from suites.target import Target

_LEDGER_KEY = pytest.StashKey[Ledger]()


def make_client(state: RunState, ledger: Ledger | None = None) -> ScimClient:
    """A client recording into the run's state; with a ledger, whatever it creates enters it."""
    if ledger is None:
        return ScimClient(state.config, state.record)
    return ScimClient(state.config, state.record, ledger.add_once, ledger.deleted_by_run,
                      ledger.add_unconfirmed)


def ledger_of(session: pytest.Session) -> Ledger | None:
    """The run's ledger, once a check has asked for it."""
    return session.config.stash.get(_LEDGER_KEY, None)


@pytest.fixture(scope="session")
def scim_config(pytestconfig: pytest.Config) -> RunConfig:
    """The frozen run configuration."""
    return state_of(pytestconfig).config


@pytest.fixture(scope="session")
def client(pytestconfig: pytest.Config, ledger: Ledger) -> ScimClient:
    """The recording client for the target under test; whatever it creates enters the ledger."""
    try:
        return make_client(state_of(pytestconfig), ledger)
    except HarnessError as exc:
        pytest.exit(f"scimcert: {exc}", returncode=2)


@pytest.fixture(scope="session")
def target(pytestconfig: pytest.Config, client: ScimClient, scim_config: RunConfig) -> Target:
    """The target's discovery documents, fetched once: those the extension discovery fetched at
    collection are not fetched again."""
    found = Target(client, scim_config.extensions)
    found.seed(discovered(pytestconfig))
    return found


@pytest.fixture(scope="session")
def ledger(pytestconfig: pytest.Config, scim_config: RunConfig) -> Iterator[Ledger]:
    path = scim_config.report_dir / "ledger.json" if scim_config.report_dir else None
    found = Ledger(path, scim_config.run_id, scim_config.url or "")
    found.flush()
    pytestconfig.stash[_LEDGER_KEY] = found
    yield found


@pytest.fixture(scope="session")
def factory(client: ScimClient, ledger: Ledger, scim_config: RunConfig, target: Target) -> Factory:
    """Creates run-prefixed resources, with every extension and attribute the target requires, in
    the ledger."""
    if scim_config.read_only:
        pytest.skip("read-only run: this check creates resources")
    # Uniform picks from Faker's name lists: as realistic, and 8x cheaper than weighted ones.
    return Factory(client, ledger, scim_config, Faker(use_weighting=False),
                   required=target.required_extensions("User"),
                   required_groups=target.required_extensions("Group"),
                   core=target.core_schema("User"), core_groups=target.core_schema("Group"))


PAGED_USERS = 7  # users under the shared scope: PAGE-WALK-001 and the cursor walks page over them by 3


@pytest.fixture(scope="session")
def paged_users(factory: Factory, target: Target) -> Scope:
    """PAGED_USERS users under a userName prefix of their own, plus one decoy outside it.

    Created once for the paging checks of the pagination and cursor suites, which only list them:
    the scoped ones filter on the prefix (or, where the target declines `sw`, on a title of their
    own), the others only need a collection holding more users than the pages they ask for.
    """
    return scoped_users(factory, PAGED_USERS, titled=target.defines("User", "title"))


@pytest.fixture(scope="session")
def run_exchanges(pytestconfig: pytest.Config) -> list[Any]:
    """Every exchange recorded so far in this run, as (check id, Exchange) pairs."""
    return state_of(pytestconfig).exchanges
