"""Benchmark: Okta's group push and user import at org scale, against the embedded provider.

For a baseline org (default 1,000 users) and a large one (default 10,000) in the same run:
push one group holding every user (PATCH batches of 100, okta-scim.md §8.3) and import every
user (pages of 100, §3). Reported per size: SCIM requests, wall time and the peak Python memory
the simulator side allocated while doing it (tracemalloc), with large/baseline ratios. The org
state itself (the users) grows 10x; the question is whether the simulator's working memory does.

    python bench/bench_okta.py [--users 10000] [--baseline 1000] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from simulator.okta import engine
from simulator.okta.model import AppInstance, OktaGroup, PushSettings
from simulator.okta.payloads import Member
from simulator.okta.transport import Transport
from simulator.okta.wire import BearerAuth

TOKEN = "bench-okta"


# The provider runs in its own process so that tracemalloc sees only the simulator's side.
PROVIDER = r"""
import json, sys
from simulator.provider.app import create_app
from simulator.provider.server import start_in_thread
from simulator.provider.service import ProviderConfig
app = create_app(ProviderConfig(token=sys.argv[2]))
store = app.extensions["scim_provider"].store
members = []
for i in range(int(sys.argv[1])):
    name = f"okta.user{i:06d}@example.com"
    rec = store.create("User", {"userName": name, "active": True,
                                "name": {"givenName": "Okta", "familyName": f"U{i}"}})
    members.append([rec.id, name])
server = start_in_thread(app)
print(json.dumps({"url": server.url + "/scim/v2", "members": members}), flush=True)
sys.stdin.read()
"""


@contextmanager
def provider(users: int) -> Iterator[tuple[str, list[Member]]]:
    proc = subprocess.Popen([sys.executable, "-c", PROVIDER, str(users), TOKEN],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        info = json.loads(proc.stdout.readline())
        yield info["url"], [Member(v, d) for v, d in info["members"]]
    finally:
        proc.kill()
        proc.wait()


def timed(label: str, action: Any) -> dict[str, Any]:
    tracemalloc.start()
    started = time.perf_counter()
    run = action()
    wall = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if not run.outcome.ok:
        raise SystemExit(f"{label} failed: {run.outcome.error}")
    return {"requests": len(run.exchanges), "wall_s": round(wall, 3), "peak_mib": round(peak / 2**20, 2)}


def measure(users: int) -> dict[str, dict[str, Any]]:
    with provider(users) as (url, members):
        inst = AppInstance("0oa" + "b" * 17, url, BearerAuth(TOKEN), push=PushSettings(batch_size=100))
        transport = Transport()
        push = timed("push", lambda: transport.run(
            engine.push_group(inst, OktaGroup("00g" + "c" * 17, f"All {users}"), members)))
        imported = timed("import", lambda: transport.run(engine.import_users(inst)))
    return {"push": push, "import": imported}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--baseline", type=int, default=1_000)
    parser.add_argument("--json", dest="json_path")
    args = parser.parse_args(argv)
    if not 100 <= args.baseline <= args.users:
        parser.error("need 100 <= --baseline <= --users")
    base, large = measure(args.baseline), measure(args.users)
    print(f"{'':8}{'':10}{args.baseline:>10,}{args.users:>12,}{'ratio':>8}")
    rows = []
    for action in ("push", "import"):
        for key in ("requests", "wall_s", "peak_mib"):
            b, g = base[action][key], large[action][key]
            ratio = round(g / b, 2) if b else float("nan")
            rows.append({"action": action, "metric": key, "baseline": b, "large": g, "ratio": ratio})
            print(f"{action:8}{key:10}{b:>10}{g:>12}{ratio:>8}")
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
