"""The report folder holds one run's files: a previous run's are never mixed in, nor its ledger lost."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from suites.config import HarnessError
from suites.ledger import Ledger
from suites.reportdir import new_default, prepare


def _finished_run(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("summary.json", "junit.xml", "report.html", "exchanges.har"):
        (folder / name).write_text("old")
    Ledger(folder / "ledger.json", "r1", "https://x.example/scim/v2").flush()


def test_a_previous_run_is_replaced_only_when_asked(tmp_path: Path) -> None:
    _finished_run(tmp_path)
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(HarnessError, match=r"already holds the reports of a previous run.*--overwrite"):
        prepare(tmp_path, replace=False)
    assert (tmp_path / "summary.json").read_text() == "old"
    prepare(tmp_path, replace=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]  # only our files go


def test_a_ledger_with_resources_left_is_never_replaced(tmp_path: Path) -> None:
    _finished_run(tmp_path)
    Ledger.load(tmp_path / "ledger.json").add("User", "u1", "scimcert-r1-a")  # a killed run: journal only
    for replace in (False, True):
        with pytest.raises(HarnessError, match=r"lists 1 resource a previous run left on https://x\.example"
                                               r".*'scimcert cleanup .*ledger\.json'"):
            prepare(tmp_path, replace=replace)
    assert (tmp_path / "ledger.journal").exists() and (tmp_path / "summary.json").exists()


def test_an_empty_or_foreign_folder_is_fine(tmp_path: Path) -> None:
    prepare(tmp_path / "missing", replace=False)
    (tmp_path / "notes.txt").write_text("mine")
    prepare(tmp_path, replace=False)


def test_runs_started_in_the_same_second_get_their_own_folders(tmp_path: Path) -> None:
    now = datetime(2025, 1, 2, 3, 4, 5)
    folders = [new_default(tmp_path / "reports", now) for _ in range(3)]
    assert [f.name for f in folders] == ["20250102-030405", "20250102-030405-2", "20250102-030405-3"]
    assert all(f.is_dir() for f in folders)
