"""--insecure against an https target with a self-signed certificate, as a user meets it."""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from simulator.provider.app import create_app
from simulator.provider.service import ProviderConfig
from tests.suites.support import TOKEN

NOTICE = "warning: the target's TLS certificate is not verified (insecure)."


@contextmanager
def https_provider(folder: Path) -> Iterator[str]:
    """The reference provider over TLS with a self-signed certificate; yields its base URL."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a self-signed certificate")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                    "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = make_server("127.0.0.1", 0, create_app(ProviderConfig(token=TOKEN)), threaded=True,
                         ssl_context=context)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_port}/scim/v2"
    finally:
        server.shutdown()
        thread.join()


def scimcert(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "simulator.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300, check=False, env={**os.environ, **env})


def test_insecure_says_so_once_instead_of_a_warning_per_request(tmp_path: Path) -> None:
    """urllib3's InsecureRequestWarning took two lines per request (of run's preflight, replay's
    steps and cleanup's deletes) and a block in pytest's warnings summary."""
    with https_provider(tmp_path) as url:
        run = scimcert("run", "--url", url, "--token", TOKEN, "--suite", "users", "--no-cleanup",
                       "--insecure", "--report-dir", "out", cwd=tmp_path)
        cleanup = scimcert("cleanup", "out", "--token", TOKEN, cwd=tmp_path, SCIMCERT_INSECURE="1")
        replay = scimcert("replay", "connect", "--url", url, "--token", TOKEN, "--insecure", cwd=tmp_path)
        plain = subprocess.run([sys.executable, "-m", "pytest", str(Path("suites") / "users"), "-q",
                                "--scim-url", url, "--scim-token", TOKEN, "--scim-insecure"],
                               capture_output=True, text=True, timeout=300, check=False,
                               cwd=Path(__file__).resolve().parents[2])
    for result in (run, cleanup, replay, plain):
        output = result.stdout + result.stderr
        assert result.returncode == 0, output
        assert "InsecureRequestWarning" not in output
    for result in (run, cleanup, replay):
        assert result.stderr.count(NOTICE) == 1, result.stderr
    assert "deleted, 0 already gone" in cleanup.stdout


def test_a_verified_target_gets_no_notice(tmp_path: Path) -> None:
    with https_provider(tmp_path) as url:
        result = scimcert("run", "--url", url, "--token", TOKEN, "--suite", "discovery",
                          "--ca-bundle", str(tmp_path / "cert.pem"), "--report-dir", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert NOTICE not in result.stderr
