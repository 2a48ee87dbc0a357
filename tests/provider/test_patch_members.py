"""Group member PATCHes: the delta fast path answers like the general engine, atomically, index exact."""

from __future__ import annotations

import contextlib
import copy
import random
from typing import Any

import pytest

from simulator.provider import service as service_mod
from simulator.provider.core_schemas import GROUP
from simulator.provider.deviations import Deviations
from simulator.provider.errors import ScimError
from simulator.provider.patch import apply_patch
from simulator.provider.patch_members import MemberStep, fold_members, member_steps
from simulator.provider.service import Provider, ProviderConfig
from simulator.scim import urns
from simulator.scim.schema import ResourceSchema
from tests.provider.test_patch import ENT, IVANTI, USERS, a_user, body

GROUPS = ResourceSchema(GROUP)
NAMES = ("u0", "u1", "u2", "u3", "u4", "u5")
GHOST = "00000000-0000-4000-8000-000000000000"  # a well-formed id that names nobody


def add(*names: str, **extra: Any) -> dict[str, Any]:
    return {"op": "add", "path": "members", "value": [{"value": n, **extra} for n in names]}


def drop(name: str) -> dict[str, Any]:
    return {"op": "remove", "path": f'members[value eq "{name}"]'}


SCENARIOS: dict[str, list[dict[str, Any]]] = {
    "add one": [add("u3")],
    "add a present member (other display)": [add("u0", display="Someone else")],
    "add duplicates in one op": [add("u3", "u3", "u4")],
    "add a single object, not a list": [{"op": "add", "path": "members", "value": {"value": "u3"}}],
    "add nothing": [{"op": "add", "path": "members", "value": []}],
    "Entra spelling": [{"op": "Add", "path": "Members", "value": [{"value": "u3", "$ref": None}]}],
    "URN-qualified path": [{"op": "add", "path": f"{urns.CORE_GROUP}:members", "value": [{"value": "u3"}]}],
    "client type is overridden": [add("u3", type="Group")],
    "remove one": [drop("u1")],
    "remove then re-add moves to the end": [drop("u1"), add("u1")],
    "add then remove": [add("u3"), drop("u3")],
    "remove, re-add, remove": [drop("u1"), add("u1"), drop("u1")],
    "remove all one by one": [drop("u0"), drop("u1"), drop("u2")],
    "remove by upper-case id": [{"op": "remove", "path": 'members[value eq "U1"]'}],
    "Entra remove with value list": [
        {"op": "remove", "path": "members", "value": [{"value": "u0"}, {"value": "u5"}]}
    ],
    "remove a non-member": [drop("u5")],
    "remove twice": [drop("u1"), drop("u1")],
    "add a missing user": [add("u3", GHOST)],
    "add an unknown sub-attribute": [add("u3", colour="blue")],
    "add a non-string value": [{"op": "add", "path": "members", "value": [{"value": 5}]}],
    "add without value": [{"op": "add", "path": "members", "value": [{"display": "x"}]}],
    "later op fails": [drop("u1"), add("u3"), drop("u5")],
    "later op adds a missing user": [drop("u1"), add(GHOST)],
    "members and a rename": [add("u3"), {"op": "replace", "path": "displayName", "value": "New"}],
}


