"""The ETag header and meta.version (RFC 7644 §3.14, RFC 7643 §3.1)."""

from __future__ import annotations

import pytest

from simulator.scim.paths import user_path
from suites.client import ScimClient
from suites.etag.versions import read
from suites.expect import expect_equal
from suites.factory import Factory
from suites.target import Target


@pytest.mark.check("ETAG-HEADER-001", level="MUST", refs=["RFC7644 §3.14"], caught_by=["no-etag"])
def test_get_carries_an_etag(factory: Factory, client: ScimClient, target: Target) -> None:
    """GET /Users/{id} carries an ETag header when etag.supported is true.

    RFC 7644 §3.14: "When supported, SCIM ETags MUST be specified as an HTTP header and
    SHOULD be specified within the "version" attribute contained in the resource's "meta"
    attribute."
    """
    target.require("etag")
    read(client, user_path(factory.user()["id"]))


@pytest.mark.check("ETAG-HEADER-002", level="SHOULD", refs=["RFC7644 §3.14", "RFC7643 §3.1"],
                   caught_by=["meta-missing", "no-etag"])
def test_meta_version_is_the_etag(factory: Factory, client: ScimClient, target: Target) -> None:
    """meta.version equals the ETag header of the same response.

    RFC 7644 §3.14: ETags "SHOULD be specified within the "version" attribute contained in the
    resource's "meta" attribute"; RFC 7643 §3.1, version: "This value must be the same as the
    entity-tag (ETag) HTTP response header".
    """
    target.require("etag")
    body, etag, reply = read(client, user_path(factory.user()["id"]))
    expect_equal((body.get("meta") or {}).get("version"), etag, "meta.version (the ETag header)", reply)
