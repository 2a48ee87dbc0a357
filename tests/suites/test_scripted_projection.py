"""Scripted bad responses for the projection checks that no provider deviation reproduces, and
legal responses that no projection check may fail."""

from __future__ import annotations

from urllib.parse import parse_qs

from tests.suites.scripted import scripted
from tests.suites.support import Response, failing, provider, run_suites


def drop_excluded_id(resp: Response) -> None:
    """Honour excludedAttributes=id although id is returned "always"."""
    if resp.method == "GET" and "excludedAttributes=id" in resp.query and resp.status == 200:
        body = resp.json
        if isinstance(body, dict):
            body.pop("id", None)
            resp.set_json(body)


@scripted("PROJ-GET-003")
def test_dropping_an_always_attribute_fails_its_check() -> None:
    with provider(rewrite=drop_excluded_id) as url:
        summary = run_suites(url, ["projection"], "-k", "excluded")
    assert failing(summary) == {"PROJ-GET-003"}


def drop_schemas_when_attributes(resp: Response) -> None:
    """Leave "schemas" out of every resource answered to ?attributes=, as RFC 7644 §3.4.2's own
    example (attributes=userName returns id and userName) and SCIMMY 1.3 do."""
    body = resp.json if "attributes" in parse_qs(resp.query) else None
    if not isinstance(body, dict):
        return
    for resource in body.get("Resources", []) if "Resources" in body else [body]:
        if isinstance(resource, dict):
            resource.pop("schemas", None)
    resp.set_json(body)


def test_projection_without_schemas_fails_no_check() -> None:
    """RFC 7644 §3.4.2's example answers attributes=userName without "schemas": no check asks it."""
    with provider(rewrite=drop_schemas_when_attributes) as url:
        projection = run_suites(url, ["projection"])
        others = run_suites(url, ["extensions", "patch"], "-k",
                            "test_attributes_with_urn_qualified_name or test_attributes_parameter_forces_200")
    assert failing(projection) == failing(others) == set()
    assert projection["totals"]["passed"] >= 10 and others["totals"]["passed"] >= 2


def drop_given_names(resp: Response) -> None:
    """Users come back without name.givenName, as from a server that keeps only familyName and
    formatted (RFC 7644 §3.3: it "is free to alter and/or ignore POSTed content")."""
    body = resp.json if resp.path.startswith("/scim/v2/Users") and resp.status in (200, 201) else None
    if not isinstance(body, dict):
        return
    for user in [body, *(r for r in body.get("Resources", []) if isinstance(r, dict))]:
        if isinstance(user.get("name"), dict):
            user["name"].pop("givenName", None)
    resp.set_json(body)


def test_the_sub_attribute_check_asks_for_a_sub_attribute_the_target_kept() -> None:
    """PROJ-GET-004 failed with a KeyError on a user without givenName (mlflow-oidc-auth 11.0.2
    keeps none), whatever the target did with attributes=: it now asks for name.familyName."""
    with provider(rewrite=drop_given_names) as url:
        summary = run_suites(url, ["projection"], "-k", "test_attributes_selects_a_sub_attribute")
    (check,) = summary["checks"]
    assert check["outcome"] == "passed", check
