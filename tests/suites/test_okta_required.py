"""The Okta suite against a target that requires an extension: the app maps values into it, the
flows' own setup users carry it, and a refused Okta body says why (suites/okta/required.py)."""

from __future__ import annotations

from faker import Faker

from simulator.okta.mapping import evaluate
from simulator.okta.model import DEFAULT_ATTRIBUTES
from simulator.okta.payloads import create_user_body
from simulator.okta.wire import ScimRequest
from simulator.scim import urns
from simulator.scim.extensions import parse_extension_spec
from simulator.scim.schema import AttributeDef, SchemaDef
from suites.config import Auth, RunConfig
from suites.okta.required import refused_note, required_mappings, setup_with_required
from suites.okta.support import okta_app
from tests.suites.support import IVANTI_SPEC

IVANTI = parse_extension_spec(IVANTI_SPEC)


def _faker() -> Faker:
    faker = Faker()
    faker.seed_instance(7)
    return faker


def test_mapped_values_keep_their_types_and_reach_okta_s_create_body() -> None:
    mapped = required_mappings((IVANTI,), _faker())
    values = {a.external_name: evaluate(m.expression, {}) for a, m in mapped}
    assert isinstance(values["custAttr1"], str) and isinstance(values["vip"], bool)
    assert isinstance(values["level"], int) and not isinstance(values["level"], bool)
    app = okta_app(RunConfig(url="http://127.0.0.1:9/scim/v2", auth=Auth("bearer", "t")), mapped)
    profile = {a.name: evaluate(m.expression, {}) for a, m in mapped}
    body = create_user_body(app, profile, external_id="00u1", password="p")
    assert body[IVANTI.id] == values and IVANTI.id in body["schemas"]


def test_complex_values_map_by_sub_attribute_and_lists_not_at_all() -> None:
    ext = SchemaDef("urn:example:params:scim:schemas:extension:acme:2.0:User", "Acme", "", (
        AttributeDef("badge", type="complex", required=True, sub_attributes=(AttributeDef("value"),)),
        AttributeDef("tags", multi_valued=True, required=True)))
    assert [a.external_name for a, _ in required_mappings((ext,), _faker())] == ["badge.value"]


def test_without_a_required_extension_the_app_is_okta_s_default() -> None:
    app = okta_app(RunConfig(url="http://127.0.0.1:9/scim/v2", auth=Auth("bearer", "t")), ())
    assert app.attributes == DEFAULT_ATTRIBUTES


def test_only_the_flows_setup_creates_get_the_required_data() -> None:
    amend = setup_with_required((IVANTI,), _faker(), frozenset({"setup.user"}))
    body = {"schemas": [urns.CORE_USER], "userName": "u"}
    setup = amend(ScimRequest("setup.user", "POST", "http://h", "/Users", body=body))
    assert setup.body["schemas"] == [urns.CORE_USER, IVANTI.id] and setup.body[IVANTI.id]
    okta_own = ScimRequest("6", "POST", "http://h", "/Users", body=body)
    assert amend(okta_own) is okta_own


def test_a_refused_okta_body_says_which_required_extension_it_lacks() -> None:
    request = ScimRequest("6", "POST", "http://h", "/Users", body={"schemas": [urns.CORE_USER]})
    assert f"carries no {IVANTI.id} data" in refused_note((IVANTI,), request)
    assert refused_note((), request) == ""
    group = ScimRequest("push", "POST", "http://h", "/Groups", body={"displayName": "g"})
    assert refused_note((IVANTI,), group) == ""


def test_a_refused_group_push_says_which_required_group_extension_it_lacks() -> None:
    group_ext = parse_extension_spec("urn:example:params:scim:schemas:extension:acme:2.0:Group=costCenter")
    push = ScimRequest("push.create", "POST", "http://h", "/Groups",
                       body={"schemas": [urns.CORE_GROUP], "displayName": "g", "members": []})
    note = refused_note((IVANTI,), push, (group_ext,))
    assert f"group push body carries no {group_ext.id} data, which the target's Group resource type " \
           "requires (RFC 7643 §6)" in note and "no Okta mapping adds Group extension data" in note
    put = ScimRequest("push.put", "PUT", "http://h", "/Groups/g1", body={"displayName": "g", "members": []})
    assert refused_note((), put, (group_ext,)) == note
    assert refused_note((IVANTI,), push) == ""
