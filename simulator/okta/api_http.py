"""Shared pieces of the admin API's blueprints: the org services, JSON replies, Okta error bodies."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Response, current_app, request

from simulator.okta.service import Happened, OrgError, OrgService
from simulator.okta.service_apps import AppActions
from simulator.okta.service_groups import GroupActions


@dataclass(frozen=True, slots=True)
class Org:
    """The services a request handler uses (app.extensions['okta_org'])."""

    svc: OrgService
    apps: AppActions
    groups: GroupActions


def org() -> Org:
    found: Org = current_app.extensions["okta_org"]
    return found


def reply(body: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """A JSON response with Okta's media type and a request id."""
    text = "" if body is None else json.dumps(body)
    resp = Response(text, status=status, mimetype="application/json")
    resp.headers["X-Okta-Request-Id"] = uuid.uuid4().hex[:20]
    for key, value in (headers or {}).items():
        resp.headers[key] = value
    return resp


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
