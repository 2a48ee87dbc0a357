"""SearchRequests (RFC 7644 §3.4.3), and the skips of a target that does not serve them or
declines their filter."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.scim import urns
from suites.client import Reply, ScimClient
from suites.filter.query import DECLINED

# A target that answers a well-formed SearchRequest with one of these does not serve /.search.
NOT_SERVED = (404, 405, 501)
MAY = ('RFC 7644 §3.4.3: "Clients MAY execute queries without passing parameters on the URL by '
       'using the HTTP POST verb combined with the "/.search" path extension."')
# (run prefix, base URL, path) -> the status of the bare SearchRequest that asked whether path is
# served: asked once per run (the prefix is the run's own, so runs in one process never share it)
_PROBED: dict[tuple[str, str, str], int | None] = {}


def search(client: ScimClient, path: str, **params: Any) -> Reply:
    """POST path with a SearchRequest holding params; skips the check when the target does not
    serve path at all."""
    reply = client.post(path, {"schemas": [urns.SEARCH_REQUEST], **params})
    if reply.status in NOT_SERVED:
        # The check's own request may be what the target refuses: only a bare SearchRequest
        # refused the same way says the endpoint is not served.
        status = _bare_status(client, path)
        if status in NOT_SERVED:
            pytest.skip(f"the target does not serve POST {path} (HTTP {status} to a SearchRequest); {MAY}")
    return reply


def _bare_status(client: ScimClient, path: str) -> int | None:
    key = (client.config.prefix, client.base, path)
    if key not in _PROBED:
        _PROBED[key] = client.post(path, {"schemas": [urns.SEARCH_REQUEST], "count": 1}).status
    return _PROBED[key]


def skip_if_declined(client: ScimClient, kind: str, reply: Reply, text: str) -> None:
    """A 400 to a filtered SearchRequest skips the check when GET /kind declines the filter too
    (the filter checks judge that); a filter GET takes is the check's to judge."""
    if reply.status != 400:
        return
    listed = client.get(f"/{kind}", params={"filter": text})
    if listed.status == 400:
        pytest.skip(f"the target declines the filter '{text}' on GET /{kind} too (400, scimType "
                    f"{listed.body.get('scimType')!r}); {DECLINED}")
