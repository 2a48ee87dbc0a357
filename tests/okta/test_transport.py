"""The transport: Okta's 429 policy on a fake clock, and a full lifecycle against the reference provider."""

from __future__ import annotations

import json
import random
import socket
from dataclasses import replace

import pytest
import requests
from requests.structures import CaseInsensitiveDict

from simulator.okta import engine
from simulator.okta.model import Actions, AppInstance, AppUser, Flavour, OktaGroup, OktaUser, PushSettings
from simulator.okta.payloads import Member
from simulator.okta.retry import (
    DEFAULT_RETRY_AFTER_S,
    REQUEST_TIMEOUT_S,
    FakeClock,
    RetryPolicy,
    parse_retry_after,
)
from simulator.okta.transport import Transport, wire_headers
from simulator.okta.wire import REDACTED, BearerAuth, ScimRequest
from suites.client import ScimClient
from suites.config import Auth, RunConfig
from suites.exchange import Exchange
from suites.ledger import Ledger
from suites.okta.support import OktaSender
from tests.conftest import TOKEN, ProviderFactory
from tests.okta.support import app, sample_user
from tests.rawhttp import serve_raw, tears_down_after_a_500


class FakeSession:
    """Answers with scripted (status, headers, body) triples and records each call."""

    def __init__(self, *script: tuple[int, dict[str, str], object]) -> None:
        self.script = list(script)
        self.calls: list[dict] = []

    def request(self, method, url, **kw):
        self.calls.append({"method": method, "url": url, **kw})
        status, headers, body = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        raw = requests.Response()
        raw.status_code = status
        raw.headers = CaseInsensitiveDict(headers)
        raw._content = b"" if body is None else json.dumps(body).encode()
        raw.encoding = "utf-8"
        return raw


def deactivate_plan():
    return engine.deactivate(app(), sample_user(), AppUser("00u1", scim_id="s-1"))


def test_retry_policy_schedule():
    policy = RetryPolicy()
    assert [policy.delay(n, "5") for n in range(1, 10)] == [5 * 2**i for i in range(9)]
    assert policy.delay(10, "5") is None
    assert policy.delay(1, None) == DEFAULT_RETRY_AFTER_S == 300
    assert policy.delay(3, "Wed, 21 Oct 2015 07:28:00 GMT") == 1200
    assert [parse_retry_after(v) for v in ("7", " 7 ", "-1", "1.5", "", None)] == [
        7,
        7,
        None,
        None,
        None,
        None,
    ]
    assert REQUEST_TIMEOUT_S == 60


def test_429_with_integer_retry_after_then_success():
    session = FakeSession(
        (429, {"Retry-After": "3"}, None), (429, {"Retry-After": "3"}, None), (204, {}, None)
    )
    clock = FakeClock()
    result = Transport(session, clock=clock).run(deactivate_plan())
    assert result.outcome.ok
    assert clock.sleeps == [3, 6]
    assert [(e.attempt, e.waited_s, e.response.status) for e in result.exchanges] == [
        (1, 0, 429),
        (2, 3, 429),
        (3, 6, 204),
    ]
    assert {e.request.step for e in result.exchanges} == {"deactivate.patch"}
    assert session.calls[0]["timeout"] == 60


def test_429_without_retry_after_gives_up_after_ten_attempts():
    session = FakeSession((429, {}, {"detail": "slow down"}))
    clock = FakeClock()
    result = Transport(session, clock=clock).run(deactivate_plan())
    assert len(session.calls) == 10
    assert clock.sleeps == [300 * 2**i for i in range(9)]
    assert not result.outcome.ok
    assert result.outcome.error.endswith("Too Many Requests. Errors reported by remote server: slow down")


def test_exchanges_are_redacted_and_wire_is_not():
    session = FakeSession((200, {}, {"id": "s-1"}))
    result = Transport(session, clock=FakeClock()).run(
        engine.push_password(
            app(actions=Actions(sync_password=True)), sample_user(), AppUser("u", scim_id="s-1"), "Secr3t"
        )
    )
    sent = session.calls[0]
    assert sent["headers"]["Authorization"] == "Bearer t0k3n" and b"Secr3t" in sent["data"]
    shown = result.exchanges[0].request
    assert shown.header("Authorization") == REDACTED and "Secr3t" not in json.dumps(shown.body)
    assert result.exchanges[0].request_line == "PATCH /scim/v2/Users/s-1 -> 200"


