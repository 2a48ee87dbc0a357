"""The ledger survives a killed run: every create is on disk before the next request."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.scim.ownership import lookup_filter, lookup_hits
from suites.cleanup import cleanup
from suites.client import ScimClient
from suites.config import Auth, RunConfig
from suites.exchange import Exchange
from suites.ledger import Ledger
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


@pytest.mark.parametrize("verify", [True, False])
def test_cleanup_deletes_resources_whose_ids_a_path_must_escape(make_provider: ProviderFactory,
                                                                tmp_path: Path, verify: bool) -> None:
    """RFC 7643 §3.1 lets an id be any string (opaque-ids: '#', '?', '%', spaces): the cleanup escapes
    it as a path segment. Put raw into the path, '#' cut it short, the DELETE got a 404 and the
    ledger called the user gone while it was still there."""
    scim = make_provider("opaque-ids")
    ledger = Ledger(tmp_path / "ledger.json", "r1", scim.base)
    for name in ("scimcert-r1-ann@example.com", "scimcert-r1-bob@example.com"):
        user = scim.create_user(name)
        assert "#" in user["id"] and "?" in user["id"]
        ledger.add("User", user["id"], name)
    client = ScimClient(RunConfig(url=scim.base, auth=Auth("bearer", TOKEN)), lambda ex: None)
    result = cleanup(client, ledger, verify=verify)
    assert (result.deleted, result.gone, result.failed) == (2, 0, ())
    assert scim.list("/Users")["totalResults"] == 0 and ledger.pending() == []


def test_creates_that_got_no_response_are_journaled_and_settled(tmp_path: Path) -> None:
    path = tmp_path / "ledger.json"
    ledger = Ledger(path, "r1", "t")
    ledger.flush()
    assert "unconfirmed" not in json.loads(path.read_text())  # a ledger without any keeps its old shape
    ledger.add_unconfirmed("User", "scimcert-r1-a")
    ledger.add_unconfirmed("User", "scimcert-r1-a")  # listed already
    ledger.add_unconfirmed("Group", "scimcert-r1-g")
    ledger.settle("Group", "scimcert-r1-g", "absent")
    found = Ledger.load(path)  # killed: from the journal
    assert [(e["type"], e["name"], e.get("settled")) for e in found.unconfirmed] == [
        ("User", "scimcert-r1-a", None), ("Group", "scimcert-r1-g", "absent")]
    assert found.possibly_left() == ["User scimcert-r1-a"] and found.pending() == []
    found.settle("User", "scimcert-r1-a", "no lookup by name can find it: GET /Users?… -> 400")
    found.flush()
    again = Ledger.load(path)
    assert again.unsettled() == [] and again.possibly_left() == ["User scimcert-r1-a"]
    assert len(json.loads(path.read_text())["unconfirmed"]) == 2


def test_a_lookup_counts_only_resources_of_exactly_the_name_sent() -> None:
    def listing(*names: str) -> dict[str, object]:
        return {"totalResults": len(names), "Resources": [{"id": f"u{n}", "userName": name}
                                                          for n, name in enumerate(names)]}
    assert lookup_hits("User", "scimcert-r1-a", listing("scimcert-r1-a")) == ["u0"]
    assert lookup_hits("User", "scimcert-r1-a", listing()) == []
    # the target ignored (or folded) the filter: the answer cannot tell, and nothing is taken
    assert lookup_hits("User", "scimcert-r1-a", listing("scimcert-r1-a", "alice")) is None
    assert lookup_hits("User", "scimcert-r1-a", listing("SCIMCERT-r1-A")) is None
    assert lookup_hits("User", "scimcert-r1-a", {"detail": "no"}) is None
    assert lookup_filter("User", 'scimcert-r1-"a"') == 'userName eq "scimcert-r1-\\"a\\""'


def test_cleanup_looks_up_creates_that_got_no_response(make_provider: ProviderFactory,
                                                       tmp_path: Path) -> None:
    """What is found by exactly its name joins the ledger and is deleted; a name not there is settled."""
    scim = make_provider()
    made = scim.create_user("scimcert-r1-made@example.com")
    alice = scim.create_user("alice@example.com")
    ledger = Ledger(tmp_path / "ledger.json", "r1", scim.base)
    ledger.add_unconfirmed("User", "scimcert-r1-made@example.com")
    ledger.add_unconfirmed("User", "scimcert-r1-never@example.com")
    sent: list[Exchange] = []
    client = ScimClient(RunConfig(url=scim.base, auth=Auth("bearer", TOKEN)), sent.append)
    result = cleanup(client, ledger, verify=False)
    assert (result.looked_up, result.found, result.deleted, result.failed) == (2, 1, 1, ())
    assert [(e["id"], e["deleted"]) for e in ledger.entries] == [(made["id"], True)]
    assert [e["settled"] for e in ledger.unconfirmed] == ["found", "absent"] and not ledger.possibly_left()
    assert scim.get(f"/Users/{alice['id']}").status_code == 200
    assert [e.method for e in sent] == ["GET", "GET", "DELETE"]
    assert sent[0].path.endswith('?filter=userName%20eq%20%22scimcert-r1-made%40example.com%22')
