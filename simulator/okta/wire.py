"""What Okta puts on the wire: request/response values, fixed headers, auth, query encoding."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Final
from urllib.parse import quote, urlsplit

from simulator.scim import paths, urns

# okta-scim.md §1.1 [D] S1, S3; [O] S17, S21: sent on every SCIM 2.0 request.
OKTA_HEADERS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "Accept": urns.SCIM_MEDIA_TYPE,
        "Accept-Charset": "utf-8",
        "User-Agent": "Okta SCIM Client 1.0.0",
        "Accept-Encoding": "gzip,deflate",
    }
)
# Only requests with a body carry it (§1.1: GET requests carry no Content-Type [O] S21).
CONTENT_TYPE: Final = f"{urns.SCIM_MEDIA_TYPE}; charset=utf-8"
# Header order of Okta's 2018 raw capture (§1.1 [D] S3); transport.wire_headers adds
# Content-Length, Host and Connection where the capture has them.
_CAPTURE_ORDER: Final = (
    "Accept",
    "Accept-Charset",
    "Content-Type",
    "User-Agent",
    "Authorization",
    "Accept-Encoding",
)
REDACTED: Final = "[REDACTED]"
LOOKUP_COUNT: Final = 100  # §4.1 / §8.1 lookups: startIndex=1&count=100
PAGE_SIZE: Final = 100  # §3: import page size is fixed at 100


@dataclass(frozen=True, slots=True)
class BearerAuth:
    """'SCIM 2.0 Test App (OAuth Bearer Token)': `Authorization: Bearer <token>` (§1.2 [D])."""

    token: str = field(repr=False)  # a credential: never in a traceback or log
    kind = "bearer"

    def header(self) -> tuple[str, str]:
        return "Authorization", f"Bearer {self.token}"

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "token": self.token}


@dataclass(frozen=True, slots=True)
class BasicAuth:
    """'SCIM 2.0 Test App (Basic Auth)': `Authorization: Basic base64(user:password)` (§1.2 [I])."""

    username: str
    password: str = field(repr=False)
    kind = "basic"

    def header(self) -> tuple[str, str]:
        raw = f"{self.username}:{self.password}".encode()
        return "Authorization", "Basic " + base64.b64encode(raw).decode("ascii")

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "username": self.username, "password": self.password}


@dataclass(frozen=True, slots=True)
class HeaderAuth:
    """'SCIM 2.0 Test App (Header Auth)': a header built from the admin's token.

    The format is configurable per OIN app and undocumented for the test app (§1.2, §14.4),
    so `template` is a setting; the default sends exactly what the admin typed.
    """

    token: str = field(repr=False)
    name: str = "Authorization"
    template: str = "{token}"
    kind = "header"

    def header(self) -> tuple[str, str]:
        return self.name, self.template.replace("{token}", self.token)

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "token": self.token, "name": self.name, "template": self.template}


Auth = BearerAuth | BasicAuth | HeaderAuth


def auth_from_json(data: Mapping[str, Any]) -> Auth:
    """Rebuild an Auth from its to_json() form (for stored app instances)."""
    kind = data.get("kind")
    if kind == "bearer":
        return BearerAuth(str(data["token"]))
    if kind == "basic":
        return BasicAuth(str(data["username"]), str(data["password"]))
    if kind == "header":
        return HeaderAuth(
            str(data["token"]),
            str(data.get("name", "Authorization")),
            str(data.get("template", "{token}")),
        )
    raise ValueError(f"unknown auth kind {kind!r}; expected bearer, basic or header")


def okta_headers(auth: Auth, with_body: bool) -> tuple[tuple[str, str], ...]:
    """The headers of one Okta request, in the order of Okta's capture."""
    values = dict(OKTA_HEADERS)
    name, value = auth.header()
    values[name] = value
    if with_body:
        values["Content-Type"] = CONTENT_TYPE
    rank = {h: i for i, h in enumerate(_CAPTURE_ORDER)}
    return tuple(sorted(values.items(), key=lambda kv: rank.get(kv[0], len(rank))))


def encode_query(params: Sequence[tuple[str, str]], space: str = "%20") -> str:
    """Percent-encode like Okta (§1.3): `%20` for spaces (or '+' for the 2018 era), %22, %40."""
    parts = []
    for key, value in params:
        encoded = quote(value, safe="")
        if space == "+":
            encoded = encoded.replace("%20", "+")
        parts.append(f"{key}={encoded}")
    return "&".join(parts)


def eq_filter(attribute: str, value: str) -> str:
    """`attribute eq "value"` with the value escaped as a JSON string (RFC 7644 §3.4.2.2)."""
    return f"{attribute} eq {json.dumps(value, ensure_ascii=False)}"


def lookup_query(attribute: str, value: str, space: str = "%20") -> str:
    """Okta's lookup query: filter, then startIndex=1, then count=100 (§4.1, §8.1 [D] S1)."""
    params = [("filter", eq_filter(attribute, value)), ("startIndex", "1")]
    return encode_query([*params, ("count", str(LOOKUP_COUNT))], space)


def page_query(start_index: int, count: int) -> str:
    """`startIndex=N&count=M` in Okta's order (§2, §3)."""
    return f"startIndex={start_index}&count={count}"


def resource_path(endpoint: str, resource_id: str | None = None) -> str:
    """'/Users' or '/Users/<id>' with the id percent-encoded as one path segment."""
    return paths.resource_path(endpoint, resource_id)


