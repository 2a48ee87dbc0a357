"""The harness itself: config, preflight, redaction, waivers, baselines, fail-on, read-only, cleanup."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import time
from email.utils import formatdate
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests
from click.testing import CliRunner

from simulator.cli import main
from simulator.okta.wire import BasicAuth, BearerAuth, HeaderAuth, ScimRequest
from simulator.provider.app import create_app
from simulator.provider.deviations import Deviations
from simulator.provider.server import start_in_thread
from simulator.provider.service import ProviderConfig
from suites.baseline import load_baseline
from suites.catalogue import SUITES_DIR
from suites.client import Reply, ScimClient, _describe, _retry_after
from suites.config import Auth, HarnessError, RunConfig
from suites.exchange import Exchange
from suites.ledger import Ledger
from suites.levels import Level
from suites.report import unreachable
from suites.settings import load_toml, origin, resolve
from suites.state import RunState
from suites.target import Target
from suites.waivers import Waivers
from tests.suites.support import TOKEN, provider, run_suites

CHECKS = '''
import pytest
from suites.expect import expect_status


@pytest.mark.check("T-MUST-001", level="MUST", refs=["RFC7644 §3.4.2"], readonly=True)
def test_list_users(client):
    """GET /Users answers 200."""
    expect_status(client.get("/Users"), 200)


@pytest.mark.check("T-SHOULD-001", level="SHOULD", refs=["RFC7644 §3.12"], readonly=True)
def test_unknown_is_404_should(client):
    """An unknown id answers 404 (a SHOULD, for the gate tests)."""
    expect_status(client.get("/Users/nope"), 404)


@pytest.mark.check("T-WRITE-001", level="MUST", refs=["RFC7644 §3.3"], okta=True)
def test_create(factory):
    """A user can be created."""
    expect_status(factory.post_user(factory.user_body()), 201)
'''


def run_fake(pytester: pytest.Pytester, url: str, *args: str, source: str = CHECKS) -> pytest.RunResult:
    pytester.makepyfile(test_fake_checks=source)
    return pytester.runpytest_subprocess("-p", "suites.plugin", "--scim-url", url,
                                         "--scim-token", TOKEN, *args)


def summary_of(report_dir: Path) -> dict:
    return json.loads((report_dir / "summary.json").read_text())


def test_config_precedence_cli_env_toml(tmp_path: Path) -> None:
    toml_file = tmp_path / "scimcert.toml"
    toml_file.write_text('[target]\nurl = "https://toml.example/scim/v2"\ntoken = "from-toml"\ntimeout = 5\n'
                         '[run]\nfail_on = "should"\n')
    toml = load_toml(toml_file)
    env = {"SCIMCERT_URL": "https://env.example/scim/v2", "SCIMCERT_TIMEOUT": "7"}
    cfg = resolve({"url": "https://cli.example/scim/v2/"}, env, toml)
    assert cfg.url == "https://cli.example/scim/v2"  # CLI wins, trailing slash trimmed
    assert cfg.timeout == 7.0  # environment beats the file
    assert cfg.fail_on is Level.SHOULD and cfg.auth.headers() == {"Authorization": "Bearer from-toml"}


@pytest.mark.parametrize(("cli", "message"), [
    ({"url": "ftp://x"}, "must start with http"),
    ({"token": "a", "basic": "u:p"}, "only one of"),
    ({"insecure": True, "ca_bundle": __file__}, "only one of --insecure .* and --ca-bundle"),
    ({"basic": "nocolon"}, "USER:PASSWORD"),
    ({"header": "no colon"}, "Name: value"),
    ({"token": "tok\u20ac"}, "--token holds .* beyond Latin-1"),  # http.client's UnicodeEncodeError
    ({"token": "tok\nX-Injected: 1"}, "--token holds a line break"),  # requests' InvalidHeader
    ({"header": "X-Key: k\u20acy"}, "--header holds"),
    ({"header": "X-K\u00e9y\u20ac: v"}, "--header holds"),
    ({"timeout": "-3"}, "positive number"),
    ({"fail_on": "sometimes"}, "must, should or may"),
    ({"run_id": "bad id!"}, "run id"),
    ({"run_id": "café²"}, "run id must be up to 24 ASCII letters"),
    ({"run_id": "x" * 25}, "run id must be up to 24 ASCII letters"),
    ({"waivers": "/nonexistent.toml"}, "does not exist"),
    ({"extension": ["nonsense"]}, "expected URN=attr"),
    ({"url": "http://[::1"}, "is not a valid URL"),
    ({"url": "http://"}, "names no host"),
    ({"url": "https://h/scim/v2?x=1"}, "query string or fragment"),
    ({"url": "https://ann:pw@h/scim/v2"}, "carries credentials before its host; give the URL without them"),
    ({"timeout": "inf"}, "positive number"),
    ({"timeout": "1e400"}, "positive number"),
    ({"timeout": "nan"}, "positive number"),
    ({"extension": ["urn:ietf:params:scim:schemas:core:2.0:Group=x"]}, "not an extension"),
    ({"extension": ["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User=x"]}, "enterprise extension"),
    ({"extension": ["urn:a:b:User=x", "urn:a:b:User=y"]}, "declared twice"),
])
def test_bad_settings_are_clear_errors(cli: dict, message: str) -> None:
    with pytest.raises(HarnessError, match=message):
        resolve(cli, {}, {})


def test_credentials_tls_and_extensions_each_come_from_one_source(tmp_path: Path) -> None:
    """A higher source replaces the whole group instead of clashing with a lower one's members."""
    toml = {"token": "file", "ca_bundle": str(tmp_path / "missing.pem"), "extension": ["urn:a:b:User=x"]}
    cfg = resolve({"basic": "u:p", "insecure": True, "extension_file": []}, {}, toml)
    assert (cfg.auth.kind, cfg.verify) == ("basic", False)
    assert [e.id for e in cfg.extensions] == ["urn:a:b:User"]
    cfg = resolve({}, {"SCIMCERT_HEADER": "X-Key: k", "SCIMCERT_INSECURE": "1"}, toml)
    assert (cfg.auth.kind, cfg.verify) == ("header", False)


