"""Plans as generators: requests out, responses in, an Outcome at the end (STYLE.md §1)."""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from simulator.okta import wire
from simulator.okta.model import AppInstance
from simulator.okta.wire import ScimRequest, ScimResponse


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """The counters of Okta's import result (§3); inactive users are not scanned [D] S4."""

    scanned: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped_inactive: int = 0
    pages: int = 0


@dataclass(frozen=True, slots=True)
class Outcome:
    """How an admin action ended: what the org state must record, or Okta's task text."""

    action: str
    ok: bool
    scim_id: str | None = None  # the user's or group's id in the target
    linked: bool = False  # lookup found an existing resource (§4.2b, §8.2)
    error: str | None = None  # Okta-style task text when not ok
    failed_step: str | None = None
    skipped: str | None = None  # why nothing was sent (action switched off, nothing to do)
    summary: ImportSummary | None = None
    resources: tuple[Mapping[str, Any], ...] = field(default=())  # imported resources

    @property
    def status(self) -> Literal["SUCCESS", "FAILURE", "SKIPPED"]:
        if not self.ok:
            return "FAILURE"
        return "SKIPPED" if self.skipped else "SUCCESS"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"action": self.action, "status": self.status}
        for key in ("scim_id", "linked", "error", "failed_step", "skipped"):
            value = getattr(self, key)
            if value:
                out[key] = value
        if self.summary is not None:
            s = self.summary
            out["summary"] = {k: getattr(s, k) for k in ImportSummary.__dataclass_fields__}
        return out


Plan = Generator[ScimRequest, ScimResponse, Outcome]
Send = Callable[[ScimRequest], ScimResponse]


def drive(plan: Plan, send: Send) -> Outcome:
    """Run a plan with any sender (HTTP transport, scripted responses, an in-memory fake)."""
    try:
        request = next(plan)
        while True:
            request = plan.send(send(request))
    except StopIteration as done:
        outcome: Outcome = done.value
        return outcome


def skipped(action: str, reason: str) -> Plan:
    """A plan that sends nothing."""
    return Outcome(action, ok=True, skipped=reason)
    yield  # pragma: no cover - makes this a generator


def request(
    app: AppInstance,
    step: str,
    method: str,
    path: str,
    *,
    query: str = "",
    body: Any = None,
) -> ScimRequest:
    """A request to the app's base URL with Okta's headers (Content-Type only with a body)."""
    headers = wire.okta_headers(app.auth, with_body=body is not None)
    secret = app.auth.header()[0]
    return ScimRequest(step, method, app.base_url, path, query, headers, body, secret)


Lookup = tuple[Literal["hit", "miss", "error"], dict[str, Any] | None]


def read_lookup(response: ScimResponse, attribute: str, value: str) -> Lookup:
    """A filter lookup's verdict: 200 with Resources (hit/miss), 404 = miss (§4.1 [D] S1)."""
    if response.status == 404:
        return "miss", None
    body = response.json_object()
    if response.status != 200 or body is None:
        return "error", None
    found = [r for r in body.get("Resources") or [] if isinstance(r, dict) and r.get("id")]
    if not found:
        return "miss", None
    folded = value.casefold()
    exact = [r for r in found if str(r.get(attribute, "")).casefold() == folded]
    return "hit", (exact or found)[0]


def foreign_hit(found: Mapping[str, Any], attribute: str, value: str, change: str) -> str | None:
    """Why a lookup hit is not linked when the app links exact hits only (AppInstance.exact_links):
    its userName/displayName is not the looked-up one (compared case-insensitively: caseExact false,
    RFC 7643 §8.7.1), so the target ignored or mis-applied the filter. Okta links it anyway (§4.2b,
    §8.2); `change` says what it would then do to it."""
    got = found.get(attribute)
    if str(got if got is not None else "").casefold() == value.casefold():
        return None
    shown = f'{attribute} "{got}"' if got is not None else f"a resource without {attribute}"
    return (f'the lookup `filter={attribute} eq "{value}"` returned {shown} (id {found.get("id")}): the '
            f"server ignored or mis-applied the filter; Okta would link — and then {change}; scimcert "
            "did not write to it")


def created_id(response: ScimResponse) -> str | None:
    """The non-empty `id` of a 2xx create response (§4.2a: an empty body is a failure)."""
    body = response.json_object()
    if not response.ok or body is None:
        return None
    value = body.get("id")
    return str(value) if value not in (None, "") else None