@dataclass(frozen=True, slots=True)
class ScimRequest:
    """One request of a plan: a stable step id plus everything that goes on the wire."""

    step: str
    method: str
    base_url: str
    path: str  # below base_url, e.g. "/Users/2819c223"
    query: str = ""  # raw, already encoded
    headers: tuple[tuple[str, str], ...] = ()
    body: Any = None  # a JSON value; None means no body
    secret_header: str = "Authorization"

    def __repr__(self) -> str:
        """Without the credential header's value: a repr ends up in tracebacks and logs."""
        secret = self.secret_header.casefold()
        headers = tuple((k, "[REDACTED]" if k.casefold() == secret else v) for k, v in self.headers)
        return (f"ScimRequest(step={self.step!r}, method={self.method!r}, url={self.url!r}, "
                f"headers={headers!r}, body={self.body!r})")

    @property
    def url(self) -> str:
        base = self.base_url.rstrip("/") + self.path
        return f"{base}?{self.query}" if self.query else base

    @property
    def url_path(self) -> str:
        """The full path on the server, base path included ('/scim/v2/Users')."""
        return urlsplit(self.url).path

    @property
    def request_line(self) -> str:
        return f"{self.method} {self.url_path}" + (f"?{self.query}" if self.query else "")

    def header(self, name: str) -> str | None:
        low = name.lower()
        return next((v for k, v in self.headers if k.lower() == low), None)

    def body_bytes(self) -> bytes | None:
        """The body as Okta serialises it: compact JSON, UTF-8, key order kept."""
        if self.body is None:
            return None
        return json.dumps(self.body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def redacted(self) -> ScimRequest:
        """A copy fit for logs: the auth header value and any 'password' values hidden."""
        secret = self.secret_header.lower()
        headers = tuple((k, REDACTED if k.lower() == secret else v) for k, v in self.headers)
        return replace(self, headers=headers, body=_redact_passwords(self.body))

    def secrets(self) -> tuple[str, ...]:
        """What a log must never show, even echoed back by a target: auth value, passwords."""
        auth = next((v for k, v in self.headers if k.lower() == self.secret_header.lower()), "")
        found = [auth, auth.partition(" ")[2], *_password_values(self.body)]
        return tuple(s for s in found if len(s) >= 4)

    def to_json(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "method": self.method,
            "path": self.url_path,
            "query": self.query,
            "headers": dict(self.headers),
            "body": self.body,
        }


def _password_values(value: Any) -> list[str]:
    if isinstance(value, dict):
        own = [v for k, v in value.items() if k == "password" and isinstance(v, str)]
        return own + [p for v in value.values() for p in _password_values(v)]
    if isinstance(value, list):
        return [p for v in value for p in _password_values(v)]
    return []


def _redact_passwords(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: REDACTED if k == "password" else _redact_passwords(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_passwords(v) for v in value]
    return value



LOGGED_BODY_LIMIT = 64 * 1024  # characters of a response body kept in the exchange log

@dataclass(frozen=True, slots=True)
class ScimResponse:
    """What came back: status (0 when no HTTP response arrived), headers, parsed JSON, raw text."""

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: Any = None  # parsed JSON, or None when empty or not JSON
    text: str = ""
    error: str | None = None  # transport failure (timeout, refused) when status is 0

    @classmethod
    def of(cls, status: int, body: Any = None, headers: Mapping[str, str] | None = None) -> ScimResponse:
        """A response carrying a JSON body (for scripted tests and fakes)."""
        text = "" if body is None else json.dumps(body)
        return cls(status, tuple((headers or {}).items()), body, text)

    @classmethod
    def from_text(cls, status: int, text: str, headers: Sequence[tuple[str, str]] = ()) -> ScimResponse:
        """Parse text as JSON whatever the media type (Okta does not check it, §10)."""
        try:
            body = json.loads(text) if text.strip() else None
        except ValueError:
            body = None
        return cls(status, tuple(headers), body, text)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def header(self, name: str) -> str | None:
        low = name.lower()
        return next((v for k, v in self.headers if k.lower() == low), None)

    def json_object(self) -> dict[str, Any] | None:
        return self.body if isinstance(self.body, dict) else None

    def compact(self, limit: int = LOGGED_BODY_LIMIT) -> ScimResponse:
        """This response as the log keeps it: bodies beyond limit characters are cut.

        The plan has already read the full response; keeping every large body (a PATCH that
        echoes a 10,000-member group) would make memory grow with the size of the org.
        """
        if len(self.text) <= limit:
            return self
        # ASCII marker: a non-ASCII one ("…") would make Python store the whole cut body at
        # two bytes per character, doubling what the log keeps.
        cut = f"{self.text[:limit]}... [{len(self.text) - limit} more characters not logged]"
        return ScimResponse(self.status, self.headers, None, cut, self.error)

    def redacted(self, secrets: Sequence[str]) -> ScimResponse:
        """A copy fit for logs: 'password' values and the given secrets hidden (a target that
        wrongly echoes the password Okta sent must not put it in the system log)."""
        text = self.text
        for secret in secrets:
            text = text.replace(secret, REDACTED)
        body = _redact_passwords(self.body)
        if text == self.text and body == self.body:
            return self
        return ScimResponse(self.status, self.headers, body, text, self.error)

    def to_json(self) -> dict[str, Any]:
        """The log's copy: a body that is not JSON (an HTML error page, a cut one) keeps its text."""
        out: dict[str, Any] = {"status": self.status, "body": self.body, "error": self.error}
        if self.body is None and self.text.strip():
            out["text"] = self.text
        return out
