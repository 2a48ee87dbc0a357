"""A target that ignores `filter` answers Okta's lookups with resources the run did not create.
Okta links the first one and overwrites it (okta-scim.md §4.2b, §8.2): the okta suite and
`scimcert replay` fail that step saying so, and leave those resources byte for byte as they were
(README: "The run never modifies or deletes anything it did not create")."""

from __future__ import annotations

import json
from pathlib import Path

import requests
from click.testing import CliRunner

from simulator.cli import main
from tests.suites.support import TOKEN, provider, run_suites

AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/scim+json"}
USER_CORE = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_CORE = "urn:ietf:params:scim:schemas:core:2.0:Group"
OVERWRITE = "the server ignored or mis-applied the filter; Okta would link — and then overwrite — that user; "
ADD_TO = "the server ignored or mis-applied the filter; Okta would link — and then add its members to — "
WRITES = ("PUT", "PATCH", "DELETE")


def _seed(url: str) -> tuple[str, str]:
    """Somebody else's user and group (with the user in it); their ids."""
    user = {"schemas": [USER_CORE], "userName": "ceo@corp.example", "active": True,
            "name": {"givenName": "Chief", "familyName": "Executive"},
            "emails": [{"value": "ceo@corp.example", "primary": True}]}
    uid = requests.post(f"{url}/Users", json=user, headers=AUTH, timeout=10).json()["id"]
    group = {"schemas": [GROUP_CORE], "displayName": "Board", "members": [{"value": uid}]}
    gid = requests.post(f"{url}/Groups", json=group, headers=AUTH, timeout=10).json()["id"]
    return uid, gid


def _read(url: str, uid: str, gid: str) -> list[bytes]:
    return [requests.get(f"{url}/{path}", headers=AUTH, timeout=10).content
            for path in (f"Users/{uid}", f"Groups/{gid}")]


def _writes_to(har: Path, *ids: str) -> list[str]:
    entries = json.loads(har.read_text())["log"]["entries"]
    return [f"{e['request']['method']} {e['request']['url']}" for e in entries
            if e["request"]["method"] in WRITES and any(i in e["request"]["url"] for i in ids)]


def test_the_okta_suite_and_replay_leave_what_a_filter_ignoring_target_returns(tmp_path: Path) -> None:
    with provider("filter-ignored") as url:
        uid, gid = _seed(url)
        before = _read(url, uid, gid)
        summary = run_suites(url, ["okta"], report_dir=tmp_path / "run")
        replays = {flow: CliRunner().invoke(main, ["replay", flow, "--url", url, "--token", TOKEN,
                                                   "--report-dir", str(tmp_path / flow)])
                   for flow in ("user-lifecycle", "group-push", "crud-test")}
        after = _read(url, uid, gid)
    assert after == before
    assert _writes_to(tmp_path / "run" / "exchanges.har", uid, gid) == []
    refused = f'returned userName "ceo@corp.example" (id {uid}): {OVERWRITE}scimcert did not write to it'
    failed = {c["id"]: c["message"] for c in summary["checks"] if c["outcome"] == "failed"}
    for check in ("OKTA-USER-001", "OKTA-USER-006", "OKTA-CRUD-001", "OKTA-GROUP-001"):
        assert refused in failed[check], failed.get(check)
    assert f'returned displayName "Board" (id {gid}): {ADD_TO}that group; scimcert did not write to it' in (
        failed["OKTA-GROUP-002"])
    for flow, result in replays.items():
        assert result.exit_code == 1, result.output
        lookup = "assign.lookup: the lookup" if flow == "crud-test" else "the lookup"
        assert f'Received: {lookup} `filter=userName eq "scimcert-' in result.output
        assert refused in result.output, result.output
        assert _writes_to(tmp_path / flow / "exchanges.har", uid, gid) == []


def test_a_spec_step_that_judged_a_foreign_user_says_so() -> None:
    """Okta's SPEC test step 1 judges the first user the target lists; on a target that already
    held a user without a name, OKTA-SPEC-001 failed without saying the user was not the run's."""
    with provider() as url:
        bare = {"schemas": [USER_CORE], "userName": "legacy@corp.example"}
        uid = requests.post(f"{url}/Users", json=bare, headers=AUTH, timeout=10).json()["id"]
        summary = run_suites(url, ["okta/test_spec.py"], "-k", "spec_01")
    (check,) = [c for c in summary["checks"] if c["id"] == "OKTA-SPEC-001"]
    assert check["outcome"] == "failed"
    assert f"(it judged User {uid}, which this run did not create" in check["message"], check["message"]
