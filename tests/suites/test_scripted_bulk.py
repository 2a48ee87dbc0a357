"""The bulk suite (RFC 7644 §3.7): what a BulkRequest creates reaches the ledger and the cleanup,
and a target without bulk only skips."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
import requests

from simulator.scim import urns
from suites.catalogue import catalogue
from suites.client import ScimClient
from suites.config import Auth, RunConfig
from suites.exchange import Exchange
from suites.ledger import Ledger
from tests.conftest import TOKEN as PROVIDER_TOKEN
from tests.conftest import ProviderFactory, user_body
from tests.suites.support import TOKEN, Response, failing, provider, run_suites

BULK_CHECKS = {e.id for e in catalogue() if e.suite == "bulk"}
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _held(url: str) -> dict[str, set[str]]:
    return {kind: {r["id"] for r in requests.get(f"{url}/{kind}s", headers=AUTH, timeout=30).json()
                   .get("Resources", [])} for kind in ("User", "Group")}


@pytest.mark.parametrize("deviation", [None, "bulk-no-location"])
def test_what_a_bulk_request_creates_is_in_the_ledger_and_cleaned_up(tmp_path: Path,
                                                                     deviation: str | None) -> None:
    """Against the provider at a URL (not embedded): with --scim-no-cleanup the ledger's pending
    entries are exactly what the bulk suite left on the target, bulk-created groups included;
    with the cleanup, the target holds none of them. Under bulk-no-location the BulkResponse names
    no created resource, and the client finds each by the run-prefixed name it sent."""
    devs = (deviation,) if deviation else ()
    with provider(*devs) as url:
        kept = run_suites(url, ["bulk"], "--scim-no-cleanup", report_dir=tmp_path / "kept")
        held = _held(url)
    ledger = Ledger.load(tmp_path / "kept" / "ledger.json")
    pending = {kind: {e["id"] for e in ledger.pending() if e["type"] == kind} for kind in ("User", "Group")}
    assert pending == held, kept["stdout"][-3000:]
    # BULK-OPS-001 and BULK-REF-001 each create a user and a group, BULK-REF-002 two users (it
    # deletes one), BULK-FAIL-001 one user through the factory (a POST /Users), BULK-REF-003 two
    # groups holding each other
    assert (len(held["User"]), len(held["Group"])) == (4, 4)
    # without locations, the user BULK-REF-002 deleted in the same request is not found by its
    # name: it is listed as unconfirmed, which the cleanup looks up again
    listed = len([e for e in ledger.entries if e["type"] == "User"])
    assert (listed, len(ledger.unconfirmed)) == ((5, 0) if deviation is None else (4, 1))
    with provider(*devs) as url:
        cleaned = run_suites(url, ["bulk"], report_dir=tmp_path / "cleaned")
        assert _held(url) == {"User": set(), "Group": set()}
    ledger = Ledger.load(tmp_path / "cleaned" / "ledger.json")
    assert {e["type"] for e in ledger.entries} == {"User", "Group"} and ledger.pending() == []
    assert cleaned["cleanup"]["left"] == 0


def _refuse_bulk(resp: Response) -> None:
    """bulk.supported false, and /Bulk refused with 405 as an endpoint the server does not have."""
    if resp.method == "POST" and resp.path.endswith("/Bulk"):
        resp.status = 405
        resp.set_json({"schemas": [urns.ERROR], "status": "405", "detail": "Method not allowed."})


def test_a_target_without_bulk_only_skips_the_bulk_checks() -> None:
    with provider("bulk-unsupported", rewrite=_refuse_bulk) as url:
        summary = run_suites(url, ["bulk", "discovery"], "-k", "bulk or BULK")
    outcomes = {c["id"]: (c["outcome"], c["message"]) for c in summary["checks"]}
    assert failing(summary) == set() and summary["exit_code"] == 0
    assert outcomes.pop("DISC-BULK-001")[0] == "passed"
    assert set(outcomes) == BULK_CHECKS
    assert set(outcomes.values()) == {
        ("skipped", "Skipped: bulk.supported is not true in /ServiceProviderConfig")}


def test_ctrl_c_during_a_bulk_post_waits_until_its_creates_are_recorded(
        make_provider: ProviderFactory) -> None:
    """A SIGINT that arrives while POST /Bulk is in flight is held (deferred_interrupt, as for a
    POST /Users) until what the BulkResponse reports created is recorded, then delivered."""
    scim = make_provider()
    recorded: list[tuple[str, str, str]] = []

    def interrupt_in_flight(exchange: Exchange) -> None:
        if exchange.url.endswith("/Bulk"):
            signal.raise_signal(signal.SIGINT)  # the response is in, the creates not yet recorded

    client = ScimClient(RunConfig(url=scim.base, auth=Auth("bearer", PROVIDER_TOKEN)), interrupt_in_flight,
                        on_created=lambda kind, rid, name: recorded.append((kind, rid, name)))
    op = {"method": "POST", "path": "/Users", "bulkId": "u", "data": user_body("held@example.com")}
    with pytest.raises(KeyboardInterrupt):
        client.post("/Bulk", {"schemas": [urns.BULK_REQUEST], "Operations": [op]})
    assert [(kind, name) for kind, _, name in recorded] == [("User", "held@example.com")]
    assert scim.get(f"/Users/{recorded[0][1]}").status_code == 200


def _cycle_refused_but_created(resp: Response) -> None:
    """The cycle's POSTs are answered 409 without a location, but the groups were created."""
    body = resp.json if resp.method == "POST" and resp.path.endswith("/Bulk") else None
    if body and [o.get("bulkId", "")[:6] for o in body["Operations"]] == ["cycle-", "cycle-"]:
        body["Operations"] = [{**{k: v for k, v in o.items() if k not in ("location", "version")},
                               "status": "409"} for o in body["Operations"]]
        resp.set_json(body)


