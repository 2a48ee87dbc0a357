"""What the report files hold: the HAR's entries and query strings."""

from __future__ import annotations

from suites.client import Exchange, Redactor
from suites.report import har


def _exchange(url: str) -> Exchange:
    return Exchange("GET", url, (("Accept", "application/scim+json"),), None, 200, (), "{}", 1.0,
                    "2026-01-01T00:00:00Z")


def test_har_query_string_lists_the_url_parameters() -> None:
    """HAR 1.2: "queryString [array] - List of query parameter objects", decoded, in URL order."""
    url = "https://scim.example/scim/v2/Users?filter=userName%20eq%20%22ann%22&startIndex=1&count="
    entries = har([("USR-LIST-001", _exchange(url)), ("USR-GET-001", _exchange(url.partition("?")[0]))])
    request = entries["log"]["entries"][0]["request"]
    assert request["queryString"] == [{"name": "filter", "value": 'userName eq "ann"'},
                                      {"name": "startIndex", "value": "1"}, {"name": "count", "value": ""}]
    assert entries["log"]["entries"][1]["request"]["queryString"] == []


def test_har_query_string_keeps_secrets_redacted() -> None:
    url = Redactor(["tok-123456"]).url("https://scim.example/scim/v2/Users?access_token=tok-123456&count=1")
    request = har([("session", _exchange(url))])["log"]["entries"][0]["request"]
    assert request["queryString"] == [{"name": "access_token", "value": "[REDACTED]"},
                                      {"name": "count", "value": "1"}]
