"""The org's records: one frozen dataclass per row of the SQLite store's tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.okta.model import AppInstance, AppUser, OktaGroup, OktaUser


@dataclass(frozen=True, slots=True)
class UserRec:
    id: str
    profile: dict[str, Any]
    status: str
    created: str
    updated: str

    @property
    def okta(self) -> OktaUser:
        return OktaUser(self.id, self.profile, self.status)


@dataclass(frozen=True, slots=True)
class GroupRec:
    id: str
    name: str
    description: str
    created: str
    updated: str

    @property
    def okta(self) -> OktaGroup:
        return OktaGroup(self.id, self.name, self.description)


@dataclass(frozen=True, slots=True)
class AppRec:
    name: str
    status: str
    sign_on_mode: str
    connection: str  # ENABLED | DISABLED (the provisioning connection, okta-admin-api.md §5)
    instance: AppInstance
    created: str
    updated: str

    @property
    def id(self) -> str:
        return self.instance.id


@dataclass(frozen=True, slots=True)
class AppUserRec:
    app_id: str
    user_id: str
    scope: str  # USER (direct) or GROUP
    scim_id: str | None
    user_name: str | None
    profile: dict[str, Any]
    status: str  # PROVISIONED, DEPROVISIONED (kept so re-assignment reactivates), STAGED
    sync_state: str  # SYNCHRONIZED, ERROR
    created: str
    updated: str

    @property
    def model(self) -> AppUser:
        if self.scope == "GROUP":
            return AppUser(self.user_id, self.scim_id, self.user_name, self.profile, "GROUP")
        return AppUser(self.user_id, self.scim_id, self.user_name, self.profile, "USER")


@dataclass(frozen=True, slots=True)
class AppGroupRec:
    """A group assigned to an app, with its priority (okta-admin-api.md §8)."""

    app_id: str
    group_id: str
    priority: int
    created: str


@dataclass(frozen=True, slots=True)
class PushRec:
    id: str
    app_id: str
    source_group_id: str
    target_scim_id: str | None
    target_name: str
    status: str  # ACTIVE, INACTIVE, ERROR
    error: str | None
    created: str
    updated: str
    last_push: str | None


@dataclass(frozen=True, slots=True)
class TaskRec:
    id: str
    app_id: str
    object_id: str
    action: str
    error: str
    failed_step: str | None
    status: str
    created: str
    attempts: int = 0  # requests made for its step while the target answered 429 (okta-scim.md §10)
    retry_at: str | None = None  # when Okta retries the paused task (UTC, `now()` format); None: manual only


@dataclass(frozen=True, slots=True)
class LogRec:
    seq: int
    uuid: str
    published: str
    event_type: str
    result: str
    reason: str | None
    message: str
    app_id: str | None
    object_id: str | None
    step: str | None  # the SCIM step of a provisioning entry; None for an admin action's event
    exchange: dict[str, Any] | None
    targets: tuple[dict[str, str], ...] | None = None  # an admin action's event: what it acted on


@dataclass(frozen=True, slots=True)
class PasswordRec:
    """A user's Okta password: only a salted hash is kept (okta-admin-api.md §2.1: never returned)."""

    user_id: str
    hash: str
    changed: str
