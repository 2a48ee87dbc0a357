"""Scripted bad responses for the etag checks that no provider deviation reproduces."""

from __future__ import annotations

import itertools
import time
from typing import Any

from tests.suites.scripted import scripted
from tests.suites.support import Response, failing, provider, run_suites

FROZEN = 'W/"frozen"'  # never one of the provider's real versions


def frozen_version(resp: Response) -> None:
    """Every response shows the same ETag and meta.version, whatever changed."""
    if "ETag" in resp.headers:
        resp.headers["ETag"] = FROZEN
    body = resp.json if resp.body.strip().startswith(b"{") else None
    if isinstance(body, dict) and isinstance(body.get("meta"), dict) and "version" in body["meta"]:
        body["meta"]["version"] = FROZEN
        resp.set_json(body)


@scripted("ETAG-VERSION-001")
def test_a_version_that_never_changes_fails_the_conditional_checks() -> None:
    with provider(rewrite=frozen_version) as url:
        summary = run_suites(url, ["etag"])
    assert failing(summary) == {"ETAG-GET-001", "ETAG-PUT-001", "ETAG-PATCH-001", "ETAG-DELETE-001",
                                "ETAG-PUT-002", "ETAG-VERSION-001"}


def stale_is_409(resp: Response) -> None:
    """A stale If-Match refused with 409 Conflict, RFC 7644 Table 8's code for a version mismatch."""
    if resp.status == 412:
        resp.status = 409
        resp.set_json({**resp.json, "status": "409"})


def test_a_stale_version_refused_with_409_fails_nothing() -> None:
    with provider(rewrite=stale_is_409) as url:
        summary = run_suites(url, ["etag"])
    assert (failing(summary), summary["exit_code"]) == (set(), 0)


class CoarseVersions:
    """Weak ETags made from a clock of one-second resolution, as Canaille 0.3.6 makes them
    (W/ + a hash of id and lastModified in whole seconds): a change within a second of the
    version being issued keeps it. RFC 7232 §2.1 lets a weak validator "not change for every
    change to the representation data"."""

    def __init__(self) -> None:
        self.shown: dict[str, tuple[str, str, float]] = {}  # id -> (real ETag, shown, issued at)
        self.numbers = itertools.count(1)

    def version(self, rid: str, real: str) -> str:
        now = time.monotonic()
        was = self.shown.get(rid)
        if was is None or (was[0] != real and now - was[2] >= 1.0):
            self.shown[rid] = (real, f'W/"coarse-{next(self.numbers)}"', now)
        elif was[0] != real:
            self.shown[rid] = (real, was[1], was[2])
        return self.shown[rid][1]

    def response(self, resp: Response) -> None:
        body = resp.json if resp.body.strip().startswith(b"{") else None
        rid = str(body.get("id")) if isinstance(body, dict) and "id" in body else resp.path.rsplit("/", 1)[-1]
        meta = body.get("meta") if isinstance(body, dict) else None
        if isinstance(meta, dict) and "version" in meta:
            meta["version"] = self.version(rid, meta["version"])
            resp.set_json(body)
        if "ETag" in resp.headers:
            resp.headers["ETag"] = self.version(rid, resp.headers["ETag"])

    def request(self, environ: dict[str, Any]) -> None:
        """A shown version that is current goes to the provider as its own ETag; any other
        (a stale one) goes as it is, which matches nothing."""
        rid = environ.get("PATH_INFO", "").rsplit("/", 1)[-1]
        real, shown, _ = self.shown.get(rid, ("", None, 0.0))
        for header in ("HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH"):
            if shown is not None and environ.get(header, "").strip() == shown:
                environ[header] = real


def test_weak_versions_of_one_second_resolution_fail_only_the_version_check() -> None:
    """Canaille: a PUT in the second the version was issued leaves it (ETAG-VERSION-001, a
    SHOULD, judges that); the stale-If-Match checks replace the user again a second later and
    judge the refusal, which the server makes."""
    versions = CoarseVersions()
    with provider(rewrite=versions.response, rewrite_request=versions.request) as url:
        summary = run_suites(url, ["etag"])
    assert failing(summary) == {"ETAG-VERSION-001"}
