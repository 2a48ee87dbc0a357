"""`scimcert replay` as a user meets it."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from click.testing import CliRunner

from simulator.cli import main, replay_target
from simulator.cli.replay_output import CleanupProgress, Progress, RateLimitNotice
from simulator.okta import transport as okta_transport
from simulator.okta.retry import RetryPolicy
from simulator.okta.wire import ScimRequest, ScimResponse
from simulator.provider.app import create_app
from simulator.provider.server import start_in_thread
from simulator.provider.service import ProviderConfig
from tests.suites.support import TOKEN, Response, provider


def test_replay_spec_test_against_the_embedded_provider() -> None:
    result = CliRunner().invoke(main, ["replay", "spec-test"])
    assert result.exit_code == 0, result.output
    assert "embedded reference provider at http://127.0.0.1:" in result.output
    assert "  11                     GET /scim/v2/Users?filter=userName%20eq%20%22SCIMCERT-" in result.output
    assert "PASS  Required: Check status 401" in result.output
    assert "spec-test: all 13 steps passed" in result.output


def test_replay_fails_naming_the_step() -> None:
    with provider("group-rename-rejects-id") as url:
        result = CliRunner().invoke(main, ["replay", "group-push", "--url", url, "--token", TOKEN])
    assert result.exit_code == 1, result.output
    assert "FAIL  Rename: PATCH replace {id, displayName}" in result.output
    assert "FAILED at step rename (" in result.output
    assert "Received: Unable to update Group Push mapping target App group" in result.output


def test_replay_aiw_flavour_sends_put() -> None:
    with provider() as url:
        result = CliRunner().invoke(main, ["replay", "user-lifecycle", "--url", url, "--token", TOKEN,
                                           "--flavour", "aiw"])
    assert result.exit_code == 0, result.output
    assert "deactivate             deactivate.put: PUT /scim/v2/Users/" in result.output


def test_replay_unknown_flow_and_bad_options_exit_2() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["replay", "nope"])
    assert result.exit_code == 2
    flows = "connect, crud-test, custom-attributes, group-push, import, spec-test, user-lifecycle"
    assert f"unknown flow 'nope'; flows: {flows}" in result.output
    assert runner.invoke(main, ["replay", "connect", "--token", "x"]).exit_code == 2
    no_credentials = runner.invoke(main, ["replay", "connect", "--url", "http://127.0.0.1:9"])
    assert no_credentials.exit_code == 2
    assert "Okta's SCIM apps always authenticate" in no_credentials.output  # why replay insists


def test_replay_report_dir_writes_run_reports(tmp_path) -> None:
    result = CliRunner().invoke(main, ["replay", "connect", "--report-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert {c["id"] for c in summary["checks"]} == {"OKTA-CONNECT-001", "OKTA-CONNECT-002"}
    assert (tmp_path / "exchanges.har").exists()
    assert TOKEN not in (tmp_path / "exchanges.har").read_text()


def _har_sent(folder: Path) -> list[tuple[str, str, str]]:
    """(method, path?query, comment) of each entry of folder's exchanges.har, in order."""
    entries = json.loads((folder / "exchanges.har").read_text())["log"]["entries"]
    return [(e["request"]["method"], _target(e["request"]["url"]), e["comment"]) for e in entries]


