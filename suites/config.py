"""One frozen run configuration: the settings, the values each takes, and the checks that build a
RunConfig of them (suites.settings reads them: options > SCIMCERT_* environment > scimcert.toml)."""

from __future__ import annotations

import base64
import math
import re
import secrets
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from simulator.scim.extensions import load_extension_file, parse_extension_spec
from simulator.scim.schema import SchemaDef, SchemaDefinitionError
from suites.levels import Level

if TYPE_CHECKING:
    from suites.exchange import Exchange


class HarnessError(Exception):
    """The harness cannot run: bad configuration, unreachable target, rejected credentials."""


@dataclass(frozen=True, slots=True)
class Auth:
    """How the client authenticates: bearer token, basic credentials, or one literal header."""

    kind: str = "none"  # bearer | basic | header | none
    value: str = field(default="", repr=False)  # a credential: never in a traceback or log

    def headers(self) -> dict[str, str]:
        if self.kind == "bearer":
            return {"Authorization": f"Bearer {self.value}"}
        if self.kind == "basic":
            return {"Authorization": "Basic " + base64.b64encode(self.value.encode()).decode()}
        if self.kind == "header":
            name, _, value = self.value.partition(":")
            return {name.strip(): value.strip()}
        return {}

    def secrets(self) -> tuple[str, ...]:
        """Strings that must never appear in a report."""
        if self.kind == "none" or not self.value:
            return ()
        found = [self.value, *self.headers().values()]
        if self.kind == "basic":
            found.append(self.value.partition(":")[2])
        if self.kind == "header":
            found.append(self.value.partition(":")[2].strip())
        return tuple(s for s in found if len(s) >= 4)


@dataclass(frozen=True, slots=True)
class RunConfig:
    """Everything a conformance run needs to know, read once at start."""

    url: str | None = None
    auth: Auth = field(default_factory=Auth)
    timeout: float = 60.0
    verify: bool | str = True
    extensions: tuple[SchemaDef, ...] = ()
    fail_on: Level = Level.MUST
    okta_gate: bool = True  # a failed okta=True check fails the run whatever its level
    read_only: bool = False
    cleanup: bool = True
    run_id: str = field(default_factory=lambda: secrets.token_hex(4))
    report_dir: Path | None = None
    waivers: Path | None = None
    baseline: Path | None = None
    okta_flavour: str = "oin"
    # The target is the embedded reference provider, which keeps everything in memory and stops
    # with the run: what the run created goes with it, so nothing is deleted one by one (set by
    # `scimcert run` only; no option, variable or file setting reaches it).
    ephemeral: bool = False

    @property
    def prefix(self) -> str:
        """Every userName and displayName the run creates starts with this."""
        return f"scimcert-{self.run_id}-"


@dataclass(frozen=True, slots=True, eq=False)
class Preset:
    """What `scimcert run` hands pytest as a plugin object: the config it resolved and checked
    (preflight included), which the plugin then uses instead of reading its options."""

    config: RunConfig
    preflight: tuple[Exchange, ...] = ()  # what that preflight sent: the HAR starts with it