def test_origin_names_the_source_resolve_takes_a_setting_from() -> None:
    """The commands' messages name it: '--url', 'SCIMCERT_URL' or 'url in scimcert.toml'."""
    env = {"SCIMCERT_URL": "https://env.example/scim/v2", "SCIMCERT_TOKEN": "t"}
    assert origin("url", {"url": "https://cli.example/scim/v2"}, env) == "--url"
    assert origin("url", {"url": None}, env) == "SCIMCERT_URL"
    assert origin("url", {}, {}, "conf/scimcert.toml") == "url in conf/scimcert.toml"
    assert origin("token", {"basic": None}, env) == "SCIMCERT_TOKEN"
    assert origin("basic", {"basic": "u:p"}, env) == "--basic"  # the credentials come as a set
    assert origin("ca_bundle", {"ca_bundle": "ca.pem", "insecure": False}, {}) == "--ca-bundle"


def test_unreadable_input_files_are_clear_errors(tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes('[run]\nrun_id = "caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(HarnessError, match="cannot read"):
        load_toml(latin1)
    with pytest.raises(HarnessError, match="cannot read waivers"):
        Waivers.load(latin1)
    with pytest.raises(HarnessError, match="holds no usable PEM certificate"):
        resolve({"ca_bundle": str(latin1)}, {}, {})
    for text in ("not json", '{"checks": null}', '{"resources": []}', '{"checks": [{"id": "A"}]}', "[]"):
        latin1.write_text(text)
        with pytest.raises(HarnessError, match=r"is not a scimcert summary\.json"):
            load_baseline(latin1)


@pytest.mark.parametrize(("expires", "message"), [
    ("2027-03-31T10:00:00", "waiver #1 (T-1): expires is a day, without a time; write expires = 2027-03-31"),
    ("2027-03-31 10:00:00Z", "waiver #1 (T-1): expires is a day, without a time; write expires = 2027-03-31"),
    ('"2027-03-31"', "waiver #1 (T-1): expires must be a date like 2027-01-31, without quotes"),
    ("20270331", "waiver #1 (T-1): expires must be a date like 2027-01-31, without quotes"),
    ("10:00:00", "waiver #1 (T-1): expires must be a date like 2027-01-31, without quotes"),
])
def test_a_waiver_expiry_is_a_day_checked_when_read(tmp_path: Path, expires: str, message: str) -> None:
    """Else a date-time passes the load and the run crashes comparing it with today, after every check."""
    waivers = tmp_path / "waivers.toml"
    waivers.write_text(f'[[waiver]]\nid = "T-1"\nreason = "r"\nexpires = {expires}\n')
    with pytest.raises(HarnessError, match=re.escape(message)):
        Waivers.load(waivers)


def test_toml_unknown_key(tmp_path: Path) -> None:
    bad = tmp_path / "scimcert.toml"
    bad.write_text('[target]\nulr = "x"\n')
    with pytest.raises(HarnessError, match="unknown setting 'ulr'"):
        load_toml(bad)


def test_toml_setting_outside_the_tables_is_refused(tmp_path: Path) -> None:
    """A top-level key used to be ignored without a word, so the run went on with the default."""
    bad = tmp_path / "scimcert.toml"
    bad.write_text('timeout = 5\n[target]\nurl = "http://127.0.0.1:1/scim/v2"\n')
    with pytest.raises(HarnessError, match="'timeout' is outside the \\[target\\] and \\[run\\] tables"):
        load_toml(bad)


@pytest.mark.parametrize(("text", "message"), [
    ('[target]\nfail_on = "should"\n', "fail_on is in [target] but belongs in [run]; move it there"),
    ('[run]\nurl = "https://x.example/scim/v2"\n', "url is in [run] but belongs in [target]; move it there"),
    ("[target]\ntimeout = 30\n[run]\ntimeout = 5\n", "timeout is in both [target] and [run]; keep one"),
    ("[target]\nrun-id = \"r1\"\n", "run_id is in [target] but belongs in [run]; move it there"),
])
def test_toml_setting_in_the_wrong_table_is_refused(tmp_path: Path, text: str, message: str) -> None:
    """It used to be applied wherever it stood, so a file could say one thing and README another."""
    bad = tmp_path / "scimcert.toml"
    bad.write_text(text)
    with pytest.raises(HarnessError, match=re.escape(f"{bad}: {message}")):
        load_toml(bad)


@pytest.mark.parametrize("table", ["target", "run"])
def test_timeout_may_stand_in_either_table(tmp_path: Path, table: str) -> None:
    """README's example put it in [run] for a long time; it is a property of the target too."""
    settings = tmp_path / "scimcert.toml"
    settings.write_text(f"[{table}]\ntimeout = 7\n")
    assert resolve({}, {}, load_toml(settings)).timeout == 7.0


@pytest.mark.parametrize(("env", "toml", "message"), [
    ({"SCIMCERT_FAIL_ON": "sometimes"}, "", "SCIMCERT_FAIL_ON=sometimes: the fail-on level must be must"),
    ({"SCIMCERT_TIMEOUT": "0"}, "", "SCIMCERT_TIMEOUT=0: timeout must be a positive number"),
    ({}, "[target]\ntimeout = 0\n", "timeout in {file}: timeout must be a positive number"),
    ({}, '[run]\nrun_id = "a b"\n', "run_id in {file}: run id must be up to 24 ASCII letters"),
    ({"SCIMCERT_OKTA_FLAVOUR": "x"}, "", "SCIMCERT_OKTA_FLAVOUR=x: Okta flavour must be oin or aiw"),
    ({}, '[run]\nokta_flavour = "x"\n', "okta_flavour in {file}: Okta flavour must be oin or aiw"),
    ({"SCIMCERT_CA_BUNDLE": "/nonexist"}, "", "SCIMCERT_CA_BUNDLE=/nonexist: CA bundle /nonexist does not"),
    ({}, '[target]\nurl = "ftp://x"\n', "url in {file}: target URL 'ftp://x' must start with http://"),
    ({"SCIMCERT_BASIC": "s3cret-no-colon"}, "", "SCIMCERT_BASIC: --basic takes USER:PASSWORD"),
    ({"SCIMCERT_TOKEN": "s3cret\u20ac"}, "", "SCIMCERT_TOKEN: --token holds a line break"),
    # requests sent a URL's user:password@ in place of the given credentials; every report showed it
    ({"SCIMCERT_URL": "https://ann:s3cret@h/scim/v2"}, "",
     "SCIMCERT_URL: target URL 'https://…@h/scim/v2' carries credentials before its host"),
    ({}, '[target]\nurl = "https://s3cret@h/scim/v2"\n', "url in {file}: target URL 'https://…@h/scim/v2'"),
    ({"SCIMCERT_URL": "http://ann:s3cret@[::1"}, "", "SCIMCERT_URL: target URL 'http://…@[::1' is not"),
    ({"SCIMCERT_URL": "ftp://ann:s3cret@h"}, "", "SCIMCERT_URL: target URL 'ftp://…@h' must start with http"),
    ({}, '[target]\nheader = "X-Key: s3c\\r\\nret"\n', "header in {file}: --header holds a line break"),
    ({}, '[run]\nwaivers = "missing.toml"\n', "waivers in {file}: waivers file missing.toml does not exist"),
])
def test_a_refused_value_names_the_variable_or_file_it_came_from(tmp_path: Path, env: dict[str, str],
                                                                 toml: str, message: str) -> None:
    file = tmp_path / "settings.toml"
    file.write_text(toml)
    with pytest.raises(HarnessError) as raised:
        resolve({}, env, load_toml(file))
    assert str(raised.value).startswith(message.format(file=file)), raised.value
    assert "s3cret" not in str(raised.value)  # a credential is never repeated


@pytest.mark.parametrize("source", ["cli", "toml"])
def test_a_zero_timeout_is_refused_not_replaced_by_the_default(source: str) -> None:
    """0 == False in Python: a zero timeout was taken for "not given" and became 60 s."""
    cli, toml = ({"timeout": 0}, {}) if source == "cli" else ({}, {"timeout": 0})
    with pytest.raises(HarnessError, match="timeout must be a positive number"):
        resolve(cli, {}, toml)


def test_token_never_reaches_any_report(tmp_path: Path) -> None:
    secret = "s3cr3t-token-that-must-not-leak"
    with start_in_thread(create_app(ProviderConfig(token=secret))) as server:
        result = run_suites(server.url + "/scim/v2", ["users"], "-k", "create", token=secret,
                            report_dir=tmp_path)
    assert result["totals"]["passed"] > 0
    files = sorted(p.name for p in tmp_path.iterdir())
    assert {"report.html", "junit.xml", "summary.json", "exchanges.har", "ledger.json"} <= set(files)
    for file in tmp_path.iterdir():
        assert secret not in file.read_text(errors="replace"), file.name
    har = json.loads((tmp_path / "exchanges.har").read_text())
    headers = {h["name"]: h["value"] for h in har["log"]["entries"][0]["request"]["headers"]}
    assert headers["Authorization"] == "[REDACTED]"
    assert har["log"]["version"] == "1.2"


def test_token_never_reaches_the_report_of_a_failure(tmp_path: Path) -> None:
    """A failed check's traceback prints the arguments of its frames (and with -l their locals):
    the run's config, the client, Okta's requests. They used to carry the token into the console,
    junit.xml and report.html (never summary.json, the HAR or the ledger)."""
    secret = "S3cretTok-of-a-failing-run-0123456789"
    cfg = ProviderConfig(token=secret,
                         deviations=Deviations.parse(["content-type-json", "patch-requires-path"]))
    with start_in_thread(create_app(cfg)) as server:
        out = tmp_path / "reports"
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", str(SUITES_DIR / "errors"),
             str(SUITES_DIR / "okta" / "test_users.py"), "-p", "no:randomly", "-l", "--tb=long",
             "--scim-url", server.url + "/scim/v2", "--scim-token", secret, "--scim-report-dir", str(out)],
            capture_output=True, text=True, timeout=600, check=False)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["totals"]["failed"] >= 2, proc.stdout[-2000:]
    assert "Auth(kind='bearer')" in proc.stdout  # the frames' arguments are shown, without the token
    assert secret not in proc.stdout + proc.stderr
    for file in out.iterdir():
        assert secret not in file.read_text(errors="replace"), file.name


