"""The engine's plans driven by scripted responses: branching, batching, imports, task texts."""

from __future__ import annotations

import random

import pytest

from simulator.okta import engine
from simulator.okta.model import Actions, AppUser, OktaGroup, PushSettings, Quirks
from simulator.okta.payloads import Member
from simulator.okta.wire import ScimResponse
from tests.okta.support import (
    app,
    created,
    error,
    listing,
    no_content,
    ok,
    run,
    sample_user,
    scim_group,
    scim_user,
    steps,
)

LOGIN = "test.user@okta.local"
LINKED = AppUser("00ujl29u0le5T6Aj10h7", scim_id="s-1")
GROUP = OktaGroup("00g1", "Engineering")
PREFIX = "Automatic provisioning of user Test User to app SCIM 2.0 Test App (OAuth Bearer Token) failed"


def assign(inst=None, responses=(), **kw):
    plan = engine.assign_user(inst or app(), sample_user(), None, rng=random.Random(4), **kw)
    return run(plan, responses)


@pytest.mark.parametrize("miss", [listing(), error(404, "no such user")])
def test_assign_lookup_miss_creates(miss):
    outcome, sent = assign(responses=[miss, created(scim_user("s-9", LOGIN))])
    assert steps(sent) == ["assign.lookup", "assign.create"]
    assert sent[0].query == "filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100"
    assert (sent[1].method, sent[1].path) == ("POST", "/Users")
    assert len(sent[1].body["password"]) == 8
    assert outcome.ok and outcome.scim_id == "s-9" and not outcome.linked


def test_assign_sends_given_password_instead_of_placeholder():
    _, sent = assign(responses=[listing(), created(scim_user("s-9", LOGIN))], password="Okta-Pw-1")
    assert sent[1].body["password"] == "Okta-Pw-1"


def test_assign_lookup_hit_links_with_get_and_put():
    found = scim_user("s-7", LOGIN.upper(), name={"givenName": "Old"}, x={"y": 1})
    other = scim_user("s-6", "someone.else@okta.local")
    outcome, sent = assign(responses=[listing(other, found), ok(found), ok(found)])
    assert steps(sent) == ["assign.lookup", "assign.link.get", "assign.link.put"]
    assert [r.path for r in sent[1:]] == ["/Users/s-7", "/Users/s-7"]
    put = sent[2].body
    assert put["active"] is True and put["meta"] == found["meta"] and put["x"] == {"y": 1}
    assert put["name"]["givenName"] == "Test" and put["userName"] == LOGIN
    assert outcome.ok and outcome.linked and outcome.scim_id == "s-7"


def test_okta_links_the_first_hit_even_of_another_user_name():
    """What Okta does against a target that ignores the filter (§4.2b): it links the first Resource."""
    ceo = scim_user("s-1", "ceo@corp.example")
    outcome, sent = assign(responses=[listing(ceo), ok(ceo), ok(ceo)])
    assert steps(sent) == ["assign.lookup", "assign.link.get", "assign.link.put"]
    assert outcome.ok and outcome.linked and outcome.scim_id == "s-1"


def test_exact_links_refuse_a_hit_of_another_user_name_and_send_nothing_more():
    ceo = scim_user("s-1", "ceo@corp.example")
    outcome, sent = assign(app(exact_links=True), [listing(ceo, scim_user("s-2", "x@corp.example"))])
    assert steps(sent) == ["assign.lookup"]
    assert not outcome.ok and outcome.failed_step == "assign.lookup" and outcome.scim_id is None
    assert outcome.error == (
        f'the lookup `filter=userName eq "{LOGIN}"` returned userName "ceo@corp.example" (id s-1): the '
        "server ignored or mis-applied the filter; Okta would link — and then overwrite — that user; "
        "scimcert did not write to it"
    )
    nameless = {k: v for k, v in ceo.items() if k != "userName"}
    outcome, sent = assign(app(exact_links=True), [listing(nameless)])
    assert steps(sent) == ["assign.lookup"]
    assert "returned a resource without userName (id s-1)" in outcome.error


