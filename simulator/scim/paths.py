"""Resource paths with the id escaped as one URI path segment (RFC 3986 §3.3).

RFC 7643 §3.1 lets a service provider pick any string as an id, so an id may hold '#', '?', '%',
'/', spaces or non-ASCII letters; put raw into a path they would end it or change it. The clients
(suites, the Okta engine) and the reference provider (meta.location, Location, $ref) build every
/Users/{id} and /Groups/{id} here.
"""

from __future__ import annotations

from urllib.parse import quote

# RFC 3986 pchar = unreserved / pct-encoded / sub-delims / ":" / "@": sub-delims, ':' and '@' may
# stay as they are in a segment; everything else outside unreserved is percent-encoded.
SEGMENT_SAFE = ":@!$&'()*+,;="


def segment(text: str) -> str:
    """text percent-encoded as one path segment (UTF-8 for non-ASCII)."""
    return quote(text, safe=SEGMENT_SAFE)


def resource_path(endpoint: str, resource_id: str | None = None) -> str:
    """'/Users', or '/Users/<id>' with the id escaped as one segment; endpoint is 'Users', 'Groups'."""
    return f"/{endpoint}" if resource_id is None else f"/{endpoint}/{segment(str(resource_id))}"


def user_path(rid: str) -> str:
    """/Users/{id} with the id escaped as one path segment."""
    return resource_path("Users", rid)


def group_path(gid: str) -> str:
    """/Groups/{id} with the id escaped as one path segment."""
    return resource_path("Groups", gid)
