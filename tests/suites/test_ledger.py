"""The ledger survives a killed run: every create is on disk before the next request."""

from __future__ import annotations

import json
from pathlib import Path

from suites.ledger import Ledger


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
