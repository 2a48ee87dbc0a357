"""GET /Users/{id} (RFC 7644 §3.4.1)."""

from __future__ import annotations

import pytest

from simulator.scim.paths import user_path
from suites.client import ScimClient
from suites.expect import expect_equal, expect_object, expect_schema, expect_status
from suites.factory import Factory
from suites.users.common import MISSING_ID, created_id, meta_of

# The core attributes a create response and a later GET must agree on.
COMPARED = ("id", "userName", "name", "displayName", "emails", "active", "externalId")


@pytest.mark.check("USR-GET-001", level="MUST", refs=["RFC7644 §3.4.1", "RFC7644 §3.3"], okta=True)
def test_get_returns_the_created_user(factory: Factory, client: ScimClient) -> None:
    """GET /Users/{id} answers 200 with the same core attributes the create returned (SPEC step 7).

    RFC 7644 §3.4.1: "If the resource exists, the server responds with HTTP status code 200 (OK)
    and includes the result in the body of the response." Okta's SPEC test step 7 reads the user
    it created and compares userName, name.givenName and name.familyName.
    """
    created = factory.user()
    reply = expect_status(client.get(user_path(created_id(created))), 200)
    got = expect_object(reply)
    for key in COMPARED:
        expect_equal(got.get(key), created.get(key), f"{key} (as the create response had it)", reply)
    expect_equal(meta_of(got).get("created"), meta_of(created).get("created"), "meta.created", reply)


@pytest.mark.check("USR-GET-002", level="SHOULD", refs=["RFC7644 §3.12"], okta=True, readonly=True,
                   caught_by=["error-body-not-scim", "error-status-int"])
def test_get_unknown_id_is_404_scim_error(client: ScimClient) -> None:
    """GET of an id that does not exist answers 404 with a SCIM Error whose status is "404".

    RFC 7644 §3.12: "implementers MUST return the errors in the body of the response in a JSON
    format"; status is "The HTTP status code ... expressed as a JSON string. REQUIRED."; Table 8
    (which implementers "SHOULD" follow, hence the level): 404 "Specified resource (e.g., User)
    or endpoint does not exist." Okta's SPEC test steps 4 and 12 assert 404, the Error schema
    and status "404".
    """
    reply = expect_status(client.get(user_path(MISSING_ID)), 404)
    body = expect_object(reply)
    expect_schema(body, "error", reply)
    expect_equal(body.get("status"), "404", "status", reply)
