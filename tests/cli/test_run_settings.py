"""`scimcert run`: where its settings come from, and what it rejects before the first request."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from simulator.cli import main
from suites.catalogue import catalogue, check_ids
from suites.config import TARGET_KEYS, Preset, RunConfig
from suites.levels import Level
from tests.suites.support import TOKEN, Response, provider

UNREACHABLE = "http://127.0.0.1:9/scim/v2"


pytestmark = pytest.mark.usefixtures("isolated_settings")


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """pytest.main replaced: what `run` would hand the suites (its Preset config and arguments)."""
    seen: dict[str, Any] = {}

    def fake_main(args: list[str], plugins: list[Any]) -> int:
        seen["args"] = args
        seen["config"] = next(p.config for p in plugins if isinstance(p, Preset))
        seen["report_dir_made"] = seen["config"].report_dir.is_dir()  # (left empty, it is removed after)
        return 0

    monkeypatch.setattr(pytest, "main", fake_main)
    return seen


@pytest.fixture
def requests_seen() -> Iterator[tuple[str, list[str]]]:
    """A provider that notes every request it gets: (base URL, request paths)."""
    seen: list[str] = []

    def note(resp: Response) -> None:
        seen.append(f"{resp.method} {resp.path}")

    with provider(rewrite=note) as url:
        yield url, seen


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["run", *args], env=env)


def assert_no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


def config_of(captured: dict[str, Any], *args: str, env: dict[str, str] | None = None) -> RunConfig:
    result = run(*args, env=env)
    assert result.exit_code == 0, result.output
    config: RunConfig = captured["config"]
    return config


TOML = """[target]
url = "{url}"
token = "{token}"
timeout = 30
[run]
fail_on = "should"
report_dir = "from-toml"
okta_flavour = "aiw"
run_id = "toml-run"
read_only = true
no_okta_gate = true
"""


def test_scimcert_toml_settings_are_used(captured: dict[str, Any]) -> None:
    with provider() as url:
        Path("scimcert.toml").write_text(TOML.format(url=url, token=TOKEN))
        cfg = config_of(captured, "--suite", "discovery")
    assert (cfg.url, cfg.auth.value, cfg.fail_on, cfg.timeout) == (url, TOKEN, Level.SHOULD, 30.0)
    assert (cfg.report_dir, cfg.okta_flavour, cfg.run_id) == (Path("from-toml"), "aiw", "toml-run")
    assert cfg.read_only and not cfg.okta_gate
    assert captured["report_dir_made"]  # in the current folder, before the checks start


def test_environment_beats_the_file_and_options_beat_both(captured: dict[str, Any]) -> None:
    env = {"SCIMCERT_FAIL_ON": "may", "SCIMCERT_TIMEOUT": "0.5", "SCIMCERT_REPORT_DIR": "from-env",
           "SCIMCERT_OKTA_FLAVOUR": "oin", "SCIMCERT_RUN_ID": "env-run"}
    with provider() as url:
        Path("scimcert.toml").write_text(TOML.format(url="http://127.0.0.1:9/nowhere", token="file"))
        cfg = config_of(captured, env={**env, "SCIMCERT_URL": url, "SCIMCERT_TOKEN": TOKEN})
        assert (cfg.url, cfg.auth.value, cfg.fail_on, cfg.timeout) == (url, TOKEN, Level.MAY, 0.5)
        assert (cfg.report_dir, cfg.okta_flavour, cfg.run_id) == (Path("from-env"), "oin", "env-run")
        # credentials count as one setting: --token replaces SCIMCERT_BASIC instead of clashing with it
        cfg = config_of(captured, "--url", url, "--token", TOKEN, "--fail-on", "must", "--timeout", "7",
                        "--report-dir", "from-cli", "--okta-flavour", "aiw", "--run-id", "cli-run",
                        env={**env, "SCIMCERT_BASIC": "u:p"})
    assert (cfg.url, cfg.auth.kind, cfg.fail_on, cfg.timeout) == (url, "bearer", Level.MUST, 7.0)
    assert (cfg.report_dir, cfg.okta_flavour, cfg.run_id) == (Path("from-cli"), "aiw", "cli-run")


def test_pytest_arguments_after_the_double_dash_still_reach_pytest(captured: dict[str, Any]) -> None:
    with provider() as url:
        config_of(captured, "--url", url, "--token", TOKEN, "--", "-k", "filter", "-x")
    assert captured["args"][-3:] == ["-k", "filter", "-x"]


def test_credentials_without_a_url_from_env_test_the_embedded_provider(captured: dict[str, Any]) -> None:
    result = run("--suite", "discovery", env={"SCIMCERT_TOKEN": "exported"})
    assert result.exit_code == 0, result.output
    cfg: RunConfig = captured["config"]
    assert cfg.url is not None and cfg.url.startswith("http://127.0.0.1:")
    assert cfg.auth.kind == "bearer" and cfg.auth.value != "exported"
    assert "embedded reference provider" in result.output and "need --url" not in result.output


def test_the_readme_example_file_targets_its_url(tmp_path: Path) -> None:
    """The user's view: the README's scimcert.toml alone points the run at its server."""
    with provider() as url:
        (tmp_path / "scimcert.toml").write_text(
            f'[target]\nurl = "{url}"\ntoken = "{TOKEN}"\ntimeout = 30\n[run]\nfail_on = "should"\n')
        proc = subprocess.run([sys.executable, "-m", "simulator.cli", "run", "--suite", "discovery",
                               "--report-dir", "out"], capture_output=True, text=True, timeout=300,
                              check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert f"target {url}  " in proc.stdout and "fail-on SHOULD" in proc.stdout
    assert "embedded reference provider" not in proc.stdout
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert (summary["target"], summary["fail_on"]) == (url, "SHOULD")


@pytest.mark.parametrize("content", ["not json", '{"checks": null}', '{"run_id": "x", "resources": []}',
                                     '<?xml version="1.0"?><testsuites/>', '{"checks": [{"id": 1}]}'])
def test_a_bad_baseline_stops_the_run_before_any_request(requests_seen: tuple[str, list[str]],
                                                         content: str) -> None:
    url, seen = requests_seen
    Path("baseline.json").write_text(content)
    result = run("--url", url, "--token", TOKEN, "--suite", "users", "--baseline", "baseline.json")
    assert result.exit_code == 2, result.output
    assert "baseline.json is not a scimcert summary.json" in result.output
    assert_no_traceback(result)
    assert seen == []


def bad_inputs() -> list[tuple[list[str], str]]:
    target = ["--url", UNREACHABLE, "--token", "t"]
    return [
        (["--url", "http://[::1"], "is not a valid URL"),
        (["--url", "http://"], "names no host"),
        (["--url", ""], "the target URL is empty"),
        (["--url", f"{UNREACHABLE}?x=1"], "has a query string or fragment"),
        (["--url", f"{UNREACHABLE}#top"], "has a query string or fragment"),
        *((["--timeout", t], "positive number of seconds") for t in ("inf", "nan", "1e400", "0", "-1")),
        ([*target, "--report-dir", "afile/sub"], "cannot create the report folder afile/sub"),
        ([*target, "--report-dir", "afile"], "is a file"),
        ([*target, "--waivers", "latin1.toml"], "cannot read waivers latin1.toml"),
        ([*target, "--extension-file", "latin1.toml"], "not UTF-8 text"),
        (["--extension", "urn:ietf:params:scim:schemas:core:2.0:User=foo"], "not an extension"),
        (["--extension", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User=foo"],
         "is the enterprise extension"),
        (["--suit", "users"], "No such option '--suit'"),
        (["discovery"], "unexpected argument 'discovery'"),
        (["discovery", "--", "-x"], "unexpected argument 'discovery'"),
        (["--", "--scim-fail-on=should"], "--scim-fail-on after -- would be ignored"),
        (["--", "-p", "nosuchplugin"], "-p nosuchplugin: no pytest plugin or module of that name"),
        (["--", "-pno_such.plugin"], "-p no_such.plugin: no pytest plugin or module of that name"),
        ([*target, "--run-id", "café²"], "run id must be up to 24 ASCII letters, digits and dashes"),
        ([*target, "--waivers", "timed.toml"], "waiver #1 (T-1): expires is a day, without a time; "
                                               "write expires = 2027-03-31"),
        ([*target, "--waivers", "twice.toml"], "twice.toml: waivers #1 and #2 both waive USR-CREATE-001; "
                                               "keep one [[waiver]] per check id"),
    ]


@pytest.mark.parametrize(("args", "message"), bad_inputs())
def test_bad_input_is_one_sentence_and_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("")
    (tmp_path / "latin1.toml").write_bytes("[[waiver]]\nid = \"X\"\nreason = \"caf\xe9\"\n".encode("latin-1"))
    (tmp_path / "timed.toml").write_text('[[waiver]]\nid = "T-1"\nreason = "r"\n'
                                         'expires = 2027-03-31T10:00:00\n')
    (tmp_path / "twice.toml").write_text('[[waiver]]\nid = "USR-CREATE-001"\nreason = "a"\n' * 2)
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert_no_traceback(result)


@pytest.mark.parametrize(("toml", "env", "message"), [
    ("report_dir = 5", {}, "scimcert.toml: report_dir must be a string in quotes"),
    ('report_dir = ["a"]', {}, "scimcert.toml: report_dir must be a string in quotes"),
    ("run_id = 2027-03-31", {}, "scimcert.toml: run_id must be a string in quotes"),
    ("extension = 5", {}, "scimcert.toml: extension must be a string or a list of strings"),
    ('extension_file = ["a", 1]', {}, "scimcert.toml: extension_file must be a string or a list of strings"),
    ('read_only = "tru"', {}, "scimcert.toml: read_only must be true or false (without quotes); got 'tru'"),
    ('insecure = "true"', {}, "scimcert.toml: insecure must be true or false (without quotes)"),
    ("no_cleanup = 1", {}, "scimcert.toml: no_cleanup must be true or false (without quotes)"),
    ("timeout = true", {}, "scimcert.toml: timeout must be a number, e.g. 30; got True"),
    ('timeout = "30"', {}, "scimcert.toml: timeout must be a number, e.g. 30; got '30'"),
    ("", {"SCIMCERT_READ_ONLY": "maybe"}, "SCIMCERT_READ_ONLY must be true or false (also 1/0, yes/no, "
                                          "on/off); got 'maybe'"),
    ("", {"SCIMCERT_NO_OKTA_GATE": "2"}, "SCIMCERT_NO_OKTA_GATE must be true or false"),
    ("", {"SCIMCERT_TIMEOUT": "true"}, "SCIMCERT_TIMEOUT must be a number of seconds, e.g. 30; got 'true'"),
    ("", {"SCIMCERT_RUN_ID": "café²"}, "run id must be up to 24 ASCII letters, digits and dashes"),
    ("", {"SCIMCERT_FAIL_ON": "sometimes"}, "SCIMCERT_FAIL_ON=sometimes: the fail-on level must be must, "
                                            "should or may"),
    ("timeout = 0", {}, "timeout in scimcert.toml: timeout must be a positive number of seconds"),
])
def test_a_setting_of_the_wrong_type_names_itself_and_its_source(toml: str, env: dict[str, str],
                                                                 message: str, requests_seen: Any) -> None:
    """Never a traceback, and never a mistyped flag read as false (a read-only run that writes)."""
    url, seen = requests_seen
    target, other = (toml, "") if toml.partition(" ")[0] in TARGET_KEYS else ("", toml)
    Path("scimcert.toml").write_text(f'[target]\nurl = "{url}"\ntoken = "{TOKEN}"\n{target}\n'
                                     f'[run]\n{other}\n')
    result = run(env=env)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert_no_traceback(result)
    assert seen == [] and not Path("reports").exists()


def test_flags_read_the_usual_words_and_a_false_one_still_beats_the_file(captured: dict[str, Any]) -> None:
    with provider() as url:
        Path("scimcert.toml").write_text(TOML.format(url=url, token=TOKEN))
        for word, read_only in (("Off", False), ("no", False), ("0", False), ("YES", True), ("on", True)):
            cfg = config_of(captured, env={"SCIMCERT_READ_ONLY": word, "SCIMCERT_TIMEOUT": "2"})
            assert (cfg.read_only, cfg.timeout) == (read_only, 2.0), word


def test_a_file_named_reports_is_a_usage_error(requests_seen: Any) -> None:
    url, seen = requests_seen
    Path("reports").write_text("not a folder")
    result = run("--url", url, "--token", TOKEN)
    assert result.exit_code == 2, result.output
    assert "reports is a file; give --report-dir or move it." in result.output
    assert_no_traceback(result)
    assert seen == [] and Path("reports").read_text() == "not a folder"


def test_an_unknown_waiver_id_stops_the_run_before_any_request(requests_seen: Any) -> None:
    url, seen = requests_seen
    Path("waivers.toml").write_text('[[waiver]]\nid = "USR-CREAT-001"\nreason = "r"\n')
    result = run("--url", url, "--token", TOKEN, "--suite", "sort", "--waivers", "waivers.toml",
                 "--report-dir", "out")
    assert result.exit_code == 2, result.output
    assert "waiver id 'USR-CREAT-001' names no check (did you mean USR-CREATE-001?)" in result.output
    assert_no_traceback(result)
    assert seen == [] and not Path("out").exists()


def test_the_waiver_ids_known_before_the_run_are_the_catalogues() -> None:
    """`run` reads the ids from the suites' source, so that pytest still rewrites their asserts."""
    assert check_ids() == {entry.id for entry in catalogue()}


