"""Profile mappings: a small subset of Okta Expression Language, and the app-user profile."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Final

from simulator.okta.model import AppInstance, AppUser, OktaUser

# Covers what the test app's defaults and scimcert's flows use (okta-admin-api.md §11 [I]):
# 'literals', numbers, user.attr, +, ==, !=, &&, ||, ( ), and cond ? a : b.
_TOKEN: Final = re.compile(
    r"""\s*(?:(?P<str>'[^']*'|"[^"]*")|(?P<num>-?\d+(?:\.\d+)?)|(?P<op>==|!=|&&|\|\||[+?:()])"""
    r"""|(?P<name>[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*))"""
)
_WORDS: Final[Mapping[str, Any]] = {"null": None, "true": True, "false": False}

Node = tuple[Any, ...]


class ExpressionError(ValueError):
    """An expression outside the supported subset of Okta Expression Language."""


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(text.rstrip()):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ExpressionError(f"{text!r}: cannot read from position {pos}")
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind)))
        pos = match.end()
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokens(text)
        self.pos = 0

    def peek(self) -> str | None:
        return self.toks[self.pos][1] if self.pos < len(self.toks) else None

    def take(self, op: str | None = None) -> tuple[str, str]:
        if self.pos >= len(self.toks) or (op is not None and self.toks[self.pos][1] != op):
            raise ExpressionError(f"{self.text!r}: expected {op or 'more'} at token {self.pos + 1}")
        self.pos += 1
        return self.toks[self.pos - 1]

    def parse(self) -> Node:
        node = self.expr()
        if self.pos != len(self.toks):
            raise ExpressionError(f"{self.text!r}: unexpected {self.peek()!r}")
        return node

    def expr(self) -> Node:
        cond = self.chain("||", "or", self.conj)
        if self.peek() != "?":
            return cond
        self.take("?")
        yes = self.expr()
        self.take(":")
        return ("if", cond, yes, self.expr())

    def conj(self) -> Node:
        return self.chain("&&", "and", self.compare)

    def chain(self, op: str, tag: str, part: Any) -> Node:
        nodes = [part()]
        while self.peek() == op:
            self.take(op)
            nodes.append(part())
        return nodes[0] if len(nodes) == 1 else (tag, *nodes)

    def compare(self) -> Node:
        left = self.chain("+", "cat", self.atom)
        if self.peek() in ("==", "!="):
            op = self.take()[1]
            return (op, left, self.chain("+", "cat", self.atom))
        return left

    def atom(self) -> Node:
        kind, value = self.take()
        if value == "(" and kind == "op":
            inner = self.expr()
            self.take(")")
            return inner
        if kind == "str":
            return ("lit", value[1:-1])
        if kind == "num":
            return ("lit", float(value) if "." in value else int(value))
        if kind == "name" and value in _WORDS:
            return ("lit", _WORDS[value])
        if kind == "name" and value.startswith("user.") and value.count(".") == 1:
            return ("ref", value[5:])
        raise ExpressionError(f"{self.text!r}: {value!r} is not supported (use user.<attribute>)")


@lru_cache(maxsize=1024)
def compile_expression(text: str) -> Node:
    """Parse an expression once; raises ExpressionError outside the supported subset."""
    return _Parser(text).parse()


def evaluate(text: str, profile: Mapping[str, Any]) -> Any:
    """Value of an expression over an Okta user profile; a missing attribute is None."""
    return _eval(compile_expression(text), profile)


def _eval(node: Node, profile: Mapping[str, Any]) -> Any:
    tag = node[0]
    if tag == "lit":
        return node[1]
    if tag == "ref":
        return profile.get(node[1])
    if tag == "cat":
        parts = [_eval(n, profile) for n in node[1:]]
        # Simplification: Okta EL would print 'null'; an incomplete value is better left unsent.
        return None if any(p is None for p in parts) else "".join(str(p) for p in parts)
    if tag in ("==", "!="):
        same = _eval(node[1], profile) == _eval(node[2], profile)
        return same if tag == "==" else not same
    if tag == "and":
        return all(bool(_eval(n, profile)) for n in node[1:])
    if tag == "or":
        return any(bool(_eval(n, profile)) for n in node[1:])
    return _eval(node[2] if _eval(node[1], profile) else node[3], profile)


def app_profile(app: AppInstance, user: OktaUser, app_user: AppUser | None) -> dict[str, Any]:
    """The app-user profile Okta pushes: mappings first, then the assignment's own values."""
    overrides = app_user.profile if app_user else {}
    out: dict[str, Any] = {}
    for attr in app.attributes:
        if attr.name == "userName":
            explicit = app_user.user_name if app_user else None
            out[attr.name] = explicit or evaluate(app.username_expression, user.profile)
        elif attr.name in overrides:
            out[attr.name] = overrides[attr.name]
        elif (mapping := app.mappings.get(attr.name)) is not None:
            out[attr.name] = evaluate(mapping.expression, user.profile)
        else:
            out[attr.name] = None
    return out


def pushed_on_update(app: AppInstance, app_user: AppUser | None) -> frozenset[str]:
    """App attributes a profile push overwrites: userName, 'create and update' mappings, overrides."""
    names = {"userName"} | {n for n, m in app.mappings.items() if m.push}
    if app_user:
        names |= set(app_user.profile)
    return frozenset(names)


def user_name(app: AppInstance, user: OktaUser, app_user: AppUser | None) -> str:
    """The app username: the SCIM userName and the value of Okta's lookup filter (§4.1)."""
    explicit = app_user.user_name if app_user else None
    value = explicit or evaluate(app.username_expression, user.profile)
    return "" if value is None else str(value)
