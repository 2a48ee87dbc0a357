"""DELETE /Groups/{id} (RFC 7644 §3.6)."""

from __future__ import annotations

import pytest

from simulator.scim.paths import group_path
from suites.client import ScimClient
from suites.expect import expect_status
from suites.factory import Factory


@pytest.mark.check("GRP-DELETE-001", level="MUST", refs=["RFC7644 §3.6"], okta=True)
def test_delete_group_answers_204_then_404(factory: Factory, client: ScimClient) -> None:
    """DELETE /Groups/{id} answers 204 No Content, and the group then reads 404.

    RFC 7644 §3.6: "In response to a successful DELETE, the server SHALL return a successful
    HTTP status code 204 (No Content)." and "Service providers MAY choose not to permanently
    delete the resource, but MUST return a 404 (Not Found) error code for all operations
    associated with the previously deleted resource." Okta's "unlink and delete" expects 204.
    """
    gid = factory.group()["id"]
    reply = client.delete(group_path(gid))  # a 2xx marks it deleted in the ledger (ScimClient)
    expect_status(reply, 204)
    expect_status(client.get(group_path(gid)), 404)
