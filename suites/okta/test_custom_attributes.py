"""A custom attribute end to end through Okta: Profile Editor → mapping → POST/PUT → on the server.

The vendor guides' steps (okta-scim.md §9): add the attribute to the app's user profile with an
external name and the extension URN as external namespace, map it from the Okta profile, assign a
user, change the Okta profile, and verify the attribute on the server. Run for every simple
attribute of each custom User extension under test (declared with --extension, or advertised);
fixtures/okta/custom-attributes.json holds the steps.
"""

from __future__ import annotations

from typing import Any

import pytest

from suites.config import RunConfig
from suites.extensions.data import other_value, value_for
from suites.extensions.discovery import under_test
from suites.factory import Factory
from suites.okta.support import OktaSender, flow_step

FLOW = "custom-attributes"
OKTA_TYPES = {"integer": "integer", "boolean": "boolean", "decimal": "number"}  # else string


def _variables(pytestconfig: pytest.Config, factory: Factory, pair: tuple[str, str] | None) -> dict[str, Any]:
    if pair is None:
        pytest.skip("no custom User extension under test: declare one with --extension URN=attr "
                    "(or the target advertises none besides the enterprise extension)")
    urn, name = pair
    ext = next(e for e in under_test(pytestconfig) if e.id == urn)
    attr = next(a for a in ext.attributes if a.name == name)
    first = value_for(attr, factory.faker)
    return {"ext_urn": urn, "ext_attr": name, "ext_type": OKTA_TYPES.get(attr.type, "string"),
            "ext_value": first, "ext_value2": other_value(attr, factory.faker, first)}


@pytest.mark.check("OKTA-EXT-001", level="MUST", refs=["RFC7643 §3.3", "RFC7644 §3.3", "Okta §9"], okta=True,
                   caught_by=["drops-extension", "empty-result-not-listresponse", "filter-ignored",
                              "filter-unsupported-ignored",
                              "startindex-zero-based"])
def test_custom_attribute_arrives_on_create(okta: OktaSender, scim_config: RunConfig, factory: Factory,
                                            pytestconfig: pytest.Config,
                                            custom_attribute: tuple[str, str] | None) -> None:
    """Assign a user: Okta's POST carries the mapped attribute under its URN and the server keeps it.

    RFC 7643 §3.3: extension attributes are "contained within a sub-attribute identified by the
    schema extension URI". The server returns it when the user is read back by `userName eq`.
    """
    flow_step(FLOW, "6", okta, scim_config, _variables(pytestconfig, factory, custom_attribute))


@pytest.mark.check("OKTA-EXT-002", level="MUST", refs=["RFC7644 §3.5.1", "Okta §5.1", "Okta §9"], okta=True,
                   caught_by=["drops-extension", "empty-result-not-listresponse", "filter-ignored",
                              "filter-unsupported-ignored",
                              "put-rejects-readonly-echo", "startindex-zero-based"])
def test_custom_attribute_follows_profile_push(okta: OktaSender, scim_config: RunConfig, factory: Factory,
                                               pytestconfig: pytest.Config,
                                               custom_attribute: tuple[str, str] | None) -> None:
    """Change the Okta profile: Okta's PUT carries the new value under the URN and the server stores it.

    RFC 7644 §3.5.1: "HTTP PUT is used to replace a resource's attributes."
    """
    flow_step(FLOW, "8", okta, scim_config, _variables(pytestconfig, factory, custom_attribute))
