"""HTTP framing shared by the provider's blueprints: JSON bodies, SCIM errors, auth, throttling."""

from __future__ import annotations

import html
import json
import threading
import time
from collections import deque
from typing import Any

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import HTTPException

from simulator.provider.errors import ScimError
from simulator.provider.service import Provider
from simulator.scim import urns

BASE_PATH = "/scim/v2"
SCIM_CONTENT_TYPE = "application/scim+json; charset=utf-8"
DISCOVERY_ENDPOINTS = ("ServiceProviderConfig", "ResourceTypes", "Schemas")


def provider() -> Provider:
    """The Provider of the current app."""
    found: Provider = current_app.extensions["scim_provider"]
    return found


def base_url() -> str:
    """The SCIM base URL as the client reached it (scheme, host, port, /scim/v2)."""
    return request.host_url.rstrip("/") + BASE_PATH


def scim_json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    content_type = SCIM_CONTENT_TYPE
    if "content-type-json" in provider().deviations:
        content_type = "application/json; charset=utf-8"
    data = json.dumps(body, ensure_ascii=False)
    return Response(data, status=status, headers=headers or {}, content_type=content_type)


def error_response(
    status: int, detail: str, scim_type: str | None = None, headers: dict[str, str] | None = None
) -> Response:
    """An RFC 7644 §3.12 error, or the broken forms the error deviations produce."""
    devs = provider().deviations
    if "error-body-not-scim" in devs:
        page = f"<html><body><h1>Error {status}</h1><p>{html.escape(detail)}</p></body></html>"
        return Response(page, status=status, headers=headers or {}, content_type="text/html")
    body: dict[str, Any] = {"schemas": [urns.ERROR], "status": str(status)}
    if "error-status-int" in devs:
        body["status"] = status
    if scim_type:
        body["scimType"] = scim_type
    body["detail"] = detail
    return scim_json(body, status, headers)


def read_json() -> Any:
    """The request body as JSON; malformed, empty or absurdly nested → 400 invalidSyntax."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        raise ScimError(400, "The request body is empty; a JSON object was expected.", "invalidSyntax")
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ScimError(400, f"The request body is not valid JSON: {exc}.", "invalidSyntax") from exc
    except RecursionError:
        raise ScimError(400, "The request body is nested too deeply.", "invalidSyntax") from None


def install(app: Flask) -> None:
    """Register auth, throttling and error handling on the app."""
    limiter = _RateLimiter()
    app.before_request(lambda: _before(limiter))
    app.register_error_handler(ScimError, _scim_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _crash)


def _before(limiter: _RateLimiter) -> Response | None:
    devs = provider().deviations
    g.started = time.monotonic()
    if "slow" in devs:
        time.sleep(devs.param("slow"))
    if "rate-limited" in devs and not limiter.allow(devs.param("rate-limited")):
        return error_response(429, "Too many requests; retry after 1 second.", None, {"Retry-After": "1"})
    if "rate-limited-no-retry-after" in devs and not limiter.allow(devs.param("rate-limited-no-retry-after")):
        return error_response(429, "Too many requests.")
    return _authenticate()


def _authenticate() -> Response | None:
    prov = provider()
    token = prov.config.token
    if token is None or "auth-not-enforced" in prov.deviations:
        return None
    segments = request.path.split("/")
    if prov.config.open_discovery and any(e in segments for e in DISCOVERY_ENDPOINTS):
        return None
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if "auth-scheme-case-sensitive" in prov.deviations and scheme != "Bearer":
        scheme = "not Bearer"  # the bug: only the exact spelling "Bearer" is taken
    if scheme.casefold() == "bearer" and given.strip() == token:
        return None
    detail = (
        "Authorization header is missing."
        if "Authorization" not in request.headers
        else "The bearer token is not valid."
        if scheme.casefold() == "bearer"
        else "Authorization must use the Bearer scheme."
    )
    if "auth-refused-403" in prov.deviations:
        return error_response(403, detail, None, {})
    return error_response(401, detail, None, {"WWW-Authenticate": 'Bearer realm="scimcert"'})


def _scim_error(exc: ScimError) -> Response:
    return error_response(exc.status, exc.detail, exc.scim_type, exc.headers)


def _http_error(exc: HTTPException) -> Response:
    headers = {k: v for k, v in exc.get_headers() if k.lower() in ("allow", "retry-after")}
    code = exc.code or 500
    detail = {
        404: f"No SCIM endpoint at {request.path}.",
        405: f"{request.method} is not supported on {request.path}.",
        413: "The request body is too large.",
    }.get(code, exc.description or exc.name)
    return error_response(code, detail, None, headers)


def _crash(exc: Exception) -> Response:
    current_app.logger.exception("unhandled error", exc_info=exc)
    return error_response(500, "Internal server error.")


class _RateLimiter:
    """Requests in the last second, across all clients."""

    def __init__(self) -> None:
        self._times: deque[float] = deque()
        self._lock = threading.Lock()

    def allow(self, per_second: float) -> bool:
        now = time.monotonic()
        with self._lock:
            while self._times and now - self._times[0] >= 1.0:
                self._times.popleft()
            if len(self._times) >= per_second:
                return False
            self._times.append(now)
            return True