class Org:
    """A provider with six users and group G holding u0, u1, u2; names map to ids."""

    def __init__(self, deviations: tuple[str, ...] = ()) -> None:
        self.provider = Provider(ProviderConfig(deviations=Deviations.parse(deviations)))
        self.atomic = "patch-not-atomic" not in deviations
        store = self.provider.store
        self.ids = {n: store.create("User", {"userName": f"{n}@example.com"}).id for n in NAMES}
        self.ids.update({n.upper(): i.upper() for n, i in self.ids.items()})
        self.names = {i: n for n, i in self.ids.items()}
        members = [{"value": self.ids[n], "type": "User"} for n in ("u0", "u1", "u2")]
        self.gid = self.provider.create("Group", group("G", members)).id

    def resolve(self, data: Any) -> Any:
        """Replace names by ids anywhere in a request body."""
        if isinstance(data, dict):
            return {k: self.resolve(v) for k, v in data.items()}
        if isinstance(data, list):
            return [self.resolve(v) for v in data]
        if isinstance(data, str):
            for name, rid in self.ids.items():
                data = data.replace(f'"{name}"', f'"{rid}"')
            return self.ids.get(data, data)
        return data

    def patch(self, *ops: dict[str, Any], if_match: str | None = None) -> Any:
        """The outcome of a PATCH as names: ('ok', members, name) or ('error', status, type, detail)."""
        before = self.provider.get("Group", self.gid)
        try:
            rec = self.provider.patch("Group", self.gid, self.resolve(body(*ops)), if_match)
        except ScimError as exc:
            after = self.provider.get("Group", self.gid)
            if self.atomic:
                assert after.version == before.version and after.data == before.data
            detail = exc.detail
            for rid, name in self.names.items():
                detail = detail.replace(rid, name)
            return ("error", exc.status, exc.scim_type, detail)
        # A PATCH that changed something moves the version (one that changed nothing need not:
        # RFC 7644 §3.5.2.1; the noop-patch-touches probe judges that).
        assert rec.version != before.version or rec.data == before.data
        assert rec.last_modified >= before.last_modified
        members = [(self.names[m["value"]], m["type"]) for m in rec.data.get("members", [])]
        return ("ok", members, rec.data["displayName"])

    def memberships_are_exact(self) -> None:
        """The member -> groups index answers exactly what the groups' member lists say."""
        groups = self.provider.store.scan("Group")
        for uid in {*self.ids.values(), GHOST}:
            listed = {g.id for g in groups if any(m["value"] == uid for m in g.data.get("members", []))}
            assert {g.id for g in self.provider.store.groups_of(uid)} == listed


def group(name: str, members: list[dict[str, Any]]) -> dict[str, Any]:
    return {"schemas": [urns.CORE_GROUP], "displayName": name, "members": members}


def general_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service_mod, "member_steps", lambda body, schema: None)