def test_a_run_that_selects_no_check_leaves_the_report_folder_as_it_found_it(requests_seen: Any) -> None:
    url, _ = requests_seen
    Path("old").mkdir()
    Path("old/summary.json").write_text("a previous run's")
    for folder, extra in (("old", ["--overwrite"]), ("new", [])):
        result = run("--url", url, "--token", TOKEN, "--suite", "sort", "--report-dir", folder, *extra,
                     "--", "-k", "nomatchatall")
        assert result.exit_code == 2, result.output
        assert "scimcert: no checks selected" in result.output
    assert [p.name for p in Path("old").iterdir()] == ["summary.json"]
    assert Path("old/summary.json").read_text() == "a previous run's" and not Path("new").exists()


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_a_report_dir_that_cannot_be_created_is_a_usage_error() -> None:
    result = run("--url", UNREACHABLE, "--token", "t", "--report-dir", "/proc/nope")
    assert result.exit_code == 2, result.output
    assert "cannot create the report folder /proc/nope" in result.output and "reports:" not in result.output


def test_a_wrong_base_url_is_named_before_any_check(tmp_path: Path) -> None:
    with provider() as url:
        root = url.removesuffix("/scim/v2")
        result = run("--url", root, "--token", TOKEN, "--report-dir", "out/run")
    assert result.exit_code == 2, result.output
    assert (f"GET {root}/Users answered 404: is the base URL right? It usually ends in /scim/v2."
            in result.output)
    assert "_pytest" not in result.output and "failed" not in result.output
    assert not (tmp_path / "out").exists()  # a run that could not start leaves no report folder