def test_exact_links_link_the_looked_up_user_name_in_any_case():
    """userName is caseExact false (RFC 7643 §8.7.1): the same user, so it is linked."""
    found = scim_user("s-7", LOGIN.upper())
    outcome, sent = assign(app(exact_links=True), [listing(found), ok(found), ok(found)])
    assert steps(sent) == ["assign.lookup", "assign.link.get", "assign.link.put"]
    assert outcome.ok and outcome.linked and outcome.scim_id == "s-7"


def test_assign_409_is_a_failed_task_with_okta_text():
    outcome, _ = assign(responses=[listing(), error(409, "User already exists")])
    assert not outcome.ok and outcome.failed_step == "assign.create"
    assert outcome.error == (
        f"{PREFIX}: Error while creating user {LOGIN}: Conflict. "
        "Errors reported by remote server: User already exists"
    )


def test_assign_empty_create_response():
    outcome, _ = assign(responses=[listing(), ScimResponse(201)])
    assert (
        outcome.error == f"{PREFIX}: Error while creating user {LOGIN}: Create new user returned empty user."
    )


def test_assign_non_json_error_body():
    outcome, _ = assign(responses=[listing(), ScimResponse.from_text(500, "<html>oops</html>")])
    assert outcome.error.endswith(
        "Internal Server Error. Errors reported by remote server: "
        "Invalid JSON: Unrecognized token '<html>oops</html>': was expecting ('true', 'false' or 'null')"
    )


def test_assign_lookup_failure_and_disabled_create():
    outcome, sent = assign(responses=[error(500, "boom")])
    assert steps(sent) == ["assign.lookup"] and outcome.failed_step == "assign.lookup"
    outcome, sent = assign(app(actions=Actions(create_users=False)))
    assert sent == [] and outcome.ok and outcome.status == "SKIPPED"


def test_update_profile_get_then_put():
    current = scim_user("s-1", LOGIN, name={"givenName": "Old", "familyName": "User"})
    plan = engine.update_profile(app(), sample_user(firstName="New"), LINKED)
    outcome, sent = run(plan, [ok(current), ok(current)])
    assert [(r.step, r.method, r.path) for r in sent] == [
        ("update.get", "GET", "/Users/s-1"),
        ("update.put", "PUT", "/Users/s-1"),
    ]
    assert sent[1].body["name"] == {"givenName": "New", "familyName": "User"}
    assert sent[1].body["id"] == "s-1" and "password" not in sent[1].body
    assert outcome.ok


def test_update_profile_404_on_get():
    plan = engine.update_profile(app(), sample_user(), LINKED)
    outcome, sent = run(plan, [error(404, "User s-1 not found")])
    assert steps(sent) == ["update.get"]
    assert outcome.error == (
        "Automatic profile push of user Test User to app SCIM 2.0 Test App (OAuth Bearer Token) failed: "
        f"Error while trying to push profile update for {LOGIN}: Not Found. "
        "Errors reported by remote server: User s-1 not found"
    )


def test_update_requires_a_scim_id():
    with pytest.raises(ValueError, match="no SCIM id"):
        next(engine.update_profile(app(), sample_user(), AppUser("00u1")))


@pytest.mark.parametrize(("plan_of", "active"), [(engine.deactivate, False), (engine.reactivate, True)])
def test_status_oin_is_one_patch_without_path(plan_of, active):
    outcome, sent = run(plan_of(app(), sample_user(), LINKED), [no_content()])
    (patch,) = sent
    assert (patch.method, patch.path) == ("PATCH", "/Users/s-1")
    assert patch.body["Operations"] == [{"op": "replace", "value": {"active": active}}]
    assert outcome.ok


