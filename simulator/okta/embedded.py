"""A simulator hosted in this process for flows driven through the admin API (Okta's CRUD test).

`scimcert replay crud-test` and the Okta suite drive Okta's own test the way Okta's Runscope
suite does — admin API calls against the org, SCIM reads against the target — without a second
server: the simulator's Flask app answers through werkzeug's in-process client, its org lives in
`:memory:`, and every SCIM request it sends goes through the `send` the flow gives it (the HTTP
transport, or the harness's recording client).

Building the Flask app costs ~40 ms (werkzeug compiles every route), so one app without the
console is built per process and shared; each simulator brings its own org and names it in the
WSGI environ of its requests (api_http.ORG_ENVIRON_KEY).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from functools import cache
from typing import Any

from flask.testing import FlaskClient

from simulator.okta.api import SimulatorConfig, create_app
from simulator.okta.api_http import ORG_ENVIRON_KEY, Org
from simulator.okta.plan import Send
from simulator.okta.retry import Clock
from simulator.okta.service import OrgService
from simulator.okta.service_apps import AppActions
from simulator.okta.service_groups import GroupActions
from simulator.okta.store import OrgStore
from simulator.okta.transport import Transport
from simulator.okta.wire import ScimResponse


@cache
def _shared() -> tuple[FlaskClient, str]:
    """The process's admin API app (no console) and its admin token. Two threads racing here
    may each build one; each simulator keeps the pair it got, so either is right."""
    token = secrets.token_urlsafe(24)
    return create_app(SimulatorConfig(token, ":memory:", console=False)).test_client(), token


class EmbeddedSimulator:
    """Calls the admin API of an in-process simulator with `Authorization: SSWS <token>`."""

    def __init__(self, send: Send, clock: Clock | None = None, *, exact_links: bool = True) -> None:
        """`exact_links`: it hosts scimcert's flows, which link no lookup hit of another name
        (model.AppInstance); False sends what Okta would."""
        self._client, self._token = _shared()
        transport = Transport(forward=send, clock=clock)
        svc = OrgService(OrgStore(":memory:"), transport, exact_links=exact_links)
        self._org = Org(svc, AppActions(svc), GroupActions(svc))

    def __call__(self, method: str, target: str, body: Any = None) -> ScimResponse:
        headers = {"Authorization": f"SSWS {self._token}", "Accept": "application/json"}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body)
        reply = self._client.open(target, method=method, headers=headers, data=data,
                                  environ_base={ORG_ENVIRON_KEY: self._org})
        return ScimResponse.from_text(reply.status_code, reply.get_data(as_text=True),
                                      tuple(reply.headers.items()))


def embedded_simulator(clock: Clock | None = None) -> Callable[[Send], EmbeddedSimulator]:
    """A FlowRun `simulator` factory: one in-process simulator per flow run."""

    def factory(send: Send) -> EmbeddedSimulator:
        return EmbeddedSimulator(send, clock)

    return factory
