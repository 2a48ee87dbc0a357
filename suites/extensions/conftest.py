"""Which extensions the suite tests, and the (URN, attribute) pairs its checks run over.

Declared extensions (--scim-extension / --scim-extension-file) are tested as declared.
Without any, the target's own User extensions are read once at collection (before the
checks run) and the enterprise extension is always among them.
"""

from __future__ import annotations

import pytest

from simulator.scim import urns
from simulator.scim.extensions import targets_group
from simulator.scim.schema import AttributeDef, SchemaDef
from suites.client import Exchange, ScimClient
from suites.config import HarnessError, RunConfig
from suites.extensions.data import WRITABLE_TYPES, simple_attributes
from suites.state import STATE_KEY
from suites.target import Target

_UNDER_TEST = pytest.StashKey[tuple[SchemaDef, ...]]()
# Fixture names a check asks for, and which attributes of an extension each one runs over.
PAIR_KINDS = {
    "attribute": WRITABLE_TYPES,
    "typed_attribute": frozenset({"integer", "boolean", "decimal", "dateTime"}),
}


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


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    exts = under_test(metafunc.config)
    names = metafunc.fixturenames
    pair = next((n for n in PAIR_KINDS if n in names), None)
    if pair is not None:
        pairs = [(e.id, a.name) for e in exts for a in simple_attributes(e, PAIR_KINDS[pair])]
        metafunc.parametrize(("urn", pair), pairs, ids=[f"{short(u)}.{a}" for u, a in pairs])
    elif "urn" in names:
        metafunc.parametrize("urn", [e.id for e in exts], ids=[short(e.id) for e in exts])


@pytest.fixture(scope="session")
def extensions(pytestconfig: pytest.Config) -> dict[str, SchemaDef]:
    """The extensions under test by URN."""
    return {e.id: e for e in under_test(pytestconfig)}