@pytest.mark.parametrize(("plan_of", "active"), [(engine.deactivate, False), (engine.reactivate, True)])
def test_status_aiw_is_get_and_put(plan_of, active):
    current = scim_user("s-1", LOGIN, active=not active)
    outcome, sent = run(plan_of(app("aiw"), sample_user(), LINKED), [ok(current), ok(current)])
    assert [r.method for r in sent] == ["GET", "PUT"]
    assert sent[1].body == {**current, "active": active}
    assert outcome.ok


def test_reactivate_with_lookup_setting():
    inst = app(quirks=Quirks(lookup_before_reactivate=True))
    _, sent = run(engine.reactivate(inst, sample_user(), LINKED), [listing(scim_user("s-1", LOGIN)), ok({})])
    assert steps(sent) == ["reactivate.lookup", "reactivate.patch"]


def test_deactivate_failure_text_and_disabled():
    outcome, _ = run(engine.deactivate(app(), sample_user(), LINKED), [error(501, "PATCH not supported")])
    assert "Error while deactivating user test.user@okta.local: Not Implemented." in outcome.error
    outcome, sent = run(
        engine.deactivate(app(actions=Actions(deactivate_users=False)), sample_user(), LINKED), []
    )
    assert sent == [] and outcome.skipped


def test_password_push_oin_aiw_and_disabled():
    sync = Actions(sync_password=True)
    _, sent = run(engine.push_password(app(actions=sync), sample_user(), LINKED, "N3w"), [no_content()])
    assert sent[0].body["Operations"] == [{"op": "replace", "value": {"password": "N3w"}}]
    current = scim_user("s-1", LOGIN)
    _, sent = run(
        engine.push_password(app("aiw", actions=sync), sample_user(), LINKED, "N3w"), [ok(current)] * 2
    )
    assert steps(sent) == ["password.get", "password.put"] and sent[1].body["password"] == "N3w"
    outcome, sent = run(engine.push_password(app(), sample_user(), LINKED, "N3w"), [])
    assert sent == [] and outcome.skipped == "Sync Password is disabled"


def test_no_user_plan_ever_deletes():
    user, current = sample_user(), scim_user("s-1", LOGIN)
    for flavour in ("oin", "aiw"):
        inst = app(flavour, actions=Actions(sync_password=True))
        plans = [
            (engine.assign_user(inst, user, None), [listing(), created(current)]),
            (engine.update_profile(inst, user, LINKED), [ok(current)] * 2),
            (engine.deactivate(inst, user, LINKED), [ok(current)] * (2 if flavour == "aiw" else 1)),
            (engine.reactivate(inst, user, LINKED), [ok(current)] * (2 if flavour == "aiw" else 1)),
            (engine.push_password(inst, user, LINKED, "p"), [ok(current)] * (2 if flavour == "aiw" else 1)),
        ]
        for plan, responses in plans:
            _, sent = run(plan, responses)
            assert all(r.method != "DELETE" for r in sent)


def members(n, prefix="u"):
    return [Member(f"{prefix}{i}", f"{prefix}{i}@x") for i in range(n)]


def test_push_group_oin_create_then_batched_adds():
    responses = [listing(), created(scim_group("g-1", "Engineering"))] + [no_content()] * 3
    outcome, sent = run(engine.push_group(app(), GROUP, members(250)), responses)
    assert steps(sent) == [
        "group.push.lookup",
        "group.push.create",
        "group.push.add-members.1",
        "group.push.add-members.2",
        "group.push.add-members.3",
    ]
    assert sent[0].query == "filter=displayName%20eq%20%22Engineering%22&startIndex=1&count=100"
    assert sent[1].body == {
        "schemas": [sent[1].body["schemas"][0]],
        "displayName": "Engineering",
        "members": [],
    }
    sizes = [len(r.body["Operations"][0]["value"]) for r in sent[2:]]
    assert sizes == [100, 100, 50]
    assert outcome.ok and outcome.scim_id == "g-1" and not outcome.linked