@pytest.mark.parametrize("deviations", [(), ("members-require-type",), ("patch-not-atomic",)])
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_fast_path_answers_like_the_general_path(
    name: str, deviations: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    fast_org = Org(deviations)
    fast = fast_org.patch(*SCENARIOS[name])
    fast_org.memberships_are_exact()
    general_only(monkeypatch)
    slow_org = Org(deviations)
    assert fast == slow_org.patch(*SCENARIOS[name])
    slow_org.memberships_are_exact()


# What the fast path hands to the general engine: it alone finds case variants and words noTarget.
GENERAL = {
    "remove by upper-case id",
    "remove a non-member",
    "remove twice",
    "add a non-string value",
    "later op fails",
    "members and a rename",
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_member_only_patches_skip_the_general_engine(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []

    def spy(*args: Any) -> dict[str, Any]:
        calls.append(args)
        return apply_patch(*args)

    monkeypatch.setattr(service_mod, "apply_patch", spy)
    Org().patch(*SCENARIOS[name])
    assert bool(calls) == (name in GENERAL)


def test_fast_path_checks_if_match() -> None:
    org = Org()
    current = org.provider.get("Group", org.gid).etag
    assert org.patch(add("u3"), if_match='W/"999999"')[:2] == ("error", 412)
    assert org.patch(add("u3"), if_match=current)[0] == "ok"


def test_fast_path_keeps_stored_members_and_reuses_their_objects() -> None:
    org = Org()
    before = org.provider.get("Group", org.gid).data["members"]
    after = org.provider.patch("Group", org.gid, org.resolve(body(add("u3")))).data["members"]
    assert after[:3] == before and all(a is b for a, b in zip(after, before, strict=False))
    assert after[3] == {"value": org.ids["u3"], "type": "User"}


def test_general_path_leaves_untouched_members_alone() -> None:
    org = Org()
    before = org.provider.get("Group", org.gid).data["members"]
    rename = {"op": "replace", "value": {"id": org.gid, "displayName": "Renamed"}}
    rec = org.provider.patch("Group", org.gid, body(rename))
    assert rec.data["displayName"] == "Renamed" and rec.data["members"] is before


def test_index_stays_exact_through_mixed_operations(monkeypatch: pytest.MonkeyPatch) -> None:
    org, rnd = Org(), random.Random(4)
    second = org.provider.create("Group", group("H", [{"value": org.ids["u4"]}])).id
    for _ in range(60):
        gid = rnd.choice([org.gid, second])
        who = rnd.sample(NAMES, 2)
        ops = rnd.choice(
            [[add(*who)], [drop(who[0])], [drop(who[0]), add(who[1])], [add(who[0]), drop(who[0])]]
        )
        if rnd.random() < 0.3:
            ops = [*ops, {"op": "replace", "path": "displayName", "value": f"G{rnd.random()}"}]
        with contextlib.suppress(ScimError):  # a remove of a non-member is refused: fine
            org.provider.patch("Group", gid, org.resolve(body(*ops)))
        if rnd.random() < 0.1:
            members = [{"value": org.ids[n]} for n in rnd.sample(NAMES, 3)]
            org.provider.replace("Group", gid, group("Put", members))
        org.memberships_are_exact()
    org.provider.delete("User", org.ids["u1"])
    org.memberships_are_exact()


def test_member_steps_recognise_only_member_adds_and_removes() -> None:
    def steps(*ops: dict[str, Any]) -> list[MemberStep] | None:
        return member_steps(body(*ops), GROUPS)

    assert steps(add("a", "b"), drop("c")) == [
        MemberStep(adds=({"value": "a"}, {"value": "b"})),
        MemberStep(removes=("c",), must_match=True),
    ]
    assert steps({"op": "remove", "path": "members", "value": {"value": "a"}}) == [MemberStep(removes=("a",))]
    not_members_only = [
        {"op": "replace", "path": "members", "value": []},
        {"op": "remove", "path": "members"},
        {"op": "remove", "path": 'members[value eq "a" or value eq "b"]'},
        {"op": "remove", "path": 'members[type eq "User"]'},
        {"op": "replace", "path": 'members[value eq "a"].display', "value": "x"},
        {"op": "add", "path": "displayName", "value": "x"},
        {"op": "add", "value": {"members": [{"value": "a"}]}},
        {"op": "add", "path": "members[", "value": []},
        {"op": "move", "path": "members", "value": []},
    ]
    for op in not_members_only:
        assert steps(add("a"), op) is None, op
    assert member_steps({"Operations": [add("a")]}, GROUPS) is None


def test_fold_members_nets_out_in_order() -> None:
    present = {"m1", "m2"}.__contains__
    steps = member_steps(body(drop("m1"), add("m1", "n1"), drop("n1"), add("m2")), GROUPS)
    change = fold_members(steps or [], present)
    assert change is not None
    assert change.added == ({"value": "m1"},) and change.removed == frozenset({"m1"})
    assert fold_members(member_steps(body(drop("n9")), GROUPS) or [], present) is None


@pytest.mark.parametrize(
    "ops",
    [
        [{"op": "add", "path": "emails", "value": {"value": "n@x", "primary": True}}],
        [{"op": "replace", "path": 'emails[type eq "work"].value', "value": "w@x"}],
        [{"op": "remove", "path": f"{ENT}:manager"}],
        [{"op": "remove", "path": ENT}],
        [{"op": "add", "path": f"{IVANTI}:custAttr1", "value": "c"}],
        [{"op": "replace", "value": {ENT: {"department": "D"}, "name": {"givenName": "G"}}}],
        [{"op": "remove", "path": f"{ENT}:employeeNumber"}, {"op": "remove", "path": f"{ENT}:department"}],
    ],
)
def test_apply_patch_copies_on_write_and_never_changes_its_input(ops: list[dict[str, Any]]) -> None:
    user = a_user()
    snapshot = copy.deepcopy(user)
    out = apply_patch(user, body(*ops), USERS)
    assert user == snapshot
    assert out != user
    touched = {k for k in out if k not in user or out[k] != user[k]} | {k for k in user if k not in out}
    assert touched and all(out[k] is user[k] for k in out if k in user and k not in touched)
