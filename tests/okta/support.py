"""Helpers for the Okta engine tests: sample org objects and plans driven by scripted responses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from simulator.okta.model import AppInstance, Flavour, OktaUser
from simulator.okta.plan import Outcome, Plan
from simulator.okta.wire import BearerAuth, ScimRequest, ScimResponse
from simulator.scim import urns

BASE = "https://scim.example.com/scim/v2"
TOKEN = "t0k3n"


def app(flavour: Flavour | str = Flavour.OIN, **changes: Any) -> AppInstance:
    base = AppInstance("0oa1b2c3d4e5f6g7h8i9", BASE, BearerAuth(TOKEN), flavour=Flavour(flavour))
    return replace(base, **changes)


def sample_user(**profile: Any) -> OktaUser:
    """The user of okta-scim.md §4.2a."""
    data = {
        "login": "test.user@okta.local",
        "firstName": "Test",
        "lastName": "User",
        "email": "test.user@okta.local",
        "locale": "en-US",
    }
    data.update(profile)
    return OktaUser("00ujl29u0le5T6Aj10h7", data)


def listing(*resources: dict[str, Any], total: int | None = None, start: int = 1) -> ScimResponse:
    return ScimResponse.of(
        200,
        {
            "schemas": [urns.LIST_RESPONSE],
            "totalResults": len(resources) if total is None else total,
            "startIndex": start,
            "itemsPerPage": len(resources),
            "Resources": list(resources),
        },
    )


def ok(body: dict[str, Any]) -> ScimResponse:
    return ScimResponse.of(200, body)


def created(body: dict[str, Any]) -> ScimResponse:
    return ScimResponse.of(201, body)


def no_content() -> ScimResponse:
    return ScimResponse(204)


def error(status: int, detail: str) -> ScimResponse:
    return ScimResponse.of(status, {"schemas": [urns.ERROR], "detail": detail, "status": str(status)})


def scim_user(scim_id: str, user_name: str, **extra: Any) -> dict[str, Any]:
    body = {
        "schemas": [urns.CORE_USER],
        "id": scim_id,
        "userName": user_name,
        "active": True,
        "meta": {"resourceType": "User", "version": 'W/"1"'},
    }
    body.update(extra)
    return body


def scim_group(scim_id: str, name: str, members: Iterable[tuple[str, str]] = ()) -> dict[str, Any]:
    return {
        "schemas": [urns.CORE_GROUP],
        "id": scim_id,
        "displayName": name,
        "members": [{"value": v, "display": d} for v, d in members],
        "meta": {"resourceType": "Group"},
    }


def run(plan: Plan, responses: Iterable[ScimResponse]) -> tuple[Outcome, list[ScimRequest]]:
    """Drive plan with responses in order; every scripted response must be consumed."""
    script = list(responses)
    sent: list[ScimRequest] = []
    try:
        request = next(plan)
        while True:
            sent.append(request)
            assert script, f"plan sent an unscripted request: {request.step} {request.request_line}"
            request = plan.send(script.pop(0))
    except StopIteration as done:
        assert not script, f"{len(script)} scripted responses left unused after {[r.step for r in sent]}"
        return done.value, sent


def steps(requests: list[ScimRequest]) -> list[str]:
    return [r.step for r in requests]


# An app user profile attribute in the Ivanti namespace, as the Profile Editor adds it
# (okta-admin-api.md §10): the body of definitions.custom.properties.custAttr1.
CUST_ATTR = {
    "title": "Custom attribute 1",
    "type": "string",
    "scope": "NONE",
    "externalName": "custAttr1",
    "externalNamespace": "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User",
}