def test_push_group_batch_of_250():
    inst = app(push=PushSettings(batch_size=250))
    responses = [listing(), created(scim_group("g-1", "Engineering")), ok({}), ok({})]
    _, sent = run(engine.push_group(inst, GROUP, members(430)), responses)
    assert [len(r.body["Operations"][0]["value"]) for r in sent[2:]] == [250, 180]


def test_push_group_lookup_hit_links_without_post():
    outcome, sent = run(
        engine.push_group(app(), GROUP, members(2)), [listing(scim_group("g-5", "Engineering")), ok({})]
    )
    assert steps(sent) == ["group.push.lookup", "group.push.add-members.1"]
    assert sent[1].path == "/Groups/g-5" and outcome.linked


@pytest.mark.parametrize("flavour", ["oin", "aiw"])
def test_exact_links_refuse_a_group_of_another_display_name(flavour):
    board = scim_group("g-9", "Board")
    plan = engine.push_group(app(flavour, exact_links=True), GROUP, members(2))
    outcome, sent = run(plan, [listing(board)])
    assert steps(sent) == ["group.push.lookup"]
    assert not outcome.ok and outcome.failed_step == "group.push.lookup"
    assert outcome.error == (
        'the lookup `filter=displayName eq "Engineering"` returned displayName "Board" (id g-9): the server '
        "ignored or mis-applied the filter; Okta would link — and then add its members to — that group; "
        "scimcert did not write to it"
    )
    mine = scim_group("g-5", "ENGINEERING")
    outcome, sent = run(engine.push_group(app(exact_links=True), GROUP, members(1)), [listing(mine), ok({})])
    assert steps(sent) == ["group.push.lookup", "group.push.add-members.1"] and outcome.linked


def test_push_empty_group_oin_sends_no_patch_and_409_fails():
    _, sent = run(engine.push_group(app(), GROUP, []), [listing(), created(scim_group("g-1", "Engineering"))])
    assert steps(sent) == ["group.push.lookup", "group.push.create"]
    outcome, _ = run(engine.push_group(app(), GROUP, []), [listing(), error(409, "exists")])
    assert outcome.error == (
        "Unable to update Group Push mapping target App group Engineering: Error while creating "
        "user group Engineering: Conflict. Errors reported by remote server: exists"
    )


def test_push_group_aiw_post_get_put_full_members():
    g = scim_group("g-1", "Engineering")
    responses = [listing(), created(g), ok(g), ok(g)]
    _, sent = run(engine.push_group(app("aiw"), GROUP, members(3)), responses)
    assert [(r.method, r.path) for r in sent] == [
        ("GET", "/Groups"),
        ("POST", "/Groups"),
        ("GET", "/Groups/g-1"),
        ("PUT", "/Groups/g-1"),
    ]
    assert sent[3].body["members"] == [{"value": f"u{i}", "display": f"u{i}@x"} for i in range(3)]
    assert sent[3].body["id"] == "g-1" and sent[3].body["displayName"] == "Engineering"


def test_push_group_aiw_link_keeps_existing_members():
    g = scim_group("g-5", "Engineering", [("old", "old@x"), ("u0", "u0@x")])
    _, sent = run(engine.push_group(app("aiw"), GROUP, members(2)), [listing(g), ok(g), ok(g)])
    assert [m["value"] for m in sent[-1].body["members"]] == ["old", "u0", "u1"]


