"""Creates that got no response (the target was slower than --timeout) may still have created
their resource: the run looks each one up by its run-prefixed name, deletes what it finds, and
says so when a lookup cannot tell, instead of claiming it left nothing."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from http import HTTPStatus
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner

from simulator.cli import main
from simulator.provider.app import create_app
from simulator.provider.server import start_in_thread
from simulator.provider.service import ProviderConfig
from suites.ledger import Ledger
from tests.suites.support import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}


class SlowCreates:
    """WSGI middleware: each POST /Users and /Groups answers only after `delay` seconds, the
    resource created before the wait (`first`) or after it (as a server still busy creating).
    While `refuse` is set, a lookup by name without paging (scimcert's, not Okta's, which asks
    for count=100) is answered with that status: 400, a filter the target cannot take; 503, a
    lookup that may work later."""

    def __init__(self, app: Callable[..., Any], delay: float, first: bool, refuse: int | None) -> None:
        self.app, self.delay, self.first, self.refuse = app, delay, first, refuse
        self.busy = 0
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        query = environ.get("QUERY_STRING", "")
        lookup = environ["REQUEST_METHOD"] == "GET" and "filter=" in query and "count=" not in query
        if self.refuse and lookup:
            start_response(f"{self.refuse} {HTTPStatus(self.refuse).phrase}",
                           [("Content-Type", "application/scim+json")])
            return [json.dumps({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
                                "status": str(self.refuse), "detail": "no"}).encode()]
        creates = (environ["REQUEST_METHOD"] == "POST"
                   and environ.get("PATH_INFO", "").rstrip("/").endswith(("/Users", "/Groups")))
        if not creates:
            return self.app(environ, start_response)  # type: ignore[no-any-return]
        with self.lock:
            self.busy += 1
        try:
            if self.first:
                body = list(self.app(environ, start_response))
                time.sleep(self.delay)
                return body
            time.sleep(self.delay)
            return list(self.app(environ, start_response))
        finally:
            with self.lock:
                self.busy -= 1

    def idle(self) -> None:
        """Wait for the creates in flight: the target's users are then all it will ever make."""
        deadline = time.monotonic() + 30
        while self.busy and time.monotonic() < deadline:
            time.sleep(0.05)


@contextmanager
def slow_target(first: bool, refuse: int | None = None,
                delay: float = 1.5) -> Iterator[tuple[str, SlowCreates]]:
    """The reference provider whose creates answer after delay seconds (and SlowCreates.refuse)."""
    app = create_app(ProviderConfig(token=TOKEN))
    slow = SlowCreates(app.wsgi_app, delay, first, refuse)
    app.wsgi_app = slow  # type: ignore[method-assign]
    with start_in_thread(app) as server:
        yield server.url + "/scim/v2", slow


