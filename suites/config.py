"""One frozen run configuration: pytest options > SCIMCERT_* environment > scimcert.toml."""

from __future__ import annotations

import base64
import math
import os
import re
import secrets
import ssl
import tomllib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from simulator.scim.extensions import load_extension_file, parse_extension_spec
from simulator.scim.schema import SchemaDef, SchemaDefinitionError
from suites.levels import Level

if TYPE_CHECKING:
    from suites.client import Exchange


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
_WANTED = {"text": 'a string in quotes, e.g. key = "value"', "number": "a number, e.g. 30",
           "flag": "true or false (without quotes)", "list": 'a string or a list of strings, e.g. ["a", "b"]'}
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")
RUN_ID = re.compile(r"[A-Za-z0-9-]{1,24}")
_T = TypeVar("_T")


class TomlSettings(dict[str, Any]):
    """The settings of scimcert.toml ([target] and [run] merged), and the file they came from."""

    def __init__(self, values: Mapping[str, Any] | None = None, file: str = "scimcert.toml") -> None:
        super().__init__(values or {})
        self.file = file


def load_toml(path: Path) -> TomlSettings:
    """The [target] and [run] tables of scimcert.toml merged; empty when the file is absent.

    A file that cannot be read, a key outside the tables, an unknown key or one in the wrong table
    is an error for every command (one file serves them all); a value of the wrong type is one for
    the commands that read that setting (resolve)."""
    if not path.is_file():
        return TomlSettings({}, str(path))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise HarnessError(f"cannot read {path}: {exc}") from exc
    loose = sorted(k for k in data if k not in ("target", "run"))
    if loose:
        raise HarnessError(f"{path}: {loose[0]!r} is outside the [target] and [run] tables; "
                           f"settings go under one of them")
    merged: dict[str, Any] = {}
    for table in ("target", "run"):
        section = data.get(table, {})
        if not isinstance(section, dict):
            raise HarnessError(f"{path}: [{table}] must be a table")
        found = {k.replace("-", "_"): v for k, v in section.items()}
        _check_table(path, table, found)
        twice = sorted(set(found) & set(merged))
        if twice:
            raise HarnessError(f"{path}: {twice[0]} is in both [target] and [run]; keep one")
        merged.update(found)
    return TomlSettings(merged, str(path))


def _check_table(path: Path, table: str, found: Mapping[str, Any]) -> None:
    """HarnessError for an unknown key, or a known one in the other table of scimcert.toml."""
    unknown = sorted(set(found) - {toml for _, toml in SOURCES.values()})
    if unknown:
        raise HarnessError(f"{path}: unknown setting {unknown[0]!r}")
    for key in found:
        right = "target" if key in TARGET_KEYS else "run"
        if right != table and key not in EITHER_TABLE:
            raise HarnessError(f"{path}: {key} is in [{table}] but belongs in [{right}]; move it there")


def _check_toml(toml: Mapping[str, Any], names: Collection[str], file: str) -> None:
    """HarnessError for a scimcert.toml value (of these settings) that is not of its setting's type."""
    for name in names:
        key = SOURCES[name][1]
        kind = KINDS.get(name, "text")
        if key in toml and not _fits(kind, toml[key]):
            raise HarnessError(f"{file}: {key} must be {_WANTED[kind]}; got {toml[key]!r}")


def _fits(kind: str, value: Any) -> bool:
    """Whether a scimcert.toml value has the type its setting takes (a bool is not a number)."""
    if kind == "flag":
        return isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "list" and isinstance(value, list):
        return all(isinstance(v, str) for v in value)
    return isinstance(value, str)


def _check_env(env: Mapping[str, str], names: Collection[str]) -> None:
    """HarnessError for a SCIMCERT_* flag or number (of these settings) that does not read as one."""
    for name in names:
        var = SOURCES[name][0]
        value, kind = env.get(var), KINDS.get(name)
        if value is None or not value.strip():
            continue
        if kind == "flag" and value.strip().lower() not in TRUE_WORDS + FALSE_WORDS:
            raise HarnessError(f"{var} must be true or false (also 1/0, yes/no, on/off); got {value!r}")
        if kind == "number":
            try:
                float(value)
            except ValueError:
                raise HarnessError(f"{var} must be a number of seconds, e.g. 30; got {value!r}") from None


