"""Which User extensions are under test: declared ones, else enterprise plus the advertised ones.

Read once per session at collection (before any check runs) by the extension suite and by the
Okta suite's custom-attribute checks.
"""

from __future__ import annotations

import pytest

from simulator.scim import urns
from simulator.scim.extensions import targets_group
from simulator.scim.schema import AttributeDef, SchemaDef
from suites.client import Exchange, ScimClient
from suites.config import HarnessError, RunConfig
from suites.state import STATE_KEY
from suites.target import Target

_UNDER_TEST = pytest.StashKey[tuple[SchemaDef, ...]]()


def _string(name: str) -> AttributeDef:
    return AttributeDef(name, description=f"{name} (RFC 7643 §4.3)")


ENTERPRISE = SchemaDef(  # RFC 7643 §4.3, used when the target does not describe it itself
    id=urns.ENTERPRISE_USER,
    name="EnterpriseUser",
    description="Enterprise User",
    attributes=(
        *(_string(n) for n in ("employeeNumber", "costCenter", "organization", "division", "department")),
        AttributeDef("manager", type="complex", sub_attributes=(
            _string("value"), AttributeDef("$ref", type="reference", reference_types=("User",)),
            AttributeDef("displayName", mutability="readOnly"))),
    ),
)


def _ignore(_exchange: Exchange) -> None:
    """Collection-time discovery is not part of any check's record."""


def discover(run: RunConfig) -> tuple[SchemaDef, ...]:
    """The User extensions under test: declared ones, else enterprise plus the advertised ones."""
    declared = tuple(e for e in run.extensions if not targets_group(e))
    if declared or run.url is None:
        return declared or (ENTERPRISE,)
    try:
        found = Target(ScimClient(run, _ignore)).resource_schema("User")
    except HarnessError:
        found = None
    advertised = found.extensions if found is not None else ()
    enterprise = next((e for e in advertised if e.id.casefold() == urns.ENTERPRISE_USER.casefold()),
                      ENTERPRISE)
    return (enterprise, *(e for e in advertised if e is not enterprise))


def under_test(config: pytest.Config) -> tuple[SchemaDef, ...]:
    if _UNDER_TEST not in config.stash:
        config.stash[_UNDER_TEST] = discover(config.stash[STATE_KEY].config)
    return config.stash[_UNDER_TEST]


def short(urn: str) -> str:
    """'urn:...:ivanti:2.0:User' -> 'ivanti' (for readable test ids)."""
    parts = urn.split(":")
    return parts[-3] if len(parts) >= 3 else urn