# option name -> (environment variable, toml key)
SOURCES: Mapping[str, tuple[str, str]] = {
    "url": ("SCIMCERT_URL", "url"),
    "token": ("SCIMCERT_TOKEN", "token"),
    "basic": ("SCIMCERT_BASIC", "basic"),
    "header": ("SCIMCERT_HEADER", "header"),
    "timeout": ("SCIMCERT_TIMEOUT", "timeout"),
    "insecure": ("SCIMCERT_INSECURE", "insecure"),
    "ca_bundle": ("SCIMCERT_CA_BUNDLE", "ca_bundle"),
    "extension": ("SCIMCERT_EXTENSION", "extension"),
    "extension_file": ("SCIMCERT_EXTENSION_FILE", "extension_file"),
    "fail_on": ("SCIMCERT_FAIL_ON", "fail_on"),
    "no_okta_gate": ("SCIMCERT_NO_OKTA_GATE", "no_okta_gate"),
    "read_only": ("SCIMCERT_READ_ONLY", "read_only"),
    "no_cleanup": ("SCIMCERT_NO_CLEANUP", "no_cleanup"),
    "run_id": ("SCIMCERT_RUN_ID", "run_id"),
    "report_dir": ("SCIMCERT_REPORT_DIR", "report_dir"),
    "waivers": ("SCIMCERT_WAIVERS", "waivers"),
    "baseline": ("SCIMCERT_BASELINE", "baseline"),
    "okta_flavour": ("SCIMCERT_OKTA_FLAVOUR", "okta_flavour"),
}
# The settings of scimcert.toml's [target] table (the target and how to reach it: all that `replay`
# and `cleanup` read); every other setting goes in [run].
TARGET_KEYS = ("url", "token", "basic", "header", "timeout", "insecure", "ca_bundle")
EITHER_TABLE = ("timeout",)  # a property of the target and of the run: earlier READMEs put it in [run]
SECRET_KEYS = ("token", "basic", "header")  # never repeated in a message
# Settings that only make sense together: they come from one source, the first that has any of
# them (a --token on the command line replaces the file's basic credentials, not clashes with them).
GROUPS = (("token", "basic", "header"), ("insecure", "ca_bundle"), ("extension", "extension_file"))
MAX_TIMEOUT = 86_400.0  # a day; far beyond any server, and below what sockets can take
# The settings that are not text, and what each takes; the sources are checked against this, so a
# mistyped value stops the run instead of reading as false, or as one second (timeout = true).
KINDS: Mapping[str, str] = {"timeout": "number", "insecure": "flag", "no_okta_gate": "flag",
                            "read_only": "flag", "no_cleanup": "flag", "extension": "list",
                            "extension_file": "list"}
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")
RUN_ID = re.compile(r"[A-Za-z0-9-]{1,24}")
_USERINFO = re.compile(r"(//)[^/?#]*@")  # the user:password@ of a URL
_T = TypeVar("_T")


def build(pick: Callable[[str], Any],
          where: Callable[[tuple[str, ...]], str | None] = lambda _: None) -> RunConfig:
    """Validate the picked raw values into a RunConfig. where(names) says where the picked values
    of those settings came from (None: from options, whose messages already name them); a value
    refused is reported with it, e.g. 'SCIMCERT_FAIL_ON=sometimes: ...'."""

    def check(names: tuple[str, ...], convert: Callable[..., _T]) -> _T:
        try:
            return convert(*(pick(name) for name in names))
        except HarnessError as exc:
            label = where(names)
            if label is None:
                raise
            raise HarnessError(f"{label}: {exc}") from exc.__cause__

    return RunConfig(
        url=check(("url",), lambda url: None if url in (None, "") else target_url(url)),
        auth=check(("token", "basic", "header"), _auth),
        timeout=check(("timeout",), lambda value: 60.0 if value in (None, "") else seconds(value)),
        verify=check(("insecure", "ca_bundle"), _verify),
        extensions=check(("extension", "extension_file"), _extensions),
        fail_on=check(("fail_on",), _level),
        okta_gate=not _flag(pick("no_okta_gate")),
        read_only=_flag(pick("read_only")),
        cleanup=not _flag(pick("no_cleanup")),
        run_id=check(("run_id",), _run_id),
        report_dir=Path(pick("report_dir")) if pick("report_dir") else None,
        waivers=check(("waivers",), lambda value: _existing(value, "waivers")),
        baseline=check(("baseline",), lambda value: _existing(value, "baseline")),
        okta_flavour=check(("okta_flavour",), _flavour),
    )


def _auth(token: Any, basic: Any, header: Any) -> Auth:
    given = [(k, v) for k, v in (("bearer", token), ("basic", basic), ("header", header)) if v]
    if len(given) > 1:
        raise HarnessError("give only one of --token, --basic and --header")
    if not given:
        return Auth()
    kind, value = given[0][0], str(given[0][1])
    if kind == "basic" and ":" not in value:
        raise HarnessError("--basic takes USER:PASSWORD")
    if kind == "header" and (":" not in value or not value.partition(":")[0].strip()):
        raise HarnessError("--header takes 'Name: value', e.g. 'Authorization: SSWS abc'")
    auth = Auth(kind, value)
    if not all(header_safe(part) for pair in auth.headers().items() for part in pair):
        # requests and http.client would stop the run with a traceback that repeats the credential
        option = {"bearer": "--token", "header": "--header"}[kind]  # basic goes out base64-encoded
        raise HarnessError(f"{option} holds a line break, a control character or a character beyond "
                           "Latin-1, which an HTTP header cannot carry; check the value")
    return auth


