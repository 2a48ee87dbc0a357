"""Fidelity: the exact requests the engine sends for okta-scim.md §13 scripts 1–14, per flavour.

Each `golden/<script>.json` pins, for every case (flavour and variant), the requests in order
— step id, method, full path, raw query string, headers (Okta's fixed headers, Content-Type
only with a body) and body with its key order — plus the Outcome. Responses are scripted
here, and random values come from a seeded `random.Random`, so the output is deterministic.

After an intended change to what the simulator sends, regenerate and review the diff:

    SCIMCERT_UPDATE_GOLDEN=1 python -m pytest tests/okta/test_golden.py
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import requests
from requests.structures import CaseInsensitiveDict

from simulator.okta import engine
from simulator.okta.model import (
    DEFAULT_ATTRIBUTES,
    DEFAULT_MAPPINGS,
    Actions,
    AppAttribute,
    AppInstance,
    AppUser,
    AttributeMapping,
    OktaGroup,
    OktaUser,
)
from simulator.okta.payloads import Member
from simulator.okta.plan import Plan
from simulator.okta.retry import FakeClock
from simulator.okta.transport import Transport
from simulator.okta.wire import BasicAuth, HeaderAuth, ScimResponse
from tests.okta.support import app, created, listing, no_content, ok, run, sample_user, scim_group, scim_user

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("SCIMCERT_UPDATE_GOLDEN") == "1"
LOGIN = "test.user@okta.local"
LINKED = AppUser("00ujl29u0le5T6Aj10h7", scim_id="23a35c27-23d3-4c03-b4c5-6443c09e7173")
SID = LINKED.scim_id or ""
GID = "6c5bb468-14b2-4183-baf2-06d523e03bd3"
ROSTER = [Member(SID, LOGIN), Member("89bb1940-b905-4575-9e7f-6f887cfb368e", "jane.doe@okta.local")]
ACME = "urn:ietf:params:scim:schemas:extension:acme:2.0:User"

Case = Callable[[AppInstance], tuple[Plan, list[ScimResponse]]]


def both(case: Case) -> dict[str, Case]:
    return {"oin": case, "aiw": case}


def stored_user() -> dict[str, Any]:
    return scim_user(SID, LOGIN, externalId=LINKED.user_id, name={"givenName": "Test", "familyName": "User"})


def reads(n: int) -> list[ScimResponse]:
    """AIW does GET + PUT where OIN does one PATCH."""
    return [ok(stored_user())] * n


def status_responses(inst: AppInstance) -> list[ScimResponse]:
    return reads(2) if inst.flavour == "aiw" else [no_content()]


def group_responses(inst: AppInstance, lead: list[ScimResponse], patches: int) -> list[ScimResponse]:
    g = scim_group(GID, "Test SCIMv2", [(SID, LOGIN)])
    return lead + ([ok(g), ok(g)] if inst.flavour == "aiw" else [no_content()] * patches)


def user_pages() -> list[ScimResponse]:
    first = [scim_user(f"s{i}", f"u{i}@x") for i in range(1, 101)]
    first[2]["active"] = False
    return [
        listing(*first, total=130),
        listing(*[scim_user(f"s{i}", f"u{i}@x") for i in range(101, 131)], total=130, start=101),
    ]


def acme_app(inst: AppInstance) -> AppInstance:
    attrs = (*DEFAULT_ATTRIBUTES, AppAttribute("costCode", "costCode", ACME))
    return replace(
        inst, attributes=attrs, mappings={**DEFAULT_MAPPINGS, "costCode": AttributeMapping("user.costCode")}
    )


def ava() -> OktaUser:
    return OktaUser(
        "00u18ep2sjmnGT1wk698",
        {
            "login": "ava.nguyen@example.com", "firstName": "Ava", "lastName": "Nguyen",
            "email": "ava.nguyen@example.com", "title": "Sales Manager", "locale": "en-US",
            "department": "Sales", "employeeNumber": "1042", "managerId": "9f1c", "manager": "Helen Cho",
            "costCode": "CC-77",
        },
    )  # fmt: skip


def assign(
    inst: AppInstance, responses: list[ScimResponse], user: OktaUser | None = None
) -> tuple[Plan, list[ScimResponse]]:
    return engine.assign_user(inst, user or sample_user(), None, rng=random.Random(2024)), responses


SCRIPTS: dict[str, tuple[str, dict[str, Case]]] = {
    "01-connect": ("§13.1, §2", both(lambda i: (engine.test_connection(i), [listing(), listing()]))),
    "02-assign-new-user": (
        "§13.2, §4.1, §4.2a",
        both(lambda i: assign(i, [listing(), created(stored_user())])),
    ),
    "03-assign-existing-user": (
        "§13.3, §4.2b",
        both(lambda i: assign(i, [listing(stored_user()), ok(stored_user()), ok(stored_user())])),
    ),
    "04-profile-change": (
        "§13.4, §5.1",
        both(lambda i: (engine.update_profile(i, sample_user(firstName="Tess"), LINKED), reads(2))),
    ),
    "05-deactivate": (
        "§13.5, §6.1",
        both(lambda i: (engine.deactivate(i, sample_user(), LINKED), status_responses(i))),
    ),
    "06-reactivate": (
        "§13.6, §6.2",
        both(lambda i: (engine.reactivate(i, sample_user(), LINKED), status_responses(i))),
    ),
    "07-password": (
        "§13.7, §7",
        both(
            lambda i: (
                engine.push_password(_sync(i), sample_user(), LINKED, "N3wP@ssw0rd"),
                status_responses(i),
            )
        ),
    ),
    "08-push-group": (
        "§13.8, §8.1",
        both(
            lambda i: (
                engine.push_group(i, OktaGroup("00g1", "Test SCIMv2"), ROSTER),
                group_responses(i, [listing(), created(scim_group(GID, "Test SCIMv2"))], 1),
            )
        ),
    ),
    "09-membership-change": (
        "§13.9, §8.3, §8.4",
        both(
            lambda i: (
                engine.update_members(i, GID, [ROSTER[1]], [SID], name="Test SCIMv2"),
                group_responses(i, [], 2),
            )
        ),
    ),
    "10-push-now": (
        "§13.10, §8.3",
        {
            "oin": lambda i: (engine.push_now(i, GID, ROSTER), group_responses(i, [], 1)),
            "aiw": lambda i: (engine.push_now(i, GID, ROSTER), group_responses(i, [], 1)),
            "oin-empty": lambda i: (engine.push_now(i, GID, []), group_responses(i, [], 1)),
            "aiw-empty": lambda i: (engine.push_now(i, GID, []), group_responses(i, [], 1)),
        },
    ),
    "11-rename": (
        "§13.11, §8.4",
        both(lambda i: (engine.rename_group(i, GID, "New Name"), group_responses(i, [], 1))),
    ),
    "12-unlink-delete": (
        "§13.12, §8.5",
        {
            "oin": lambda i: (engine.unlink_group(i, GID, delete=True), [no_content()]),
            "aiw": lambda i: (engine.unlink_group(i, GID, delete=True), [no_content()]),
            "oin-leave": lambda i: (engine.unlink_group(i, GID, delete=False), []),
        },
    ),
    "13-import": (
        "§13.13, §3",
        {
            "oin-users": lambda i: (engine.import_users(i), user_pages()),
            "aiw-users": lambda i: (engine.import_users(i), user_pages()),
            "oin-groups": lambda i: (
                engine.import_groups(i),
                [listing(scim_group(GID, "Test SCIMv2", [(SID, LOGIN)]))],
            ),
        },
    ),
    "15-custom-attributes": (
        "§9 (enterprise + custom URN)",
        both(lambda i: assign(acme_app(i), [listing(), created(stored_user())], ava())),
    ),
    "16-auth-variants": (
        "§1.2",
        {
            "oin-basic": lambda i: (
                engine.test_connection(_auth(i, BasicAuth("okta", "s3cret"))),
                [listing(), listing()],
            ),
            "oin-header": lambda i: (
                engine.test_connection(_auth(i, HeaderAuth("raw-token"))),
                [listing(), listing()],
            ),
        },
    ),
}


def _sync(inst: AppInstance) -> AppInstance:
    return replace(inst, actions=Actions(sync_password=True))


def _auth(inst: AppInstance, auth: Any) -> AppInstance:
    return replace(inst, auth=auth)


def render_script(cases: dict[str, Case]) -> dict[str, Any]:
    out = {}
    for name, case in cases.items():
        plan, responses = case(app(name.split("-")[0]))
        outcome, sent = run(plan, responses)
        out[name] = {"requests": [r.to_json() for r in sent], "outcome": outcome.to_json()}
    return out


class RateLimited:
    """A session answering 429 (with the given Retry-After) `limited` times, then 204."""

    def __init__(self, retry_after: str | None, limited: int) -> None:
        self.retry_after, self.left = retry_after, limited

    def request(self, method: str, url: str, **kw: Any) -> requests.Response:
        raw = requests.Response()
        raw.status_code, raw._content, raw.encoding = (429 if self.left else 204), b"", "utf-8"
        limited = self.left > 0 and self.retry_after is not None
        raw.headers = CaseInsensitiveDict({"Retry-After": self.retry_after} if limited else {})
        self.left = max(0, self.left - 1)
        return raw


def render_rate_limit() -> dict[str, Any]:
    """§13.14: the same request repeated; waits Retry-After (else 300 s), doubling, 10 tries."""
    out = {}
    for name, retry_after, limited in [("oin-retry-after-2", "2", 3), ("oin-no-retry-after", None, 99)]:
        clock = FakeClock()
        result = Transport(RateLimited(retry_after, limited), clock=clock).run(
            engine.deactivate(app(), sample_user(), LINKED)
        )
        out[name] = {
            "exchanges": [
                {"step": e.request.step, "line": e.request_line, "attempt": e.attempt, "waited_s": e.waited_s}
                for e in result.exchanges
            ],
            "sleeps": clock.sleeps,
            "outcome": result.outcome.to_json(),
        }
    return out


def render(name: str) -> dict[str, Any]:
    if name == "14-rate-limit":
        return {"reference": "§13.14, §10 (429)", "cases": render_rate_limit()}
    reference, cases = SCRIPTS[name]
    return {"reference": f"okta-scim.md {reference}", "cases": render_script(cases)}


@pytest.mark.parametrize("name", [*SCRIPTS, "14-rate-limit"])
def test_golden(name: str) -> None:
    path = GOLDEN / f"{name}.json"
    actual = render(name)
    text = json.dumps(actual, indent=2, ensure_ascii=False) + "\n"
    if UPDATE:
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"{path.name} missing: run with SCIMCERT_UPDATE_GOLDEN=1 to create it"
    expected = json.loads(path.read_text(encoding="utf-8"))
    # Compare serialised forms so key order (Okta's field order) counts as well.
    assert json.dumps(actual, indent=1) == json.dumps(expected, indent=1)


def test_golden_files_have_no_strays() -> None:
    names = {p.stem for p in GOLDEN.glob("*.json")}
    assert names <= {*SCRIPTS, "14-rate-limit"}, f"stale golden files: {names - {*SCRIPTS, '14-rate-limit'}}"