LEAKY = '''
import pytest
from suites.expect import fail


@pytest.mark.check("T-LEAK-001", level="MUST", refs=["RFC7644 §3.12"], readonly=True)
def test_leaks(scim_config):
    """A check whose failure text and captured output carry the token."""
    token = scim_config.auth.value
    print("sending", token)
    assert token == "", f"got {token}"


@pytest.mark.check("T-LEAK-002", level="MUST", refs=["RFC7644 §3.12"], readonly=True)
def test_leaks_evidence(scim_config):
    """A check whose evidence (junit.xml's failure message) carries the token."""
    fail("no token", f"echoed {scim_config.auth.value}")
'''


def test_whatever_carries_the_token_is_scrubbed_from_a_failure(pytester: pytest.Pytester,
                                                               tmp_path: Path) -> None:
    """The reprs are the first defence; the plugin also scrubs every report it makes."""
    with provider() as url:
        result = run_fake(pytester, url, "-l", "--scim-report-dir", str(tmp_path), source=LEAKY)
    assert result.ret == 1
    output = result.stdout.str() + result.stderr.str()
    assert "got [REDACTED]" in output and "sending [REDACTED]" in output and TOKEN not in output
    junit = (tmp_path / "junit.xml").read_text()
    assert 'message="Expected: no token&#10;Received: echoed [REDACTED]"' in junit
    for file in tmp_path.iterdir():
        assert TOKEN not in file.read_text(errors="replace"), file.name


