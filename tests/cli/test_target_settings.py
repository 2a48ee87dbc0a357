"""`scimcert replay` and `scimcert cleanup` take their target settings as `scimcert run` does:
option > SCIMCERT_* > ./scimcert.toml > default, the credentials from one source as a set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner, Result

from simulator.cli import main
from suites.config import Preset, RunConfig
from suites.ledger import Ledger
from tests.conftest import TOKEN, ProviderFactory
from tests.suites.support import TOKEN as REPLAY_TOKEN
from tests.suites.support import provider

UNREACHABLE = "http://127.0.0.1:9/scim/v2"


pytestmark = pytest.mark.usefixtures("isolated_settings")


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def settings_file(**target: object) -> None:
    lines = ["[target]", *(f"{k} = {json.dumps(v)}" for k, v in target.items())]
    Path("scimcert.toml").write_text("\n".join(lines) + "\n")


def test_replay_an_option_replaces_exported_credentials_of_another_kind() -> None:
    with provider() as url:
        token_wins = invoke("replay", "connect", "--url", url, "--token", REPLAY_TOKEN,
                            env={"SCIMCERT_BASIC": "u:p"})
        basic_wins = invoke("replay", "connect", "--url", url, "--basic", "u:p",
                            env={"SCIMCERT_TOKEN": REPLAY_TOKEN})
        both = invoke("replay", "connect", "--url", url, "--token", REPLAY_TOKEN, "--basic", "u:p")
    assert token_wins.exit_code == 0, token_wins.output
    assert basic_wins.exit_code == 2, basic_wins.output  # the reference provider takes only its token
    assert f"{url} rejected the credentials (GET /Users -> 401)" in basic_wins.output
    assert both.exit_code == 2 and "give only one of --token, --basic and --header" in both.output
    assert "give only one" not in token_wins.output + basic_wins.output


def test_replay_reads_the_target_from_scimcert_toml() -> None:
    with provider() as url:
        settings_file(url=url, token=REPLAY_TOKEN)
        from_file = invoke("replay", "connect")
        env_url = invoke("replay", "connect", env={"SCIMCERT_URL": UNREACHABLE})
        settings_file(url=UNREACHABLE, token=REPLAY_TOKEN)
        env_over_file = invoke("replay", "connect", env={"SCIMCERT_URL": url})
        option_over_env = invoke("replay", "connect", "--url", url, env={"SCIMCERT_URL": UNREACHABLE})
    assert from_file.exit_code == 0, from_file.output
    assert f"against {url}" in from_file.output and "embedded" not in from_file.output
    assert env_url.exit_code == 2 and f"cannot reach {UNREACHABLE}" in env_url.output
    for result in (env_over_file, option_over_env):  # the file's token with a URL from elsewhere
        assert result.exit_code == 0, result.output
        assert f"against {url}" in result.output


def test_replay_reads_only_the_target_settings() -> None:
    Path("scimcert.toml").write_text('[target]\ntoken = "t"\ntimeout = -1\n')
    result = invoke("replay", "connect")
    assert result.exit_code == 2 and "timeout must be a positive number of seconds" in result.output
    Path("scimcert.toml").write_text('[run]\nfail_on = "nope"\nwaivers = "missing.toml"\n')
    result = invoke("replay", "connect", env={"SCIMCERT_READ_ONLY": "maybe"})
    assert result.exit_code == 0, result.output  # run's own settings are no concern of replay's
    result = invoke("replay", "connect", env={"SCIMCERT_INSECURE": "maybe"})
    assert result.exit_code == 2 and "SCIMCERT_INSECURE must be true or false" in result.output


RUN_ONLY_ENV = {"SCIMCERT_FAIL_ON": "bogus", "SCIMCERT_NO_CLEANUP": "maybe", "SCIMCERT_RUN_ID": "no spaces!",
                "SCIMCERT_BASELINE": "missing.json"}
REPLAY_ENV = {"SCIMCERT_OKTA_FLAVOUR": "x", "SCIMCERT_EXTENSION": "nonsense"}  # replay's, not cleanup's


@pytest.mark.parametrize("toml", ['[run]\nfail_on = 5\nno_cleanup = "maybe"\nrun_id = 7\n', ""])
def test_replay_and_cleanup_ignore_run_only_settings_of_any_type_or_value(
        toml: str, make_provider: ProviderFactory, tmp_path: Path) -> None:
    """Neither checked nor used, from the environment or the file: they are `scimcert run`'s."""
    Path("scimcert.toml").write_text(toml)
    env = {} if toml else RUN_ONLY_ENV
    replayed = invoke("replay", "connect", env=env)
    assert replayed.exit_code == 0, replayed.output
    a = make_provider()
    ledger = _ledger_of_one_user(a.base, a.create_user("scimcert-r1-ann@example.com"), tmp_path)
    cleaned = invoke("cleanup", str(ledger), "--token", TOKEN, env={**env, **REPLAY_ENV} if env else env)
    assert cleaned.exit_code == 0 and "1 deleted" in cleaned.output, cleaned.output


