"""Okta's cursor paging of list endpoints (okta-admin-api.md §1.6).

A list is a bare JSON array in a stable order; `limit` sizes the page and `after` is the opaque
cursor of the previous page's `next` link. The cursor encodes the sort key of the last item
read, so a page boundary survives the deletion of that item. The `Link` header carries `self`
and, while more items remain, `next` — as one header with `next` last, because the SDK keeps
only the last of repeated headers and reads the cursor from `after=` in the next URL.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlencode

from flask import request

from simulator.okta.api_render import base
from simulator.okta.service import invalid

T = TypeVar("T")
Key = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Limits:
    """An endpoint's page size when none is asked for, and the largest it serves."""

    default: int
    maximum: int
    all_by_default: bool = False  # `limit` -1 (the default of /apps) means every item


def paginate(items: Sequence[T], key: Callable[[T], Key], limits: Limits) -> tuple[list[T], dict[str, str]]:
    """The page of items (ordered by key) the request asks for, and its Link header."""
    ordered = sorted(items, key=key)
    limit = _limit(limits)
    after = request.args.get("after")
    start = 0
    if after:
        mark = _decode(after)
        start = next((i for i, item in enumerate(ordered) if key(item) > mark), len(ordered))
    page = ordered[start:] if limit is None else ordered[start : start + limit]
    links = [f'<{request.url}>; rel="self"']
    if page and start + len(page) < len(ordered):
        query = {**request.args.to_dict(), "after": _encode(key(page[-1]))}
        if limit is not None:
            query["limit"] = str(limit)
        path = request.path.removeprefix("/api/v1")
        links.append(f'<{base()}{path}?{urlencode(query)}>; rel="next"')
    return page, {"Link": ", ".join(links)}


def _limit(limits: Limits) -> int | None:
    raw = request.args.get("limit")
    if raw is None or raw == "":
        return None if limits.all_by_default else limits.default
    try:
        value = int(raw)
    except ValueError as exc:
        raise invalid("limit", "limit: must be an integer") from exc
    if value < 0 and limits.all_by_default:
        return None
    if value < 1:
        raise invalid("limit", "limit: must be a positive integer")
    return min(value, limits.maximum)


def _encode(key: Key) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def _decode(cursor: str) -> Key:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise invalid("after", "after: not a cursor this list handed out") from exc
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise invalid("after", "after: not a cursor this list handed out")
    return tuple(value)
