"""A simulator hosted in this process for flows driven through the admin API (Okta's CRUD test).

`scimcert replay crud-test` and the Okta suite drive Okta's own test the way Okta's Runscope
suite does — admin API calls against the org, SCIM reads against the target — without a second
server: the simulator's Flask app answers through werkzeug's in-process client, its org lives in
`:memory:`, and every SCIM request it sends goes through the `send` the flow gives it (the HTTP
transport, or the harness's recording client).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from typing import Any

from simulator.okta.api import SimulatorConfig, create_app
from simulator.okta.plan import Send
from simulator.okta.retry import Clock
from simulator.okta.transport import Transport
from simulator.okta.wire import ScimResponse


class EmbeddedSimulator:
    """Calls the admin API of an in-process simulator with `Authorization: SSWS <token>`."""

    def __init__(self, send: Send, clock: Clock | None = None) -> None:
        self._token = secrets.token_urlsafe(24)
        transport = Transport(forward=send, clock=clock)
        self._client = create_app(SimulatorConfig(self._token, ":memory:", transport)).test_client()

    def __call__(self, method: str, target: str, body: Any = None) -> ScimResponse:
        headers = {"Authorization": f"SSWS {self._token}", "Accept": "application/json"}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body)
        reply = self._client.open(target, method=method, headers=headers, data=data)
        return ScimResponse.from_text(reply.status_code, reply.get_data(as_text=True),
                                      tuple(reply.headers.items()))


def embedded_simulator(clock: Clock | None = None) -> Callable[[Send], EmbeddedSimulator]:
    """A FlowRun `simulator` factory: one in-process simulator per flow run."""

    def factory(send: Send) -> EmbeddedSimulator:
        return EmbeddedSimulator(send, clock)

    return factory
