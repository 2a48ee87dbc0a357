"""The provider's error type: one RFC 7644 §3.12 error response."""

from __future__ import annotations


class ScimError(Exception):
    """An error the provider answers with an RFC 7644 §3.12 body."""

    def __init__(
        self, status: int, detail: str, scim_type: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type
        self.headers = headers or {}


def bad_request(scim_type: str, detail: str) -> ScimError:
    return ScimError(400, detail, scim_type)


def not_found(detail: str) -> ScimError:
    return ScimError(404, detail)
