"""Benchmark: do lookups and group PATCHes of the reference provider stay fast as the org grows?

Two providers are filled in the same run — a baseline org (default 1,000 users) and a large one
(default 100,000 users) — and the same HTTP requests are timed against both over loopback.
Each figure is the median of repeated requests; the ratio large/baseline is the result
(≈1 means the operation does not grow with the number of users).

    python bench/bench_provider.py [--users 100000] [--baseline 1000] [--repeat 100] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

from simulator.provider.app import create_app
from simulator.provider.server import RunningServer, start_in_thread
from simulator.provider.service import Provider, ProviderConfig
from simulator.scim import urns

TOKEN = "bench"
GROUP_SIZE = 1000


@dataclass
class Org:
    """A running provider filled with users and one group, and a client for it."""

    server: RunningServer
    provider: Provider
    user_ids: list[str]
    http: requests.Session

    @property
    def base(self) -> str:
        return self.server.url + "/scim/v2"


def build_org(users: int) -> Org:
    """Fill the store directly (fast), then serve it over HTTP like any target."""
    app = create_app(ProviderConfig(token=TOKEN))
    provider: Provider = app.extensions["scim_provider"]
    ids = []
    for i in range(users):
        rec = provider.store.create(
            "User",
            {
                "userName": f"user{i:06d}@example.com",
                "externalId": f"00u{i:017d}",
                "name": {"givenName": "User", "familyName": f"N{i}"},
                "active": True,
                "emails": [{"value": f"user{i:06d}@example.com", "type": "work", "primary": True}],
            },
        )
        ids.append(rec.id)
    http = requests.Session()
    http.headers.update({"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/scim+json"})
    return Org(start_in_thread(app), provider, ids, http)


def median_ms(action: Callable[[int], requests.Response], repeat: int) -> float:
    times = []
    for i in range(repeat):
        start = time.perf_counter()
        resp = action(i)
        times.append((time.perf_counter() - start) * 1000)
        if resp.status_code >= 400:
            raise SystemExit(f"benchmark request failed: {resp.status_code} {resp.text[:200]}")
    return statistics.median(times)


def patch_body(*ops: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [urns.PATCH_OP], "Operations": list(ops)}


def measure(org: Org, repeat: int, seed: int) -> dict[str, float]:
    """Median milliseconds per scenario for one org."""
    rnd = random.Random(seed)
    picks = [rnd.randrange(len(org.user_ids)) for _ in range(repeat)]
    members = [{"value": uid} for uid in rnd.sample(org.user_ids, GROUP_SIZE)]
    group = org.http.post(
        f"{org.base}/Groups", json={"schemas": [urns.CORE_GROUP], "displayName": "Bench", "members": []}
    ).json()
    gpath = f"{org.base}/Groups/{group['id']}"
    out = {
        "filter userName eq (indexed)": median_ms(
            lambda i: org.http.get(
                f"{org.base}/Users", params={"filter": f'userName eq "USER{picks[i]:06d}@EXAMPLE.COM"'}
            ),
            repeat,
        ),
        "filter externalId eq (indexed)": median_ms(
            lambda i: org.http.get(
                f"{org.base}/Users", params={"filter": f'externalId eq "00u{picks[i]:017d}"'}
            ),
            repeat,
        ),
        "GET /Users/{id}": median_ms(
            lambda i: org.http.get(f"{org.base}/Users/{org.user_ids[picks[i]]}"), repeat
        ),
        f"PATCH add {GROUP_SIZE} members": median_ms(
            lambda i: org.http.patch(
                gpath,
                json=patch_body(
                    {"op": "replace", "path": "members", "value": []},
                    {"op": "add", "path": "members", "value": members},
                ),
            ),
            max(3, repeat // 20),
        ),
    }
    out[f"PATCH remove 1 of {GROUP_SIZE} members"] = median_ms(
        lambda i: org.http.patch(
            gpath,
            json=patch_body(
                {"op": "remove", "path": f'members[value eq "{members[i]["value"]}"]'},
                {"op": "add", "path": "members", "value": [members[i]]},
            ),
        ),
        min(repeat, GROUP_SIZE),
    )
    out[f"GET group of {GROUP_SIZE} members"] = median_ms(lambda i: org.http.get(gpath), max(3, repeat // 10))
    out["filter title pr (full scan)"] = median_ms(
        lambda i: org.http.get(f"{org.base}/Users", params={"filter": "title pr", "count": "1"}),
        max(3, repeat // 20),
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--baseline", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--json", dest="json_path")
    args = parser.parse_args(argv)
    if args.baseline < GROUP_SIZE or args.users < args.baseline:
        parser.error(f"need --users >= --baseline >= {GROUP_SIZE}")
    results = {}
    for label, size in (("baseline", args.baseline), ("large", args.users)):
        started = time.perf_counter()
        org = build_org(size)
        print(f"filled {size:,} users in {time.perf_counter() - started:.1f}s", file=sys.stderr)
        try:
            results[label] = measure(org, args.repeat, seed=7)
        finally:
            org.server.stop()
    print(f"{'scenario':40} {args.baseline:>10,} {args.users:>10,}   ratio")
    rows = []
    for name, base_ms in results["baseline"].items():
        large_ms = results["large"][name]
        rows.append(
            {
                "scenario": name,
                "baseline_ms": round(base_ms, 3),
                "large_ms": round(large_ms, 3),
                "ratio": round(large_ms / base_ms, 2),
            }
        )
        print(f"{name:40} {base_ms:8.2f}ms {large_ms:8.2f}ms {large_ms / base_ms:6.2f}x")
    if args.json_path:
        with open(args.json_path, "w", encoding="utf-8") as fh:
            json.dump({"baseline_users": args.baseline, "users": args.users, "rows": rows}, fh, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
