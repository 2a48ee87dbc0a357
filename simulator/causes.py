"""What lies under an HTTP client's failure: requests and urllib3 wrap the socket's, TLS's or the
HTTP parser's error (a ConnectionError holding a MaxRetryError whose reason is a
NewConnectionError caused by ConnectionRefusedError; a ProtocolError('Connection aborted.', err))."""

from __future__ import annotations

from collections.abc import Iterator


def causes(exc: BaseException, depth: int = 8) -> Iterator[BaseException]:
    """exc, then each error under it, outermost first: its __cause__, a wrapper's .reason or an
    exception among its arguments, else its __context__ (at most depth errors)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(seen) < depth:
        seen.add(id(current))
        yield current
        here = current
        candidates = (here.__cause__, getattr(here, "reason", None), *here.args, here.__context__)
        current = next((e for e in candidates if isinstance(e, BaseException)), None)
