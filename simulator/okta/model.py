"""Okta org objects the engine reads: people, groups, the app instance and its assignments."""

from __future__ import annotations

import random
import string
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final, Literal

from simulator.okta.wire import Auth
from simulator.scim import urns

ID_LENGTH: Final = 20  # Okta ids are 20 base62 characters (okta-admin-api.md §1.2)
USER_PREFIX: Final = "00u"
GROUP_PREFIX: Final = "00g"
APP_PREFIX: Final = "0oa"
_BASE62: Final = string.digits + string.ascii_letters


def new_id(prefix: str, rng: random.Random) -> str:
    """An Okta-shaped id: prefix ('00u', '00g', '0oa') padded to 20 base62 characters."""
    return prefix + "".join(rng.choice(_BASE62) for _ in range(ID_LENGTH - len(prefix)))


def placeholder_password(rng: random.Random) -> str:
    """The random 8-character password every create carries (§4.2a, e.g. '1mz050nq')."""
    return "".join(rng.choice(_BASE62) for _ in range(8))


class Flavour(StrEnum):
    """How the app instance was created (okta-scim.md §0)."""

    OIN = "oin"  # catalog template: PATCH for status, password and groups; PUT for profile
    AIW = "aiw"  # App Integration Wizard: GET + full PUT for everything


@dataclass(frozen=True, slots=True)
class OktaUser:
    """An Okta person: `profile` uses Okta's base attribute names (login, firstName, …)."""

    id: str
    profile: Mapping[str, Any]
    status: str = "ACTIVE"

    @property
    def login(self) -> str:
        return str(self.profile.get("login", ""))

    @property
    def display_name(self) -> str:
        """The name Okta's task texts use: 'First Last', else the login."""
        parts = [self.profile.get("firstName"), self.profile.get("lastName")]
        name = " ".join(str(p) for p in parts if p)
        return name or self.login


@dataclass(frozen=True, slots=True)
class OktaGroup:
    """An Okta group (`00g…`)."""

    id: str
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class AppAttribute:
    """One app-profile attribute of the Profile Editor (okta-scim.md §9).

    `external_name` is a path such as `name.givenName` or `emails.^[primary==true].value`;
    `external_namespace` is the SCIM schema URN. Without a namespace it is never sent [D] S32.
    """

    name: str
    external_name: str
    external_namespace: str | None = urns.CORE_USER
    type: str = "string"
    title: str = ""  # the Profile Editor's display name; empty shows the variable name


@dataclass(frozen=True, slots=True)
class AttributeMapping:
    """Okta user → app user mapping of one attribute; push=False means 'on create only'."""

    expression: str
    push: bool = True


@dataclass(frozen=True, slots=True)
class Actions:
    """The To App switches (plus group push / import toggles) of the Provisioning tab."""

    create_users: bool = True
    update_attributes: bool = True
    deactivate_users: bool = True  # also governs reactivation on re-assignment
    sync_password: bool = False
    push_groups: bool = True
    import_users: bool = True
    import_groups: bool = False


@dataclass(frozen=True, slots=True)
class PushSettings:
    """Group push settings: PATCH batch size and 'Rename app groups to match group name'."""

    batch_size: int = 100  # §8.3 [D] S10: default 100, configurable 100–1000 per OIN app
    rename_groups: bool = True  # §8.4: rename PATCH is sent with each membership update [D] S1
    rename_order: Literal["before", "after"] = "before"  # §14.2 [I]: §13 script 9 lists it first

    def __post_init__(self) -> None:
        if not 100 <= self.batch_size <= 1000:
            raise ValueError(f"batch_size {self.batch_size}: Okta allows 100 to 1000")


@dataclass(frozen=True, slots=True)
class Quirks:
    """Behaviours okta-scim.md marks uncertain; each default is the documented reading."""

    space_encoding: Literal["%20", "+"] = "%20"  # §1.3: current docs; '+' in the 2018 capture
    connection_test_groups: Literal["auto", "always", "never"] = "auto"  # §2, §14.3
    group_lookup_before_create: bool = True  # §8.1 [D] 2024 addition, [I] also at first push
    list_custom_urns_in_schemas: bool = True  # §9, §14.5 (enterprise is always listed [O])
    cleared_value: Literal["empty", "null", "omit"] = "empty"  # §5.2 [I]: "" for cleared strings
    aiw_member_display: Literal["userName", "null"] = "userName"  # §8.1, §14.11
    lookup_before_reactivate: bool = False  # §6.2 [I]: a lookup "may" precede it