def test_a_target_echoing_the_password_does_not_put_it_in_the_log():
    echo = {"id": "s-1", "password": "Secr3t", "note": "set to Secr3t", "token": "t0k3n"}
    session = FakeSession((200, {}, echo))
    result = Transport(session, clock=FakeClock()).run(
        engine.push_password(
            app(actions=Actions(sync_password=True)), sample_user(), AppUser("u", scim_id="s-1"), "Secr3t"
        )
    )
    kept = result.exchanges[0].response
    assert "Secr3t" not in kept.text and "t0k3n" not in kept.text
    assert kept.body["password"] == REDACTED and kept.body["id"] == "s-1"


def test_connection_failure_becomes_outcome():
    class Refusing:
        def request(self, *a, **kw):
            raise requests.ConnectionError("refused")

    result = Transport(Refusing(), clock=FakeClock()).run(deactivate_plan())
    assert not result.outcome.ok and "Connection failed: ConnectionError" in result.outcome.error
    assert result.exchanges[0].response.status == 0


def test_a_refused_connection_says_why():
    """The task text names the operating system's reason, not only requests' exception class."""
    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    plan = engine.deactivate(app(base_url=f"http://127.0.0.1:{port}/scim/v2"), sample_user(),
                             AppUser("00u1", scim_id="s-1"))  # fmt: skip
    result = Transport(clock=FakeClock()).run(plan)
    assert "Connection failed: ConnectionError (Connection refused)" in str(result.outcome.error)


# ---- the bytes on the wire -------------------------------------------------------------------


def test_header_lines_are_in_the_order_of_oktas_capture(wire_capture):
    """§1.1 [D] S3: Accept, Accept-Charset, Content-Type, User-Agent, Authorization,
    Content-Length, Host, Connection, Accept-Encoding — Host and Connection are not first."""
    base, heads = wire_capture
    inst = app(base_url=base)
    transport = Transport(clock=FakeClock())
    transport.run(engine.deactivate(inst, sample_user(), AppUser("00u1", scim_id="s-1")))
    transport.run(engine.unlink_group(inst, "g-1", delete=True))
    host = base.split("/")[2]
    patch = b'{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],' \
        b'"Operations":[{"op":"replace","value":{"active":false}}]}'
    common = [b"Accept: application/scim+json", b"Accept-Charset: utf-8"]
    okta = [b"User-Agent: Okta SCIM Client 1.0.0", b"Authorization: Bearer t0k3n"]
    tail = [f"Host: {host}".encode(), b"Connection: Keep-Alive", b"Accept-Encoding: gzip,deflate"]
    assert heads[0].split(b"\r\n") == [
        b"PATCH /scim/v2/Users/s-1 HTTP/1.1", *common,
        b"Content-Type: application/scim+json; charset=utf-8", *okta,
        f"Content-Length: {len(patch)}".encode(), *tail, b"",
    ]  # fmt: skip
    assert heads[1].split(b"\r\n") == [
        b"DELETE /scim/v2/Groups/g-1 HTTP/1.1", *common, *okta, b"Content-Length: 0", *tail, b"",
    ]  # fmt: skip


def test_the_run_s_okta_checks_send_the_same_lines(wire_capture):
    """`scimcert run`'s okta suite sends Okta's requests through the harness's recording client:
    the same header lines in the same order as the simulator's transport, none of the client's
    own defaults (python-requests would put its User-Agent and `Connection: keep-alive` first)."""
    base, heads = wire_capture
    inst = app(base_url=base)
    Transport(clock=FakeClock()).run(engine.deactivate(inst, sample_user(), AppUser("00u1", scim_id="s-1")))
    recorded: list[Exchange] = []
    client = ScimClient(RunConfig(url=base, auth=Auth("bearer", "t0k3n")), recorded.append)
    OktaSender(client, Ledger(None, "r1", "")).drive(
        engine.deactivate(inst, sample_user(), AppUser("00u1", scim_id="s-1")))
    assert len(heads) == 2 and heads[1] == heads[0]
    assert "Host:" not in recorded[0].curl()  # curl sends its own, as it does Content-Length


def test_host_leaves_out_a_default_port_and_brackets_ipv6():
    for base, host in [("https://scim.example.com/scim/v2", "scim.example.com"),
                       ("https://scim.example.com:8443/v2", "scim.example.com:8443"),
                       ("http://[::1]:80/v2", "[::1]")]:
        request = next(iter(engine.test_connection(app(base_url=base))))
        assert dict(wire_headers(request))["Host"] == host
        assert "Content-Length" not in dict(wire_headers(request))  # a GET has no body


# ---- against the reference provider on loopback ----------------------------------------------


@pytest.fixture
def target(make_provider: ProviderFactory):
    scim = make_provider()
    inst = AppInstance("0oa" + "x" * 17, scim.base, BearerAuth(TOKEN), push=PushSettings(batch_size=100))
    return scim, inst, Transport(clock=FakeClock())


