"""SCIM filter AST, attribute paths, PATCH paths and their errors (RFC 7644 §3.4.2.2, §3.5.2)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


class ExpressionError(ValueError):
    """A malformed expression; position is the character offset of the problem, if known."""

    scim_type: ClassVar[str] = "invalidSyntax"
    noun: ClassVar[str] = "expression"

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position


class FilterError(ExpressionError):
    """Bad filter text, unknown attribute, or operator/type mismatch (RFC 7644 §3.4.2.2)."""

    scim_type: ClassVar[str] = "invalidFilter"
    noun: ClassVar[str] = "filter"


class PathError(ExpressionError):
    """A malformed PATCH path (RFC 7644 §3.5.2, scimType invalidPath)."""

    scim_type: ClassVar[str] = "invalidPath"
    noun: ClassVar[str] = "path"


@dataclass(frozen=True, slots=True)
class AttrPath:
    """attrPath = [URI ":"] ATTRNAME *1subAttr, names as written."""

    urn: str | None
    attr: str
    sub_attr: str | None = None

    def __str__(self) -> str:
        text = f"{self.urn}:{self.attr}" if self.urn else self.attr
        return f"{text}.{self.sub_attr}" if self.sub_attr else text


@dataclass(frozen=True, slots=True)
class Compare:
    """attrPath compareOp compValue; op is lower-case."""

    path: AttrPath
    op: str
    value: str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class Present:
    """attrPath pr."""

    path: AttrPath


@dataclass(frozen=True, slots=True)
class And:
    left: Filter
    right: Filter


@dataclass(frozen=True, slots=True)
class Or:
    left: Filter
    right: Filter


@dataclass(frozen=True, slots=True)
class Not:
    inner: Filter


@dataclass(frozen=True, slots=True)
class ValuePath:
    """attrPath "[" valFilter "]"; paths inside are relative to the complex attribute."""

    path: AttrPath
    filter: Filter


Filter = Compare | Present | And | Or | Not | ValuePath


@dataclass(frozen=True, slots=True)
class PatchPath:
    """PATH = attrPath / valuePath [subAttr] (RFC 7644 §3.5.2)."""

    path: AttrPath
    value_filter: Filter | None
    sub_attr: str | None