@pytest.mark.parametrize(("toml", "message"), [
    ("[run]\nfail_on = \"should\"\nulr = \"x\"\n", "scimcert.toml: unknown setting 'ulr'"),
    ("[run\n", "cannot read scimcert.toml"),
    ("[target]\nfail_on = \"should\"\n", "scimcert.toml: fail_on is in [target] but belongs in [run]"),
])
def test_replay_and_cleanup_still_refuse_a_broken_settings_file(toml: str, message: str,
                                                                tmp_path: Path) -> None:
    Path("scimcert.toml").write_text(toml)
    ledger = _ledger_of_one_user("http://127.0.0.1:9/scim/v2", {"id": "1", "userName": "scimcert-r1-a"},
                                 tmp_path)
    for result in (invoke("replay", "connect"), invoke("cleanup", str(ledger), "--token", TOKEN)):
        assert result.exit_code == 2 and message in result.output, result.output


def test_replay_reads_its_flavour_as_run_reads_okta_flavour() -> None:
    """--flavour > SCIMCERT_OKTA_FLAVOUR > okta_flavour in scimcert.toml > oin; its click default no
    longer hides the other two."""
    assert "(oin) against" in invoke("replay", "connect").output
    Path("scimcert.toml").write_text('[run]\nokta_flavour = "AIW"\n')
    from_file = invoke("replay", "connect")
    env_over_file = invoke("replay", "connect", env={"SCIMCERT_OKTA_FLAVOUR": "oin"})
    option_over_env = invoke("replay", "connect", "--flavour", "aiw", env={"SCIMCERT_OKTA_FLAVOUR": "oin"})
    for result, flavour in ((from_file, "aiw"), (env_over_file, "oin"), (option_over_env, "aiw")):
        assert result.exit_code == 0, result.output
        assert f"({flavour}) against" in result.output, result.output


ACME = "urn:ietf:params:scim:schemas:extension:acme:2.0:User"


def test_replay_reads_its_extensions_as_run_does(tmp_path: Path) -> None:
    """--extension/--extension-file > SCIMCERT_EXTENSION(_FILE) > scimcert.toml, as one set; from none,
    custom-attributes against the embedded provider takes the vendor example."""
    schema = {"id": f"{ACME}", "name": "Acme", "attributes": [{"name": "badge", "type": "string"}]}
    (tmp_path / "acme.json").write_text(json.dumps(schema))
    Path("scimcert.toml").write_text(f'[run]\nextension = ["{ACME}=level:integer"]\n')
    from_file = invoke("replay", "custom-attributes")
    from_env = invoke("replay", "custom-attributes", env={"SCIMCERT_EXTENSION_FILE": "acme.json"})
    from_option = invoke("replay", "custom-attributes", "--extension", f"{ACME}=cost",
                         env={"SCIMCERT_EXTENSION_FILE": "acme.json"})
    Path("scimcert.toml").unlink()
    default = invoke("replay", "custom-attributes")
    for result, attr in ((from_file, f"{ACME}:level"), (from_env, f"{ACME}:badge"),
                         (from_option, f"{ACME}:cost"),
                         (default, "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User:custAttr1")):
        assert result.exit_code == 0, result.output
        assert result.output.count("custom-attributes: all 11 steps passed") == 1, result.output
        assert f"[{attr}]" in result.output, result.output


