"""Flask app factory of the simulator's admin API, mirroring Okta's /api/v1 (okta-admin-api.md).

Auth is `Authorization: SSWS <token>` (also `SSWS<token>` as the SDK sends it, §1.1); every
error is an Okta error body (§1.4) and every response is JSON.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException

from simulator.okta import api_apps, api_people, api_push
from simulator.okta.api_http import Org, error_reply
from simulator.okta.service import OrgError, OrgService
from simulator.okta.service_apps import AppActions
from simulator.okta.service_groups import GroupActions
from simulator.okta.store import OrgStore
from simulator.okta.transport import Transport


@dataclass(frozen=True, slots=True)
class SimulatorConfig:
    """One simulator: where the org lives, the admin token, and how SCIM requests go out."""

    admin_token: str
    db: str = ":memory:"
    transport: Transport | None = None
    seed: int | None = None


def _authorised(token: str) -> bool:
    header = request.headers.get("Authorization", "")
    for scheme in ("SSWS", "Bearer"):
        if header.startswith(scheme):
            given = header[len(scheme) :].strip()
            return hmac.compare_digest(given.encode(), token.encode())
    return False


def create_app(config: SimulatorConfig) -> Flask:
    """The admin API; its services are app.extensions['okta_org']."""
    app = Flask(__name__)
    store = OrgStore(config.db)
    svc = OrgService(store, config.transport, config.seed)
    app.extensions["okta_org"] = Org(svc, AppActions(svc), GroupActions(svc))

    @app.before_request
    def _auth() -> Response | None:
        if not _authorised(config.admin_token):
            return error_reply(401, "E0000011", "Invalid token provided")
        return None

    @app.errorhandler(OrgError)
    def _org_error(exc: OrgError) -> Response:
        return error_reply(exc.status, exc.code, exc.summary, exc.causes)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        if exc.code == 405:
            return error_reply(405, "E0000022", "The endpoint does not support the provided HTTP method")
        if exc.code == 404:
            return error_reply(404, "E0000007", f"Not found: Resource not found: {request.path} (Route)")
        return error_reply(exc.code or 400, "E0000001", f"Api validation failed: {exc.description}")

    @app.errorhandler(Exception)
    def _crash(exc: Exception) -> Response:
        current_app.logger.exception("admin API failure")
        return error_reply(500, "E0000009", "Internal Server Error", (type(exc).__name__,))

    for bp in (api_people.bp, api_apps.bp, api_push.bp):
        app.register_blueprint(bp, url_prefix="/api/v1")
    return app
