"""Where a run's settings come from: options > SCIMCERT_* environment > scimcert.toml ([target] and
[run]), each checked, merged into one RunConfig."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from suites.config import (
    EITHER_TABLE,
    FALSE_WORDS,
    GROUPS,
    KINDS,
    SECRET_KEYS,
    SOURCES,
    TARGET_KEYS,
    TRUE_WORDS,
    HarnessError,
    RunConfig,
    build,
)

_WANTED = {"text": 'a string in quotes, e.g. key = "value"', "number": "a number, e.g. 30",
           "flag": "true or false (without quotes)", "list": 'a string or a list of strings, e.g. ["a", "b"]'}


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
    its value, a variable shows it ('SCIMCERT_FAIL_ON=sometimes'), unless it is a secret or the
    URL (its message quotes it, without the credentials it may carry)."""
    var, key = SOURCES[name]
    if index == 1 and value is not None and name not in (*SECRET_KEYS, "url"):
        return f"{var}={value}"
    return ("--" + name.replace("_", "-"), var, f"{key} in {file}")[index]


def origin(name: str, cli: Mapping[str, Any], env: Mapping[str, str], file: str = "scimcert.toml") -> str:
    """Where resolve() took a setting from, for a message: '--url', 'SCIMCERT_URL' or 'url in FILE'
    (the file when neither an option nor the environment gives it: it is read last)."""
    index = _taken_from(name, _sources(cli, env, {}))
    return _label(name, 2 if index is None else index, file)
