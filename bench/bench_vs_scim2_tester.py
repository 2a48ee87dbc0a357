"""Benchmark: scimcert run beside scim2-tester (`scim2 --url URL test`) on the reference provider.

Four runs take turns in the same session:
- `scimcert run`: the README's main command, against its embedded reference provider (started
  in a child process, discarded at the end, so the run deletes nothing one by one);
- `scimcert run --url`: against a reference provider the benchmark serves, as a real target is
  tested (the run deletes what it created at the end);
- `scimcert run --suite ...` on the peer's ground: the embedded run of only the suites that
  judge what scim2-tester judges (GROUND: discovery, CRUD of users and groups, PATCH,
  attributes/excludedAttributes, /.search, errors such as an unknown endpoint), so checks and
  time compare like with like;
- scim2-tester: `scim2 --url URL test` against a reference provider the benchmark serves.
Requests are counted by a WSGI middleware on the benchmark's provider, and for the embedded run
from its exchanges.har (which records every request). Reported: checks, requests, wall time and
CPU seconds, and each scimcert row as ratios of the peer's. Goal: more coverage than the peer
in no more than the peer's time.

Each tool runs once unmeasured first, and all run with Python's bytecode cache on (as on a
user's machine: PYTHONDONTWRITEBYTECODE is dropped from their environment), so none pays for
compiling its own modules in the measured runs. The turns (ours, ours --url, peer, ours, ...)
keep a machine whose speed drifts during the session (a shared VM) from skewing any of them.
CPU: the tool's process (for the embedded run that includes its provider child, whose CPU is
then shown as "-") and the benchmark's provider thread.

    pip install scim2-cli        # the peer (pip install -e '.[bench]')
    python bench/bench_vs_scim2_tester.py [--repeat 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from simulator.provider.app import create_app
from simulator.provider.server import start_in_thread
from simulator.provider.service import ProviderConfig

TOKEN = "bench-token"
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
PEER_STATUS = re.compile(r"^(SUCCESS|ERROR|CRITICAL|WARNING|SKIPPED)\b", re.MULTILINE)


class Counter:
    """WSGI middleware counting requests."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.count = 0
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        with self._lock:
            self.count += 1
        return self.app(environ, start_response)


def _scimcert(*args: str) -> tuple[int, float, int]:
    """checks, wall seconds and requests (from the HAR) of one `scimcert run`."""
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "simulator.cli", "run", *args, "--report-dir", out],
                              capture_output=True, text=True, check=False, env=ENV)
        wall = time.perf_counter() - started
        summary_file = Path(out) / "summary.json"
        if not summary_file.exists():
            raise SystemExit(f"scimcert run failed ({proc.returncode}):\n{proc.stdout[-2000:]}")
        # A parametrised check (per resource type, per extension attribute) counts once.
        checks = len({c["id"] for c in json.loads(summary_file.read_text())["checks"]})
        requests = len(json.loads((Path(out) / "exchanges.har").read_text())["log"]["entries"])
        return checks, wall, requests


def run_scimcert(url: str) -> tuple[int, float]:
    checks, wall, _ = _scimcert("--url", url, "--token", TOKEN)
    return checks, wall


def run_embedded() -> dict[str, float]:
    """`scimcert run` with no target: the embedded provider, in a child of the measured process."""
    tool_cpu = _cpu(resource.RUSAGE_CHILDREN)
    checks, wall, requests = _scimcert()
    return {"checks": checks, "requests": requests, "wall_s": wall,
            "tool_cpu_s": _cpu(resource.RUSAGE_CHILDREN) - tool_cpu, "provider_cpu_s": math.nan}


# scim2-tester's checkers: discovery (ServiceProviderConfig, ResourceTypes, Schemas, unknown ids),
# crud:create/read/update/delete, crud:read:attributes (GET, list, /.search), patch:add/remove/
# replace, misc (an unknown URL answers 404)
GROUND = ("discovery", "users", "groups", "patch", "projection", "search", "errors")


