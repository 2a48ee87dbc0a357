"""Which extensions the suite tests, and the (URN, attribute) pairs its checks run over.

Declared extensions (--scim-extension / --scim-extension-file) are tested as declared.
Without any, the target's own User extensions are read once at collection (before the
checks run) and the enterprise extension is always among them (suites/extensions/discovery.py).
"""

from __future__ import annotations

import pytest

from simulator.scim.schema import SchemaDef
from suites.extensions.data import WRITABLE_TYPES, simple_attributes
from suites.extensions.discovery import short, under_test

# Fixture names a check asks for, and which attributes of an extension each one runs over.
PAIR_KINDS = {
    "attribute": WRITABLE_TYPES,
    "typed_attribute": frozenset({"integer", "boolean", "decimal", "dateTime"}),
}


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
