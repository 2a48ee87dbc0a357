"""Resource paths with the id escaped as one path segment (RFC 3986 §3.3, RFC 7643 §3.1)."""

from __future__ import annotations

import pytest

from simulator.okta import wire
from simulator.scim.paths import group_path, resource_path, segment, user_path


@pytest.mark.parametrize(("rid", "encoded"), [
    ("2819c223-7f76-453a-919d-413861904646", "2819c223-7f76-453a-919d-413861904646"),
    ("a:b@c!$&'()*+,;=", "a:b@c!$&'()*+,;="),  # pchar sub-delims, ':' and '@' stay
    ("acme #7?x=1&y=100%", "acme%20%237%3Fx=1&y=100%25"),
    ("a/b", "a%2Fb"),
    ("ü", "%C3%BC"),
])
def test_segment_keeps_pchar_and_encodes_the_rest(rid: str, encoded: str) -> None:
    assert segment(rid) == encoded
    assert user_path(rid) == f"/Users/{encoded}" and group_path(rid) == f"/Groups/{encoded}"


def test_the_okta_engine_builds_the_same_paths() -> None:
    assert wire.resource_path("Users") == resource_path("Users") == "/Users"
    assert wire.resource_path("Groups", "g #1") == resource_path("Groups", "g #1") == "/Groups/g%20%231"