def person(n: int) -> OktaUser:
    return OktaUser(
        f"00u{n:017d}",
        {
            "login": f"p{n}@okta.local",
            "firstName": f"P{n}",
            "lastName": "Person",
            "email": f"p{n}@okta.local",
        },
    )


def test_lifecycle_against_reference_provider(target):
    scim, inst, transport = target
    rng = random.Random(7)
    ann = person(1)
    first = transport.run(engine.assign_user(inst, ann, None, rng=rng))
    assert first.outcome.ok, first.outcome.error
    au = AppUser(ann.id, scim_id=first.outcome.scim_id)
    stored = scim.get(f"/Users/{au.scim_id}").json()
    assert (
        stored["userName"] == "p1@okta.local" and stored["externalId"] == ann.id and stored["active"] is True
    )

    renamed = OktaUser(ann.id, {**ann.profile, "firstName": "Anne"})
    assert transport.run(engine.update_profile(inst, renamed, au)).outcome.ok
    assert scim.get(f"/Users/{au.scim_id}").json()["name"]["givenName"] == "Anne"

    assert transport.run(engine.deactivate(inst, renamed, au)).outcome.ok
    assert scim.get(f"/Users/{au.scim_id}").json()["active"] is False
    assert transport.run(engine.reactivate(inst, renamed, au)).outcome.ok
    assert scim.get(f"/Users/{au.scim_id}").json()["active"] is True

    again = transport.run(engine.assign_user(inst, renamed, None, rng=rng))
    assert again.outcome.linked and again.outcome.scim_id == au.scim_id

    others = [
        transport.run(engine.assign_user(inst, person(n), None, rng=rng)).outcome.scim_id for n in (2, 3)
    ]
    roster = [Member(au.scim_id, "p1@okta.local"), Member(others[0], "p2@okta.local")]
    pushed = transport.run(engine.push_group(inst, OktaGroup("00g1", "Team Blue"), roster))
    assert pushed.outcome.ok, pushed.outcome.error
    gid = pushed.outcome.scim_id
    assert member_ids(scim, gid) == {au.scim_id, others[0]}

    changed = engine.update_members(
        inst, gid, [Member(others[1], "p3@okta.local")], [others[0]], name="Team Blue"
    )
    assert transport.run(changed).outcome.ok
    assert member_ids(scim, gid) == {au.scim_id, others[1]}

    assert transport.run(engine.rename_group(inst, gid, "Team Green")).outcome.ok
    assert scim.get(f"/Groups/{gid}").json()["displayName"] == "Team Green"

    assert transport.run(engine.push_now(inst, gid, [])).outcome.ok
    assert member_ids(scim, gid) == set()

    assert transport.run(engine.unlink_group(inst, gid, delete=True)).outcome.ok
    assert scim.get(f"/Groups/{gid}").status_code == 404


def test_aiw_lifecycle_and_import_against_reference_provider(target):
    scim, inst, transport = target
    aiw = replace(inst, flavour=Flavour.AIW)
    ids = [transport.run(engine.assign_user(aiw, person(n), None)).outcome.scim_id for n in range(1, 4)]
    au = AppUser(person(1).id, scim_id=ids[0])
    assert transport.run(engine.deactivate(aiw, person(1), au)).outcome.ok
    assert scim.get(f"/Users/{ids[0]}").json()["active"] is False

    pushed = transport.run(
        engine.push_group(aiw, OktaGroup("00g2", "Red"), [Member(ids[1], "p2@okta.local")])
    )
    gid = pushed.outcome.scim_id
    assert [e.request.method for e in pushed.exchanges] == ["GET", "POST", "GET", "PUT"]
    assert transport.run(engine.update_members(aiw, gid, [Member(ids[2], "p3")], [ids[1]])).outcome.ok
    assert member_ids(scim, gid) == {ids[2]}

    imported = transport.run(engine.import_users(aiw))
    assert imported.outcome.summary.scanned == 2 and imported.outcome.summary.skipped_inactive == 1
    assert transport.run(engine.test_connection(aiw)).outcome.ok


def member_ids(scim, gid: str) -> set[str]:
    return {m["value"] for m in scim.get(f"/Groups/{gid}").json().get("members") or []}


def test_no_step_is_sent_on_a_connection_the_server_tears_down_after_a_5xx() -> None:
    """As the harness's client (tests/suites/test_client_connections.py): after a 500 the next
    step opens a new connection instead of racing the server's close of the one it answered on."""
    with serve_raw(tears_down_after_a_500) as url:
        transport = Transport()
        statuses = [transport.send(ScimRequest(f"step {n}", "GET", url, "/Users")).status for n in range(3)]
    assert statuses == [500, 200, 200]
