"""`scimcert replay` against a target whose resource types require an extension (RFC 7643 §6): the
app maps values into a required User extension, as that target's Okta admin must, and a step
Okta's body fails for lacking one says why."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from click.testing import CliRunner, Result

from simulator.cli import main
from simulator.provider.app import create_app
from simulator.provider.server import start_in_thread
from simulator.provider.service import ProviderConfig
from simulator.scim.extensions import parse_extension_spec
from tests.suites.support import TOKEN, Response, provider

ACME_USER = "urn:example:params:scim:schemas:extension:acme:2.0:User"
ACME_GROUP = "urn:example:params:scim:schemas:extension:acme:2.0:Group"
MAPPED = (f"mapped in the app's Profile Editor, as the target's Okta admin must: {ACME_USER} costCode, "
          "level, vip (its User resource type requires that extension, RFC 7643 §6, and Okta sends only "
          "mapped attributes)")

pytestmark = pytest.mark.usefixtures("isolated_settings")


@contextmanager
def requiring(spec: str, urn: str) -> Iterator[str]:
    """A reference provider whose resource type requires the extension spec declares."""
    cfg = ProviderConfig(token=TOKEN, extensions=(parse_extension_spec(spec),),
                         required_extensions=frozenset({urn}))
    with start_in_thread(create_app(cfg)) as server:
        yield server.url + "/scim/v2"


def _replay(url: str, flow: str, *args: str) -> Result:
    return CliRunner().invoke(main, ["replay", flow, "--url", url, "--token", TOKEN, *args])


@pytest.mark.parametrize(("flow", "passed"), [("user-lifecycle", "all 10 steps passed"),
                                              ("group-push", "all 14 steps passed"),
                                              ("crud-test", "all 16 steps passed")])
def test_flows_map_the_required_user_extension_and_pass(flow: str, passed: str) -> None:
    """Okta's default app sends no extension data: every create was refused with 400 here."""
    with requiring(f"{ACME_USER}=costCode,level:integer,vip:boolean", ACME_USER) as url:
        result = _replay(url, flow)
    assert result.exit_code == 0, result.output
    assert result.output.count(MAPPED) == 1
    assert f"{flow}: {passed}" in result.output


def test_spec_test_fails_at_okta_s_fixed_create_saying_why() -> None:
    """The SPEC test's own precondition user carries the data; Okta's fixed step-6 body cannot."""
    with requiring(f"{ACME_USER}=costCode,level:integer,vip:boolean", ACME_USER) as url:
        result = _replay(url, "spec-test")
    assert result.exit_code == 1, result.output
    assert "PASS  Setup: at least one user exists" in result.output
    assert ("spec-test: FAILED at step 6 (Required: Create Okta user with realistic values) (Okta's body "
            f"carries no {ACME_USER} data, which the target's User resource type requires (RFC 7643 §6); "
            "Okta sends its fixed SPEC test bodies as they are") in result.output


def test_group_push_to_a_target_requiring_a_group_extension_fails_saying_why() -> None:
    with requiring(f"{ACME_GROUP}=costCenter", ACME_GROUP) as url:
        result = _replay(url, "group-push")
    assert result.exit_code == 1, result.output
    assert "mapped in the app" not in result.output  # Okta has no mapping for Group extensions
    assert ("group-push: FAILED at step push (Push group: lookup by displayName, POST members [], PATCH add "
            f"(§13 script 8)) (Okta's group push body carries no {ACME_GROUP} data, which the target's Group "
            "resource type requires (RFC 7643 §6); Okta pushes a group's displayName and members only"
            ) in result.output


def test_a_target_requiring_nothing_gets_okta_s_default_app() -> None:
    with provider() as url:
        result = _replay(url, "user-lifecycle")
    assert result.exit_code == 0, result.output
    assert "mapped in the app" not in result.output


def test_unreadable_discovery_documents_require_nothing() -> None:
    """A /ResourceTypes or /Schemas answer that is no list of objects maps nothing, never a crash."""

    def junk(response: Response) -> None:
        if response.path.endswith(("/ResourceTypes", "/Schemas")):
            response.set_json(5)

    with provider(rewrite=junk) as url:
        result = _replay(url, "connect")
    assert result.exit_code == 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
