"""The provider's error type: one RFC 7644 §3.12 error response, and the storage errors mapped to it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from simulator.provider.records import Conflict, InvalidReference, NotFound


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


@contextmanager
def store_errors() -> Iterator[None]:
    """Storage errors (records.py) raised in the block as the SCIM errors the client gets."""
    try:
        yield
    except NotFound as exc:
        raise ScimError(404, f"Resource {str(exc).split()[1]} not found.") from exc
    except Conflict as exc:
        raise ScimError(409, f"{_sentence(exc)}.", "uniqueness") from exc
    except InvalidReference as exc:
        raise ScimError(400, f"{_sentence(exc)}.", "invalidValue") from exc


def _sentence(exc: Exception) -> str:
    text = str(exc)
    return text[:1].upper() + text[1:]
