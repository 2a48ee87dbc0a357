"""How a flow run talks to its target (FlowTraffic): the requests of its steps, admin API calls to
the simulator that relays its SCIM requests, and what those requests create and delete there."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext

from simulator.okta import wire
from simulator.okta.flowcheck import Call
from simulator.okta.flowdata import FlowError, Step, render, render_path
from simulator.okta.flowstate import AdminSend, FlowState
from simulator.okta.model import AppInstance, Flavour
from simulator.okta.wire import BasicAuth, BearerAuth, HeaderAuth, ScimRequest, ScimResponse
from simulator.scim.ownership import lookup_hits, lookup_query, prefixed_name

CREATES = {"/Users": "User", "/Groups": "Group"}


class FlowTraffic(FlowState):
    """Sends a run's requests with `send` (or through the simulator's admin API) and keeps `created`."""

    def _literal(self, step: Step) -> ScimRequest:
        action = dict(step.action["request"])
        path = render_path(str(action.pop("path")), self.variables, self.rng)
        spec = render(action, self.variables, self.rng)
        body = spec.get("body")
        set_name = spec.get("headers", "okta")
        if set_name == "okta":
            headers = wire.okta_headers(self.app.auth, with_body=body is not None)
        else:
            auth_name = self.app.auth.header()[0]
            raw = (self.flow.headers or {})[set_name]
            headers = tuple(
                (auth_name if v == "{{auth}}" else k, render(v, self.variables, self.rng))
                for k, v in raw.items()
            )
        overrides = spec.get("override_headers", {})
        headers = tuple((k, overrides.get(k, v)) for k, v in headers)
        query = spec.get("query", "")
        if "params" in spec:
            query = wire.encode_query([(str(k), str(v)) for k, v in spec["params"]])
        return ScimRequest(step.id, spec["method"], self.app.base_url, path, query, headers,
                           body, self.app.auth.header()[0])

    def _admin_call(self, step: Step, calls: list[Call]) -> ScimResponse:
        """One admin API call; the SCIM requests the simulator sends meanwhile join the step."""
        action = dict(step.action["admin"])
        target = render_path(str(action.pop("path")), self.variables, self.rng)
        spec = render(action, self.variables, self.rng)
        if "params" in spec:
            target += "?" + wire.encode_query([(str(k), str(v)) for k, v in spec["params"]])
        admin = self._simulator()
        first, self._relayed = len(calls), calls
        started = self.clock.monotonic()
        try:
            response = admin(spec["method"], target, spec.get("body"))
        finally:
            self._relayed = None
        elapsed = (self.clock.monotonic() - started) * 1000.0
        calls.insert(first, Call(step.id, f"{spec['method']} {target}", response.status, elapsed))
        return response

    def _simulator(self) -> AdminSend:
        if self._admin is None:
            if self.simulator is None:
                raise FlowError(f"flow {self.flow.name!r} is driven through the simulator's admin API, "
                                "and no simulator was given")
            self._admin = self.simulator(self.relay)
        return self._admin

    def relay(self, request: ScimRequest) -> ScimResponse:
        """The simulator's SCIM requests: sent with `send`, recorded in the running step."""
        self._sent.append(request)
        return self._exchange(request, self._relayed)

    def _exchange(self, request: ScimRequest, calls: list[Call] | None) -> ScimResponse:
        """Send one request, note it in calls, and remember what it created."""
        creates = request.method == "POST" and request.path in CREATES
        with self.hold() if creates else nullcontext():
            started = self.clock.monotonic()
            response = self.send(request)
            self._remember(request, response)
        elapsed = (self.clock.monotonic() - started) * 1000.0
        if calls is not None:
            calls.append(Call(request.step, request.request_line, response.status, elapsed))
            if self.on_request is not None:
                self.on_request(self.current_step, len(calls))
        return response

    def _remember(self, request: ScimRequest, response: ScimResponse) -> None:
        """Note what a POST created, and forget what a DELETE of the flow removed: `created` is
        what the flow leaves on the target for its cleanup (or its ledger) to deal with."""
        if request.method == "DELETE" and response.ok:
            gone = [c for c in self.created if wire.resource_path(f"{c[0]}s", c[1]) == request.path]
            self.created[:] = [c for c in self.created if c not in gone]
            for resource in gone:
                if self.on_deleted is not None:
                    self.on_deleted(resource[0], resource[1])
            return
        body = response.json_object() or {}
        kind = CREATES.get(request.path)
        if request.method == "POST" and kind and response.ok and isinstance(body.get("id"), str):
            sent = request.body if isinstance(request.body, dict) else {}
            self._created(kind, body["id"], str(sent.get("userName") or sent.get("displayName")))
        elif request.method == "POST" and kind and response.status == 0 and self.on_unconfirmed is not None:
            self._find_lost(request, kind, self.on_unconfirmed)

    def _created(self, kind: str, rid: str, name: str) -> None:
        self.created.append((kind, rid, name))
        if self.on_created is not None:
            self.on_created(kind, rid, name)

    def _find_lost(self, request: ScimRequest, kind: str, unconfirmed: Callable[[str, str], None]) -> None:
        """A create that got no response (timed out) may have made its resource: look up the
        run-prefixed name it sent (one GET, not one of the step's requests) and take each resource
        of exactly that name as created; none found, or a lookup that cannot tell, is unconfirmed."""
        name = prefixed_name(kind, request.body, self.prefix)
        if name is None:
            return
        headers = wire.okta_headers(self.app.auth, with_body=False)
        found = self.send(ScimRequest("lookup after no response", "GET", request.base_url, request.path,
                                      lookup_query(kind, name), headers, None, self.app.auth.header()[0]))
        hits = lookup_hits(kind, name, found.body) if found.status == 200 else None
        for rid in hits or ():
            self._created(kind, rid, name)
        if not hits:
            unconfirmed(kind, name)


def admin_connection(app: AppInstance) -> dict[str, str]:
    """The admin API's connection profile for the app's credentials (okta-admin-api.md §5)."""
    auth = app.auth
    if isinstance(auth, BearerAuth):
        return {"authScheme": "TOKEN", "token": auth.token}
    if isinstance(auth, BasicAuth):
        return {"authScheme": "BASIC", "username": auth.username, "password": auth.password}
    if isinstance(auth, HeaderAuth) and auth.name == "Authorization" and auth.template == "{token}":
        return {"authScheme": "TOKEN", "token": auth.token}
    raise FlowError(f"the simulator's Header Auth app sends its token as 'Authorization'; "
                    f"a {auth.header()[0]!r} header cannot be configured through the admin API")


def install_body(app: AppInstance) -> dict[str, str]:
    """`POST /api/v1/apps`: the catalog test app for the credentials, or an AIW app (§4.2)."""
    if app.flavour is Flavour.AIW:
        return {"label": "scimcert AIW SCIM app", "signOnMode": "SAML_2_0"}
    name = {"bearer": "scim2testapp", "basic": "scim2testapp_basic", "header": "scim2headerauth"}
    return {"name": name[app.auth.kind], "signOnMode": "SAML_2_0"}
