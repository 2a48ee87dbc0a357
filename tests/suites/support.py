"""Run the conformance suites against a reference provider from a test, and read the verdicts.

Also a command for check authors: `python -m tests.suites.support [SUITE ...]` prints, for
every deviation, the checks that fail against a provider with only that deviation on.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any

import pytest
import requests

from simulator.provider.app import create_app
from simulator.provider.deviations import REGISTRY, Deviations
from simulator.provider.server import start_in_thread
from simulator.provider.service import ProviderConfig
from simulator.scim.extensions import parse_extension_spec
from suites.catalogue import SUITES_DIR

TOKEN = "selftest-token"
ROOT = Path(__file__).resolve().parents[2]  # the checkout: where `python -m tests.…` runs
IVANTI_SPEC = "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User=custAttr1,level:integer,vip:boolean"
# Conditions, not bugs (Deviation.condition): circumstances and choices of a correct server. No
# check may fail on them: test_selftest.test_conditions_do_not_fail_a_run and
# test_legal_variants_do_not_fail_a_run prove a run against them passes.
SKIP_IN_MATRIX = {name for name, dev in REGISTRY.items() if dev.condition}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(command: Sequence[str], url: str, what: str, cwd: Path | None = None) -> Iterator[str]:
    """A SCIM server nobody here wrote, started as command and stopped after; yields url once its
    /ServiceProviderConfig answers (any status). what names it when it does not start in 30 s."""
    # never a pipe for its output: an unread pipe fills up and the server blocks on logging
    proc = subprocess.Popen(list(command), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(url + "/ServiceProviderConfig", timeout=1)
                break
            except requests.ConnectionError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{what} did not start (exit {proc.poll()}): run "
                                       f"{' '.join(command)}") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def served_django(project: str, module: str, requirement: str, token: str, data: Path,
                  what: str) -> Iterator[str]:
    """A Django SCIM server nobody here wrote: `python -m tests.suites.<project> PORT TOKEN DB`, a
    minimal project around the package that provides module (installed by the dev extra as
    requirement) on a fresh SQLite file in data; yields its base URL."""
    if importlib.util.find_spec(module) is None:
        pytest.fail(f"{requirement} is missing: pip install -e '.[dev]' installs it")
    port = free_port()
    with served([sys.executable, "-m", f"tests.suites.{project}", str(port), token, str(data / "db.sqlite3")],
                f"http://127.0.0.1:{port}/scim/v2", what, cwd=ROOT) as url:
        yield url


@contextmanager
def served_node(folder: Path, package: str, token: str, base_path: str, what: str) -> Iterator[str]:
    """A Node.js SCIM server nobody here wrote: `node server.mjs PORT TOKEN` in folder, whose pinned
    packages `npm ci` installs (.ci/run does); yields its base URL. Without Node.js or the package,
    the test skips with the command to run, or fails where SCIMCERT_REQUIRE_NODE=1 (as in CI)."""
    if shutil.which("node") is None:
        reason = "Node.js is not installed (apt-get install nodejs npm)"
    elif not (folder / "node_modules" / package).is_dir():
        reason = f"its packages are not installed (npm ci --prefix {folder})"
    else:
        port = free_port()
        with served(["node", "server.mjs", str(port), token], f"http://127.0.0.1:{port}{base_path}", what,
                    cwd=folder) as url:
            yield url
        return
    if os.environ.get("SCIMCERT_REQUIRE_NODE", "") not in ("", "0"):
        pytest.fail(f"SCIMCERT_REQUIRE_NODE is set but {what} cannot run: {reason}", pytrace=False)
    pytest.skip(f"{what} needs Node.js: {reason}")


def each(reason: str, *ids: str) -> dict[str, str]:
    """One reason for several check ids, in a real server's table of known deviations."""
    return dict.fromkeys(ids, reason)


def expect_takes_only(url: str, token: str) -> None:
    """A real server's glue refuses no token and a wrong one with 401, and takes its own bearer token
    (our glue's auth, which the checks' verdicts rely on)."""
    users = url + "/Users"
    assert requests.get(users, timeout=10).status_code == 401
    assert requests.get(users, headers={"Authorization": "Bearer wrong"}, timeout=10).status_code == 401
    assert requests.get(users, headers={"Authorization": f"Bearer {token}"}, timeout=10).status_code == 200


def expect_only_known(summary: dict[str, Any], known: dict[str, str]) -> None:
    """A real server fails exactly its known deviations; the message names the others."""
    assert summary["totals"]["passed"] > 100
    assert sorted(failing(summary)) == sorted(known), {
        c["id"]: c["message"][:400] for c in summary["checks"]
        if c["outcome"] in ("failed", "error") and c["id"] not in known}