def test_credentials_are_left_out_of_reprs() -> None:
    secret = "SECRET-42"
    shown = [Auth("bearer", secret), RunConfig(auth=Auth("basic", f"ann:{secret}")), BearerAuth(secret),
             BasicAuth("ann", secret), HeaderAuth(secret),
             ScimRequest("s", "GET", "https://x", "/Users", headers=(("Authorization", f"Bearer {secret}"),))]
    assert not [r for r in map(repr, shown) if secret in r]


def test_reprs_stay_short_however_long_the_run() -> None:
    """pytest prints the repr of each frame's arguments in a failure's traceback; a ScimClient's
    recorder is bound to the run's state, so a repr holding every exchange, result and ledger entry
    cost seconds per failure late in a run that fails many checks (56 s where 10 s was due)."""
    state = RunState(RunConfig(), Waivers(()))
    ledger = Ledger(None, "abcd1234", "https://scim.example/scim/v2")
    for n in range(2000):
        state.record(_exchange(()))
        ledger.add("User", f"id-{n}", f"scimcert-abcd1234-{n}")
    client = ScimClient(RunConfig(url="https://scim.example/scim/v2"), state.record)
    target = Target(client)
    target.seed({"/Schemas": Reply(_exchange(()), None)})
    assert max(len(repr(x)) for x in (state, ledger, client, target)) < 2000


@pytest.mark.parametrize(("spc", "supports", "declines"), [
    ({"patch": {"supported": True}}, True, False),
    ({"patch": {"supported": False}}, False, True),
    ({}, False, False),
    ({"patch": {"supported": "false"}}, False, False),
])
def test_a_target_declines_a_feature_only_where_its_config_says_false(spc: dict, supports: bool,
                                                                      declines: bool) -> None:
    """Checks skip where patch.supported is not true; the Okta checks blame a failed PATCH on the
    target's choice only where it says false (a missing or unreadable config says nothing)."""
    response = requests.Response()
    response.status_code, response._content = 200, json.dumps(spc).encode()
    target = Target(ScimClient(RunConfig(url="https://scim.example/scim/v2"), lambda exchange: None))
    target.seed({"/ServiceProviderConfig": Reply(_exchange(()), response)})
    assert (target.supports("patch"), target.declines("patch")) == (supports, declines)


def _exchange(headers: tuple[tuple[str, str], ...], credentials: bool = True) -> Exchange:
    return Exchange("GET", "https://scim.example/scim/v2/Users?count=1", (("Accept", "application/scim+json"),
                    *headers), None, 200, (), "{}", 1.0, "2026-01-01T00:00:00Z", credentials=credentials)


@pytest.mark.parametrize(("auth", "header", "expected"), [
    (Auth("bearer", "tok-123456"), ("Authorization", "[REDACTED]"),
     '-H "Authorization: Bearer $SCIMCERT_TOKEN"'),
    (Auth("basic", "ann:pw-123456"), ("Authorization", "[REDACTED]"), '-u "$SCIMCERT_BASIC"'),
    (Auth("header", "X-Api-Token: tok-123456"), ("X-Api-Token", "[REDACTED]"), '-H "$SCIMCERT_HEADER"'),
])
def test_curl_line_sends_the_credentials_from_the_environment(auth: Auth, header: tuple[str, str],
                                                             expected: str) -> None:
    line = _exchange((header,)).curl(auth)
    assert line == ("curl -i -X GET -H 'Accept: application/scim+json' "
                    f"{expected} 'https://scim.example/scim/v2/Users?count=1'")
    probe = _exchange((("Authorization", "[REDACTED]"),), credentials=False).curl(auth)
    assert "-H 'Authorization: [REDACTED]'" in probe  # a probe's wrong credentials are not the run's


