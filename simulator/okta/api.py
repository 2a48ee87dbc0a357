"""Flask app factory of the simulator: the admin API mirroring Okta's /api/v1, and the web console.

Admin API auth is `Authorization: SSWS <token>` (also `SSWS<token>` as the SDK sends it, §1.1);
its errors are Okta error bodies (§1.4) and every response is JSON. The console (/console,
simulator/okta/console/) signs in with the same token once per session and answers HTML.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from flask import Flask, Response, current_app, redirect, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from simulator.okta import api_apps, api_people, api_push
from simulator.okta.api_http import Org, error_reply
from simulator.okta.console import PREFIX, error_page, init_console, is_console_path
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
    console_secret: str | None = None  # signs console sessions; default $SCIMCERT_CONSOLE_SECRET or random
    console: bool = True  # mount the web console (the in-process simulator has no use for it)


def _authorised(token: str) -> bool:
    header = request.headers.get("Authorization", "")
    for scheme in ("SSWS", "Bearer"):
        if header.startswith(scheme):
            given = header[len(scheme) :].strip()
            return hmac.compare_digest(given.encode(), token.encode())
    return False


def create_app(config: SimulatorConfig) -> Flask:
    """The admin API and the console; their services are app.extensions['okta_org'] (or the org a
    request's environ names, see api_http.org)."""
    app = Flask(__name__)
    store = OrgStore(config.db)
    svc = OrgService(store, config.transport, config.seed)
    app.extensions["okta_org"] = Org(svc, AppActions(svc), GroupActions(svc))

    def _console() -> bool:
        return config.console and is_console_path(request.path)

    @app.before_request
    def _auth() -> Response | None:
        if _console():
            return None  # the console has its own sign-in
        if not _authorised(config.admin_token):
            return error_reply(401, "E0000011", "Invalid token provided")
        return None

    @app.get("/")
    def _root() -> BaseResponse:
        return redirect(PREFIX + "/")

    @app.errorhandler(OrgError)
    def _org_error(exc: OrgError) -> BaseResponse:
        if _console():
            message = "; ".join(exc.causes) or exc.summary
            return error_page(exc.status, "Not found" if exc.status == 404 else "Refused", message)
        return error_reply(exc.status, exc.code, exc.summary, exc.causes)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> BaseResponse:
        if _console():
            return error_page(exc.code or 400, exc.name, _console_reason(exc))
        if exc.code == 405:
            return error_reply(405, "E0000022", "The endpoint does not support the provided HTTP method")
        if exc.code == 404:
            return error_reply(404, "E0000007", f"Not found: Resource not found: {request.path} (Route)")
        return error_reply(exc.code or 400, "E0000001", f"Api validation failed: {exc.description}")

    @app.errorhandler(Exception)
    def _crash(exc: Exception) -> BaseResponse:
        if _console():
            current_app.logger.exception("console failure")
            return error_page(500, "Something went wrong", "The simulator's log has the details.")
        current_app.logger.exception("admin API failure")
        return error_reply(500, "E0000009", "Internal Server Error", (type(exc).__name__,))

    for bp in (api_people.bp, api_apps.bp, api_push.bp):
        app.register_blueprint(bp, url_prefix="/api/v1")
    if config.console:
        init_console(app, config.admin_token, config.console_secret)
    return app


def _console_reason(exc: HTTPException) -> str:
    if exc.code == 404:
        return "There is no such page in the console."
    if exc.code == 405:
        return "This page does not accept that kind of request."
    return "The request could not be handled."
