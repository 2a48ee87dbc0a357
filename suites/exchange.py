"""A recorded request and its response (Exchange), the curl line that repeats it, and the
redaction of credentials that every recorded exchange goes through (Redactor)."""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from suites.config import Auth

REDACTED = "[REDACTED]"
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"})
SECRET_PARAMS = frozenset({"token", "access_token", "api_key", "apikey", "key", "secret", "password"})
MAX_RECORDED_BODY = 64 * 1024


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request and its response, secrets already redacted."""

    method: str
    url: str
    request_headers: tuple[tuple[str, str], ...]
    request_body: str | None
    status: int | None
    response_headers: tuple[tuple[str, str], ...]
    response_body: str | None
    elapsed_ms: float
    started: str
    error: str | None = None
    step: str | None = None
    credentials: bool = False  # it carried the run's own credentials (not a probe's)

    @property
    def path(self) -> str:
        parts = urlsplit(self.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    @property
    def request_line(self) -> str:
        """'POST /scim/v2/Users -> 201' (or '-> no response: ...')."""
        outcome = str(self.status) if self.status is not None else f"no response ({self.error})"
        return f"{self.method} {self.path} -> {outcome}"

    def response_header(self, name: str) -> str | None:
        low = name.lower()
        return next((v for k, v in self.response_headers if k.lower() == low), None)

    def curl(self, auth: Auth | None = None) -> str:
        """A shell line that repeats the request. The run's credentials (of `auth`) become the
        SCIMCERT_TOKEN / SCIMCERT_BASIC / SCIMCERT_HEADER variable, as `scimcert run` reads them."""
        placeholder = _CURL_AUTH.get(auth.kind, "") if auth is not None and self.credentials else ""
        carrier = next(iter(auth.headers()), "").lower() if auth is not None and placeholder else None
        parts = ["curl", "-i", "-X", shlex.quote(self.method)]
        for name, value in self.request_headers:
            if name.lower() == carrier:
                parts.append(placeholder)
            elif name.lower() not in _CURL_OWN:
                parts += ["-H", shlex.quote(f"{name}: {value}")]
        if self.request_body is not None:
            parts += ["--data-raw", shlex.quote(self.request_body)]
        parts.append(shlex.quote(self.url))
        return " ".join(parts)


# Header lines curl sends of its own (an Okta request's Host and Connection among them).
_CURL_OWN = frozenset({"content-length", "accept-encoding", "connection", "user-agent", "host"})

# Shell words (double-quoted so the variable expands) that send the run's credentials in a curl line.
_CURL_AUTH = {
    "bearer": '-H "Authorization: Bearer $SCIMCERT_TOKEN"',
    "basic": '-u "$SCIMCERT_BASIC"',
    "header": '-H "$SCIMCERT_HEADER"',
}


class Redactor:
    """Removes credentials from headers, URLs and bodies before anything is recorded."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def text(self, value: str) -> str:
        for secret in self._secrets:
            value = value.replace(secret, REDACTED)
        return value

    def headers(self, headers: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
        return tuple((k, REDACTED if k.lower() in SECRET_HEADERS else self.text(v))
                     for k, v in headers.items())

    def url(self, url: str) -> str:
        """Credentials out of a URL; the query is re-encoded only when a secret parameter is in it."""
        parts = urlsplit(url)
        netloc = parts.netloc.rsplit("@", 1)[-1]
        query = parts.query
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(k.lower() in SECRET_PARAMS for k, _ in pairs):
            query = urlencode([(k, REDACTED if k.lower() in SECRET_PARAMS else v) for k, v in pairs])
        return self.text(urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment)))

    def exchange(self, sent: Exchange) -> Exchange:
        """An exchange as it is recorded: credentials out of its URL, headers and bodies, which are
        capped (the one redaction of every recorded exchange, the run's and a replayed flow's)."""
        return replace(
            sent, url=self.url(sent.url), request_headers=self.headers(dict(sent.request_headers)),
            request_body=_cap(self.text(sent.request_body)) if sent.request_body is not None else None,
            response_headers=self.headers(dict(sent.response_headers)),
            response_body=_cap(self.text(sent.response_body)) if sent.response_body is not None else None)


def _cap(text: str) -> str:
    """Bodies are kept whole up to MAX_RECORDED_BODY; beyond that (size probes) they are cut."""
    if len(text) <= MAX_RECORDED_BODY:
        return text
    return text[:MAX_RECORDED_BODY] + f"… [{len(text) - MAX_RECORDED_BODY} more characters not recorded]"