def test_report_curl_line_runs_as_printed(pytester: pytest.Pytester, tmp_path: Path) -> None:
    source = CHECKS.replace('client.get("/Users/nope"), 404', 'client.get("/Users/nope"), 418')
    with provider() as url:
        run_fake(pytester, url, "--scim-report-dir", str(tmp_path), source=source)
        report = (tmp_path / "report.html").read_text()
        report = html.unescape(html.unescape(report))  # pytest-html escapes the extras once more
        curl = re.search(r"curl -i -X GET [^<]*?/Users/nope\b'?", report).group(0)  # type: ignore[union-attr]
        assert '-H "Authorization: Bearer $SCIMCERT_TOKEN"' in curl and "REDACTED" not in curl
        reply = subprocess.run(["bash", "-c", curl], capture_output=True, text=True, timeout=30, check=False,
                               env={**os.environ, "SCIMCERT_TOKEN": TOKEN})
    assert reply.stdout.startswith("HTTP/1.1 404"), reply.stdout + reply.stderr


def test_preflight_unreachable_and_rejected(pytester: pytest.Pytester) -> None:
    result = run_fake(pytester, "http://127.0.0.1:9/scim/v2")
    assert result.ret == 2
    result.stdout.fnmatch_lines(["*cannot reach http://127.0.0.1:9/scim/v2 (connection failed)*"])
    with provider() as url:
        pytester.makepyfile(test_fake_checks=CHECKS)
        rejected = pytester.runpytest_subprocess("-p", "suites.plugin", "--scim-url", url,
                                                 "--scim-token", "wrong")
    assert rejected.ret == 2
    rejected.stdout.fnmatch_lines(["*rejected the credentials (GET /Users -> 401)*"])
    assert "passed" not in rejected.stdout.str() and "failed" not in rejected.stdout.str()


def test_fail_on_decides_the_exit_code(pytester: pytest.Pytester, tmp_path: Path) -> None:
    source = CHECKS.replace('client.get("/Users/nope"), 404', 'client.get("/Users/nope"), 418')
    with provider() as url:
        must = run_fake(pytester, url, "--scim-report-dir", str(tmp_path / "a"), source=source)
        should = run_fake(pytester, url, "--scim-fail-on", "should", "--scim-report-dir",
                          str(tmp_path / "b"), source=source)
    assert must.ret == 0 and should.ret == 1
    data = summary_of(tmp_path / "a")
    assert data["totals"] == {"passed": 2, "failed": 1, "skipped": 0, "errors": 0, "waived": 0}
    assert data["verdicts"] == {"rfc": "pass", "okta": "pass"}
    assert summary_of(tmp_path / "b")["verdicts"]["rfc"] == "fail"


def test_a_failed_okta_check_fails_the_run_whatever_its_level(pytester: pytest.Pytester,
                                                               tmp_path: Path) -> None:
    """Okta readiness gates by default: an okta=True SHOULD failure breaks Okta provisioning."""
    source = CHECKS.replace('level="SHOULD", refs=["RFC7644 §3.12"], readonly=True',
                            'level="SHOULD", refs=["RFC7644 §3.12"], readonly=True, okta=True')
    source = source.replace('client.get("/Users/nope"), 404', 'client.get("/Users/nope"), 418')
    with provider() as url:
        gated = run_fake(pytester, url, "--scim-report-dir", str(tmp_path / "a"), source=source)
        rfc_only = run_fake(pytester, url, "--scim-no-okta-gate", "--scim-report-dir", str(tmp_path / "b"),
                            source=source)
    assert gated.ret == 1 and rfc_only.ret == 0
    gated.stdout.fnmatch_lines(["*short test summary info*",  # pytest's, then scimcert's verdict last
                                "FAILED *::test_unknown_is_404_should*",
                                "*= scimcert =*",
                                "*fail-on MUST + Okta readiness*",
                                "3 checks: 2 passed, 1 failed, 0 skipped, 0 errors, 0 waived",
                                "RFC conformance: PASS (3 of 3 checks ran)    "
                                "Okta readiness: FAIL (2 of 2 checks ran)",
                                "failed checks (id, level, okta):",  # the ids waivers take
                                "  T-SHOULD-001  SHOULD  okta  An unknown id answers 404 (a SHOULD, *"])
    assert summary_of(tmp_path / "a")["okta_gate"] is True and summary_of(tmp_path / "a")["gate_failed"]
    assert summary_of(tmp_path / "b")["verdicts"] == {"rfc": "pass", "okta": "fail"}


