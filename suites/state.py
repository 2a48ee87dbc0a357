"""Per-run state the plugin keeps: the config, recorded exchanges, results and the ledger."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from suites.baseline import load_baseline
from suites.catalogue import check_title
from suites.config import RunConfig
from suites.exchange import Exchange
from suites.levels import Level, basis_of
from suites.waivers import Waivers


@dataclass(frozen=True, slots=True)
class CheckInfo:
    """A check's metadata, read from its marker."""

    id: str
    title: str
    level: Level
    refs: tuple[str, ...]
    okta: bool
    readonly: bool
    caught_by: tuple[str, ...]
    basis: str = "rfc"  # see levels.basis_of
    # (bug, pattern): the bug fails this check only with a message the pattern finds (suites/known_bugs.py)
    evidence: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_item(cls, item: pytest.Item) -> CheckInfo | None:
        marker = item.get_closest_marker("check")
        if marker is None:
            return None
        kw = marker.kwargs
        doc = (getattr(item, "function", None).__doc__ or "") if hasattr(item, "function") else ""
        check_id = str(marker.args[0] if marker.args else kw.get("id"))
        evidence = dict(kw.get("evidence", {}))
        if not set(evidence) <= set(kw.get("caught_by", ())):
            raise ValueError(f"check {check_id}: evidence for {sorted(set(evidence))}, "
                             f"but caught_by names {sorted(kw.get('caught_by', ()))}")
        return cls(
            id=check_id,
            title=check_title(doc, item.name),
            level=Level[str(kw.get("level", "MUST"))],
            refs=tuple(kw.get("refs", ())),
            okta=bool(kw.get("okta", False)),
            readonly=bool(kw.get("readonly", False)),
            caught_by=tuple(kw.get("caught_by", ())),
            basis=basis_of(Path(str(item.path)).parent.name),
            evidence=tuple(evidence.items()),
        )


@dataclass(frozen=True, slots=True)
class ExtensionCell:
    """Where an extension check lands in the report's matrix: (URN, attribute, operation)."""

    urn: str
    attribute: str  # "*" when the check covers the whole extension
    operation: str

    @classmethod
    def from_item(cls, item: pytest.Item) -> ExtensionCell | None:
        marker = item.get_closest_marker("check")
        op = marker.kwargs.get("ext_op") if marker is not None else None
        params = getattr(getattr(item, "callspec", None), "params", {})
        if not isinstance(op, str) or not isinstance(params.get("urn"), str):
            return None
        return cls(params["urn"], str(params.get("attribute", "*")), op)


@dataclass
class CheckResult:
    info: CheckInfo
    nodeid: str
    outcome: str = "passed"  # passed | failed | skipped | error | waived
    message: str = ""
    duration_s: float = 0.0
    exchanges: list[Exchange] = field(default_factory=list, repr=False)
    extension: ExtensionCell | None = None
    interrupted_by: str | None = None  # the signal that cut this check short (interrupted.cut_off)

    def as_json(self) -> dict[str, Any]:
        i = self.info
        return {"id": i.id, "title": i.title, "level": i.level.name, "basis": i.basis, "refs": list(i.refs),
                "okta": i.okta, "outcome": self.outcome, "message": self.message,
                "duration_s": round(self.duration_s, 3)}


@dataclass
class RunState:
    """Everything recorded during one pytest session."""

    config: RunConfig
    waivers: Waivers
    baseline: dict[str, str] | None = None  # check id -> outcome in the --baseline summary
    started: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    clock: float = field(default_factory=time.monotonic)
    # Left out of the repr, as every record that grows with the run: pytest shows the repr of each
    # frame's arguments in a failure's traceback (a ScimClient's recorder is bound to this state), and
    # building it whole took seconds per failure late in a run with many.
    exchanges: list[tuple[str, Exchange]] = field(default_factory=list, repr=False)
    current: list[Exchange] | None = field(default=None, repr=False)
    current_id: str = "session"
    results: dict[str, CheckResult] = field(default_factory=dict, repr=False)
    summary: dict[str, Any] | None = field(default=None, repr=False)
    cleanup_failed: tuple[str, ...] = ()
    selected: frozenset[str] = frozenset()  # ids of the checks the run was to run
    interrupted: str | None = None  # the signal that stopped the run (SIGINT for Ctrl-C, SIGTERM)
    stopped: str | None = None  # why pytest stopped before every check ran (-x: "stopping after 1 failures")
    cleanup_skipped: tuple[str, ...] = ()  # recorded ids that now name somebody else's resource
    discarded: int = 0  # resources that stopped with the embedded provider (RunConfig.ephemeral)

    @classmethod
    def open(cls, config: RunConfig) -> RunState:
        """A run about to start: its input files are read now, before any request (HarnessError)."""
        baseline = load_baseline(config.baseline) if config.baseline is not None else None
        return cls(config, Waivers.load(config.waivers), baseline)

    def record(self, exchange: Exchange) -> None:
        self.exchanges.append((self.current_id, exchange))
        if self.current is not None:
            self.current.append(exchange)


STATE_KEY = pytest.StashKey[RunState]()


def state_of(config: pytest.Config) -> RunState:
    """The run's state, which scimcert's plugin keeps in the pytest config."""
    return config.stash[STATE_KEY]