def resolve(cli: Mapping[str, Any], env: Mapping[str, str] | None = None,
            toml: Mapping[str, Any] | None = None, only: Collection[str] | None = None) -> RunConfig:
    """Merge the three sources (first one that has a value wins) into a RunConfig. With only, just
    those settings are read and checked (a command's own: `replay` and `cleanup` take the target's);
    the others keep their defaults, whatever the environment or the file says of them. A value
    from the environment or the file that is refused names where it came from."""
    env = os.environ if env is None else env
    toml = TomlSettings() if toml is None else toml
    file = toml.file if isinstance(toml, TomlSettings) else "scimcert.toml"
    names = SOURCES.keys() if only is None else only
    _check_env(env, names)
    _check_toml(toml, names, file)
    sources = _sources(cli, env, toml)
    taken: dict[str, str | None] = {}

    def pick(name: str) -> Any:
        index = _taken_from(name, sources) if name in names else None
        if index is None:
            return None
        value = sources[index][name]
        # an option's own check names it; the others are labelled, e.g. 'SCIMCERT_FAIL_ON=sometimes'
        taken[name] = None if index == 0 else _label(name, index, file, value)
        return value

    def where(picked: tuple[str, ...]) -> str | None:
        found = [taken.get(name) for name in picked if name in taken]
        return None if not found or None in found else " and ".join(str(f) for f in found)

    return build(pick, where)


def _given(value: Any) -> bool:
    """Whether a source set this value: an unset flag is False and an unset list empty, but a
    number 0 is a value (a `timeout = 0` must be refused, not replaced by the default)."""
    if value is None or value is False:
        return False
    return not (isinstance(value, str | tuple | list) and not value)


def _sources(cli: Mapping[str, Any], env: Mapping[str, str],
             toml: Mapping[str, Any]) -> tuple[Mapping[str, Any], ...]:
    """Options, SCIMCERT_* and scimcert.toml, in that order of precedence, each by setting name."""
    return (cli, {name: env.get(var) for name, (var, _) in SOURCES.items()},
            {name: toml.get(key) for name, (_, key) in SOURCES.items()})


def _taken_from(name: str, sources: tuple[Mapping[str, Any], ...]) -> int | None:
    """Which of the sources a setting is taken from: the first that gives any setting of its group
    (GROUPS come from one source as a set), if it gives this one; None when it is not given."""
    group = next((g for g in GROUPS if name in g), (name,))
    index = next((i for i, s in enumerate(sources) if any(_given(s.get(n)) for n in group)), None)
    return index if index is not None and _given(sources[index].get(name)) else None


def _label(name: str, index: int, file: str, value: Any = None) -> str:
    """Source index of a setting for a message: '--url', 'SCIMCERT_URL' or 'url in FILE'; given
    its value, a variable shows it ('SCIMCERT_FAIL_ON=sometimes'), unless it is a secret."""
    var, key = SOURCES[name]
    if index == 1 and value is not None and name not in SECRET_KEYS:
        return f"{var}={value}"
    return ("--" + name.replace("_", "-"), var, f"{key} in {file}")[index]


def origin(name: str, cli: Mapping[str, Any], env: Mapping[str, str], file: str = "scimcert.toml") -> str:
    """Where resolve() took a setting from, for a message: '--url', 'SCIMCERT_URL' or 'url in FILE'
    (the file when neither an option nor the environment gives it: it is read last)."""
    index = _taken_from(name, _sources(cli, env, {}))
    return _label(name, 2 if index is None else index, file)


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
    return Auth(kind, value)


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
    try:
        parts = urlsplit(text)
        host, _ = parts.hostname, parts.port  # each raises ValueError when malformed
    except ValueError:
        raise HarnessError(f"target URL {text!r} is not a valid URL; {example}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise HarnessError(f"target URL {text!r} must start with http:// or https://")
    if not host:
        raise HarnessError(f"target URL {text!r} names no host; {example}")
    if parts.query or parts.fragment or text.endswith(("?", "#")):
        raise HarnessError(f"target URL {text!r} has a query string or fragment; give the base URL alone, "
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
