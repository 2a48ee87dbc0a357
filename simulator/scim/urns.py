"""Schema and message URNs of RFC 7643 and RFC 7644."""

from __future__ import annotations

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

SERVICE_PROVIDER_CONFIG = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"

LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
SEARCH_REQUEST = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
BULK_REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
BULK_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:BulkResponse"

SCIM_MEDIA_TYPE = "application/scim+json"


def is_urn(text: str) -> bool:
    """True when text starts like a URN (RFC 8141 is case-insensitive in its prefix)."""
    return text[:4].lower() == "urn:"


def split_urn_prefix(name: str) -> tuple[str | None, str]:
    """Split 'urn:...:User:manager.value' into ('urn:...:User', 'manager.value').

    Attribute names never contain ':' (RFC 7643 §2.1), so the last colon ends the URN.
    A name without a URN prefix comes back as (None, name).
    """
    if not is_urn(name):
        return None, name
    urn, sep, rest = name.rpartition(":")
    if not sep or not urn:
        return None, name
    return urn, rest
