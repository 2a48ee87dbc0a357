"""The factory's many-users setup: order kept, every create in the ledger, a refusal fails clearly."""

from __future__ import annotations

from typing import Any

import pytest
from faker import Faker

from suites.client import ScimClient
from suites.config import Auth, RunConfig
from suites.expect import ConformanceFailure
from suites.factory import Factory
from suites.ledger import Ledger
from tests.suites.support import TOKEN, provider


def _factory(url: str) -> tuple[Factory, Ledger, list[Any]]:
    config = RunConfig(url=url, auth=Auth("bearer", TOKEN), run_id="f1")
    ledger = Ledger(None, config.run_id, config.url or "")
    recorded: list[Any] = []
    client = ScimClient(config, recorded.append, ledger.add_once)
    return Factory(client, ledger, config, Faker(use_weighting=False)), ledger, recorded


def test_users_in_flight_keep_order_and_reach_the_ledger() -> None:
    with provider() as url:
        factory, ledger, recorded = _factory(url)
        bodies = [factory.user_body() for _ in range(12)]
        created = factory.users(bodies, in_flight=4)
    assert [u["userName"] for u in created] == [b["userName"] for b in bodies]
    assert {(e["type"], e["id"]) for e in ledger.entries} == {("User", u["id"]) for u in created}
    assert len(recorded) == 12  # one exchange per create, recorded from the worker threads


def test_a_refused_create_fails_as_a_precondition_and_the_others_stay_in_the_ledger() -> None:
    with provider() as url:
        factory, ledger, _ = _factory(url)
        bodies = [factory.user_body() for _ in range(6)]
        bodies[3] = dict(bodies[3], userName=bodies[1]["userName"])  # a duplicate: 409
        with pytest.raises(ConformanceFailure, match=r"\(precondition\) POST /Users"):
            factory.users(bodies, in_flight=3)
        # Creates not yet started when the refusal surfaced are cancelled (which of the two
        # duplicates wins is a race); every user that was created is there to be cleaned up.
        on_server = factory.client.get("/Users", params={"count": 100}).body["Resources"]
    assert {e["id"] for e in ledger.entries} == {u["id"] for u in on_server}
    assert 3 <= len(ledger.entries) <= 5
