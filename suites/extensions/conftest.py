"""Which extensions the suite tests, and the (URN, attribute) pairs its checks run over.

Declared extensions (--scim-extension / --scim-extension-file) are tested as declared.
Without any, the target's own User extensions are read once at collection (before the
checks run) and the enterprise extension is always among them (suites/extensions/discovery.py).
It is optional (RFC 7643 §4.3), so where the target does not advertise it, one user created with
enterprise data decides: kept, the target supports it without saying so and every enterprise
case runs (the discovery ones then fail); refused or dropped, they are skipped, saying why.
"""

from __future__ import annotations

import secrets

import pytest

from simulator.scim import urns
from simulator.scim.paths import user_path
from simulator.scim.schema import SchemaDef
from suites.client import ScimClient
from suites.config import RunConfig
from suites.extensions.data import WRITABLE_TYPES, ext_value, simple_attributes
from suites.extensions.discovery import enterprise_advertised, is_enterprise, short, under_test
from suites.factory import Factory

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
        if not pairs:  # one skipped case that says why, not pytest's "got empty parameter set"
            kinds = ", ".join(sorted(PAIR_KINDS[pair]))
            tested = ", ".join(short(e.id) for e in exts) or "none"
            why = (f"no extension under test ({tested}) has a single-valued readWrite attribute of "
                   f"type {kinds}; declare one with --extension URN=ATTR:TYPE")
            metafunc.parametrize(("urn", pair), [pytest.param(None, None, id="none",
                                                              marks=pytest.mark.skip(reason=why))])
            return
        metafunc.parametrize(("urn", pair), pairs, ids=[f"{short(u)}.{a}" for u, a in pairs])
    elif "urn" in names:
        metafunc.parametrize("urn", [e.id for e in exts], ids=[short(e.id) for e in exts])


@pytest.fixture(scope="session")
def extensions(pytestconfig: pytest.Config) -> dict[str, SchemaDef]:
    """The extensions under test by URN."""
    return {e.id: e for e in under_test(pytestconfig)}


@pytest.fixture(scope="session")
def enterprise_support(request: pytest.FixtureRequest, pytestconfig: pytest.Config, scim_config: RunConfig,
                       client: ScimClient) -> str | None:
    """Why the target's enterprise extension is not tested (None: it is): the extension is
    optional (RFC 7643 §4.3), and a target that neither advertises nor keeps it lacks it. Okta
    sends enterprise attributes only where the admin maps them. The factory (which a --read-only
    run refuses, skipping its user) is asked for only when a user must decide."""
    if enterprise_advertised(pytestconfig):
        return None
    unlisted = (f"neither /Schemas nor the User resource type names {urns.ENTERPRISE_USER} (RFC 7643 "
                "§4.3 makes it optional)")
    if scim_config.read_only:
        return f"{unlisted}, and --read-only sends no write to learn whether it is supported anyway"
    sent = secrets.token_hex(4)
    factory: Factory = request.getfixturevalue("factory")
    reply = factory.post_user(factory.user_body(schemas=[urns.CORE_USER, urns.ENTERPRISE_USER],
                                                **{urns.ENTERPRISE_USER: {"employeeNumber": sent}}))
    if reply.status not in (200, 201) or not isinstance(reply.body, dict) or "id" not in reply.body:
        return f"{unlisted}, and it refused a user with enterprise data (HTTP {reply.status})"
    read = client.get(user_path(reply.body["id"]))
    body = read.body if read.status == 200 and isinstance(read.body, dict) else reply.body
    if ext_value(body, urns.ENTERPRISE_USER, "employeeNumber") != sent:
        return f"{unlisted}, and a user created with enterprise data came back without it"
    return None  # supported, but not advertised: EXT-DISC-001/003/004 say so


@pytest.fixture
def enterprise_supported(enterprise_support: str | None) -> None:
    """Skip a check of the enterprise extension on a target that lacks it."""
    if enterprise_support is not None:
        pytest.skip(enterprise_support)


@pytest.fixture(autouse=True)
def _optional_enterprise(request: pytest.FixtureRequest) -> None:
    """The enterprise cases of parametrised checks run only where the target has the extension."""
    callspec = getattr(request.node, "callspec", None)
    if callspec is not None and is_enterprise(callspec.params.get("urn")):
        request.getfixturevalue("enterprise_supported")