def test_waivers_applied_expired_and_stale(pytester: pytest.Pytester, tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.toml"
    waivers.write_text('[[waiver]]\nid = "T-WRITE-001"\nreason = "ticket 42: creates answer 200"\n'
                       '[[waiver]]\nid = "T-MUST-001"\nreason = "old"\n'
                       '[[waiver]]\nid = "T-SHOULD-001"\nreason = "expired"\nexpires = 2001-01-01\n')
    with provider("created-returns-200") as url:
        result = run_fake(pytester, url, "--scim-waivers", str(waivers), "--scim-report-dir", str(tmp_path))
    assert result.ret == 0
    data = summary_of(tmp_path)
    outcomes = {c["id"]: c["outcome"] for c in data["checks"]}
    assert outcomes["T-WRITE-001"] == "waived" and data["totals"]["waived"] == 1
    assert data["waivers"] == {"applied": ["T-WRITE-001"], "expired": ["T-SHOULD-001"],
                               "stale": ["T-MUST-001"]}
    # T-WRITE-001 (okta) did not pass: Okta readiness fails, but its waiver keeps the run passing.
    assert data["verdicts"]["okta"] == "fail" and not data["gate_failed"]


def _waivers(*ids: str, table: str = "waiver") -> str:
    return "".join(f'[[{table}]]\nid = "{i}"\nreason = "r"\n' for i in ids)


@pytest.mark.parametrize(("text", "message"), [
    (_waivers("NOPE-999"), "waiver id 'NOPE-999' names no check;"),
    (_waivers("t-write-001"), "'t-write-001' names no check (did you mean T-WRITE-001?)"),
    (_waivers("USR-CREATE-002", "USR-CREAT-002"),
     "'USR-CREAT-002' names no check (did you mean USR-CREATE-002?)"),
    (_waivers("T-WRITE-001", table="waivers"), "unexpected 'waivers'; each waiver is a [[waiver]] table"),
    (_waivers("T-WRITE-001", "T-MUST-001", "T-WRITE-001"), "waivers.toml: waivers #1 and #3 both waive "
                                                           "T-WRITE-001; keep one [[waiver]] per check id"),
], ids=["unknown", "lower-case", "catalogue-typo", "misspelled-table", "twice"])
def test_a_waiver_that_could_never_apply_stops_the_run(pytester: pytest.Pytester, tmp_path: Path,
                                                        text: str, message: str) -> None:
    """Ids of this run's checks and of the whole catalogue (USR-CREATE-002) are known; others are not."""
    waivers = tmp_path / "waivers.toml"
    waivers.write_text(text)
    report_dir = tmp_path / "reports"
    report_dir.mkdir()
    (report_dir / "summary.json").write_text("a previous run's")
    with provider() as url:
        result = run_fake(pytester, url, "--scim-waivers", str(waivers), "--scim-report-dir", str(report_dir))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert message in result.stderr.str() and "Traceback" not in result.stderr.str()
    assert [p.name for p in report_dir.iterdir()] == ["summary.json"]  # the refused run wrote nothing
    assert (report_dir / "summary.json").read_text() == "a previous run's"


def test_baseline_fails_only_on_regressions(pytester: pytest.Pytester, tmp_path: Path) -> None:
    with provider() as url:
        run_fake(pytester, url, "--scim-report-dir", str(tmp_path / "good"))
    with provider("created-returns-200") as url:
        regressed = run_fake(pytester, url, "--scim-baseline", str(tmp_path / "good" / "summary.json"),
                             "--scim-report-dir", str(tmp_path / "bad"))
        steady = run_fake(pytester, url, "--scim-baseline", str(tmp_path / "bad" / "summary.json"),
                          "--scim-report-dir", str(tmp_path / "again"))
    assert regressed.ret == 1 and steady.ret == 0
    assert summary_of(tmp_path / "bad")["baseline"]["regressions"] == ["T-WRITE-001"]
    assert summary_of(tmp_path / "again")["baseline"]["still_failing"] == ["T-WRITE-001"]
    diff = CliRunner().invoke(main, ["diff", str(tmp_path / "good" / "summary.json"),
                                     str(tmp_path / "bad" / "summary.json")])
    assert diff.exit_code == 1 and "regressions: 1" in diff.output and "T-WRITE-001" in diff.output


PARAMETRISED = CHECKS + '''

@pytest.mark.check("T-PARAM-001", level="MUST", refs=["RFC7644 §3.4.2"], readonly=True)
@pytest.mark.parametrize("path", ["/Users", "/Nowhere"], ids=["users", "nowhere"])
def test_param(client, path):
    """GET of each path answers 200."""
    expect_status(client.get(path), 200)
'''


def test_a_parametrised_check_is_one_summary_entry(pytester: pytest.Pytester, tmp_path: Path) -> None:
    """summary.json has one entry per check id (as waivers and baselines name checks), its cases inside."""
    waivers = tmp_path / "waivers.toml"
    waivers.write_text('[[waiver]]\nid = "T-PARAM-001"\nreason = "ticket 7"\n')
    with provider() as url:
        run_fake(pytester, url, "--scim-report-dir", str(tmp_path / "plain"), source=PARAMETRISED)
        run_fake(pytester, url, "--scim-report-dir", str(tmp_path / "waived"), "--scim-waivers", str(waivers),
                 "--scim-baseline", str(tmp_path / "plain" / "summary.json"), source=PARAMETRISED)
    plain = summary_of(tmp_path / "plain")
    assert [c["id"] for c in plain["checks"]] == ["T-MUST-001", "T-SHOULD-001", "T-WRITE-001", "T-PARAM-001"]
    assert plain["totals"] == {"passed": 3, "failed": 1, "skipped": 0, "errors": 0, "waived": 0}
    param = plain["checks"][-1]
    assert param["outcome"] == "failed"
    assert param["message"].startswith("[nowhere] GET /scim/v2/Nowhere -> 404")
    assert [(c["case"], c["outcome"]) for c in param["cases"]] == [("users", "passed"), ("nowhere", "failed")]
    assert "cases" not in plain["checks"][0]
    waived = summary_of(tmp_path / "waived")
    assert waived["checks"][-1]["outcome"] == "waived" and waived["totals"]["waived"] == 1
    assert waived["waivers"] == {"applied": ["T-PARAM-001"], "expired": [], "stale": []}
    # failed before, waived now: a waived check failed, its waiver only keeps it from gating
    assert waived["baseline"]["still_failing"] == ["T-PARAM-001"] and waived["baseline"]["regressions"] == []


def test_read_only_runs_only_readonly_checks(pytester: pytest.Pytester, tmp_path: Path) -> None:
    with provider() as url:
        result = run_fake(pytester, url, "--scim-read-only", "--scim-report-dir", str(tmp_path))
    assert result.ret == 0
    assert {c["id"] for c in summary_of(tmp_path)["checks"]} == {"T-MUST-001", "T-SHOULD-001"}
    assert json.loads((tmp_path / "ledger.json").read_text())["resources"] == []


def test_duplicate_check_ids_are_rejected(pytester: pytest.Pytester) -> None:
    dup = CHECKS.replace("T-SHOULD-001", "T-MUST-001")
    with provider() as url:
        result = run_fake(pytester, url, source=dup)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*check id T-MUST-001 is used by both*"])


def test_cleanup_after_failures_and_later_cleanup_command(pytester: pytest.Pytester, tmp_path: Path) -> None:
    with provider() as url:
        kept = run_fake(pytester, url, "--scim-no-cleanup", "--scim-report-dir", str(tmp_path))
        assert kept.ret == 0
        ledger = json.loads((tmp_path / "ledger.json").read_text())
        assert [r["deleted"] for r in ledger["resources"]] == [False]
        user_id = ledger["resources"][0]["id"]
        done = CliRunner().invoke(main, ["cleanup", str(tmp_path / "ledger.json"), "--token", TOKEN])
        assert done.exit_code == 0, done.output
        assert "1 deleted" in done.output
        again = CliRunner().invoke(main, ["cleanup", str(tmp_path / "ledger.json"), "--token", TOKEN])
        assert "0 to delete" in again.output
        gone = requests.get(f"{url}/Users/{user_id}", headers={"Authorization": f"Bearer {TOKEN}"},
                            timeout=10)
        assert gone.status_code == 404


def test_okta_suite_levels_are_oktas_and_never_decide_rfc_conformance(tmp_path: Path) -> None:
    """Okta's rename body refused: OKTA-GROUP-006 fails at Okta's MUST, PATCH-GRP-RENAME-001 at the
    RFC's SHOULD. With the default --fail-on must, RFC conformance passes and Okta readiness fails;
    the RFC-only gate (--scim-no-okta-gate) then passes the run."""
    with provider("group-rename-rejects-id") as url:
        summary = run_suites(url, ["okta", "patch"], "-k", "rename", "--scim-no-okta-gate",
                             report_dir=tmp_path)
    failed = {c["id"]: c for c in summary["checks"] if c["outcome"] == "failed"}
    assert set(failed) == {"OKTA-GROUP-006", "PATCH-GRP-RENAME-001"}
    assert (failed["OKTA-GROUP-006"]["basis"], failed["PATCH-GRP-RENAME-001"]["basis"]) == ("okta", "rfc")
    assert summary["verdicts"] == {"rfc": "pass", "okta": "fail"}
    assert summary["exit_code"] == 0
    html = (tmp_path / "report.html").read_text()
    assert "MUST (Okta)" in html


def test_preflight_rejects_a_wrong_base_url_in_plain_pytest(pytester: pytest.Pytester) -> None:
    with provider() as url:
        result = run_fake(pytester, url.removesuffix("/scim/v2"))
    assert result.ret == 2
    result.stdout.fnmatch_lines(["*/Users answered 404: is the base URL right? It usually ends in /scim/v2*"])
    assert "passed" not in result.stdout.str()


def test_bad_inputs_stop_plain_pytest_before_any_request(pytester: pytest.Pytester, tmp_path: Path) -> None:
    (tmp_path / "ledger.json").write_text('{"run_id": "x", "resources": []}')
    (tmp_path / "afile").write_text("")
    seen: list[str] = []
    with provider(rewrite=lambda resp: seen.append(resp.path)) as url:
        baseline = run_fake(pytester, url, "--scim-baseline", str(tmp_path / "ledger.json"))
        folder = run_fake(pytester, url, "--scim-report-dir", str(tmp_path / "afile" / "sub"))
    assert baseline.ret == folder.ret == pytest.ExitCode.USAGE_ERROR
    assert seen == []
    baseline.stderr.fnmatch_lines(["*ledger.json is not a scimcert summary.json*"])
    folder.stderr.fnmatch_lines(["*cannot create the report folder*sub (Not a directory)*"])


def test_unreachable_names_the_fix_that_fits() -> None:
    base, bundle = RunConfig(url="https://h", timeout=2.5), RunConfig(url="https://h", verify="ca.pem")
    handshake = unreachable("https://h", "TLS handshake failed", RunConfig(verify=False), "--")
    assert "plain-http server give an http:// URL" in handshake and "insecure" not in handshake
    assert unreachable("https://h", "TLS certificate verification failed: self-signed certificate", base,
                       "--scim-").endswith("give the CA that signed it with --scim-ca-bundle, or pass "
                                           "--scim-insecure.")
    assert "check that --ca-bundle ca.pem holds the CA" in unreachable(
        "https://h", "TLS certificate verification failed: unable to get local issuer", bundle, "--")
    assert "the host name the certificate was issued for" in unreachable(
        "https://h", "TLS certificate verification failed: Hostname mismatch", base, "--")
    assert unreachable("https://h", "timed out", base, "--") == (
        "cannot reach https://h (no answer within 2.5 s); check the URL and that the server is running, "
        "or give a longer --timeout.")


def test_tls_failures_are_told_apart() -> None:
    verify = requests.exceptions.SSLError("Max retries exceeded (Caused by SSLError(SSLCertVerificationError("
                                          "1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
                                          "self-signed certificate (_ssl.c:1006)')))")
    protocol = requests.exceptions.SSLError("[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)")
    assert _describe(verify) == "TLS certificate verification failed: self-signed certificate"
    assert _describe(protocol) == "TLS handshake failed"
    assert _describe(requests.exceptions.ConnectTimeout()) == "timed out"


def test_an_interrupted_summary_is_no_baseline(tmp_path: Path) -> None:
    summary = tmp_path / "summary.json"
    checks = [{"id": "T-MUST-001", "outcome": "passed"}]
    summary.write_text(json.dumps({"interrupted": True, "checks": checks}))
    with pytest.raises(HarnessError, match="summary of an interrupted run"):
        load_baseline(summary)
    diff = CliRunner().invoke(main, ["diff", str(summary), str(summary)])
    assert diff.exit_code == 2 and "interrupted run" in diff.output


def test_a_report_dir_whose_ledger_lists_resources_left_is_refused(pytester: pytest.Pytester,
                                                                   tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger.json", "r1", "https://old.example/scim/v2")
    ledger.add("User", "u1", "scimcert-r1-a")
    (tmp_path / "summary.json").write_text("{}")
    with provider() as url:
        result = run_fake(pytester, url, "--scim-report-dir", str(tmp_path))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*ledger.json lists 1 resource a previous run left on https://old.example*"])
    assert Ledger.load(tmp_path / "ledger.json").pending() and (tmp_path / "summary.json").read_text() == "{}"


def test_baseline_comparison_places_every_failing_check() -> None:
    """A check failing now is a regression, still failing or new failing, whatever it was before;
    a waived check counts as failing, before and now."""
    from suites.baseline import compare  # noqa: PLC0415

    before = {"A": "passed", "B": "failed", "C": "skipped", "D": "waived", "E": "waived", "F": "error",
              "H": "passed", "I": "waived", "J": "failed", "K": "skipped"}
    now = [{"id": i, "outcome": o} for i, o in
           (("A", "failed"), ("B", "failed"), ("C", "failed"), ("D", "failed"), ("E", "passed"),
            ("F", "passed"), ("G", "error"), ("H", "waived"), ("I", "waived"), ("J", "waived"),
            ("K", "waived"), ("L", "waived"))]
    assert compare(before, now) == {"regressions": ["A", "H"], "fixes": ["E", "F"],
                                    "still_failing": ["B", "D", "I", "J"],
                                    "new_failing": ["C", "G", "K", "L"]}


def test_a_verdict_with_no_check_behind_it_is_not_run(pytester: pytest.Pytester, tmp_path: Path) -> None:
    """Only RFC checks ran: Okta readiness is "not run", not a PASS nothing stands behind."""
    with provider() as url:
        result = run_fake(pytester, url, "-k", "list_users", "--scim-report-dir", str(tmp_path))
    assert result.ret == 0
    assert summary_of(tmp_path)["verdicts"] == {"rfc": "pass", "okta": "not run"}
    result.stdout.fnmatch_lines(["RFC conformance: PASS (* of * checks ran)    Okta readiness: NOT RUN"])


def test_an_interrupted_run_counts_checks_not_cases() -> None:
    """not_run counts check ids never started: a check run once per case is one check."""
    from suites import interrupted  # noqa: PLC0415
    from suites.levels import Level as Lv  # noqa: PLC0415
    from suites.state import CheckInfo, CheckResult, RunState  # noqa: PLC0415

    def info(cid: str) -> CheckInfo:
        return CheckInfo(cid, cid, Lv.MUST, (), False, False, ())

    state = RunState(RunConfig(), Waivers(), selected=frozenset({"A", "B", "C"}), interrupted="SIGINT")
    state.results = {f"t[{case}]": CheckResult(info("A"), f"t[{case}]") for case in ("x", "y")}
    summary = {"verdicts": {"rfc": "pass", "okta": "pass"}, "checks": [{"id": "A"}]}
    interrupted.mark(summary, state)
    assert summary["not_run"] == 2
    assert interrupted.line(summary) == ("INTERRUPTED by SIGINT after 1 of 3 checks: the run is incomplete "
                                         "and has no verdict")


@pytest.mark.parametrize(("retry_after", "low", "high"), [
    ("2", 2.0, 2.0), ("120", 5.0, 5.0), ("-3", 0.0, 0.0), (None, 1.0, 1.0), ("soon", 1.0, 1.0),
    ("in-3s", 1.0, 1.0), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0, 0.0), ("Wed, 21 Oct 2015 07:28:00", 1.0, 1.0),
])
def test_a_429_is_retried_after_its_retry_after_seconds_or_date(retry_after: str | None, low: float,
                                                                 high: float) -> None:
    """RFC 9110 §10.2.3: delay-seconds or an HTTP-date (a date in the future is waited for, one in
    the past not at all), kept within 0..5 s; 1 s when the header gives neither (or a date with no zone)."""
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    reply = SimpleNamespace(headers=headers)
    assert low <= _retry_after(reply) <= high  # type: ignore[arg-type]
    in_three_seconds = SimpleNamespace(headers={"Retry-After": formatdate(time.time() + 3, usegmt=True)})
    assert 1.5 <= _retry_after(in_three_seconds) <= 3.0  # type: ignore[arg-type]
