"""Shared pieces of the admin API's blueprints: the org services, JSON replies, Okta error bodies."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Response, current_app, request

from simulator.okta.api_filter import OktaFilterError, compile_expression
from simulator.okta.service import Happened, OrgError, OrgService, invalid
from simulator.okta.service_apps import AppActions
from simulator.okta.service_groups import GroupActions

RATE_LIMIT = 600  # requests per window announced in X-Rate-Limit-Limit (Okta's common per-minute limit)
RATE_WINDOW_S = 60


@dataclass(frozen=True, slots=True)
class Org:
    """The services a request handler uses (app.extensions['okta_org'])."""

    svc: OrgService
    apps: AppActions
    groups: GroupActions


ORG_ENVIRON_KEY = "scimcert.okta_org"
"""WSGI environ key naming the org a request is for; only an in-process caller can set it (no
header maps to it), so one app can serve many in-process orgs (simulator/okta/embedded.py)."""


def org() -> Org:
    """The org of this request: the one its environ names, else the app's own."""
    found: Org = request.environ.get(ORG_ENVIRON_KEY) or current_app.extensions["okta_org"]
    return found


def reply(body: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """A JSON response with Okta's media type and a request id; a body-less one has no media type.

    The SDK parses any application/json response as JSON, so an empty 204 marked as JSON breaks it.
    """
    if body is None:
        resp = Response(status=status)
        del resp.headers["Content-Type"]
    else:
        resp = Response(json.dumps(body), status=status, mimetype="application/json")
    resp.headers["X-Okta-Request-Id"] = uuid.uuid4().hex[:20]
    resp.headers.update(_rate_limit_headers())
    for key, value in (headers or {}).items():
        resp.headers[key] = value
    return resp


def _rate_limit_headers() -> dict[str, str]:
    """Okta's rate-limit headers (§1.5); the simulator does not throttle, so the window is always full."""
    reset = int(time.time()) + RATE_WINDOW_S
    limit = str(RATE_LIMIT)
    return {"X-Rate-Limit-Limit": limit, "X-Rate-Limit-Remaining": limit, "X-Rate-Limit-Reset": str(reset)}


def no_content(happened: Happened) -> Response:
    """204; any SCIM traffic the call caused is summarised in X-Scimcert-Provisioning."""
    resp = reply(None, 204)
    if happened.runs or happened.tasks:
        resp.headers["X-Scimcert-Provisioning"] = json.dumps(happened.to_json(), separators=(",", ":"))
    return resp


def error_reply(status: int, code: str, summary: str, causes: tuple[str, ...] = ()) -> Response:
    body = {
        "errorCode": code,
        "errorSummary": summary,
        "errorLink": code,
        "errorId": "oae" + uuid.uuid4().hex[:22],
        "errorCauses": [{"errorSummary": c} for c in causes],
    }
    return reply(body, status)


def body_object() -> dict[str, Any]:
    """The JSON object body; a body-less call is {} (lifecycle calls send none, §1.2)."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise OrgError(400, "E0000003", "The request body was not well-formed.") from exc
    if not isinstance(value, dict):
        raise OrgError(400, "E0000003", "The request body was not well-formed.")
    return value


def flag(name: str, default: bool) -> bool:
    value = request.args.get(name)
    return default if value is None else value.lower() == "true"


def expression(param: str) -> Callable[[dict[str, Any]], bool] | None:
    """The `filter` or `search` expression of the request as a predicate over rendered objects
    (§1.7), None without one; 400 E0000001 naming the parameter when it cannot be evaluated."""
    text = request.args.get(param)
    if not text:
        return None
    try:
        return compile_expression(text)
    except OktaFilterError as exc:
        raise invalid(param, f"{param}: {exc}") from exc
