"""--extension as `scimcert run` and `pytest suites` take it: what they say about Group extensions,
and the specs they refuse."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli import main
from suites.catalogue import SUITES_DIR
from tests.suites.support import TOKEN, provider

ACME_GROUP = "urn:ietf:params:scim:schemas:extension:acme:2.0:Group"
ACME_USER = "urn:ietf:params:scim:schemas:extension:acme:2.0:User"
NOTE = (f"note: {ACME_GROUP} extends Groups (its URN ends in :Group) and is not tested: the extension "
        "suite tests User extensions only.")
QUICK = ("--", "-k", "test_max_results_is_honoured")  # one cheap check


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, check=False)


def test_scimcert_run_says_up_front_that_a_group_extension_is_not_tested(tmp_path: Path) -> None:
    proc = _run("simulator.cli", "run", "--extension", f"{ACME_GROUP}=costCode", "--extension",
                f"{ACME_USER}=badge", "--suite", "discovery", "--report-dir", "out", *QUICK,
                cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert proc.stderr.count(NOTE) == 1, proc.stderr
    assert ACME_USER not in proc.stderr  # a User extension is tested: nothing to say


def test_plain_pytest_says_up_front_that_a_group_extension_is_not_tested(tmp_path: Path) -> None:
    with provider() as url:
        proc = _run("pytest", str(SUITES_DIR / "discovery"), "-q", "-p", "no:randomly", "--scim-url", url,
                    "--scim-token", TOKEN, "--scim-extension", f"{ACME_GROUP}=costCode",
                    "--scim-report-dir", str(tmp_path / "out"), *QUICK[1:], cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert proc.stderr.count(NOTE) == 1, proc.stderr


@pytest.mark.parametrize("command", [["run"], ["provider", "--port", "0"], ["replay", "connect"]])
@pytest.mark.parametrize(("attrs", "which"), [("costCode,,level", 2), ("costCode,", 2), (":integer", 1)])
def test_an_empty_attribute_name_is_refused(isolated_settings: None, command: list[str], attrs: str,
                                            which: int) -> None:
    """One parser serves run, provider and replay: `URN=a,,b` named no second attribute."""
    result = CliRunner().invoke(main, [*command, "--extension", f"{ACME_USER}={attrs}"])
    assert result.exit_code == 2, result.output
    assert f"extension {ACME_USER}: attribute {which} of {attrs!r} has no name; separate attribute names " \
           "with single commas" in result.output
    assert "Traceback" not in result.output
