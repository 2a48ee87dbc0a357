"""Delete what a replayed flow created, and only what is still the run's (not an Okta step)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from simulator.okta import wire
from simulator.okta.flowcheck import Call
from simulator.okta.model import AppInstance
from simulator.okta.plan import Send
from simulator.okta.wire import ScimRequest
from simulator.scim.ownership import not_ours


@dataclass(frozen=True, slots=True)
class Cleanup:
    """What a flow's cleanup did with each resource the flow created."""

    calls: tuple[Call, ...]
    # (User|Group, id, deleted|skipped|failed, line for the report), in the order they were tried
    outcomes: tuple[tuple[str, str, str, str], ...] = ()

    @property
    def deleted(self) -> tuple[str, ...]:
        """Each one deleted ("User <id>"), also when it was gone already (404)."""
        return self._lines("deleted")

    @property
    def skipped(self) -> tuple[str, ...]:
        """Those no longer named with the run's prefix: left alone."""
        return self._lines("skipped")

    @property
    def failed(self) -> tuple[str, ...]:
        return self._lines("failed")

    def _lines(self, outcome: str) -> tuple[str, ...]:
        return tuple(line for _, _, found, line in self.outcomes if found == outcome)


def cleanup(app: AppInstance, created: Sequence[tuple[str, str, str]], send: Send, prefix: str) -> Cleanup:
    """Delete what a flow created (groups first); 404 means already gone. Not an Okta step.

    Each resource is read first and deleted only while its userName / displayName starts with
    the run's prefix: a server may have given an id the flow saw to somebody else's resource.
    """
    calls: list[Call] = []
    outcomes: list[tuple[str, str, str, str]] = []
    ordered = [c for c in reversed(created) if c[0] == "Group"] + [c for c in created if c[0] == "User"]
    for kind, rid, _ in ordered:
        outcome, detail = _remove(app, kind, rid, prefix, send, calls)
        outcomes.append((kind, rid, outcome, f"{kind} {rid}{detail}"))
    return Cleanup(tuple(calls), tuple(outcomes))


def _remove(app: AppInstance, kind: str, rid: str, prefix: str, send: Send,
            calls: list[Call]) -> tuple[str, str]:
    """Read one resource and delete it if it is still the run's: (outcome, detail for the report)."""
    path = wire.resource_path(f"{kind}s", rid)
    headers = wire.okta_headers(app.auth, with_body=False)
    auth_name = app.auth.header()[0]
    lookup = ScimRequest("cleanup", "GET", app.base_url, path, "", headers, None, auth_name)
    read = send(lookup)
    calls.append(Call("cleanup", lookup.request_line, read.status, 0.0))
    if read.status == 404:
        return "deleted", ""
    if read.status != 200:
        return "failed", f": GET -> {read.status or read.error}"
    stranger = not_ours(kind, read.body, prefix)
    if stranger is not None:
        return "skipped", f": {stranger}; not deleted"
    request = ScimRequest("cleanup", "DELETE", app.base_url, path, "", headers, None, auth_name)
    status = send(request).status
    calls.append(Call("cleanup", request.request_line, status, 0.0))
    if status in (200, 204, 404):
        return "deleted", ""
    return "failed", f": DELETE -> {status or 'no response'}"