def _target(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _no_file_holds(folder: Path, secret: str) -> None:
    for path in folder.iterdir():
        assert secret not in path.read_text(errors="replace"), path.name


def test_replay_report_dir_har_holds_every_request_of_the_flow(tmp_path: Path) -> None:
    """exchanges.har holds what the replay sent: its checks' requests, then the flow's and its
    cleanup's, in order (all the target received but the replay's own preflight), redacted."""
    received: list[tuple[str, str]] = []

    def log(response: Response) -> None:
        received.append((response.method, response.path + (f"?{response.query}" if response.query else "")))

    with provider(rewrite=log) as url:
        result = CliRunner().invoke(main, ["replay", "user-lifecycle", "--url", url, "--token", TOKEN,
                                           "--report-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    sent = _har_sent(tmp_path)
    flow = [(m, t, c) for m, t, c in sent if c.startswith("replay user-lifecycle / ")]
    assert len(flow) >= 14 and flow == sent[-len(flow):]
    assert [(m, t) for m, t, _ in flow] == received[-len(flow):]  # in the order sent
    checks = [(m, t) for m, t, _ in sent[:-len(flow)]]  # their cleanup deletes in parallel
    assert sorted(checks) == sorted(received[1:-len(flow)])  # [0]: the replay's own preflight
    assert [m for m, _, c in flow if c.endswith(" / cleanup")] == ["GET", "DELETE", "GET", "DELETE"]
    _no_file_holds(tmp_path, TOKEN)


def test_replay_report_dir_har_holds_the_flow_against_the_embedded_provider(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    token = "embedded-token-that-must-not-leak"
    monkeypatch.setattr(replay_target.secrets, "token_urlsafe", lambda nbytes=None: token)
    result = CliRunner().invoke(main, ["replay", "group-push", "--report-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    printed = re.findall(r"(GET|POST|PUT|PATCH|DELETE) (/scim/v2/\S+) -> \d+$", result.output, re.MULTILINE)
    flow = [(m, t) for m, t, c in _har_sent(tmp_path) if c.startswith("replay group-push / ")]
    assert len(printed) >= 17 and flow[:len(printed)] == printed
    assert [m for m, _ in flow[len(printed):]] == ["GET", "DELETE", "GET", "DELETE"]  # the cleanup
    assert json.loads((tmp_path / "exchanges.har").read_text())["log"]["version"] == "1.2"
    _no_file_holds(tmp_path, token)


def test_replay_crud_test_drives_the_simulator() -> None:
    result = CliRunner().invoke(main, ["replay", "crud-test"])
    assert result.exit_code == 0, result.output
    assert "  3                      POST /api/v1/apps/0oa" in result.output
    assert "  3                      assign.create: POST /scim/v2/Users -> 201" in result.output
    assert "  12                     deactivate.patch: PATCH /scim/v2/Users/" in result.output
    assert "crud-test: all 16 steps passed" in result.output
    assert "cleanup: 1 of 1 created resources deleted" in result.output


def test_replay_crud_test_fails_naming_the_step() -> None:
    with provider("deactivate-deletes") as url:
        result = CliRunner().invoke(main, ["replay", "crud-test", "--url", url, "--token", TOKEN])
    assert result.exit_code == 1, result.output
    assert "FAILED at step 8 (SCIM: the user is inactive)" in result.output


def test_replay_custom_attributes_uses_the_vendor_example_by_default() -> None:
    result = CliRunner().invoke(main, ["replay", "custom-attributes"])
    assert result.exit_code == 0, result.output
    assert "[urn:ietf:params:scim:schemas:extension:ivanti:2.0:User:custAttr1]" in result.output
    assert "custom-attributes: all 11 steps passed" in result.output


def test_replay_custom_attributes_each_declared_attribute(tmp_path) -> None:
    spec = "urn:ietf:params:scim:schemas:extension:acme:2.0:User=badge,level:integer"
    result = CliRunner().invoke(main, ["replay", "custom-attributes", "--extension", spec,
                                       "--report-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.output.count("custom-attributes: all 11 steps passed") == 2
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert {(c["id"], c["outcome"]) for c in summary["checks"]} == {
        ("OKTA-EXT-001", "passed"), ("OKTA-EXT-002", "passed")}


def test_replay_custom_attributes_against_a_url_needs_the_extension() -> None:
    with provider() as url:
        result = CliRunner().invoke(main, ["replay", "custom-attributes", "--url", url, "--token", TOKEN])
        assert result.exit_code == 2
        assert "custom-attributes needs a custom User extension" in result.output
        unknown = "urn:ietf:params:scim:schemas:extension:x:2.0:User=a"
        dropped = CliRunner().invoke(main, ["replay", "custom-attributes", "--url", url, "--token", TOKEN,
                                            "--extension", unknown])
    assert dropped.exit_code == 1  # the provider does not know that extension: Okta's POST is refused


def test_a_token_starting_with_a_dash_reaches_the_reports(tmp_path) -> None:
    """secrets.token_urlsafe() may start with '-': passed on as --scim-token=VALUE, not an option."""
    with start_in_thread(create_app(ProviderConfig(token="-dash-token"))) as server:
        result = CliRunner().invoke(main, ["replay", "connect", "--url", server.url + "/scim/v2",
                                           "--token=-dash-token", "--report-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "-dash-token" not in (tmp_path / "exchanges.har").read_text()


def test_replay_bad_url_timeout_or_report_dir_is_a_usage_error(tmp_path) -> None:
    (tmp_path / "afile").write_text("")
    runner = CliRunner()
    for args, message in (
        (["--url", "http://[::1"], "is not a valid URL"),
        (["--timeout", "inf"], "positive number of seconds"),
        (["--timeout", "0"], "positive number of seconds"),
        (["--report-dir", str(tmp_path / "afile" / "sub")], "cannot create the report folder"),
    ):
        result = runner.invoke(main, ["replay", "connect", *args])
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output and "reports written" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


def test_replay_exported_credentials_without_url_use_the_embedded_provider(monkeypatch) -> None:
    monkeypatch.delenv("SCIMCERT_URL", raising=False)
    result = CliRunner().invoke(main, ["replay", "connect"], env={"SCIMCERT_BASIC": "u:p"})
    assert result.exit_code == 0, result.output
    assert "the credentials from SCIMCERT_* or scimcert.toml are not used" in result.output
    assert "embedded reference provider" in result.output and "connect: all 2 steps passed" in result.output


def _lifecycle_past_its_first_step(url: str, *args: str) -> tuple[subprocess.Popen[str], list[str]]:
    """`scimcert replay user-lifecycle` in a subprocess, returned once its first step has printed."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator.cli", "replay", "user-lifecycle", "--url", url, "--token", TOKEN,
         *args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    assert proc.stdout is not None
    seen: list[str] = []
    while not any("PASS  Assign a new user" in line for line in seen):
        line = proc.stdout.readline()
        assert line, "".join(seen)
        seen.append(line)
    return proc, seen


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_deletes_what_the_replay_created(signum: int, code: int) -> None:
    """Steps print as they complete; a signal stops the flow, its cleanup runs, and says so."""
    with provider("slow=0.2") as url:
        proc, seen = _lifecycle_past_its_first_step(url)  # steps print before the flow ends
        proc.send_signal(signum)
        out = "".join(seen) + proc.communicate(timeout=60)[0]
        listing = requests.get(f"{url}/Users", headers={"Authorization": f"Bearer {TOKEN}"},
                               timeout=30).json()
    assert proc.returncode == code, out
    assert re.search(r"cleanup: (\d+) of \1 created resources deleted", out), out
    assert f"user-lifecycle: stopped by {signal.Signals(signum).name}" in out
    assert "Traceback" not in out and "Aborted!" not in out
    assert listing["totalResults"] == 0


def test_a_second_signal_does_not_cut_the_cleanup_short() -> None:
    """The first signal stops the flow; one sent while its cleanup runs is ignored with a notice."""
    with provider("slow=0.5") as url:
        proc, seen = _lifecycle_past_its_first_step(url)
        proc.send_signal(signal.SIGINT)
        time.sleep(0.7)  # a create in flight (held for its record) has finished: the cleanup runs
        proc.send_signal(signal.SIGTERM)
        out = "".join(seen) + proc.communicate(timeout=60)[0]
        listing = requests.get(f"{url}/Users", headers={"Authorization": f"Bearer {TOKEN}"},
                               timeout=30).json()
    assert proc.returncode == 130, out
    assert "stopping: deleting what the flow created; kill -9 abandons it" in out
    assert re.search(r"cleanup: (\d+) of \1 created resources deleted", out), out
    assert "cleanup interrupted" not in out and "Traceback" not in out and "Aborted!" not in out
    assert listing["totalResults"] == 0


def test_a_stopped_replay_with_no_cleanup_lists_what_it_kept(tmp_path) -> None:
    with provider("slow=0.2") as url:
        proc, seen = _lifecycle_past_its_first_step(url, "--no-cleanup", "--report-dir", str(tmp_path))
        proc.send_signal(signal.SIGINT)
        out = "".join(seen) + proc.communicate(timeout=60)[0]
        listing = requests.get(f"{url}/Users", headers={"Authorization": f"Bearer {TOKEN}"},
                               timeout=30).json()
    assert proc.returncode == 130, out
    ledger = json.loads((tmp_path / "ledger.json").read_text())
    kept = {r["id"] for r in ledger["resources"] if not r["deleted"]}
    assert kept and kept == {u["id"] for u in listing["Resources"]}
    assert f"listed in {tmp_path / 'ledger.json'}; 'scimcert cleanup {tmp_path / 'ledger.json'}'" in out


def test_a_long_cleanup_reports_progress() -> None:
    now = [0.0]
    responses = iter([404, 200, 204, 200, 204, 200, 204])

    def send(request: ScimRequest) -> ScimResponse:
        now[0] += 2.0
        return ScimResponse(next(responses))

    progress = CleanupProgress(send, 4, every=5.0, clock=lambda: now[0])
    with CliRunner().isolation() as (out, _, _):
        for method in ("GET", "GET", "DELETE", "GET", "DELETE", "GET", "DELETE"):
            progress(ScimRequest("cleanup", method, "http://x", "/Users/1"))
    assert out.getvalue().decode().splitlines() == ["cleanup: 2 of 4 deleted", "cleanup: 3 of 4 deleted"]


def test_replay_that_cannot_run_exits_2_with_one_sentence() -> None:
    runner = CliRunner()
    with provider() as url:
        for args, message in (
            (["--url", "http://127.0.0.1:9/scim/v2", "--token", "t"],
             "cannot reach http://127.0.0.1:9/scim/v2 (connection failed)"),
            (["--url", url.removeprefix("http://"), "--token", TOKEN], "must start with http:// or https://"),
            (["--url", url, "--token", "wrong"], f"{url} rejected the credentials (GET /Users -> 401)"),
            (["--url", url, "--token", TOKEN, "--basic", "u:p"],
             "give only one of --token, --basic and --header"),
        ):
            result = runner.invoke(main, ["replay", "spec-test", *args])
            assert result.exit_code == 2, (args, result.output)
            assert message in result.output, result.output
            assert "setup.existing-user" not in result.output and "Traceback" not in result.output


def test_a_long_step_reports_progress() -> None:
    now = [0.0]
    progress = Progress(every=5.0, clock=lambda: now[0])
    runner = CliRunner()
    with runner.isolation() as (out, _, _):
        for n in range(1, 13):
            progress.request("setup.users", n)
            now[0] += 1.0
        progress.interrupted("setup.users")
    lines = out.getvalue().decode().splitlines()
    assert lines == ["  setup.users            … 6 requests so far",
                     "  setup.users            … 11 requests so far",
                     "  setup.users            INTERRUPTED"]


def test_replay_refuses_a_report_dir_with_resources_left_before_the_flow(tmp_path) -> None:
    from suites.ledger import Ledger  # noqa: PLC0415

    ledger = Ledger(tmp_path / "ledger.json", "r1", "https://old.example/scim/v2")
    ledger.add("User", "u1", "scimcert-r1-a")
    result = CliRunner().invoke(main, ["replay", "connect", "--report-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "lists 1 resource a previous run left on https://old.example/scim/v2" in result.output
    assert "steps passed" not in result.output  # refused before the flow ran


def _attempt(status: int, attempt: int, retry_after: str | None = None) -> okta_transport.Exchange:
    headers = (("Retry-After", retry_after),) if retry_after is not None else ()
    return okta_transport.Exchange(ScimRequest("assign.create", "POST", "http://x/scim/v2", "/Users"),
                                   ScimResponse(status, headers=headers), attempt, 0.0, 1.0)


def test_each_429_says_at_once_what_okta_does_next() -> None:
    """A 429 without Retry-After makes Okta wait 5 minutes, then 10, …: said when it happens, so the
    wait is not taken for a hang (okta-scim.md §10: integer Retry-After, else 300 s, doubled, 10 tries)."""
    notice = RateLimitNotice(RetryPolicy())
    notice.step = lambda: "assign"
    with CliRunner().isolation() as (out, _, _):
        for sent in (_attempt(200, 1), _attempt(429, 1, "2"), _attempt(429, 3, "2"), _attempt(429, 1),
                     _attempt(429, 2, "Wed, 21 Oct 2026 07:28:00 GMT"), _attempt(429, 10, "1")):
            notice(sent)
    head = "  assign                 … assign.create: POST /scim/v2/Users -> 429; "
    assert out.getvalue().decode().splitlines() == [
        head + "Okta sends it again in 2 s (attempt 2 of 10; Retry-After: 2)",
        head + "Okta sends it again in 8 s (attempt 4 of 10; Retry-After: 2, doubled 2x)",
        head + "Okta sends it again in 5 min (attempt 2 of 10; no Retry-After: Okta's default 300 s)",
        head + "Okta sends it again in 10 min (attempt 3 of 10; Retry-After 'Wed, 21 Oct 2026 07:28:00 GMT' "
               "is not in seconds: Okta's default 300 s, doubled 1x)",
        head + "Okta gives up after 10 attempts",
    ]


def test_replay_shows_the_429s_of_a_rate_limited_target() -> None:
    with provider("rate-limited=1") as url:
        result = CliRunner().invoke(main, ["replay", "connect", "--url", url, "--token", TOKEN])
    assert result.exit_code == 0, result.output
    assert "-> 429; Okta sends it again in 1 s (attempt 2 of 10; Retry-After: 1)" in result.output
    assert "connect: all 2 steps passed" in result.output
