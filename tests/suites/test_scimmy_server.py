"""The suites against a third SCIM server nobody here wrote, in another language: SCIMMY (npm) behind
scimmy-routers on Express 4, in Node.js.

tests/suites/scimmy_target/server.mjs is the app its READMEs describe: the resources declared
with ingress/egress/degress handlers over in-memory maps (the app's part: storage, filtering with
SCIMMY's own `Filter.match`, userName uniqueness, group membership), everything else SCIMMY's.
`npm ci` in that folder installs the pinned packages (.ci/run does); without Node.js or them the
test skips with the reason, unless SCIMCERT_REQUIRE_NODE=1 (as in CI) makes that a failure.
Every failure must be a real deviation, asserted by id with the reason (docs/real-servers.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.suites.support import each, expect_only_known, expect_takes_only, run_suites, served_node

TOKEN = "scimmy-target-token"
TARGET = Path(__file__).resolve().parent / "scimmy_target"


# check id -> why SCIMMY 1.3.5 (scimmy-routers 1.3.2, Express 4.22) really fails it
KNOWN_DEVIATIONS: dict[str, str] = {
    # filters: SCIMMY's Filter class, its parser and its match()
    **each("Filter.match compares strings case-sensitively whatever the schema's caseExact says "
            "(userName and displayName are caseExact false: RFC 7643 §7, 'The server SHALL use case "
            "sensitivity when evaluating filters')",
            "FLT-EQ-002", "GRP-READ-003"),
    **each("Filter.match resolves no URN-qualified attribute name, core or extension (RFC 7644 "
            "§3.4.2.2 filters on 'a fully qualified attribute name'; §3.10: MUST)",
            "FLT-URN-001", "FLT-URN-002", "EXT-FILTER-001"),
    **each("its parser accepts `userName eq` without a value and a filter on an attribute no schema "
            "defines, and answers them with an empty list instead of 400 invalidFilter (RFC 7644 "
            "§3.4.2.2, §3.12: SHOULD; the scimType: MAY)",
            "FLT-ERR-002", "FLT-ERR-003", "FLT-ERR-004"),
    "FLT-ERR-005": "`active gt true` answers an empty list, where RFC 7644 §3.4.2.2 says boolean attributes "
                   "'SHALL cause a failed response (HTTP status code 400)' invalidFilter",
    "FLT-QUOTE-001": "a value with an escaped quote is refused with 400 invalidFilter ('Unexpected token'), "
                     "though RFC 7644 §3.4.2.2 takes compValue as a JSON string (RFC 7159 §7 escapes: MUST)",
    # PATCH: SCIMMY's PatchOp
    "EXT-MGR-002": "replace of 'urn:…:enterprise:2.0:User:manager.value' on a user without a manager "
                   "answers 400 noTarget, where RFC 7644 §3.5.2.3 says a replace of an attribute that "
                   "does not exist SHALL be treated as an 'add'",
    "PATCH-USR-PATHCASE-001": "a path 'NAME.FAMILYNAME' answers 400 noTarget where 'name.familyName' is "
                              "replaced (RFC 7643 §2.1: attribute names are case insensitive; SHOULD)",
    "EXT-CASE-002": "an extension URN path in another case answers 400 invalidPath (RFC 7643 §2.1, "
                    "RFC 8141 §3.1: case-insensitive; SHOULD)",
    "EXT-PATCH-006": "remove with the bare extension URN as path answers 400 'Cannot convert undefined or "
                     "null to object' (RFC 7644 §3.5.2.2; the check asks MAY)",
    "PATCH-USR-REPLACE-003": "replace of 'name' with only familyName drops givenName, where RFC 7644 "
                             "§3.5.2.3 says 'Sub-attributes that are not specified in the value "
                             "parameter are left unchanged' (MUST)",
    "PATCH-USR-PRIMARY-001": "add of an email with primary true leaves the first email primary too, where "
                             "RFC 7644 §3.5.2 says the server SHALL set primary to false for the others",
    "PATCH-GRP-ADD-003": "a member added again is listed twice (RFC 7644 §3.5.2.1: 'no changes SHOULD be "
                         "made')",
    "PATCH-ERR-MUT-002": "replace of readOnly meta.created answers 204 instead of 400 mutability (RFC "
                         "7644 §3.5.2: 'SHALL return the appropriate HTTP response status code')",
    "PATCH-USR-ENTRA-001": "Entra's string \"False\" for active is refused with 400 invalidValue (RFC "
                           "7643 §2.3.2 makes it invalid; tolerating it is a MAY)",
    "PROJ-WRITE-003": "a PATCH with ?attributes=displayName reads the narrowed user back into the PATCH, "
                      "and the write fails with 500 'Required attribute userName is missing' (RFC 7644 "
                      "§3.9: MUST)",
    # projection
    **each("attributes=<enterprise URN>:<attribute> crashes into a 400 'Cannot read properties of "
            "undefined' (RFC 7644 §3.9, §3.10: fully qualified names MUST be accepted)",
            "EXT-PROJ-001", "PROJ-GET-005"),
    "PROJ-GET-006": "excludedAttributes with the URN-qualified core name of displayName leaves it in "
                    "(RFC 7644 §3.9, §3.10: MUST)",
    # lists: SCIMMY's ListResponse
    **each("filter.maxResults is 200 (SCIMMY's default) but a count of 201 gets 201 resources "
            "(RFC 7643 §5, no keyword: SHOULD)",
            "PAGE-MAX-001", "DISC-MAXRESULTS-001"),
    "PAGE-START-003": "a startIndex past the last result answers the first page again, not an empty "
                      "one (RFC 7644 §3.4.2.4; SHOULD)",
    # bulk: SCIMMY's BulkRequest
    "BULK-REF-002": "a 'bulkId:' reference in a later operation's path is not resolved: PATCH "
                    "/Users/bulkId:<id> answers 404 (RFC 7644 §3.7, §3.7.2: SHOULD)",
    "BULK-REF-003": "a cycle of POSTs is resolved by creating the first group twice: the other group "
                    "holds a copy without members that no BulkResponse names (RFC 7644 §3.7.1: MUST "
                    "resolve, or 409)",
    # HTTP
    "USR-CREATE-002": "a 201 carries no Location header (RFC 7644 §3.3: 'The URI of the created "
                      "resource SHALL include, in the HTTP \"Location\" header ... meta.location')",
    "SEC-AUTH-008": "a 401 carries no WWW-Authenticate header (RFC 6750 §3: the resource server MUST "
                    "include it)",
    "ERR-METHOD-001": "DELETE /ServiceProviderConfig answers 404 'Endpoint Not Found' instead of 405 "
                      "or 501 (RFC 7644 §3.12; SHOULD)",
}

# the provider's bugs whose checks all failed on SCIMMY, as their failures show them (the check's
# evidence tells bulk-cycle-duplicates from bulk-unresolved-refs-dropped, no-location-header from
# location-mismatch)
MATCHING_BUGS = {"bulk-cycle-duplicates", "bulk-path-ids-unresolved", "core-path-case-sensitive",
                 "no-location-header", "max-results-ignored", "member-readd-duplicates",
                 "primary-not-settled"}


@pytest.fixture(scope="module")
def scimmy_server() -> Iterator[str]:
    with served_node(TARGET, "scimmy", TOKEN, "/scim/v2", "the SCIMMY target") as url:
        yield url


def test_scimmy_target_takes_only_its_token(scimmy_server: str) -> None:
    expect_takes_only(scimmy_server, TOKEN)


def test_scimmy_fails_only_its_real_deviations(scimmy_server: str) -> None:
    summary = run_suites(scimmy_server, token=TOKEN)
    expect_only_known(summary, KNOWN_DEVIATIONS)
    assert {bug["name"] for bug in summary["known_bugs"]} == MATCHING_BUGS
    assert summary["cleanup"]["left"] == 0
