"""The catalogue of checks, read from the check markers without running anything."""

from __future__ import annotations

import ast
import importlib
import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from suites.levels import basis_of

SUITES_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True, slots=True)
class Entry:
    """One check as the catalogue lists it."""

    id: str
    title: str
    level: str
    refs: tuple[str, ...]
    okta: bool
    readonly: bool
    caught_by: tuple[str, ...]
    suite: str
    path: str  # suites/<suite>/test_x.py::test_name
    evidence: tuple[str, ...] = ()  # the bugs of caught_by whose failure its message tells apart

    @property
    def basis(self) -> str:
        return basis_of(self.suite)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "level": self.level, "basis": self.basis,
                "refs": list(self.refs),
                "okta": self.okta, "readonly": self.readonly, "caught_by": list(self.caught_by),
                "suite": self.suite, "path": self.path}


def suite_names() -> list[str]:
    return sorted(p.name for p in SUITES_DIR.iterdir() if p.is_dir() and any(p.glob("test_*.py")))


def catalogue() -> list[Entry]:
    """Every check in every suite, in file order."""
    entries: list[Entry] = []
    for suite in suite_names():
        for file in sorted((SUITES_DIR / suite).glob("test_*.py")):
            module = importlib.import_module(f"suites.{suite}.{file.stem}")
            for name, func in inspect.getmembers(module, inspect.isfunction):
                if name.startswith("test_") and func.__module__ == module.__name__:
                    entry = _entry(func, suite, f"suites/{suite}/{file.name}::{name}")
                    if entry is not None:
                        entries.append(entry)
    entries.sort(key=lambda e: (e.path.split("::")[0], _line(e)))
    return entries


def check_ids() -> frozenset[str]:
    """The id of every check, read from the suites' source without importing it: `scimcert run`
    knows them before pytest starts, and pytest cannot rewrite the asserts of a module imported
    before it."""
    ids: set[str] = set()
    for suite in suite_names():
        for file in (SUITES_DIR / suite).glob("test_*.py"):
            ids.update(_marker_ids(ast.parse(file.read_text(encoding="utf-8"), str(file))))
    return frozenset(ids)


def _marker_ids(tree: ast.Module) -> Iterator[str]:
    """The literal ids of the `pytest.mark.check(...)` markers in one module."""
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "check" and isinstance(node.func.value, ast.Attribute)
                and node.func.value.attr == "mark"):
            continue
        given = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "id"), None)
        if isinstance(given, ast.Constant) and isinstance(given.value, str):
            yield given.value


def _line(entry: Entry) -> int:
    suite, file_and_func = entry.path.removeprefix("suites/").split("/", 1)
    file, func = file_and_func.split("::")
    module = importlib.import_module(f"suites.{suite}.{file.removesuffix('.py')}")
    return inspect.getsourcelines(getattr(module, func))[1]


def check_title(doc: str | None, fallback: str) -> str:
    """A check's title: the first paragraph of its docstring on one line (some wrap its sentence
    over two lines, which their first line alone would cut off mid-sentence), else fallback."""
    paragraph = inspect.cleandoc(doc or "").split("\n\n", 1)[0]
    return " ".join(paragraph.split()) or fallback


def _entry(func: Any, suite: str, path: str) -> Entry | None:
    marks = [m for m in getattr(func, "pytestmark", []) if m.name == "check"]
    if not marks:
        return None
    mark = marks[0]
    doc = inspect.getdoc(func) or ""
    return Entry(
        id=str(mark.args[0] if mark.args else mark.kwargs["id"]),
        title=check_title(doc, func.__name__),
        level=str(mark.kwargs.get("level", "MUST")),
        refs=tuple(mark.kwargs.get("refs", ())),
        okta=bool(mark.kwargs.get("okta", False)),
        readonly=bool(mark.kwargs.get("readonly", False)),
        caught_by=tuple(mark.kwargs.get("caught_by", ())),
        suite=suite,
        path=path,
        evidence=tuple(mark.kwargs.get("evidence", {})),
    )


def by_deviation() -> dict[str, list[str]]:
    """Deviation name -> ids of the checks it makes fail."""
    found: dict[str, list[str]] = {}
    for entry in catalogue():
        for name in entry.caught_by:
            found.setdefault(name, []).append(entry.id)
    return found
