"""A replayed flow's cleanup: what it created, and only while it still carries the run's prefix."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import requests

from simulator.okta.flowcleanup import cleanup
from simulator.okta.flowdata import load_flow
from simulator.okta.flows import FlowRun
from simulator.okta.model import AppInstance
from simulator.okta.transport import Transport
from simulator.okta.wire import BearerAuth
from tests.suites.support import TOKEN, provider


def test_cleanup_leaves_alone_what_no_longer_carries_the_prefix() -> None:
    with provider() as url:
        http = requests.Session()
        http.headers["Authorization"] = f"Bearer {TOKEN}"

        def create(path: str, body: dict[str, object]) -> str:
            schema = "User" if path == "/Users" else "Group"
            body = {"schemas": [f"urn:ietf:params:scim:schemas:core:2.0:{schema}"], **body}
            return str(http.post(url + path, json=body, timeout=10).json()["id"])

        ours = create("/Users", {"userName": "SCIMCERT-ab12-ann@example.com"})
        alice = create("/Users", {"userName": "alice@example.com"})
        admins = create("/Groups", {"displayName": "Admins"})
        app = AppInstance("0oa1", url, BearerAuth(TOKEN))
        created = [("User", ours, "x"), ("User", alice, "x"), ("Group", admins, "x"), ("User", "gone", "x")]
        done = cleanup(app, created, Transport().send, "scimcert-ab12-")
        assert done.deleted == (f"User {ours}", "User gone")
        assert done.skipped == (
            f"Group {admins}: displayName is 'Admins', not scimcert-ab12-…; not deleted",
            f"User {alice}: userName is 'alice@example.com', not scimcert-ab12-…; not deleted")
        assert not [c for c in done.calls if c.request_line.startswith("DELETE") and
                    c.request_line.endswith((alice, admins))]
        assert http.get(f"{url}/Users/{alice}", timeout=10).status_code == 200
        assert http.get(f"{url}/Groups/{admins}", timeout=10).status_code == 200
        assert http.get(f"{url}/Users/{ours}", timeout=10).status_code == 404


def test_an_interrupt_held_during_a_create_still_records_it() -> None:
    """FlowRun.hold wraps each create and its recording: the CLI raises the held Ctrl-C after it."""

    @contextmanager
    def hold() -> Iterator[None]:
        yield
        raise KeyboardInterrupt  # a Ctrl-C that arrived while the POST was in flight

    with provider() as url:
        app = AppInstance("0oa1", url, BearerAuth(TOKEN))
        run = FlowRun(load_flow("user-lifecycle"), app, Transport().send, rng=random.Random(7), hold=hold)
        with pytest.raises(KeyboardInterrupt):
            run.run()
    assert run.current_step == "assign"
    assert [kind for kind, _, _ in run.created] == ["User"]
