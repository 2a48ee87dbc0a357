"""Requests that provoke error responses, shared by the errors checks."""

from __future__ import annotations

import uuid

from simulator.scim import urns
from simulator.scim.paths import user_path
from suites.client import Reply, ScimClient

MALFORMED = '{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": '


def unknown_user(client: ScimClient) -> Reply:
    """GET /Users/<a random UUID nobody created>."""
    return client.get(user_path(str(uuid.uuid4())))


def malformed_post(client: ScimClient) -> Reply:
    """POST /Users with a truncated JSON body."""
    return client.request("POST", "/Users", data=MALFORMED,
                          headers={"Content-Type": f"{urns.SCIM_MEDIA_TYPE}; charset=utf-8"})