def test_update_members_one_remove_op_each_and_rename_alongside():
    plan = engine.update_members(app(), "g-1", members(2, "a"), ["r1", "r2"], name="Engineering")
    outcome, sent = run(plan, [ok({}), ok({})])
    assert steps(sent) == ["group.members.rename", "group.members.patch.1"]
    assert sent[0].body["Operations"] == [
        {"op": "replace", "value": {"id": "g-1", "displayName": "Engineering"}}
    ]
    ops = sent[1].body["Operations"]
    assert ops[:2] == [
        {"op": "remove", "path": 'members[value eq "r1"]'},
        {"op": "remove", "path": 'members[value eq "r2"]'},
    ]
    assert ops[2] == {
        "op": "add",
        "path": "members",
        "value": [{"value": "a0", "display": "a0@x"}, {"value": "a1", "display": "a1@x"}],
    }
    assert outcome.ok


def test_update_members_rename_after_or_off():
    after = app(push=PushSettings(rename_order="after"))
    _, sent = run(engine.update_members(after, "g-1", members(1), [], name="E"), [ok({}), ok({})])
    assert steps(sent) == ["group.members.patch.1", "group.members.rename"]
    off = app(push=PushSettings(rename_groups=False))
    _, sent = run(engine.update_members(off, "g-1", members(1), [], name="E"), [ok({})])
    assert steps(sent) == ["group.members.patch.1"]
    outcome, sent = run(engine.update_members(app(), "g-1", [], []), [])
    assert sent == [] and outcome.skipped


def test_update_members_failure_text():
    outcome, _ = run(engine.update_members(app(), "g-1", [], ["r"]), [error(501, "replace not supported")])
    assert outcome.error == (
        "Unable to update Group Push mapping target App group g-1: Error while updating user group "
        "membership for group g-1 Not Implemented. Errors reported by remote server: replace not supported"
    )


def test_update_members_aiw_merges_into_full_put():
    g = scim_group("g-1", "Engineering", [("r1", "r1@x"), ("k", "k@x")])
    _, sent = run(engine.update_members(app("aiw"), "g-1", members(1), ["r1"]), [ok(g), ok(g)])
    assert steps(sent) == ["group.members.get", "group.members.put"]
    assert sent[1].body["members"] == [{"value": "k", "display": "k@x"}, {"value": "u0", "display": "u0@x"}]
    assert sent[1].body["displayName"] == "Engineering"


def test_push_now_with_empty_list():
    _, sent = run(engine.push_now(app(), "g-1", []), [no_content()])
    assert sent[0].body["Operations"] == [{"op": "replace", "path": "members", "value": []}]
    g = scim_group("g-1", "Engineering", [("x", "x@x")])
    _, sent = run(engine.push_now(app("aiw"), "g-1", []), [ok(g), ok(g)])
    assert sent[1].body["members"] == []


def test_rename_oin_and_aiw():
    _, sent = run(engine.rename_group(app(), "g-1", "New"), [no_content()])
    assert (sent[0].method, sent[0].step) == ("PATCH", "group.rename.patch")
    g = scim_group("g-1", "Old", [("x", "x@x")])
    _, sent = run(engine.rename_group(app("aiw"), "g-1", "New"), [ok(g), ok(g)])
    assert sent[1].body == {
        "schemas": g["schemas"],
        "id": "g-1",
        "displayName": "New",
        "members": [{"value": "x", "display": "x@x"}],
    }


def test_unlink_with_and_without_delete():
    outcome, sent = run(engine.unlink_group(app(), "g-1", delete=True), [no_content()])
    assert [(r.method, r.path) for r in sent] == [("DELETE", "/Groups/g-1")] and outcome.ok
    outcome, sent = run(engine.unlink_group(app(), "g-1", delete=False), [])
    assert sent == [] and outcome.skipped


def page(start, total, n, inactive_at=None):
    users = [scim_user(f"s{start + i}", f"u{start + i}@x") for i in range(n)]
    if inactive_at is not None:
        users[inactive_at]["active"] = False
    return listing(*users, total=total, start=start)


