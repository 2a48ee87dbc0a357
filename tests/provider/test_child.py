"""The provider served from a child process: its config, its lifetime, and Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import requests

from simulator.provider.child import start_in_child
from simulator.provider.service import ProviderConfig
from simulator.scim.extensions import parse_extension_spec

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the child inherits its socket (POSIX only)")
IVANTI = "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:  # a zombie has exited
        return fh.read().split(") ")[1][0] != "Z"


def _gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_serves_the_parents_config_and_stops_with_it() -> None:
    cfg = ProviderConfig(token="child-token", extensions=(parse_extension_spec(f"{IVANTI}=badge"),))
    with start_in_child(cfg) as child:
        base = child.url + "/scim/v2"
        assert requests.get(base + "/Users", timeout=30).status_code == 401
        schemas = requests.get(base + "/Schemas", headers={"Authorization": "Bearer child-token"}, timeout=30)
        assert IVANTI in {s["id"] for s in schemas.json()["Resources"]}
    assert child._proc.returncode == 0
    with pytest.raises(requests.ConnectionError):  # the port went with the child
        requests.get(base + "/Users", timeout=5)


def test_ctrl_c_leaves_the_child_serving_the_runs_cleanup() -> None:
    """A terminal's Ctrl-C never reaches the child (a session of its own); one sent to it once it
    serves is ignored too."""
    with start_in_child(ProviderConfig(token="t")) as child:
        auth = {"Authorization": "Bearer t"}
        assert requests.get(child.url + "/scim/v2/Users", headers=auth, timeout=30).status_code == 200
        assert os.getsid(child._proc.pid) != os.getsid(0)
        os.kill(child._proc.pid, signal.SIGINT)
        time.sleep(0.2)
        assert requests.get(child.url + "/scim/v2/Users", headers=auth, timeout=30).status_code == 200


def test_a_dead_child_refuses_connections_instead_of_hanging() -> None:
    with start_in_child(ProviderConfig(token="t")) as child:
        child._proc.kill()
        child._proc.wait()
        with pytest.raises(requests.ConnectionError):
            requests.get(child.url + "/scim/v2/Users", timeout=5)


def test_the_child_exits_when_its_parent_is_killed() -> None:
    parent = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import time
        from simulator.provider.child import start_in_child
        from simulator.provider.service import ProviderConfig
        child = start_in_child(ProviderConfig(token="t"))
        print(child._proc.pid, flush=True)
        time.sleep(120)
    """)], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child_pid = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    assert _gone_within(child_pid, 15), "the provider outlived the run that started it"


def test_a_simulator_package_in_the_working_directory_does_not_shadow_ours(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "simulator").mkdir()
    (tmp_path / "simulator" / "__init__.py").write_text('raise SystemExit("not scimcert")\n')
    monkeypatch.chdir(tmp_path)
    with start_in_child(ProviderConfig(token="t")) as child:
        reply = requests.get(child.url + "/scim/v2/Users", headers={"Authorization": "Bearer t"}, timeout=30)
        assert reply.status_code == 200


def test_a_child_that_dies_at_start_gives_a_refusing_port_not_a_traceback(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "executable", "/bin/false")  # exits at once, before reading its config
    with start_in_child(ProviderConfig(token="t")) as child:
        child._proc.wait()
        with pytest.raises(requests.ConnectionError):
            requests.get(child.url + "/scim/v2/Users", timeout=5)
