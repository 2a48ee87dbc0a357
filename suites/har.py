"""exchanges.har: every exchange of a run as HAR 1.2, each entry's comment naming the check that sent it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from simulator import __version__
from suites.exchange import Exchange


def har(exchanges: list[tuple[str, Exchange]]) -> dict[str, Any]:
    """HAR 1.2 of every exchange; the comment names the check that sent it."""
    return {"log": {"version": "1.2", "creator": {"name": "scimcert", "version": __version__},
                    "entries": [_har_entry(check_id, ex) for check_id, ex in exchanges]}}


def extend_har(path: Path, exchanges: list[tuple[str, Exchange]], fresh: bool) -> None:
    """Add exchanges after the entries of the HAR at path (e.g. a replayed flow's requests after its
    checks'); fresh, or when that file holds no HAR: a new HAR of them alone."""
    document = har([])
    if not fresh:
        try:
            found = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            found = None
        log = found.get("log") if isinstance(found, dict) else None
        if isinstance(log, dict) and isinstance(log.get("entries"), list):
            document = found
    document["log"]["entries"].extend(_har_entry(check_id, ex) for check_id, ex in exchanges)
    path.write_text(json.dumps(document), encoding="utf-8")


def _har_entry(check_id: str, ex: Exchange) -> dict[str, Any]:
    request: dict[str, Any] = {
        "method": ex.method, "url": ex.url, "httpVersion": "HTTP/1.1", "cookies": [],
        "headers": [{"name": k, "value": v} for k, v in ex.request_headers],
        "queryString": _query_string(ex.url), "headersSize": -1, "bodySize": len(ex.request_body or ""),
    }
    if ex.request_body is not None:
        request["postData"] = {"mimeType": _header(ex.request_headers, "content-type"),
                               "text": ex.request_body}
    body = ex.response_body or ""
    return {
        "startedDateTime": ex.started, "time": ex.elapsed_ms, "request": request,
        "response": {
            "status": ex.status or 0, "statusText": ex.error or "", "httpVersion": "HTTP/1.1",
            "cookies": [], "headers": [{"name": k, "value": v} for k, v in ex.response_headers],
            "content": {"size": len(body), "mimeType": _header(ex.response_headers, "content-type"),
                        "text": body},
            "redirectURL": "", "headersSize": -1, "bodySize": len(body),
        },
        "cache": {}, "timings": {"send": 0, "wait": ex.elapsed_ms, "receive": 0},
        "comment": f"{check_id}{' / ' + ex.step if ex.step else ''}",
    }


def _query_string(url: str) -> list[dict[str, str]]:
    """HAR 1.2 queryString: the parameters of the (already redacted) URL, decoded, in order."""
    return [{"name": k, "value": v} for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True)]


def _header(headers: tuple[tuple[str, str], ...], name: str) -> str:
    return next((v for k, v in headers if k.lower() == name), "")