def test_import_users_pages_until_total_and_skips_inactive():
    script = [page(1, 250, 100, inactive_at=5), page(101, 250, 100), page(201, 250, 50)]
    outcome, sent = run(engine.import_users(app()), script)
    assert [r.query for r in sent] == [
        "startIndex=1&count=100",
        "startIndex=101&count=100",
        "startIndex=201&count=100",
    ]
    assert steps(sent) == ["import.users.page.1", "import.users.page.2", "import.users.page.3"]
    assert outcome.summary.scanned == 249 and outcome.summary.skipped_inactive == 1
    assert outcome.summary.new == 249 and outcome.summary.pages == 3
    assert len(outcome.resources) == 249 and "s6" not in {r["id"] for r in outcome.resources}


def test_import_summary_against_known_resources():
    a, b = scim_user("a", "a@x"), scim_user("b", "b@x")
    known = {"a": a, "b": {**b, "displayName": "Before"}, "gone": scim_user("gone", "g@x")}
    outcome, _ = run(engine.import_users(app(), known), [listing(a, b, scim_user("c", "c@x"))])
    s = outcome.summary
    assert (s.scanned, s.new, s.updated, s.unchanged, s.removed) == (3, 1, 1, 1, 1)


@pytest.mark.parametrize("key", ["totalResults", "startIndex", "itemsPerPage"])
def test_import_rejects_counters_as_strings(key):
    response = page(1, 2, 2)
    response.body[key] = str(response.body[key])
    outcome, _ = run(engine.import_users(app()), [response])
    assert not outcome.ok and f"'{key}' must be an integer" in outcome.error


def test_import_groups_reads_members_and_stops_on_empty_page():
    g = scim_group("g-1", "Eng", [("s1", "u1@x")])
    outcome, sent = run(engine.import_groups(app()), [listing(g, total=300), listing(total=300)])
    assert steps(sent) == ["import.groups.page.1", "import.groups.page.2"]
    assert outcome.resources == (g,) and outcome.summary.scanned == 1


def test_connection_test_users_then_groups():
    outcome, sent = run(engine.test_connection(app()), [listing(), listing()])
    assert [(r.path, r.query) for r in sent] == [
        ("/Users", "startIndex=1&count=2"),
        ("/Groups", "startIndex=1&count=100"),
    ]
    assert outcome.ok


def test_connection_test_groups_setting():
    no_groups = app(actions=Actions(push_groups=False))
    _, sent = run(engine.test_connection(no_groups), [listing()])
    assert steps(sent) == ["connect.users"]
    _, sent = run(engine.test_connection(app(quirks=Quirks(connection_test_groups="never"))), [listing()])
    assert steps(sent) == ["connect.users"]
    always = app(actions=Actions(push_groups=False), quirks=Quirks(connection_test_groups="always"))
    _, sent = run(engine.test_connection(always), [listing(), listing()])
    assert steps(sent) == ["connect.users", "connect.groups"]


@pytest.mark.parametrize(
    ("response", "text"),
    [
        (ScimResponse.of(200, {"totalResults": 0}), "No results for users returned"),
        (ScimResponse.of(200, []), "No results for users returned"),
        (
            error(401, "bad token"),
            "Error authenticating: Unauthorized. Errors reported by remote server: bad token",
        ),
    ],
)
def test_connection_test_failures(response, text):
    outcome, _ = run(engine.test_connection(app()), [response])
    assert not outcome.ok and outcome.error == text and outcome.failed_step == "connect.users"


def test_no_response_becomes_task_text():
    outcome, _ = run(
        engine.deactivate(app(), sample_user(), LINKED), [ScimResponse(0, error="Read timed out after 60 s")]
    )
    assert outcome.error.endswith(
        "Error while deactivating user test.user@okta.local: Read timed out after 60 s"
    )


def test_plus_encoding_setting():
    inst = app(quirks=Quirks(space_encoding="+"))
    _, sent = run(engine.assign_user(inst, sample_user(), None), [listing(), created(scim_user("s", LOGIN))])
    assert sent[0].query.startswith("filter=userName+eq+%22test.user%40okta.local%22")