def run(target: tuple[str, SlowCreates], report_dir: Path, *args: str, timeout: str = "1",
        suite: str = "users") -> tuple[str, list[str]]:
    """`scimcert run --timeout 1 --suite users` against the slow target: its output (exit status 1:
    the checks whose create timed out fail), and the userNames on the target once it is idle."""
    url, _ = target
    proc = subprocess.run(
        [sys.executable, "-m", "simulator.cli", "run", "--url", url, "--token", TOKEN, "--timeout", timeout,
         "--suite", suite, "--report-dir", str(report_dir), *args],
        capture_output=True, text=True, timeout=600, check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1 and "Traceback" not in out, out[-3000:]
    return out, users_on(target)


def users_on(target: tuple[str, SlowCreates]) -> list[str]:
    """The userNames on the target, once the creates in flight there are done."""
    url, slow = target
    slow.idle()
    listing = requests.get(f"{url}/Users", headers=AUTH, params={"count": 1000}, timeout=30).json()
    return [u["userName"] for u in listing.get("Resources", [])]


def summary_of(report_dir: Path) -> dict[str, Any]:
    return dict(json.loads((report_dir / "summary.json").read_text()))


def test_a_run_whose_creates_time_out_leaves_nothing_on_the_target(tmp_path: Path) -> None:
    """It used to leave 27 scimcert-<runid>-… users there, and say cleanup.left 0."""
    with slow_target(first=False, delay=0.8) as target:  # each of ~27 creates costs --timeout
        _, left = run(target, tmp_path, timeout="0.5")
    assert left == []
    ledger = Ledger.load(tmp_path / "ledger.json")
    assert len(ledger.unconfirmed) > 20 and {e["settled"] for e in ledger.unconfirmed} == {"found"}
    assert len(ledger.entries) >= len(ledger.unconfirmed) and not ledger.pending()
    assert summary_of(tmp_path)["cleanup"] == {"left": 0, "failed": [], "skipped": [], "discarded": 0}


def test_a_create_made_before_the_timeout_is_found_by_the_lookup_at_once(tmp_path: Path) -> None:
    with slow_target(first=True) as target:
        _, left = run(target, tmp_path, "--", "-k", "test_create_returns_201")
    assert left == []
    ledger = Ledger.load(tmp_path / "ledger.json")
    assert not ledger.unconfirmed and [e["deleted"] for e in ledger.entries] == [True]
    har = json.loads((tmp_path / "exchanges.har").read_text())["log"]["entries"]
    (lookup,) = [e for e in har if e["comment"].endswith("lookup after no response")]
    assert lookup["request"]["method"] == "GET"
    assert lookup["request"]["queryString"] == [
        {"name": "filter", "value": f'userName eq "{ledger.entries[0]["name"]}"'}]


def test_the_last_create_gets_time_to_finish_before_the_cleanup_looks(tmp_path: Path) -> None:
    """The target makes the user 2 s after the run gave up on it (after the lookup right after the
    timeout, and before the run would end): the cleanup gives it --timeout (3 s) more first."""
    with slow_target(first=False, delay=5) as target:
        out, left = run(target, tmp_path, "--", "-k", "test_create_returns_201", timeout="3")
    assert left == []
    assert "cleanup: waiting 3 s before looking up 1 create that got no response" in out
    ledger = Ledger.load(tmp_path / "ledger.json")
    assert [e["settled"] for e in ledger.unconfirmed] == ["found"] and not ledger.pending()


def test_what_no_lookup_can_find_is_said_not_claimed_gone(tmp_path: Path) -> None:
    with slow_target(first=False, refuse=400) as target:
        out, left = run(target, tmp_path, "--", "-k", "test_create_returns_201")
    (name,) = left
    summary = summary_of(tmp_path)
    prefix = f"scimcert-{summary['run_id']}-"
    assert name.startswith(prefix)
    assert summary["cleanup"] == {"left": 0, "failed": [], "skipped": [], "discarded": 0,
                                  "possibly_left": [f"User {name}"], "prefix": prefix}
    assert (f"1 create got no response and no lookup by name found it: it may be on the target all the "
            f"same (userName / displayName starting with {prefix}; its name is in ledger.json)") in out
    ledger = Ledger.load(tmp_path / "ledger.json")
    assert ledger.possibly_left() == [f"User {name}"] and not ledger.unsettled()


def test_the_okta_suites_timed_out_create_is_found_and_deleted(tmp_path: Path) -> None:
    """Okta's create goes through the recording client as a raw body: looked up all the same."""
    with slow_target(first=True) as target:
        _, left = run(target, tmp_path, "--", "-k", "test_assign_looks_up_then_creates", suite="okta")
    assert left == []
    (entry,) = Ledger.load(tmp_path / "ledger.json").entries
    assert entry["deleted"] and entry["name"].startswith("scimcert-")


@pytest.mark.usefixtures("isolated_settings")
def test_a_replays_timed_out_create_is_looked_up_and_deleted() -> None:
    with slow_target(first=False) as target:
        url, _ = target
        result = CliRunner().invoke(main, ["replay", "user-lifecycle", "--url", url, "--token", TOKEN,
                                           "--timeout", "1"])
        left = users_on(target)
    assert result.exit_code == 1, result.output
    assert left == []
    assert "cleanup: 2 of 2 created resources deleted" in result.output  # two users, both timed out
    assert not Path("reports").exists()  # it left nothing: no ledger to keep


@pytest.mark.usefixtures("isolated_settings")
def test_a_replay_keeps_the_ledger_of_what_its_lookups_could_not_settle_for_cleanup() -> None:
    """The lookups fail (503) during the replay: its ledger keeps the names, the replay says so, and
    `scimcert cleanup` looks them up once the target answers, and deletes what it finds."""
    with slow_target(first=False, refuse=503) as target:
        url, slow = target
        result = CliRunner().invoke(main, ["replay", "user-lifecycle", "--url", url, "--token", TOKEN,
                                           "--timeout", "1"])
        assert len(users_on(target)) == 2
        assert result.exit_code == 1, result.output
        (path,) = Path("reports").glob("*/ledger.json")
        ledger = Ledger.load(path)
        assert len(ledger.unsettled()) == 2 and not ledger.entries
        assert (f"2 creates got no response and no lookup by name found them: they may be on the target "
                f"all the same (userName / displayName starting with {ledger.prefix}; their names are in "
                f"{path})") in result.output
        assert f"'scimcert cleanup {path}' looks them up by name again" in result.output
        refused = CliRunner().invoke(main, ["replay", "connect", "--url", url, "--token", TOKEN,
                                            "--report-dir", str(path.parent)])
        assert refused.exit_code == 2 and "(or may have left: creates that got no response)" in refused.output
        slow.refuse = None
        cleaned = CliRunner().invoke(main, ["cleanup", str(path), "--token", TOKEN])
        assert cleaned.exit_code == 0, cleaned.output
        assert users_on(target) == []
    assert (f"2 creates that got no response looked up by name at {url}: 2 resources found\n"
            f"2 to delete at {url}: 2 deleted, 0 already gone") in cleaned.output
    assert Ledger.load(path).possibly_left() == [] and not Ledger.load(path).pending()