def header_safe(text: str) -> bool:
    """Whether text can be sent as an HTTP header name or value: Latin-1 with no control characters."""
    return all((" " <= c <= "\xff" and c != "\x7f") or c == "\t" for c in text)


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in TRUE_WORDS
    return bool(value)


def target_url(value: Any) -> str:
    """The base URL of a SCIM server, checked (HarnessError) and without its trailing slash."""
    text = str(value).strip()
    example = "give the SCIM base URL, e.g. https://scim.example.com/scim/v2"
    if not text:
        raise HarnessError(f"the target URL is empty; {example}")
    shown = _USERINFO.sub(r"\1…@", text)  # a password in the URL is never repeated
    try:
        parts = urlsplit(text)
        host, _ = parts.hostname, parts.port  # each raises ValueError when malformed
    except ValueError:
        raise HarnessError(f"target URL {shown!r} is not a valid URL; {example}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise HarnessError(f"target URL {shown!r} must start with http:// or https://")
    if "@" in parts.netloc:
        # requests would send them as Basic credentials in place of the given ones, and every
        # report would show them with the target
        raise HarnessError(f"target URL {shown!r} carries credentials before its host; give the URL "
                           "without them and the credentials with --basic USER:PASS (or --token, --header)")
    if not host:
        raise HarnessError(f"target URL {shown!r} names no host; {example}")
    if parts.query or parts.fragment or text.endswith(("?", "#")):
        raise HarnessError(f"target URL {shown!r} has a query string or fragment; give the base URL alone, "
                           "e.g. https://scim.example.com/scim/v2")
    return text.rstrip("/")


def seconds(value: Any) -> float:
    """A timeout in seconds: a finite number above 0 and up to MAX_TIMEOUT (else HarnessError)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not (math.isfinite(number) and 0 < number <= MAX_TIMEOUT):
        raise HarnessError(f"timeout must be a positive number of seconds, at most {MAX_TIMEOUT:.0f}; "
                           f"got {value!r}")
    return number


def _verify(insecure: Any, ca_bundle: Any) -> bool | str:
    if ca_bundle and _flag(insecure):
        raise HarnessError("give only one of --insecure (no certificate check) and --ca-bundle "
                           "(check the certificate against a bundle)")
    if ca_bundle:
        if not Path(str(ca_bundle)).is_file():
            raise HarnessError(f"CA bundle {ca_bundle} does not exist")
        try:
            ssl.create_default_context(cafile=str(ca_bundle))
        except (ssl.SSLError, OSError, ValueError) as exc:
            raise HarnessError(f"CA bundle {ca_bundle} holds no usable PEM certificate ({exc})") from exc
        return str(ca_bundle)
    return not _flag(insecure)


def _as_list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [v for v in value.split(";") if v.strip()]  # env: several specs separated by ';'
    return [str(v) for v in value]


def _extensions(specs: Any, files: Any) -> tuple[SchemaDef, ...]:
    try:
        found = [parse_extension_spec(s) for s in _as_list(specs)]
        found += [load_extension_file(f) for f in _as_list(files)]
    except SchemaDefinitionError as exc:
        raise HarnessError(str(exc)) from exc
    ids = [e.id.casefold() for e in found]
    if len(set(ids)) != len(ids):
        raise HarnessError("the same extension URN is declared twice")
    return tuple(found)


def _level(value: Any) -> Level:
    if value in (None, ""):
        return Level.MUST
    try:
        return Level[str(value).upper()]
    except KeyError:
        raise HarnessError(f"the fail-on level must be must, should or may; got {value!r}") from None


def _run_id(value: Any) -> str:
    if value in (None, ""):
        return secrets.token_hex(4)
    text = str(value)
    if not RUN_ID.fullmatch(text):  # not str.isalnum: that takes 'café²', which no server need accept
        raise HarnessError(f"run id must be up to 24 ASCII letters, digits and dashes; got {text!r}")
    return text.lower()


def _existing(value: Any, name: str) -> Path | None:
    if value in (None, ""):
        return None
    path = Path(str(value))
    if not path.is_file():
        raise HarnessError(f"{name} file {path} does not exist")
    return path


def _flavour(value: Any) -> str:
    flavour = str(value or "oin").lower()
    if flavour not in ("oin", "aiw"):
        raise HarnessError(f"Okta flavour must be oin or aiw; got {value!r}")
    return flavour
