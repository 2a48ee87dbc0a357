"""Typed failures and the small assertion helpers every check uses."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NoReturn

from suites.client import Reply

if TYPE_CHECKING:
    from suites.schemas import SchemaProblem

BODY_EXCERPT = 600


class ConformanceFailure(AssertionError):
    """A target that does not do what a check requires; the message reads as evidence."""

    def __init__(self, message: str, reply: Reply | None = None) -> None:
        super().__init__(message)
        self.reply = reply


def excerpt(value: Any, limit: int = BODY_EXCERPT) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + f"… ({len(text)} chars)"


def fail(expected: str, received: str, reply: Reply | None = None) -> NoReturn:
    """Raise a ConformanceFailure: request line first, then Expected and Received."""
    __tracebackhide__ = True
    lines = [reply.exchange.request_line] if reply is not None else []
    lines += [f"Expected: {expected}", f"Received: {received}"]
    raise ConformanceFailure("\n".join(lines), reply)


def describe(reply: Reply) -> str:
    """Status and a body excerpt, for Received lines."""
    if reply.status is None:
        return f"no response ({reply.exchange.error})"
    body = reply.text.strip()
    return f"{reply.status} {excerpt(body)}" if body else f"{reply.status} (empty body)"


def expect_status(reply: Reply, *codes: int) -> Reply:
    """The response status is one of codes."""
    __tracebackhide__ = True
    if reply.status not in codes:
        wanted = " or ".join(str(c) for c in codes)
        fail(f"HTTP {wanted}", describe(reply), reply)
    return reply


def expect_object(reply: Reply) -> dict[str, Any]:
    """The body parses as a JSON object."""
    __tracebackhide__ = True
    if not isinstance(reply.json, dict):
        fail("a JSON object in the body", describe(reply), reply)
    return reply.json


def expect(condition: bool, expected: str, received: Any, reply: Reply | None = None) -> None:
    """A free-form requirement: condition must hold."""
    __tracebackhide__ = True
    if not condition:
        fail(expected, received if isinstance(received, str) else excerpt(received), reply)


def expect_equal(actual: Any, wanted: Any, what: str, reply: Reply | None = None) -> None:
    __tracebackhide__ = True
    if actual != wanted:
        fail(f"{what} = {excerpt(wanted, 200)}", excerpt(actual, 300), reply)


def expect_header(reply: Reply, name: str, *, equals: str | None = None,
                  startswith: str | None = None) -> str:
    """The header is present (and matches, when asked); returns its value."""
    __tracebackhide__ = True
    value = reply.headers.get(name)
    if value is None:
        present = ", ".join(sorted(reply.headers)) or "none"
        fail(f"a {name} header", f"no {name} header (headers: {present})", reply)
    if equals is not None and value != equals:
        fail(f"{name}: {equals}", f"{name}: {value}", reply)
    if startswith is not None and not value.lower().startswith(startswith.lower()):
        fail(f"{name} starting with {startswith}", f"{name}: {value}", reply)
    return value


def _schema_failure(problems: list[SchemaProblem], what: str, reply: Reply | None) -> NoReturn:
    __tracebackhide__ = True
    shown = "\n".join(p.render() for p in problems[:3])
    more = f"\n(+{len(problems) - 3} more problems)" if len(problems) > 3 else ""
    fail(f"a body valid against {what}", f"{len(problems)} schema problem(s):\n{shown}{more}", reply)


def expect_schema(document: Any, name: str, reply: Reply | None = None) -> None:
    """document validates against the named fixture schema (RFC 7643/7644)."""
    __tracebackhide__ = True
    from suites.schemas import validate  # noqa: PLC0415 - jsonschema loads only when needed

    problems = validate(document, name)
    if problems:
        _schema_failure(problems, f"the {name} schema", reply)


def expect_valid(document: Any, schema: dict[str, Any], what: str, reply: Reply | None = None) -> None:
    """document validates against a schema built at run time (e.g. from the target's /Schemas)."""
    __tracebackhide__ = True
    from suites.schemas import validate_with  # noqa: PLC0415 - jsonschema loads only when needed

    problems = validate_with(document, schema)
    if problems:
        _schema_failure(problems, what, reply)


def ids_of(resources: Iterable[Any]) -> list[str]:
    """The ids of a Resources array, tolerating junk entries."""
    return [str(r["id"]) for r in resources if isinstance(r, dict) and isinstance(r.get("id"), str)]


def value_at(resource: Any, path: str) -> Any:
    """The value at an attribute path such as "displayName" or "name.givenName"; None when absent."""
    for name in path.split("."):
        resource = resource.get(name) if isinstance(resource, dict) else None
    return resource
