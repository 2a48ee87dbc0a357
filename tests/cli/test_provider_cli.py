"""`scimcert provider` and `scimcert deviations` as a user runs them."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from simulator.cli import main
from simulator.provider.deviations import REGISTRY
from simulator.scim import urns


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_deviations_lists_all() -> None:
    result = CliRunner().invoke(main, ["deviations"])
    assert result.exit_code == 0
    for name in REGISTRY:
        assert name in result.output
    as_json = json.loads(CliRunner().invoke(main, ["deviations", "--json"]).output)
    assert len(as_json) == len(REGISTRY) >= 25


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--deviation", "no-such-bug"], "unknown deviation 'no-such-bug'"),
        (["--deviation", "slow=fast"], "must be a number"),
        (["--extension", "notaurn"], "expected URN=attr"),
        (["--extension", "urn:a:b:User=x:float"], "has type 'float'"),
        (["--extension-file", "/nonexistent.json"], "does not exist"),
        (["--require-extension", "urn:x:y:User"], "names no declared or built-in extension"),
        (["--port", "70000"], "70000"),
        (["--token", "t\u00f6k\u20ac"], "beyond Latin-1, which no client can send"),
    ],
)
def test_bad_options_exit_2_with_a_message(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["provider", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_bad_extension_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "urn:x:y:User", "attributes": [{"name": "a", "type": "colour"}]}')
    result = CliRunner().invoke(main, ["provider", "--extension-file", str(bad)])
    assert result.exit_code == 2 and "'type' is 'colour'" in result.output


def test_extension_file_that_is_not_utf8(tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"id": "urn:x:y:User", "description": "Société"}'.encode("latin-1"))
    result = CliRunner().invoke(main, ["provider", "--extension-file", str(latin1)])
    assert result.exit_code == 2 and "not UTF-8 text" in result.output
    assert isinstance(result.exception, SystemExit)  # no traceback


def test_the_builtin_enterprise_extension_can_be_required() -> None:
    enterprise = urns.ENTERPRISE_USER
    proc = subprocess.Popen([sys.executable, "-m", "simulator.cli", "provider", "--port", "0", "--token", "t",
                             "--require-extension", enterprise.upper()],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        url = re.search(r"(http://\S+/scim/v2)", proc.stdout.readline()).group(1)  # type: ignore[union-attr]
        auth = {"Authorization": "Bearer t"}
        rtype = requests.get(f"{url}/ResourceTypes/User", headers=auth, timeout=10).json()
        assert rtype["schemaExtensions"] == [{"schema": enterprise, "required": True}]
        body = {"schemas": [urns.CORE_USER], "userName": "a@example.com"}
        created = requests.post(f"{url}/Users", json=body, headers=auth, timeout=10)
        assert created.status_code == 400 and enterprise in created.text
    finally:
        proc.send_signal(2)
        proc.communicate(timeout=10)


@pytest.mark.parametrize("command", [["provider"], ["simulator", "--db", "{tmp}/org.db"]])
def test_port_in_use_is_one_sentence_and_exit_2(command: list[str], tmp_path: Path) -> None:
    """A server that cannot start says why in one sentence, exit 2 (werkzeug, binding itself,
    printed two lines and exited 1)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        args = [a.replace("{tmp}", str(tmp_path)) for a in command]
        result = CliRunner().invoke(main, [*args, "--port", str(port)])
    assert result.exit_code == 2, result.output
    assert result.output.strip() == (f"Error: cannot listen on 127.0.0.1:{port}: Address already in use; "
                                     "choose another --host/--port (--port 0 picks a free one).")


def test_provider_serves_until_interrupted(tmp_path: Path) -> None:
    schema = tmp_path / "ext.json"
    schema.write_text(
        json.dumps(
            {
                "id": "urn:ietf:params:scim:schemas:extension:acme:2.0:User",
                "attributes": [{"name": "costCode", "type": "string"}],
            }
        )
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulator.cli",
            "provider",
            "--port",
            "0",
            "--extension-file",
            str(schema),
            "--deviation",
            "slow=0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(2)]
        url = re.search(r"(http://\S+/scim/v2)", lines[0]).group(1)  # type: ignore[union-attr]
        token = lines[1].split(": ", 1)[1].strip()
        assert len(token) >= 20
        resp = requests.get(f"{url}/Schemas", headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert "urn:ietf:params:scim:schemas:extension:acme:2.0:User" in resp.text
    finally:
        proc.send_signal(2)  # SIGINT, as Ctrl-C
        _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