@dataclass
class Response:
    """A provider response that a scripted rewrite may change before it is sent."""

    method: str
    path: str  # e.g. /scim/v2/Users/abc (no query string)
    query: str
    status: int
    headers: dict[str, str]
    body: bytes
    request: bytes = b""  # the body of the request it answers

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body.strip() else None

    def set_json(self, value: Any) -> None:
        self.body = json.dumps(value).encode()
        self.headers["Content-Length"] = str(len(self.body))


Rewrite = Callable[[Response], None]
RewriteRequest = Callable[[dict[str, Any]], None]  # edits a request's WSGI environ in place


class _Rewriter:
    """WSGI middleware: a scripted bad response, made by editing the compliant one."""

    def __init__(self, app: Callable[..., Any], rewrite: Rewrite,
                 rewrite_request: RewriteRequest | None = None) -> None:
        self.app = app
        self.rewrite = rewrite
        self.rewrite_request = rewrite_request

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        captured: dict[str, Any] = {}
        if self.rewrite_request is not None:
            self.rewrite_request(environ)

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            captured["status"], captured["headers"] = status, headers

        request = b""
        if environ.get("CONTENT_LENGTH"):
            request = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
            environ["wsgi.input"] = io.BytesIO(request)  # for the provider to read in turn
        body = b"".join(self.app(environ, capture))
        resp = Response(environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""),
                        environ.get("QUERY_STRING", ""), int(captured["status"].split()[0]),
                        dict(captured["headers"]), body, request)
        self.rewrite(resp)
        resp.headers["Content-Length"] = str(len(resp.body))
        start_response(f"{resp.status} {HTTPStatus(resp.status).phrase}", list(resp.headers.items()))
        return [resp.body]


@contextmanager
def provider(*deviations: str, extensions: Sequence[str] = (IVANTI_SPEC,),
             rewrite: Rewrite | None = None,
             rewrite_request: RewriteRequest | None = None) -> Iterator[str]:
    """A reference provider on a free loopback port; yields its base URL.

    rewrite, when given, edits every response in place: a scripted bad response for checks
    that no provider deviation reproduces. rewrite_request, given with it, first edits each
    request's WSGI environ (e.g. to map a scripted header value back to the provider's own).
    """
    cfg = ProviderConfig(token=TOKEN, deviations=Deviations.parse(deviations),
                         extensions=tuple(parse_extension_spec(e) for e in extensions))
    app = create_app(cfg)
    if rewrite is not None:
        app.wsgi_app = _Rewriter(app.wsgi_app, rewrite, rewrite_request)  # type: ignore[method-assign]
    with start_in_thread(app) as server:
        yield server.url + "/scim/v2"


def run_suites(url: str, suites: Sequence[str] = (), *args: str, token: str = TOKEN,
               report_dir: Path | None = None) -> dict[str, Any]:
    """Run the suites in a subprocess and return its summary.json (with 'exit_code' added)."""
    with tempfile.TemporaryDirectory(prefix="scimcert-selftest-") as tmp:
        out = report_dir or Path(tmp)
        paths = [str(SUITES_DIR / s) for s in suites] or [str(SUITES_DIR)]
        cmd = [sys.executable, "-m", "pytest", *paths, "-q", "-p", "no:randomly",
               "--scim-url", url, "--scim-token", token, "--scim-report-dir", str(out), *args]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900, check=False)
        summary_file = out / "summary.json"
        if not summary_file.exists():
            raise AssertionError(f"no summary.json; exit {proc.returncode}\n{proc.stdout[-3000:]}\n"
                                 f"{proc.stderr[-3000:]}")
        summary = json.loads(summary_file.read_text())
        summary["exit_code"] = proc.returncode
        summary["stdout"] = proc.stdout
        return summary


def failing(summary: dict[str, Any]) -> set[str]:
    return {c["id"] for c in summary["checks"] if c["outcome"] in ("failed", "error")}


def main(argv: list[str]) -> int:
    suites = argv or []
    with provider() as url:
        base = failing(run_suites(url, suites))
    print(f"compliant provider: {len(base)} failing {sorted(base)}")
    for name in REGISTRY:
        if name in SKIP_IN_MATRIX:
            continue
        with provider(name) as url:
            found = sorted(failing(run_suites(url, suites)) - base)
        print(f"{name:34} {', '.join(found) or '-'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
