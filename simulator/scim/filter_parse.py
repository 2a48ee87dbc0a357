"""SCIM filter and PATCH path grammar (RFC 7644 §3.4.2.2, §3.5.2): tokenizer and parser."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import NoReturn

from simulator.scim.filter_ast import (
    And,
    AttrPath,
    Compare,
    ExpressionError,
    Filter,
    FilterError,
    Not,
    Or,
    PatchPath,
    PathError,
    Present,
    ValuePath,
)

MAX_DEPTH = 50
OPERATORS = ("eq", "ne", "co", "sw", "ew", "gt", "lt", "ge", "le")
_OPERATOR_LIST = ", ".join(OPERATORS)

_NAME = re.compile(r"[A-Za-z$][A-Za-z0-9_-]*")
_URN = re.compile(r"(?i)urn:[a-z0-9][a-z0-9-]*:\S+")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?P<real>(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)")
# The grammar's SP is one space; runs of spaces, tabs and line breaks are accepted as SP.
_LEX = re.compile(
    r"(?P<ws>[ \t\r\n]+)"
    r'|(?P<string>"(?:[^"\\]|\\.)*")'
    r"|(?P<punct>[()\[\]])"
    r'|(?P<word>[^\s"()\[\]\x00-\x1f\x7f]+)',
    re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # word, string, ( ) [ ], end
    text: str
    pos: int
    spaced: bool  # whitespace precedes it: the grammar's SP is significant


def parse_filter(text: str) -> Filter:
    """Parse a filter expression, raising FilterError with the offset of the problem."""
    parser = _Parser(text, FilterError)
    if parser.peek.kind == "end":
        parser.fail("empty filter", parser.peek)
    node = parser.or_expr(0, in_value=False)
    parser.expect_end('"and", "or" or end of filter')
    return node


def parse_path(text: str) -> PatchPath:
    """Parse a PATCH operation path, raising PathError with the offset of the problem."""
    parser = _Parser(text, PathError)
    first = parser.peek
    if first.kind == "end":
        parser.fail("empty path", first)
    if first.kind != "word":
        parser.expected("an attribute path", first)
    path = parser.attr_path(parser.take())
    bracket = parser.peek
    if bracket.kind != "[" or bracket.spaced:
        parser.expect_end('"[" or end of path')
        return PatchPath(path, None, None)
    value_path = parser.value_path(path, 0, in_value=False)
    sub: str | None = None
    tail = parser.peek
    if tail.kind == "word" and not tail.spaced and tail.text.startswith("."):
        sub = tail.text[1:]
        if not _NAME.fullmatch(sub):
            parser.expected('a sub-attribute name after "."', tail)
        parser.take()
    parser.expect_end('"." and a sub-attribute name, or end of path')
    return PatchPath(path, value_path.filter, sub)


def parse_attr_path(text: str) -> AttrPath | None:
    """Split '[urn:...:]name[.sub]' into an AttrPath; None when it is not one."""
    urn: str | None = None
    rest = text
    if text[:4].lower() == "urn:":
        urn, _, rest = text.rpartition(":")
        if not _URN.fullmatch(urn):
            return None
    name, dot, sub = rest.partition(".")
    if not _NAME.fullmatch(name) or (dot and not _NAME.fullmatch(sub)):
        return None
    return AttrPath(urn, name, sub if dot else None)


def _tokenize(text: str, error: type[ExpressionError]) -> list[_Token]:
    tokens: list[_Token] = []
    pos, spaced = 0, False
    while pos < len(text):
        match = _LEX.match(text, pos)
        if match is None:
            what = (
                "unterminated string" if text[pos] == '"' else f"unexpected character {text[pos]!r}"
            )
            raise error(f"invalid {error.noun} at offset {pos}: {what}", pos)
        kind = match.lastgroup or ""
        if kind == "ws":
            spaced = True
        else:
            tokens.append(
                _Token(match.group() if kind == "punct" else kind, match.group(), pos, spaced)
            )
            spaced = False
        pos = match.end()
    tokens.append(_Token("end", "", len(text), spaced))
    return tokens


def _describe(token: _Token) -> str:
    if token.kind == "end":
        return "end of input"
    text = token.text if len(token.text) <= 40 else token.text[:37] + "..."
    return text if token.kind == "string" else f'"{text}"'


class _Parser:
    """Recursive descent over the token list; depth counts open '(' and '['."""

    def __init__(self, text: str, error: type[ExpressionError]) -> None:
        self.error = error
        self.tokens = _tokenize(text, error)
        self.index = 0

    @property
    def peek(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def fail(self, message: str, token: _Token) -> NoReturn:
        raise self.error(f"invalid {self.error.noun} at offset {token.pos}: {message}", token.pos)

    def expected(self, what: str, token: _Token) -> NoReturn:
        self.fail(f"expected {what}, found {_describe(token)}", token)

    def expect_end(self, what: str) -> None:
        token = self.peek
        if token.kind == ")":
            self.fail('")" has no matching "("', token)
        if token.kind == "]":
            self.fail('"]" has no matching "["', token)
        if token.kind != "end":
            self.expected(what, token)

    def or_expr(self, depth: int, in_value: bool) -> Filter:
        node = self.and_expr(depth, in_value)
        while self.keyword("or"):
            node = Or(node, self.and_expr(depth, in_value))
        return node

    def and_expr(self, depth: int, in_value: bool) -> Filter:
        node = self.factor(depth, in_value)
        while self.keyword("and"):
            node = And(node, self.factor(depth, in_value))
        return node

    def keyword(self, word: str) -> bool:
        token = self.peek
        if token.kind != "word" or token.text.lower() != word:
            return False
        if not token.spaced:
            self.fail(f'expected a space before "{token.text}"', token)
        self.index += 1
        following = self.peek
        if not following.spaced and following.kind != "end":
            self.fail(f'expected a space after "{token.text}"', following)
        return True

    def factor(self, depth: int, in_value: bool) -> Filter:
        token = self.peek
        if token.kind == "(":
            return self.group(depth, in_value)
        if token.kind != "word":
            self.expected('an attribute path, "(" or "not"', token)
        if token.text.lower() == "not":
            following = self.tokens[self.index + 1]
            if following.kind == "(":
                self.take()
                return Not(self.group(depth, in_value))
            if following.kind == "word" and _operator(following) is None:
                self.expected('"(" after "not"', following)
        return self.attr_exp(depth, in_value)

    def group(self, depth: int, in_value: bool) -> Filter:
        opening = self.take()
        self.check_depth(depth, opening)
        node = self.or_expr(depth + 1, in_value)
        if self.peek.kind != ")":
            self.expected(f'"and", "or" or ")" to close the "(" at offset {opening.pos}', self.peek)
        self.take()
        return node

    def check_depth(self, depth: int, token: _Token) -> None:
        if depth >= MAX_DEPTH:
            self.fail(f"nesting is deeper than {MAX_DEPTH} levels", token)

    def attr_exp(self, depth: int, in_value: bool) -> Filter:
        start = self.take()
        path = self.attr_path(start)
        bracket = self.peek
        if bracket.kind == "[" and not bracket.spaced:
            return self.value_path(path, depth, in_value)
        op_token = self.peek
        op = _operator(op_token)
        if op is None:
            what = f'an operator ({_OPERATOR_LIST}) or "pr" after "{start.text}"'
            self.expected(what, op_token)
        if not op_token.spaced:
            self.fail(f'expected a space before "{op_token.text}"', op_token)
        self.take()
        if op == "pr":
            return Present(path)
        value_token = self.peek
        value = self.comp_value(value_token)
        if not value_token.spaced:
            self.fail(f'expected a space between "{op_token.text}" and its value', value_token)
        self.take()
        return Compare(path, op, value)

    def attr_path(self, token: _Token) -> AttrPath:
        path = parse_attr_path(token.text)
        if path is None:
            self.expected("an attribute path (name, name.subAttr or urn:...:name)", token)
        return path

    def value_path(self, path: AttrPath, depth: int, in_value: bool) -> ValuePath:
        opening = self.take()
        if in_value:
            self.fail("a value filter cannot contain another value path", opening)
        if path.sub_attr is not None:
            self.fail(f'"[" must follow a complex attribute name, not "{path}"', opening)
        self.check_depth(depth, opening)
        inner = self.or_expr(depth + 1, in_value=True)
        if self.peek.kind != "]":
            self.expected(f'"and", "or" or "]" to close the "[" at offset {opening.pos}', self.peek)
        self.take()
        return ValuePath(path, inner)

    def comp_value(self, token: _Token) -> str | int | float | bool | None:
        if token.kind == "string":
            try:
                value = json.loads(token.text)
            except ValueError as exc:
                self.fail(f"invalid string: {getattr(exc, 'msg', exc)}", token)
            return str(value)
        literal = token.text.lower() if token.kind == "word" else ""
        if literal in ("true", "false", "null"):
            return None if literal == "null" else literal == "true"
        number = _NUMBER.fullmatch(token.text) if token.kind == "word" else None
        if number is None:
            what = "a value (a JSON string in double quotes, a number, true, false or null)"
            self.expected(what, token)
        try:
            # int() refuses more than sys.get_int_max_str_digits() digits with ValueError.
            parsed: float = float(token.text) if number.group("real") else int(token.text)
        except ValueError:
            parsed = math.inf
        if not math.isfinite(parsed):
            self.fail(f"number {_describe(token)} is out of range", token)
        return parsed


def _operator(token: _Token) -> str | None:
    name = token.text.lower() if token.kind == "word" else ""
    return name if name in OPERATORS or name == "pr" else None