def test_a_409_to_the_cycle_that_created_the_groups_all_the_same_fails(tmp_path: Path) -> None:
    """BULK-REF-003 accepts 409 for the cycle (RFC 7644 §3.7.1: "MAY stop after a failed attempt and
    instead return HTTP status code 409"), but then looks the two groups up: found, they fail the
    check, join the ledger, and the cleanup deletes them."""
    with provider(rewrite=_cycle_refused_but_created) as url:
        summary = run_suites(url, ["bulk"], "-k", "circular", report_dir=tmp_path)
        assert _held(url) == {"User": set(), "Group": set()}
    assert failing(summary) == {"BULK-REF-003"}
    message = next(c["message"] for c in summary["checks"] if c["id"] == "BULK-REF-003")
    assert "no group of the two POSTs answered 409" in message and "exist" in message
    assert summary["cleanup"]["left"] == 0


def test_a_cycle_resolved_by_a_second_copy_fails_and_the_copy_is_cleaned_up(tmp_path: Path) -> None:
    """SCIMMY 1.3.5 resolves the cycle by creating a group twice: the copy without members, which the
    other group holds, is in no BulkResponse. BULK-REF-003 finds it by its name, says so, and the
    copy joins the ledger, so the cleanup leaves the target as it was (bulk-cycle-duplicates)."""
    with provider("bulk-cycle-duplicates") as url:
        summary = run_suites(url, ["bulk"], "-k", "circular", report_dir=tmp_path)
        assert _held(url) == {"User": set(), "Group": set()}
    assert failing(summary) == {"BULK-REF-003"}
    message = next(c["message"] for c in summary["checks"] if c["id"] == "BULK-REF-003")
    assert "created its group more than once" in message
    groups = [e for e in Ledger.load(tmp_path / "ledger.json").entries if e["type"] == "Group"]
    assert len(groups) == 3 and all(e.get("deleted") for e in groups) and summary["cleanup"]["left"] == 0


def _no_nested_groups(resp: Response) -> None:
    """The Group schema names only "User" as a member type."""
    body = resp.json if resp.method == "GET" and "/Schemas" in resp.path else None
    docs = (body.get("Resources") or [body]) if isinstance(body, dict) else []
    for doc in docs:
        for attr in doc.get("attributes") or [] if doc.get("id") == urns.CORE_GROUP else []:
            for sub in attr.get("subAttributes") or [] if attr["name"] == "members" else []:
                for key in ("canonicalValues", "referenceTypes"):
                    if key in sub:
                        sub[key] = [v for v in sub[key] if v != "Group"]
    if docs:
        resp.set_json(body)


def test_a_target_without_nested_groups_skips_the_circular_check() -> None:
    with provider(rewrite=_no_nested_groups) as url:
        summary = run_suites(url, ["bulk"])
    outcomes = {c["id"]: (c["outcome"], c["message"]) for c in summary["checks"]}
    assert failing(summary) == set()
    outcome, message = outcomes["BULK-REF-003"]
    assert outcome == "skipped" and "advertises no nested groups" in message
