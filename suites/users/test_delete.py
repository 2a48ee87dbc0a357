"""DELETE /Users/{id} (RFC 7644 §3.6). Okta itself never deletes users (okta-scim.md §6.3)."""

from __future__ import annotations

import pytest

from simulator.scim.paths import user_path
from suites.client import Reply, ScimClient
from suites.expect import expect, expect_status
from suites.factory import Factory
from suites.target import Target
from suites.users.common import created_id, find_by_username, listed


def _delete(client: ScimClient, rid: str) -> Reply:
    """DELETE a user this run created (the client marks it deleted in the ledger on a 2xx)."""
    return client.delete(user_path(rid))


@pytest.mark.check("USR-DELETE-001", level="MUST", refs=["RFC7644 §3.6"])
def test_delete_returns_204(factory: Factory, client: ScimClient) -> None:
    """DELETE /Users/{id} answers 204 No Content.

    RFC 7644 §3.6: "In response to a successful DELETE, the server SHALL return a successful HTTP
    status code 204 (No Content)."
    """
    rid = created_id(factory.user())
    expect_status(_delete(client, rid), 204)


@pytest.mark.check("USR-DELETE-002", level="MUST", refs=["RFC7644 §3.6"])
def test_get_after_delete_is_404(factory: Factory, client: ScimClient) -> None:
    """After a DELETE, GET /Users/{id} answers 404.

    RFC 7644 §3.6: "Service providers MAY choose not to permanently delete the resource but MUST
    return a 404 (Not Found) error code for all operations associated with the previously
    deleted resource."
    """
    rid = created_id(factory.user())
    expect_status(_delete(client, rid), 200, 204)
    expect_status(client.get(user_path(rid)), 404)


@pytest.mark.check("USR-DELETE-003", level="MUST", refs=["RFC7644 §3.6"])
def test_delete_again_is_404(factory: Factory, client: ScimClient) -> None:
    """A second DELETE of the same user answers 404.

    RFC 7644 §3.6: the service provider "MUST return a 404 (Not Found) error code for all
    operations associated with the previously deleted resource."
    """
    rid = created_id(factory.user())
    expect_status(_delete(client, rid), 200, 204)
    expect_status(client.delete(user_path(rid)), 404)


@pytest.mark.check("USR-DELETE-004", level="MUST", refs=["RFC7644 §3.6"])
def test_deleted_user_is_not_found_by_filter(factory: Factory, client: ScimClient, target: Target) -> None:
    """A deleted user no longer appears in results of userName eq "...".

    RFC 7644 §3.6: "Service providers MUST omit the resource from future query results."
    A 404 for the empty result is tolerated here (Okta accepts it; the filter checks judge it).
    """
    target.require("filter")
    body = factory.user_body()
    rid = created_id(factory.user(**body))
    expect_status(_delete(client, rid), 200, 204)
    reply = expect_status(find_by_username(client, body["userName"]), 200, 404)
    found = [r.get("id") for r in listed(reply)]
    expect(rid not in found, f"no resource with id {rid} in the results", found, reply)