def _default_attributes() -> tuple[AppAttribute, ...]:
    """The SCIM 2.0 Test App's base app profile (okta-scim.md §4.2a, §9 [O] S29, S30)."""
    core = [
        ("userName", "userName"),
        ("givenName", "name.givenName"),
        ("middleName", "name.middleName"),
        ("familyName", "name.familyName"),
        ("honorificPrefix", "name.honorificPrefix"),
        ("honorificSuffix", "name.honorificSuffix"),
        ("email", "emails.^[primary==true].value"),
        ("emailType", "emails.^[primary==true].type"),
        ("title", "title"),
        ("displayName", "displayName"),
        ("nickName", "nickName"),
        ("profileUrl", "profileUrl"),
        ("primaryPhone", "phoneNumbers.^[primary==true].value"),
        ("mobilePhone", "phoneNumbers.^[primary==false].value"),
        ("preferredLanguage", "preferredLanguage"),
        ("locale", "locale"),
        ("timezone", "timezone"),
        ("userType", "userType"),
    ]
    # Okta's order of these is unpublished; this one reproduces the §9 example body.
    enterprise = [
        ("department", "department"),
        ("employeeNumber", "employeeNumber"),
        ("costCenter", "costCenter"),
        ("organization", "organization"),
        ("division", "division"),
        ("managerValue", "manager.value"),
        ("manager", "manager.displayName"),
    ]
    return tuple(AppAttribute(n, e) for n, e in core) + tuple(
        AppAttribute(n, e, urns.ENTERPRISE_USER) for n, e in enterprise
    )


def _default_mappings() -> Mapping[str, AttributeMapping]:
    """Okta user → app user mappings of the test app (userName comes from the app username)."""
    same = [
        "middleName", "honorificPrefix", "honorificSuffix", "email", "title", "nickName",
        "profileUrl", "primaryPhone", "mobilePhone", "preferredLanguage", "locale", "timezone",
        "userType", "employeeNumber", "costCenter", "organization", "division", "department",
        "manager",
    ]  # fmt: skip
    table = {name: AttributeMapping(f"user.{name}") for name in same}
    table["givenName"] = AttributeMapping("user.firstName")
    table["familyName"] = AttributeMapping("user.lastName")
    table["managerValue"] = AttributeMapping("user.managerId")
    # [O] S30: Okta's default is an expression yielding "work" when the email is non-empty.
    table["emailType"] = AttributeMapping("(user.email != null && user.email != '') ? 'work' : ''")
    # [I] The samples always carry "First Last"; Okta's default expression is not published.
    table["displayName"] = AttributeMapping('user.firstName + " " + user.lastName')
    return MappingProxyType(table)


DEFAULT_ATTRIBUTES: Final = _default_attributes()
DEFAULT_MAPPINGS: Final = _default_mappings()


@dataclass(frozen=True, slots=True)
class AppInstance:
    """An installed 'SCIM 2.0 Test App' (OIN) or AIW SCIM app with its provisioning settings."""

    id: str
    base_url: str
    auth: Auth
    label: str = "SCIM 2.0 Test App (OAuth Bearer Token)"
    flavour: Flavour = Flavour.OIN
    actions: Actions = field(default_factory=Actions)
    push: PushSettings = field(default_factory=PushSettings)
    attributes: tuple[AppAttribute, ...] = DEFAULT_ATTRIBUTES
    mappings: Mapping[str, AttributeMapping] = field(default_factory=lambda: DEFAULT_MAPPINGS)
    username_expression: str = "user.login"  # Sign On tab: "Application username format"
    quirks: Quirks = field(default_factory=Quirks)
    # Not Okta's: scimcert's runs link a lookup hit only when its userName/displayName is the one
    # looked up, where Okta links any first hit (§4.2b, §8.2) — a target that ignores the filter
    # would have them overwrite a resource they did not create. Not stored: OrgService sets it.
    exact_links: bool = False

    def attribute(self, name: str) -> AppAttribute | None:
        return next((a for a in self.attributes if a.name == name), None)


@dataclass(frozen=True, slots=True)
class AppUser:
    """A user's assignment to the app; `scim_id` is the target's id once known (Okta: externalId)."""

    user_id: str
    scim_id: str | None = None
    user_name: str | None = None  # credentials.userName when set on the assignment
    profile: Mapping[str, Any] = field(default_factory=dict)  # per-assignment app profile values
    scope: Literal["USER", "GROUP"] = "USER"

    def with_scim_id(self, scim_id: str) -> AppUser:
        return replace(self, scim_id=scim_id)
