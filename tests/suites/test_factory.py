"""The factory's many-users setup: order kept, every create in the ledger, a refusal fails clearly;
and its bodies carry every extension the target requires (RFC 7643 §6), and only then."""

from __future__ import annotations

from typing import Any

import pytest
from faker import Faker

from simulator.scim import urns
from simulator.scim.extensions import parse_extension_spec
from simulator.scim.schema import AttributeDef, SchemaDef
from suites.client import ScimClient
from suites.config import Auth, RunConfig
from suites.expect import ConformanceFailure
from suites.factory import Factory
from suites.ledger import Ledger
from tests.suites.support import IVANTI_SPEC, TOKEN, provider

IVANTI = parse_extension_spec(IVANTI_SPEC)
ACME_GROUP = parse_extension_spec(
    "urn:example:params:scim:schemas:extension:acme:2.0:Group=costCenter,size:integer")


def _factory(url: str, required: tuple[SchemaDef, ...] = ()) -> tuple[Factory, Ledger, list[Any]]:
    config = RunConfig(url=url, auth=Auth("bearer", TOKEN), run_id="f1")
    ledger = Ledger(None, config.run_id, config.url or "")
    recorded: list[Any] = []
    client = ScimClient(config, recorded.append, ledger.add_once)
    return Factory(client, ledger, config, Faker(use_weighting=False), required), ledger, recorded


def test_users_in_flight_keep_order_and_reach_the_ledger() -> None:
    with provider() as url:
        factory, ledger, recorded = _factory(url)
        bodies = [factory.user_body() for _ in range(12)]
        created = factory.users(bodies, in_flight=4)
    assert [u["userName"] for u in created] == [b["userName"] for b in bodies]
    assert {(e["type"], e["id"]) for e in ledger.entries} == {("User", u["id"]) for u in created}
    assert len(recorded) == 12  # one exchange per create, recorded from the worker threads


def test_a_refused_create_fails_as_a_precondition_and_the_others_stay_in_the_ledger() -> None:
    with provider() as url:
        factory, ledger, _ = _factory(url)
        bodies = [factory.user_body() for _ in range(6)]
        bodies[3] = dict(bodies[3], userName=bodies[1]["userName"])  # a duplicate: 409
        with pytest.raises(ConformanceFailure, match=r"\(precondition\) POST /Users"):
            factory.users(bodies, in_flight=3)
        # Creates not yet started when the refusal surfaced are cancelled (which of the two
        # duplicates wins is a race); every user that was created is there to be cleaned up.
        on_server = factory.client.get("/Users", params={"count": 100}).body["Resources"]
    assert {e["id"] for e in ledger.entries} == {u["id"] for u in on_server}
    assert 3 <= len(ledger.entries) <= 5


def test_bodies_carry_each_required_extension_typed_and_listed() -> None:
    factory, _, _ = _factory("http://127.0.0.1:9/scim/v2", (IVANTI,))
    body = factory.user_body()
    assert body["schemas"] == [urns.CORE_USER, IVANTI.id]
    data = body[IVANTI.id]
    assert isinstance(data["custAttr1"], str) and isinstance(data["vip"], bool)
    assert isinstance(data["level"], int) and not isinstance(data["level"], bool)


def test_a_callers_own_data_for_the_required_extension_is_sent_as_given() -> None:
    factory, _, _ = _factory("http://127.0.0.1:9/scim/v2", (IVANTI,))
    body = factory.user_body(schemas=[urns.CORE_USER], **{IVANTI.id.upper(): {"custAttr1": "x"}})
    assert body["schemas"] == [urns.CORE_USER] and IVANTI.id not in body


def test_without_required_extensions_the_bodies_are_as_before() -> None:
    plain, _, _ = _factory("http://127.0.0.1:9/scim/v2")
    required, _, _ = _factory("http://127.0.0.1:9/scim/v2", (IVANTI,))
    first, second = plain.user_body(), required.user_body()
    assert first == {k: v for k, v in second.items() if k != IVANTI.id} | {"schemas": [urns.CORE_USER]}


def test_a_replacing_put_keeps_the_users_required_data() -> None:
    factory, _, _ = _factory("http://127.0.0.1:9/scim/v2", (IVANTI,))
    user = {"id": "1", "schemas": [urns.CORE_USER, IVANTI.id], IVANTI.id: {"custAttr1": "kept"}}
    assert factory.replacing(user, {"schemas": user["schemas"]})[IVANTI.id] == {"custAttr1": "kept"}


