"""Benchmark: scimcert run beside scim2-tester (`scim2 --url URL test`) against the same provider.

Both tools run, in the same session, against the embedded reference provider; a WSGI
middleware counts the requests each one sends. Reported: checks, requests and wall time of
both, and scimcert's figures as ratios of the peer's. Goal: more coverage than the peer in no
more than the peer's time.

Each tool runs once unmeasured first, and both run with Python's bytecode cache on (as on a
user's machine: PYTHONDONTWRITEBYTECODE is dropped from their environment), so neither pays
for compiling its own modules in the measured runs. The tools take turns (ours, peer, ours,
peer, ...) so a machine whose speed drifts during the session (a shared VM) skews neither; the
CPU seconds of the tool's process and of the provider are reported beside the wall time.

    pip install scim2-cli        # the peer (pip install -e '.[bench]')
    python bench/bench_vs_scim2_tester.py [--repeat 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
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


def run_scimcert(url: str) -> tuple[int, float]:
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "simulator.cli", "run", "--url", url, "--token", TOKEN,
                               "--report-dir", out], capture_output=True, text=True, check=False, env=ENV)
        wall = time.perf_counter() - started
        summary_file = Path(out) / "summary.json"
        if not summary_file.exists():
            raise SystemExit(f"scimcert run failed ({proc.returncode}):\n{proc.stdout[-2000:]}")
        # A parametrised check (per resource type, per extension attribute) counts once.
        return len({c["id"] for c in json.loads(summary_file.read_text())["checks"]}), wall


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


def measure(tools: dict[str, Callable[[str], tuple[int, float]]], repeat: int) -> dict[str, dict[str, float]]:
    """Medians over `repeat` turns (after one unmeasured warm-up turn of each tool)."""
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in tools}
    for turn in range(repeat + 1):
        for name, tool in tools.items():
            row = once(tool)
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
    rows = measure({"scimcert": run_scimcert, "scim2-tester": lambda url: run_peer(url, scim2)}, args.repeat)
    ours, peer = rows["scimcert"], rows["scim2-tester"]
    keys = ("checks", "requests", "wall_s", "tool_cpu_s", "provider_cpu_s")
    print(f"{'':14}{'checks':>8}{'requests':>10}{'wall s':>9}{'tool cpu s':>12}{'provider cpu s':>16}")
    for name, row in rows.items():
        print(f"{name:14}{row['checks']:>8.0f}{row['requests']:>10.0f}{row['wall_s']:>9.2f}"
              f"{row['tool_cpu_s']:>12.2f}{row['provider_cpu_s']:>16.2f}")
    ratios = {k: round(ours[k] / peer[k], 2) for k in keys}
    widths = (8, 10, 9, 12, 16)
    print(f"{'ratio':14}" + "".join(f"{ratios[k]:>{w}}" for k, w in zip(keys, widths, strict=True)))
    if args.json_path:
        Path(args.json_path).write_text(json.dumps({"scimcert": ours, "scim2_tester": peer,
                                                    "ratio": ratios}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