@pytest.mark.parametrize(("toml", "env", "message"), [
    ("", {"SCIMCERT_OKTA_FLAVOUR": "okta"}, "SCIMCERT_OKTA_FLAVOUR=okta: Okta flavour must be oin or aiw; "
                                            "got 'okta'"),
    ('okta_flavour = "okta"', {}, "okta_flavour in scimcert.toml: Okta flavour must be oin or aiw"),
    ("okta_flavour = 5", {}, "scimcert.toml: okta_flavour must be a string in quotes"),
    ("", {"SCIMCERT_EXTENSION": "nonsense"}, "SCIMCERT_EXTENSION=nonsense: extension 'nonsense': expected "
                                             "URN=attr[:type]"),
    ("", {"SCIMCERT_EXTENSION_FILE": "missing.json"}, "SCIMCERT_EXTENSION_FILE=missing.json: cannot read "
                                                      "extension file missing.json"),
    ('extension = "nonsense"', {}, "extension in scimcert.toml: extension 'nonsense': expected"),
    ("extension = 5", {}, "scimcert.toml: extension must be a string or a list of strings"),
    ('extension_file = ["a", 1]', {}, "scimcert.toml: extension_file must be a string or a list of strings"),
])
def test_replay_refuses_a_bad_flavour_or_extension_naming_its_source(toml: str, env: dict[str, str],
                                                                     message: str) -> None:
    Path("scimcert.toml").write_text(f"[run]\n{toml}\n")
    result = invoke("replay", "custom-attributes", env=env)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "embedded reference provider" not in result.output and "Traceback" not in result.output


def _ledger_of_one_user(scim_base: str, user: dict[str, object], tmp_path: Path) -> Path:
    ledger = Ledger(tmp_path / "ledger.json", "r1", scim_base)
    ledger.add("User", str(user["id"]), str(user["userName"]))
    ledger.flush()
    return ledger.path or Path()


def test_cleanup_an_option_replaces_exported_credentials_of_another_kind(
        make_provider: ProviderFactory, tmp_path: Path) -> None:
    a = make_provider()
    ledger = _ledger_of_one_user(a.base, a.create_user("scimcert-r1-ann@example.com"), tmp_path)
    result = invoke("cleanup", str(ledger), "--token", TOKEN, env={"SCIMCERT_BASIC": "u:p"})
    assert result.exit_code == 0, result.output
    assert "1 deleted" in result.output and a.get("/Users").json()["totalResults"] == 0


def test_cleanup_reads_credentials_and_url_from_scimcert_toml(make_provider: ProviderFactory,
                                                             tmp_path: Path) -> None:
    a, b = make_provider(), make_provider()
    ledger = _ledger_of_one_user(a.base, a.create_user("scimcert-r1-ann@example.com"), tmp_path)
    settings_file(url=b.base, token=TOKEN)
    refused = invoke("cleanup", str(ledger))
    assert refused.exit_code == 2, refused.output
    assert (f"lists what a run created at {a.base}, but url in scimcert.toml is {b.base}; "
            f"give --url {a.base} to clean up there, or add --allow-other-url") in refused.output
    settings_file(token=TOKEN)
    result = invoke("cleanup", str(ledger))
    assert result.exit_code == 0, result.output
    assert f"1 to delete at {a.base}: 1 deleted" in result.output
    assert a.get("/Users").json()["totalResults"] == 0


