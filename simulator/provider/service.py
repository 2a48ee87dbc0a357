"""The provider's operations on Users and Groups, independent of Flask and HTTP framing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from simulator.provider import extension_quirks as ext_quirks
from simulator.provider import resources
from simulator.provider.core_schemas import ENTERPRISE_USER, GROUP, USER
from simulator.provider.cursors import CursorCodec
from simulator.provider.deviations import Deviations, exact_core_paths, patch_quirks, unsettled_primaries
from simulator.provider.errors import ScimError, store_errors
from simulator.provider.patch import apply_patch
from simulator.provider.patch_members import MEMBERS, fold_members, member_steps
from simulator.provider.patch_request import PatchError
from simulator.provider.records import (
    EvalView,
    MemberDelta,
    Record,
    counter_ids,
    offset_now,
    opaque_ids,
    utc_now,
    uuid_ids,
)
from simulator.provider.store import Store
from simulator.scim import extensions as ext_mod
from simulator.scim.schema import ResourceSchema, SchemaDef

DEFAULT_MAX_RESULTS = 200
DEFAULT_MAX_BODY = 1_048_576


@dataclass(frozen=True, slots=True)
class ProviderConfig:
    """Everything that shapes one provider instance."""

    token: str | None = None
    deviations: Deviations = field(default_factory=Deviations)
    extensions: tuple[SchemaDef, ...] = ()
    required_extensions: frozenset[str] = frozenset()
    open_discovery: bool = False
    max_results: int = DEFAULT_MAX_RESULTS
    max_body_bytes: int = DEFAULT_MAX_BODY
    enterprise: bool = True  # the enterprise User extension (RFC 7643 §4.3), which is optional


@dataclass(frozen=True, slots=True)
class ResourceType:
    """A resource type (RFC 7643 §6) and the schema that governs it."""

    name: str
    endpoint: str
    description: str
    schema: ResourceSchema


class Provider:
    """Users and Groups over one store, validated against the schema definitions."""

    def __init__(self, config: ProviderConfig) -> None:
        self.config = config
        self.deviations = config.deviations
        user_exts = ((ENTERPRISE_USER,) if config.enterprise else ()) + tuple(
            e for e in config.extensions if not ext_mod.targets_group(e))
        group_exts = tuple(e for e in config.extensions if ext_mod.targets_group(e))
        self.types: dict[str, ResourceType] = {
            "User": ResourceType(
                "User", "/Users", "User Account", ResourceSchema(USER, user_exts, config.required_extensions)
            ),
            "Group": ResourceType(
                "Group", "/Groups", "Group", ResourceSchema(GROUP, group_exts, config.required_extensions)
            ),
        }
        self.store = Store(
            username_case_sensitive="username-case-sensitive" in self.deviations,
            unique_usernames="duplicate-username-allowed" not in self.deviations,
            unique_emails="unique-emails" in self.deviations,
            keep_dangling_members="delete-keeps-memberships" in self.deviations,
            touch_unchanged="noop-patch-touches" in self.deviations,
            clock=offset_now if "datetime-offsets" in self.deviations else utc_now,
            new_id=self._ids(),
        )
        self.cursors = CursorCodec()  # signs this instance's cursors (RFC 9865)

    def _ids(self) -> Callable[[], str]:
        """The id sequence: UUIDs or counters (numeric-ids), wrapped by opaque-ids."""
        new_id = counter_ids() if "numeric-ids" in self.deviations else uuid_ids()
        return opaque_ids(new_id) if "opaque-ids" in self.deviations else new_id

    @property
    def max_results(self) -> int:
        """filter.maxResults: the largest page served (the page-size condition sets it)."""
        if "page-size" in self.deviations:
            return int(self.deviations.param("page-size"))
        return self.config.max_results

    @property
    def etags(self) -> bool:
        """Whether resources carry ETags and meta.version: no-etag drops them though etag.supported
        says true (a bug); etag-unsupported drops them and says false (a choice)."""
        return not {"no-etag", "etag-unsupported"} & self.deviations.active

    @property
    def conditional(self) -> bool:
        """Whether If-Match and If-None-Match are honoured."""
        return not {"etag-ignored", "etag-unsupported"} & self.deviations.active

    def etag(self, rec: Record) -> str:
        """The ETag of a record: weak, or strong under the strong-etags condition."""
        return rec.etag.removeprefix("W/") if "strong-etags" in self.deviations else rec.etag

    def schema_of(self, kind: str) -> ResourceSchema:
        return self.types[kind].schema

    # -- writes --------------------------------------------------------------------------
    def create(self, kind: str, body: Any) -> Record:
        data = self._coerce(kind, resources.parse_body(body))
        if "group-name-conflict-500" in self.deviations and kind == "Group" and self.store.lookup(
                kind, "displayName", str(data.get("displayName"))):
            raise RuntimeError("UNIQUE constraint failed: group.name")
        with store_errors():
            rec = self.store.create(kind, data)
        return self._after_write(rec)

    def replace(self, kind: str, rid: str, body: Any, if_match: str | None = None) -> Record:
        body = resources.parse_body(body)
        if "put-rejects-readonly-echo" in self.deviations and {"id", "meta"} & set(body):
            raise ScimError(400, "Attributes id and meta are read-only.", "mutability")
        data = self._coerce(kind, body)

        def change(current: Record) -> dict[str, Any]:
            if "put-keeps-omitted" in self.deviations:
                return {**current.data, **data}
            rs = self.schema_of(kind)
            resources.check_immutable(current.data, data, rs)
            kept = self._keep_write_only(
                current.data, ext_quirks.keep_on_put(self.deviations, current.data, data, rs))
            self._check_password_change(current.data, kept)
            return kept

        return self._update(kind, rid, change, if_match)

    def patch(self, kind: str, rid: str, body: Any, if_match: str | None = None) -> Record:
        rs = self.schema_of(kind)
        patch_quirks(self.deviations, body)
        if "core-path-case-sensitive" in self.deviations:
            exact_core_paths(body, (a.name for a in rs.core.attributes))
        ext_quirks.check_patch(self.deviations, body, rs)
        ops = body.get("Operations") if isinstance(body, dict) else None
        if "patch-not-atomic" in self.deviations and isinstance(ops, list) and len(ops) > 1:
            rec = self.get(kind, rid)
            for i, op in enumerate(ops):  # each operation commits on its own: the bug reproduced
                rec = self.patch(kind, rid, {**body, "Operations": [op]}, if_match if i == 0 else None)
            return rec

        if kind == "Group":
            delta_applied = self._patch_members(rid, body, if_match)
            if delta_applied is not None:
                return delta_applied

        def change(current: Record) -> dict[str, Any]:
            view = {**current.data, "id": current.id}
            try:
                patched = apply_patch(view, body, rs)
            except PatchError as exc:
                raise ScimError(exc.status, exc.detail, exc.scim_type) from exc
            data = self._coerce_changed(kind, current.data, patched)
            resources.check_immutable(current.data, data, rs)
            self._check_password_change(current.data, data)
            if "primary-not-settled" in self.deviations:
                return unsettled_primaries(current.data, data)
            return data

        return self._update(kind, rid, change, if_match)

    def _patch_members(self, gid: str, body: Any, if_match: str | None) -> Record | None:
        """A PATCH that only adds or removes members (Okta's push), applied as a delta; else None."""
        steps = member_steps(body, self.schema_of("Group"))
        if steps is None:
            return None

        def delta(current: Record, is_member: Callable[[str], bool]) -> MemberDelta | None:
            change = fold_members(steps, is_member, "member-readd-duplicates" in self.deviations)
            if change is None:
                return None
            return MemberDelta(self._new_members(change.added), change.removed)

        with store_errors():
            rec = self.store.update_members(gid, delta, if_version=self._precondition(if_match))
        return None if rec is None else self._after_write(rec)

    def _new_members(self, added: tuple[dict[str, Any], ...]) -> tuple[dict[str, Any], ...]:
        """Validate the members a PATCH adds exactly as the members of a whole Group body."""
        rs = self.schema_of("Group")
        attr = rs.core.attribute(MEMBERS)
        assert attr is not None
        checked = resources.coerce_value(attr, list(added), f"{rs.core.id}:{attr.name}") or []
        self._check_member_types(added)
        return tuple(checked)

    def _coerce_changed(
        self, kind: str, old: Mapping[str, Any], patched: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Validate only what a PATCH changed: apply_patch hands back untouched values as they were."""
        rs = self.schema_of(kind)
        changed = {k: v for k, v in patched.items() if k != "id" and old.get(k) is not v}
        fresh = self._coerce(kind, {**changed, "schemas": list(rs.schema_ids)}, partial=True)
        data: dict[str, Any] = {}
        for key, value in patched.items():  # keep the resource's attribute order
            if key not in changed and key != "id":
                data[key] = value
            elif key in fresh:
                data[key] = fresh[key]
        data.update(fresh)
        resources.check_required(data, rs)
        return data

    def delete(self, kind: str, rid: str, if_match: str | None = None) -> None:
        with store_errors():
            self.store.delete(kind, rid, if_version=self._precondition(if_match))

    def _update(
        self, kind: str, rid: str, change: Callable[[Record], dict[str, Any]], if_match: str | None
    ) -> Record:
        with store_errors():
            rec = self.store.update(kind, rid, change, if_version=self._precondition(if_match))
        return self._after_write(rec)

    def _after_write(self, rec: Record) -> Record:
        if "deactivate-deletes" in self.deviations and rec.data.get("active") is False:
            self.store.delete(rec.kind, rec.id)
        return rec

    def _coerce(self, kind: str, body: Mapping[str, Any], partial: bool = False) -> dict[str, Any]:
        """Validate a body; partial when it holds only the changed attributes (no required check)."""
        rs = self.schema_of(kind)
        ext_quirks.check_body(self.deviations, body, rs)
        checked, unchecked = ext_quirks.take_unchecked(self.deviations, body, rs)
        coerce = resources.coerce_attributes if partial else resources.coerce_resource
        data = {**coerce(checked, rs), **unchecked}
        if "drops-extension" in self.deviations:
            data = {k: v for k, v in data.items() if k not in {e.id for e in rs.extensions}}
        if kind == "Group":
            self._check_member_types(next((v for k, v in body.items() if k.casefold() == MEMBERS), None))
        return data

    def _check_member_types(self, members: Any) -> None:
        if "members-require-type" in self.deviations and any(
            isinstance(m, dict) and "type" not in m for m in members or ()
        ):
            raise ScimError(400, "Every member needs a 'type'.", "invalidValue")

    @staticmethod
    def _keep_write_only(old: Mapping[str, Any], new: dict[str, Any]) -> dict[str, Any]:
        # A client cannot echo a password it never sees, so a PUT without one keeps it.
        if "password" in old and "password" not in new:
            return {**new, "password": old["password"]}
        return new

    def _check_password_change(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        """change-password-unsupported: a user's password is set when it is created, never changed."""
        if "change-password-unsupported" in self.deviations and new.get("password") != old.get("password"):
            raise ScimError(501, "Changing a password is not supported: changePassword.supported is false "
                                 "in /ServiceProviderConfig.")

    def _precondition(self, if_match: str | None) -> Callable[[Record], None] | None:
        if if_match is None or not self.conditional:
            return None

        def check(rec: Record) -> None:
            if not etag_matches(if_match, rec.etag):
                raise ScimError(412, f"Resource version is {self.etag(rec)}; If-Match was {if_match}.")

        return check

    # -- reads ---------------------------------------------------------------------------
    def get(self, kind: str, rid: str) -> Record:
        with store_errors():
            return self.store.get(kind, rid)

    def view(self, rec: Record) -> EvalView:
        return EvalView(rec, self.group_refs, self.etag(rec))

    def group_refs(self, user_id: str) -> list[dict[str, Any]]:
        if "groups-not-derived" in self.deviations:
            return []
        return [
            {"value": g.id, "display": g.data.get("displayName"), "type": "direct"}
            for g in self.store.groups_of(user_id)
        ]


def etag_matches(header: str, etag: str) -> bool:
    """Compare an If-Match/If-None-Match list with an ETag, ignoring weakness (RFC 7232 §2.3.2)."""
    opaque = etag.removeprefix("W/")
    for item in header.split(","):
        tag = item.strip()
        if tag == "*" or tag.removeprefix("W/") == opaque:
            return True
    return False
