"""Scripted bad responses for the projection checks that no provider deviation reproduces."""

from __future__ import annotations

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