def test_required_complex_and_multi_valued_attributes_get_values() -> None:
    sub = (AttributeDef("value"), AttributeDef("display", mutability="readOnly"))
    ext = SchemaDef("urn:example:params:scim:schemas:extension:acme:2.0:User", "Acme", "", (
        AttributeDef("badge", type="complex", required=True, sub_attributes=sub),
        AttributeDef("tags", multi_valued=True, required=True),
        AttributeDef("serial", mutability="readOnly", required=True)))
    factory, _, _ = _factory("http://127.0.0.1:9/scim/v2", (ext,))
    data = factory.user_body()[ext.id]
    assert set(data) == {"badge", "tags"} and set(data["badge"]) == {"value"}
    assert isinstance(data["tags"], list) and len(data["tags"]) == 1


def _group_factory() -> Factory:
    config = RunConfig(url="http://127.0.0.1:9/scim/v2", auth=Auth("bearer", TOKEN), run_id="f1")
    return Factory(ScimClient(config, lambda _: None), Ledger(None, "f1", ""), config,
                   required_groups=(ACME_GROUP,))


def test_group_bodies_carry_each_required_group_extension_and_user_bodies_do_not() -> None:
    factory = _group_factory()
    group = factory.group_body(["u1"])
    assert group["schemas"] == [urns.CORE_GROUP, ACME_GROUP.id] and group["members"] == [{"value": "u1"}]
    data = group[ACME_GROUP.id]
    assert isinstance(data["costCenter"], str) and isinstance(data["size"], int)
    assert ACME_GROUP.id not in factory.user_body() and factory.requires(ACME_GROUP.id, "Group")
    assert not factory.requires(ACME_GROUP.id)


def test_a_replacing_group_put_keeps_the_groups_required_data() -> None:
    factory = _group_factory()
    group = {"id": "g", "schemas": [urns.CORE_GROUP, ACME_GROUP.id], ACME_GROUP.id: {"costCenter": "kept"}}
    body = factory.replacing(group, {"schemas": [urns.CORE_GROUP], "displayName": "g"}, "Group")
    assert body[ACME_GROUP.id] == {"costCenter": "kept"} and body["schemas"] == group["schemas"]


STRICT_USER = SchemaDef(urns.CORE_USER, "User", "", (
    AttributeDef("userName", required=True),
    AttributeDef("name", type="complex", required=True, sub_attributes=(
        AttributeDef("formatted", required=True), AttributeDef("givenName"), AttributeDef("familyName"))),
    AttributeDef("emails", type="complex", multi_valued=True, sub_attributes=(AttributeDef("value"),)),
    AttributeDef("active", type="boolean", required=True)))
STRICT_GROUP = SchemaDef(urns.CORE_GROUP, "Group", "", (
    AttributeDef("displayName", required=True),
    AttributeDef("members", type="complex", multi_valued=True, required=True, sub_attributes=(
        AttributeDef("value", mutability="immutable"),
        AttributeDef("$ref", type="reference", required=True, mutability="immutable")))))


def test_bodies_carry_what_the_target_schema_requires_and_nothing_it_does_not_define() -> None:
    """Canaille 0.3.6 marks name.formatted and members.$ref required and defines no emails.primary
    or locale: it refuses a body without the one or with the other (RFC 7644 §3.12)."""
    config = RunConfig(url="http://127.0.0.1:9/scim/v2", auth=Auth("bearer", TOKEN), run_id="f1")
    factory = Factory(ScimClient(config, lambda _: None), Ledger(None, "f1", ""), config,
                      core=STRICT_USER, core_groups=STRICT_GROUP)
    body = factory.user_body()
    assert set(body) == {"schemas", "userName", "name", "emails", "externalId", "active"}
    assert body["name"]["formatted"] == f"{body['name']['givenName']} {body['name']['familyName']}"
    assert body["emails"] == [{"value": body["userName"]}]
    assert factory.user_body(locale="en-US")["locale"] == "en-US"  # a check's own choice is sent
    group = factory.group_body(["u1"])
    assert group["members"] == [{"value": "u1", "$ref": "http://127.0.0.1:9/scim/v2/Users/u1"}]
    assert not factory.defines("members.type", "Group") and factory.defines("members.$ref", "Group")
