"""The ledger survives a killed run: every create is on disk before the next request."""

from __future__ import annotations

import json
from pathlib import Path

from suites.client import Exchange, ScimClient
from suites.config import Auth, RunConfig
from suites.ledger import Ledger, cleanup
from tests.conftest import TOKEN, ProviderFactory


def test_a_killed_run_leaves_a_journal_that_load_replays(tmp_path: Path) -> None:
    path = tmp_path / "ledger.json"
    ledger = Ledger(path, "r1", "https://x.example/scim/v2")
    ledger.flush()
    ledger.add("User", "u1", "scimcert-r1-a")
    ledger.add("Group", "g1", "scimcert-r1-g")
    ledger.add_once("User", "u1", "again")  # already listed: no second entry
    ledger.mark_deleted("Group", "g1")
    # killed here: ledger.json still lists nothing, the journal has every change
    assert json.loads(path.read_text())["resources"] == []
    with path.with_suffix(".journal").open("a") as fh:
        fh.write('{"add": {"type": "User", "id": "u2"')  # torn last line
    found = Ledger.load(path)
    assert [(e["type"], e["id"], e["deleted"]) for e in found.entries] == [
        ("User", "u1", False), ("Group", "g1", True)]
    assert [e["id"] for e in found.pending()] == ["u1"] and found.owns("User", "u1")
    found.flush()  # cleanup writes the whole ledger and retires the journal
    assert not path.with_suffix(".journal").exists()
    assert len(json.loads(path.read_text())["resources"]) == 2


def test_recording_a_create_does_not_rewrite_the_ledger(tmp_path: Path) -> None:
    path = tmp_path / "ledger.json"
    ledger = Ledger(path, "r1", "t")
    ledger.flush()
    before = path.stat().st_mtime_ns
    for n in range(50):
        ledger.add("User", f"u{n}", f"n{n}")
    assert path.stat().st_mtime_ns == before  # appends go to the journal only
    assert len(path.with_suffix(".journal").read_text().splitlines()) == 50


def test_cleanup_deletes_only_what_still_carries_the_runs_prefix(make_provider: ProviderFactory,
                                                                 tmp_path: Path) -> None:
    """A server may give a recorded id to somebody else's resource: read first, delete only ours."""
    scim = make_provider()
    ours = scim.create_user("scimcert-r1-ann@example.com")
    team = scim.create_group("scimcert-r1-team", [ours["id"]])
    alice = scim.create_user("alice@example.com")
    admins = scim.create_group("Admins")
    ledger = Ledger(tmp_path / "ledger.json", "r1", scim.base)
    for kind, rid in (("User", ours["id"]), ("Group", team["id"]), ("User", alice["id"]),
                      ("Group", admins["id"]), ("User", "no-such-id")):
        ledger.add(kind, rid, "scimcert-r1-recorded")
    sent: list[Exchange] = []
    client = ScimClient(RunConfig(url=scim.base, auth=Auth("bearer", TOKEN)), sent.append)
    result = cleanup(client, ledger)
    assert (result.deleted, result.gone, result.failed) == (2, 1, ())
    assert result.skipped == (
        f"Group {admins['id']}: displayName is 'Admins', not scimcert-r1-…; not deleted",
        f"User {alice['id']}: userName is 'alice@example.com', not scimcert-r1-…; not deleted")
    # recorded as skipped: no later cleanup touches them, and they no longer count as left behind
    assert ledger.pending() == []
    assert {e["id"]: e.get("skipped", "") for e in ledger.entries if e.get("skipped")} == {
        admins["id"]: f"Group {admins['id']}: displayName is 'Admins', not scimcert-r1-…; not deleted",
        alice["id"]: f"User {alice['id']}: userName is 'alice@example.com', not scimcert-r1-…; not deleted"}
    assert Ledger.load(tmp_path / "ledger.json").pending() == []  # from the journal too
    assert cleanup(client, Ledger.load(tmp_path / "ledger.json")).skipped == ()
    assert not [e for e in sent if e.method == "DELETE" and e.url.endswith((alice["id"], admins["id"]))]
    assert scim.get(f"/Users/{alice['id']}").status_code == 200
    assert scim.get(f"/Groups/{admins['id']}").status_code == 200


def test_the_runs_own_cleanup_deletes_without_reading_first(make_provider: ProviderFactory,
                                                            tmp_path: Path) -> None:
    """At the end of a run the ids are the ones it was just given: one DELETE each, no GET."""
    scim = make_provider()
    ledger = Ledger(tmp_path / "ledger.json", "r1", scim.base)
    ann = scim.create_user("scimcert-r1-ann@example.com")
    ledger.add("User", ann["id"], ann["userName"])
    ledger.add("User", "no-such-id", "scimcert-r1-gone")
    sent: list[Exchange] = []
    client = ScimClient(RunConfig(url=scim.base, auth=Auth("bearer", TOKEN)), sent.append)
    result = cleanup(client, ledger, verify=False)
    assert (result.deleted, result.gone, result.failed, result.skipped) == (1, 1, (), ())
    assert [e.method for e in sent] == ["DELETE", "DELETE"]
    assert ledger.pending() == []