def test_replay_hands_its_settings_to_the_checks_of_report_dir(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    seen: list[RunConfig] = []

    def fake_main(args: list[str], plugins: list[object]) -> int:
        seen.extend(p.config for p in plugins if isinstance(p, Preset))
        return 0

    monkeypatch.setattr(pytest, "main", fake_main)
    with provider() as url:
        Path("scimcert.toml").write_text('[target]\ntimeout = 7\ninsecure = true\n'
                                         '[run]\nokta_flavour = "aiw"\n')
        result = invoke("replay", "connect", "--url", url, "--token", REPLAY_TOKEN, "--report-dir", "out")
    assert result.exit_code == 0, result.output
    [checks] = seen
    assert checks.timeout == 7.0 and checks.verify is False  # from scimcert.toml
    assert checks.okta_flavour == "aiw" and "(aiw) against" in result.output
    assert checks.url == url and checks.auth.value == REPLAY_TOKEN and checks.report_dir == Path("out")


def test_run_only_settings_do_not_reach_the_checks_of_a_replay() -> None:
    """README: replay ignores `scimcert run`'s own settings. Its checks (--report-dir) used to read
    them from SCIMCERT_* and scimcert.toml: SCIMCERT_NO_CLEANUP made them keep what they created."""
    Path("scimcert.toml").write_text('[run]\nfail_on = "may"\nwaivers = "missing.toml"\n')
    env = {"SCIMCERT_NO_CLEANUP": "true", "SCIMCERT_READ_ONLY": "true", "SCIMCERT_RUN_ID": "theirs"}
    with provider() as url:
        result = invoke("replay", "user-lifecycle", "--url", url, "--token", REPLAY_TOKEN,
                        "--report-dir", "out", env=env)
        left = requests.get(url + "/Users", headers={"Authorization": f"Bearer {REPLAY_TOKEN}"}, timeout=10)
    assert result.exit_code == 0, result.output
    summary = json.loads(Path("out/summary.json").read_text())
    assert summary["run_id"] != "theirs" and summary["totals"]["passed"] > 0  # not read-only: they ran
    assert summary["cleanup"]["left"] == 0 and left.json()["totalResults"] == 0, result.output


def test_cleanup_without_credentials_is_refused_up_front_by_a_target_that_needs_them(
        make_provider: ProviderFactory, tmp_path: Path) -> None:
    """It used to try every resource ('GET -> 401' each) and exit 1; one read decides now."""
    a = make_provider()
    user = a.create_user("scimcert-r1-ann@example.com")
    ledger = _ledger_of_one_user(a.base, user, tmp_path)
    bare = invoke("cleanup", str(ledger))
    assert bare.exit_code == 2, bare.output
    assert (f"{a.base} refused a request without credentials (GET /Users/{user['id']} -> 401); the ledger's "
            "target needs the run's credentials: give --token, --basic or --header") in bare.output
    wrong = invoke("cleanup", str(ledger), env={"SCIMCERT_TOKEN": "wrong"})
    assert wrong.exit_code == 2, wrong.output
    assert "rejected the credentials from SCIMCERT_TOKEN (GET /Users/" in wrong.output
    settings_file(basic="u:p")
    from_file = invoke("cleanup", str(ledger))
    assert from_file.exit_code == 2 and "check basic in scimcert.toml." in from_file.output, from_file.output
    assert "failed" not in bare.output + wrong.output + from_file.output
    assert a.get(f"/Users/{user['id']}").status_code == 200 and Ledger.load(ledger).pending()


def test_cleanup_without_credentials_works_on_a_target_that_needs_none(
        make_provider: ProviderFactory, tmp_path: Path) -> None:
    a = make_provider(token=None)
    ledger = _ledger_of_one_user(a.base, a.create_user("scimcert-r1-ann@example.com"), tmp_path)
    result = invoke("cleanup", str(ledger))
    assert result.exit_code == 0 and "1 deleted" in result.output, result.output


@pytest.mark.parametrize("command", [("replay", "connect"), ("run",)])
def test_replay_and_run_name_where_the_rejected_credentials_came_from(command: tuple[str, ...]) -> None:
    with provider() as url:
        from_env = invoke(*command, "--url", url, env={"SCIMCERT_TOKEN": "wrong"})
        settings_file(url=url, header="X-Key: wrong")
        from_file = invoke(*command)
        from_option = invoke(*command, "--token", "wrong")
    for result, given in ((from_env, "SCIMCERT_TOKEN"), (from_file, "header in scimcert.toml"),
                          (from_option, "--token")):
        assert result.exit_code == 2, result.output
        assert f"rejected the credentials (GET /Users -> 401); check {given}." in result.output


def test_run_against_a_target_that_needs_credentials_says_none_were_given() -> None:
    with provider() as url:
        result = invoke("run", "--url", url)
    assert result.exit_code == 2, result.output
    assert (f"{url} needs credentials (GET /Users -> 401) and none were given; give --token, --basic or "
            "--header.") in result.output
