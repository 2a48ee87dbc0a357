"""docs/ci-gate.yml, the example CI job README points at: its shell steps do what they say."""

from __future__ import annotations

import shutil
import subprocess
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from threading import Thread
from typing import Any

import pytest

from tests.suites.support import free_port

yaml = pytest.importorskip("yaml")  # PyYAML (a dependency of the okta SDK among the dev extras)

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "ci-gate.yml"
pytestmark = pytest.mark.skipif(shutil.which("curl") is None, reason="the example's steps use curl")


def _uncommented(text: str) -> str:
    """The file with its commented-out YAML (permissions, the baseline step) switched on: each
    block runs from a commented `permissions:` or `- name:` line to the next uncommented one."""
    lines, inside = [], False
    for line in text.splitlines():
        body = line.lstrip()
        inside = body.startswith(("# permissions:", "# - name:")) or (inside and body.startswith("#"))
        lines.append(line.replace("# ", "", 1) if inside else line)
    return "\n".join(lines)


def _steps(text: str) -> dict[str, dict[str, Any]]:
    return {s.get("name", s.get("uses")): s for s in yaml.safe_load(text)["jobs"]["scimcert"]["steps"]}


def _start_step(port: int) -> str:
    """The start step's script, with a stand-in server command, a 2 s wait and another port."""
    script = _steps(EXAMPLE.read_text())["Start the SCIM server"]["run"]
    assert "seq 60" in script and "127.0.0.1:8080" in script
    return (script.replace("./scripts/start-test-server.sh", "echo 'server: listening elsewhere'")
            .replace("seq 60", "seq 2").replace("127.0.0.1:8080", f"127.0.0.1:{port}"))


def _bash(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # GitHub Actions runs `run:` with `bash --noprofile --norc -eo pipefail {0}`
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=cwd,
                          capture_output=True, text=True, timeout=60, check=False)


def test_the_start_step_fails_when_the_server_never_answers(tmp_path: Path) -> None:
    proc = _bash(_start_step(free_port()), tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "::error::the SCIM server did not answer" in proc.stdout
    assert "server: listening elsewhere" in proc.stdout  # its log, to see why


class _Health(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/health" else 404)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def test_the_start_step_passes_once_the_server_answers(tmp_path: Path) -> None:
    with HTTPServer(("127.0.0.1", 0), _Health) as server:
        Thread(target=server.serve_forever, daemon=True).start()
        proc = _bash(_start_step(server.server_address[1]), tmp_path)
        server.shutdown()
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_optional_baseline_step_is_valid_once_uncommented() -> None:
    text = _uncommented(EXAMPLE.read_text())
    job = yaml.safe_load(text)["jobs"]["scimcert"]
    assert job["permissions"] == {"contents": "read", "actions": "read"}
    names = list(_steps(text))
    assert names.index("Fetch the baseline") < names.index("Conformance gate")
    step = _steps(text)["Fetch the baseline"]
    assert step["env"] == {"GH_TOKEN": "${{ github.token }}"}
    assert "--name scimcert-reports" in step["run"] and "SCIMCERT_BASELINE=" in step["run"]
    assert _steps(text)["Keep the reports"]["with"]["name"] == "scimcert-reports"  # what it fetches
    for name, found in _steps(text).items():
        if "run" in found:
            check = subprocess.run(["bash", "-n"], input=found["run"], capture_output=True, text=True,
                                   check=False)
            assert check.returncode == 0, (name, check.stderr)