def run_ground() -> dict[str, float]:
    """`scimcert run` of the GROUND suites only, embedded like run_embedded."""
    tool_cpu = _cpu(resource.RUSAGE_CHILDREN)
    checks, wall, requests = _scimcert(*(arg for suite in GROUND for arg in ("--suite", suite)))
    return {"checks": checks, "requests": requests, "wall_s": wall,
            "tool_cpu_s": _cpu(resource.RUSAGE_CHILDREN) - tool_cpu, "provider_cpu_s": math.nan}


def run_peer(url: str, scim2: str) -> tuple[int, float]:
    started = time.perf_counter()
    proc = subprocess.run([scim2, "--url", url, "-h", f"Authorization: Bearer {TOKEN}", "test"],
                          capture_output=True, text=True, check=False, env=ENV)
    wall = time.perf_counter() - started
    checks = len(PEER_STATUS.findall(proc.stdout))
    if checks == 0:
        raise SystemExit(f"scim2 test printed no results ({proc.returncode}):\n{proc.stdout[-2000:]}")
    return checks, wall


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def once(tool: Callable[[str], tuple[int, float]]) -> dict[str, float]:
    """One run of tool against a fresh provider: checks, requests, wall and CPU seconds."""
    app = create_app(ProviderConfig(token=TOKEN))
    counter = Counter(app.wsgi_app)
    app.wsgi_app = counter  # type: ignore[method-assign]
    tool_cpu, provider_cpu = _cpu(resource.RUSAGE_CHILDREN), _cpu(resource.RUSAGE_SELF)
    with start_in_thread(app) as server:
        checks, wall = tool(server.url + "/scim/v2")
    return {"checks": checks, "requests": counter.count, "wall_s": wall,
            "tool_cpu_s": _cpu(resource.RUSAGE_CHILDREN) - tool_cpu,
            "provider_cpu_s": _cpu(resource.RUSAGE_SELF) - provider_cpu}


Tool = Callable[[], dict[str, float]]


def measure(tools: dict[str, Tool], repeat: int) -> dict[str, dict[str, float]]:
    """Medians over `repeat` turns (after one unmeasured warm-up turn of each tool)."""
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in tools}
    for turn in range(repeat + 1):
        for name, tool in tools.items():
            row = tool()
            if turn:
                runs[name].append(row)
    return {name: {key: statistics.median(r[key] for r in rows) for key in rows[0]}
            for name, rows in runs.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", dest="json_path")
    args = parser.parse_args(argv)
    scim2 = shutil.which("scim2") or str(Path(sys.executable).parent / "scim2")
    if not Path(scim2).exists():
        parser.error("the peer is missing: pip install scim2-cli")
    rows = measure({"scimcert run": run_embedded,
                    "scimcert --url": lambda: once(run_scimcert),
                    "scimcert ground": run_ground,
                    "scim2-tester": lambda: once(lambda url: run_peer(url, scim2))}, args.repeat)
    peer = rows["scim2-tester"]
    keys = ("checks", "requests", "wall_s", "tool_cpu_s", "provider_cpu_s")
    widths = (8, 10, 9, 12, 16)
    print(f"{'':16}{'checks':>8}{'requests':>10}{'wall s':>9}{'tool cpu s':>12}{'provider cpu s':>16}")
    for name, row in rows.items():
        print(f"{name:16}" + "".join(_cell(row[k], w, "{:.0f}" if k in ("checks", "requests") else "{:.2f}")
                                     for k, w in zip(keys, widths, strict=True)))
    ratios = {name: {k: round(row[k] / peer[k], 2) for k in keys} for name, row in rows.items()
              if name != "scim2-tester"}
    for name, ratio in ratios.items():
        print(f"{'ratio ' + name.split()[-1]:16}" + "".join(_cell(ratio[k], w, "{}")
                                                          for k, w in zip(keys, widths, strict=True)))
    if args.json_path:
        def known(table: dict[str, dict[str, float]]) -> dict[str, dict[str, float | None]]:
            return {n: {k: None if math.isnan(v) else v for k, v in r.items()} for n, r in table.items()}

        Path(args.json_path).write_text(json.dumps({"runs": known(rows), "ratios": known(ratios)}, indent=2))
    return 0


def _cell(value: float, width: int, fmt: str) -> str:
    return f"{'-' if math.isnan(value) else fmt.format(value):>{width}}"


if __name__ == "__main__":
    raise SystemExit(main())
