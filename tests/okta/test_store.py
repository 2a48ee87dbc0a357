"""The org store: persistence across reopen, atomic transactions, concurrent writers, app codec."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from simulator.okta.codec import app_from_json, app_to_json
from simulator.okta.model import Actions, AppAttribute, AttributeMapping, Flavour, PushSettings
from simulator.okta.service import OrgError, OrgService
from simulator.okta.store import AppRec, AppUserRec, GroupRec, LogRec, OrgStore, PushRec, UserRec, now
from simulator.okta.wire import BasicAuth
from tests.okta.support import app as sample_app


def user(n: int) -> UserRec:
    stamp = now()
    return UserRec(f"00u{n:017d}", {"login": f"u{n}@x.io", "firstName": "U"}, "ACTIVE", stamp, stamp)


def test_app_instance_round_trips_through_json():
    inst = replace(
        sample_app(Flavour.AIW),
        auth=BasicAuth("u", "p"),
        actions=Actions(sync_password=True),
        push=PushSettings(batch_size=250),
        attributes=(AppAttribute("custAttr1", "custAttr1", "urn:x:ext", "integer"),),
        mappings={"custAttr1": AttributeMapping("user.department", push=False)},
    )
    assert app_from_json(app_to_json(inst)) == replace(inst, mappings=dict(inst.mappings))


def test_everything_survives_reopen(tmp_path):
    path = str(tmp_path / "org.db")
    store = OrgStore(path)
    store.put_user(user(1))
    store.put_group(GroupRec("00g1", "Eng", "", now(), now()))
    store.add_member("00g1", user(1).id)
    inst = sample_app()
    store.put_app(AppRec("scim2testapp", "ACTIVE", "SAML_2_0", "ENABLED", inst, now(), now()))
    store.put_app_user(
        AppUserRec(inst.id, user(1).id, "USER", "s-1", None, {}, "PROVISIONED", "SYNCHRONIZED", now(), now())
    )
    store.assign_app_group(inst.id, "00g1", 0)
    store.put_push(PushRec("gPm1", inst.id, "00g1", "g-1", "Eng", "ACTIVE", None, now(), now(), None))
    store.add_log(
        LogRec(0, "u", now(), "e", "SUCCESS", None, "GET /Users -> 200", inst.id, None, "s", {"a": 1})
    )
    store.close()

    again = OrgStore(path)
    assert again.user("u1@x.io").id == user(1).id
    assert again.member_ids("00g1") == [user(1).id]
    assert again.app(inst.id).instance == replace(inst, mappings=dict(inst.mappings))
    assert again.app_user(inst.id, user(1).id).scim_id == "s-1"
    assert again.app_group_ids(inst.id) == ["00g1"]
    assert again.push("gPm1").target_scim_id == "g-1"
    assert again.logs()[0].exchange == {"a": 1}


def test_the_admin_token_is_kept_until_another_is_given(tmp_path):
    path = str(tmp_path / "org.db")
    tokens = iter(["first", "never-used"])
    assert OrgStore(path).admin_token(None, lambda: next(tokens)) == "first"
    assert OrgStore(path).admin_token(None, lambda: next(tokens)) == "first"
    assert OrgStore(path).admin_token("given", lambda: next(tokens)) == "given"
    assert OrgStore(path).admin_token(None, lambda: next(tokens)) == "given"


def test_an_org_file_written_before_the_settings_table_opens(tmp_path):
    path = tmp_path / "old.db"
    store = OrgStore(str(path))
    store.put_user(user(1))
    store._db.execute("DROP TABLE settings")  # as scimcert 0.1 wrote it
    store.close()
    again = OrgStore(str(path))
    assert again.user(user(1).id) is not None and again.admin_token(None, lambda: "new") == "new"


def test_transaction_rolls_back_as_a_unit():
    store = OrgStore()
    with pytest.raises(RuntimeError), store.transaction():
        store.put_user(user(1))
        store.put_user(user(2))
        raise RuntimeError("boom")
    assert store.users() == []


def test_concurrent_admin_calls_do_not_corrupt(tmp_path):
    svc = OrgService(OrgStore(str(tmp_path / "c.db")), seed=3)
    errors: list[Exception] = []

    def create(k: int) -> None:
        for i in range(25):
            profile = {"login": f"p{k}-{i}@x.io", "email": "e@x.io", "firstName": "P", "lastName": "Q"}
            try:
                svc.create_user(profile, activate=True, has_password=True)
                svc.create_user(profile, activate=True, has_password=True)  # duplicate: refused
            except OrgError as exc:
                if exc.code != "E0000001":
                    errors.append(exc)

    threads = [threading.Thread(target=create, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    logins = [u.profile["login"] for u in svc.store.users()]
    assert len(logins) == len(set(logins)) == 150


def test_timestamps_increase_so_lists_keep_creation_order() -> None:
    """Users made in one millisecond sorted by (created, id) came out in random order: the
    paging test saw it once in CI. now() never repeats a millisecond within the process."""
    stamps = [now() for _ in range(2000)]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
