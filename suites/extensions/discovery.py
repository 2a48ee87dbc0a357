"""Which User extensions are under test: declared ones, else enterprise plus the advertised ones.

Read once per session at collection (before any check runs) by the extension suite and by the
Okta suite's custom-attribute checks. The enterprise extension (RFC 7643 §4.3) is optional: when
the target does not advertise it, the extension suite first learns whether it supports it
anyway (suites/extensions/conftest.py) and skips its enterprise cases when it does not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import pytest

from simulator.scim import urns
from simulator.scim.extensions import targets_group
from simulator.scim.schema import AttributeDef, SchemaDef
from suites.client import Recorder, Reply, ScimClient
from suites.config import HarnessError, RunConfig
from suites.state import STATE_KEY
from suites.target import Target

_UNDER_TEST = pytest.StashKey[tuple[SchemaDef, ...]]()
_ENTERPRISE_ADVERTISED = pytest.StashKey[bool]()
_FETCHED = pytest.StashKey[Mapping[str, Reply]]()


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


def discover(run: RunConfig, record: Recorder) -> tuple[tuple[SchemaDef, ...], bool, Mapping[str, Reply]]:
    """The User extensions under test (declared ones, else enterprise plus the advertised ones),
    whether the enterprise extension needs no proof of support (declared extensions are tested as
    declared, the embedded provider has it, and a target may advertise it), and the discovery
    documents read for that, by path: the session's Target takes them, so the run fetches each
    once. record takes what the discovery sent (the run's HAR holds it; no check's record does)."""
    declared = tuple(e for e in run.extensions if not targets_group(e))
    if declared or run.url is None:
        return declared or (ENTERPRISE,), True, {}
    target = Target(ScimClient(run, record))
    try:
        found, mentioned = target.resource_schema("User"), _mentions_enterprise(target)
    except HarnessError:
        found, mentioned = None, False
    advertised = found.extensions if found is not None else ()
    enterprise = next((e for e in advertised if is_enterprise(e.id)), ENTERPRISE)
    return (enterprise, *(e for e in advertised if e is not enterprise)), mentioned, target.fetched


def untested_group_extensions(run: RunConfig) -> str | None:
    """The note a run gives up front when it declares Group extensions, which no check tests."""
    groups = [e.id for e in run.extensions if targets_group(e)]
    if not groups:
        return None
    which = (f"{groups[0]} extends Groups (its URN ends in :Group) and is" if len(groups) == 1
             else f"{', '.join(groups)} extend Groups (their URNs end in :Group) and are")
    return f"note: {which} not tested: the extension suite tests User extensions only."


def _mentions_enterprise(target: Target) -> bool:
    """Whether /Schemas or the User resource type's schemaExtensions names the enterprise extension
    (either claims support: RFC 7644 §4, "/Schemas ... SHALL return all supported schemas")."""
    rtype = target.resource_type("User") or {}
    listed = [e.get("schema") for e in rtype.get("schemaExtensions") or [] if isinstance(e, dict)]
    return any(is_enterprise(str(urn)) for urn in [*listed, *(d.get("id") for d in target.schema_docs())])


def under_test(config: pytest.Config) -> tuple[SchemaDef, ...]:
    if _UNDER_TEST not in config.stash:
        state = config.stash[STATE_KEY]
        config.stash[_UNDER_TEST], config.stash[_ENTERPRISE_ADVERTISED], config.stash[_FETCHED] = discover(
            state.config, lambda exchange: state.record(replace(exchange, step="discovery")))
    return config.stash[_UNDER_TEST]


def discovered(config: pytest.Config) -> Mapping[str, Reply]:
    """The discovery documents the extension discovery fetched (none when it did not run)."""
    return config.stash.get(_FETCHED, {})


def enterprise_advertised(config: pytest.Config) -> bool:
    """Whether the enterprise extension is tested without first learning that the target supports
    it (declared extensions, the embedded provider, or /Schemas or the User resource type names it)."""
    under_test(config)
    return config.stash[_ENTERPRISE_ADVERTISED]


def is_enterprise(urn: str | None) -> bool:
    return urn is not None and urn.casefold() == urns.ENTERPRISE_USER.casefold()


def short(urn: str) -> str:
    """'urn:...:ivanti:2.0:User' -> 'ivanti' (for readable test ids)."""
    parts = urn.split(":")
    return parts[-3] if len(parts) >= 3 else urn