def _login_page(resp: Response) -> None:
    resp.status, resp.headers["Content-Type"], resp.body = 200, "text/html", b"<html>Sign in</html>"


def _redirect(resp: Response) -> None:
    resp.status, resp.headers["Location"] = 302, "https://login.example.com/"


@pytest.mark.parametrize(("rewrite", "answer"), [
    (_login_page, "answered 200 with a body that is not JSON (text/html): is the base URL right?"),
    (_redirect, "answered 302, a redirect to https://login.example.com/: is the base URL right?"),
])
def test_an_answer_that_is_no_scim_is_named_before_any_check(rewrite: Any, answer: str) -> None:
    with provider(rewrite=rewrite) as url:
        result = run("--url", url, "--token", TOKEN, "--report-dir", "out")
    assert result.exit_code == 2, result.output
    assert f"GET {url}/Users {answer}" in result.output


def test_a_server_that_404s_an_empty_list_is_still_tested() -> None:
    """A 404 for an empty /Users is a bug the checks report; discovery proves the base URL right."""

    def empty_list_404(resp: Response) -> None:
        body = resp.json if resp.method == "GET" and resp.path.endswith("/Users") else None
        if isinstance(body, dict) and body.get("totalResults") == 0:
            resp.status = 404

    with provider(rewrite=empty_list_404) as url:
        result = run("--url", url, "--token", TOKEN, "--suite", "discovery", "--report-dir", "out")
    assert result.exit_code in (0, 1), result.output
    assert "is the base URL right" not in result.output


def test_https_to_a_plain_http_server_says_so_even_with_insecure() -> None:
    with provider() as url:
        https = url.replace("http://", "https://")
        for extra in ([], ["--insecure"]):
            result = run("--url", https, "--token", TOKEN, "--report-dir", "out", *extra)
            assert result.exit_code == 2, result.output
            assert f"cannot reach {https} (TLS handshake failed); is the server speaking" in result.output
            assert "--insecure" not in result.output


def test_a_slow_server_names_the_timeout() -> None:
    with provider("slow=2") as url:
        result = run("--url", url, "--token", TOKEN, "--timeout", "0.3", "--report-dir", "out")
    assert result.exit_code == 2, result.output
    assert f"cannot reach {url} (no answer within 0.3 s)" in result.output
    assert "or give a longer --timeout" in result.output
