"""The Deviation entry and the table of real-world bugs (and two conditions: slow, rate-limited)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Deviation:
    """One named bug: what it does and where it is seen in the field.

    A `condition` is no bug but a choice or circumstance of a correct server: it may be slow,
    rate-limit its clients, or make a choice the RFCs leave to it (answer PATCH with 204, page
    lists, issue numeric ids...); its `seen_in` quotes the RFC sentence that permits it. Checks
    do not fail on it; the self-tests prove a run against all of them at once still passes.
    """

    name: str
    summary: str
    seen_in: str
    param: str | None = None  # name of the optional NAME=VALUE parameter
    default: float | None = None
    condition: bool = False
    whole: bool = False  # the parameter is a whole number >= 1
    crashes: bool = False  # it answers 500 where the checks expect an answer (suites/known_bugs.py)


BUGS = (
    Deviation(
        "username-case-sensitive",
        "userName compared case-sensitively: 'ALICE@X' neither conflicts with nor finds 'alice@x'",
        "home-grown servers; RFC 7643 §4.1 declares userName caseExact=false",
    ),
    Deviation(
        "duplicate-username-allowed",
        "a second POST with an existing userName creates another user instead of 409",
        "servers without a unique index; Okta's SPEC test step 8 expects 409",
    ),
    Deviation(
        "group-name-conflict-500",
        "a POST /Groups with a displayName already in use crashes with 500 instead of 201 or 409",
        "django-scim2-server 1.1.0 (Django's auth.Group.name is a unique column the view does not catch)",
        crashes=True,
    ),
    Deviation(
        "list-counts-as-strings",
        "totalResults, startIndex and itemsPerPage are JSON strings",
        "PHP and Node servers; Okta rejects them (Okta SCIM 2.0 reference)",
    ),
    Deviation(
        "empty-result-not-listresponse",
        "an empty list answers a bare [] instead of a ListResponse",
        "Okta KB 'No results for users returned when testing connection'",
    ),
    Deviation(
        "filter-miss-404",
        "a filter that matches nothing answers 404 instead of 200 with totalResults 0",
        "several servers; Okta tolerates it, RFC 7644 §3.4.2 and the SPEC test do not",
    ),
    Deviation(
        "patch-requires-path",
        "PATCH operations without 'path' are rejected with 400 invalidPath",
        "GitLab before MR 25649; breaks Okta's deactivate {'op':'replace','value':{'active':false}}",
    ),
    Deviation(
        "patch-op-case-sensitive",
        "PATCH 'op' must be lower-case: Entra's 'Replace' is rejected",
        "servers tested only with Okta; Microsoft Entra capitalises op names",
    ),
    Deviation(
        "primary-not-settled",
        'a PATCH that makes a value primary ("primary": true) leaves the one that was primary true '
        "too: the user ends with two primary emails",
        'servers that store each value\'s flags as they come; RFC 7644 §3.5.2: "a PATCH operation that '
        'sets a value\'s "primary" sub-attribute to "true" SHALL cause the server to automatically '
        'set "primary" to "false" for any other values in the array"',
    ),
    Deviation(
        "core-path-case-sensitive",
        "PATCH paths name core attributes case-sensitively: 'NAME.FAMILYNAME' is refused with 400 "
        "invalidPath where 'name.familyName' is taken",
        'servers that look attribute paths up in a case-sensitive map; RFC 7643 §2.1: "Attribute '
        'names are case insensitive"',
    ),
    Deviation(
        "member-readd-duplicates",
        "a PATCH 'add' of a member the group already has lists that member twice",
        "scim2-server 0.8.3; Okta re-adds members when it links a push to an existing group",
    ),
    Deviation(
        "noop-patch-touches",
        "a write that changes nothing (a PATCH re-adding a member the group holds) still moves "
        "meta.lastModified and the version",
        "django-scim2-server 1.1.0 (Django's auto_now stamps every save); RFC 7644 §3.5.2.1: a no-op add "
        "'SHALL NOT change the modify timestamp'",
    ),
    Deviation(
        "members-require-type",
        "group members without 'type' are rejected with 400",
        "SCIM-SDK issue #419; Okta sends members as {value, display} only",
    ),
    Deviation(
        "put-rejects-readonly-echo",
        "PUT bodies that echo id or meta are rejected with 400 mutability",
        "strict validators; Okta's PUT echoes the GET body including meta",
    ),
    Deviation(
        "group-rename-rejects-id",
        "PATCH replace whose value carries 'id' is rejected with 400 mutability",
        "strict validators; Okta's rename sends {'id':..., 'displayName':...}",
    ),
    Deviation(
        "password-returned",
        "the password attribute is returned in responses",
        "ORM-serialised users; RFC 7643 §4.1.1 says returned 'never'",
    ),
    Deviation(
        "no-location-header",
        "201 Created without a Location header",
        "many frameworks' default create handlers; RFC 7644 §3.3 requires it",
    ),
    Deviation(
        "location-mismatch",
        "Location header differs from meta.location",
        "servers behind proxies that build URLs from internal hosts",
    ),
    Deviation("created-returns-200", "POST answers 200 instead of 201 Created", "generic REST frameworks"),
    Deviation(
        "error-status-int",
        "error bodies carry 'status' as a JSON number",
        'common; RFC 7644 §3.12 defines it as a string and Okta\'s SPEC test compares "401"',
    ),
    Deviation(
        "error-body-not-scim",
        "errors are answered as HTML/plain text instead of a SCIM Error",
        "servers behind default framework error pages; Okta shows 'Invalid JSON'",
    ),
    Deviation(
        "drops-extension",
        "extension attributes are accepted but silently not stored",
        "servers that only map core attributes",
    ),
    Deviation(
        "extension-not-advertised",
        "extensions work but are missing from /Schemas and ResourceTypes schemaExtensions",
        "servers with hand-written discovery documents",
    ),
    Deviation(
        "discovery-lists-paged",
        "/Schemas and /ResourceTypes honour startIndex and count as a resource list does: "
        "?startIndex=2&count=1 leaves out all documents but the second",
        "servers that serve discovery listings through their generic list handler; RFC 7644 §4: "
        '"Query parameters described in Section 3.4.2, such as filtering, sorting, and pagination, '
        'SHALL be ignored."',
    ),
    Deviation(
        "discovery-filter-ignored",
        "a filter on /Schemas or /ResourceTypes is ignored (200 and every document) instead of "
        "answered 403",
        'servers with no filter check on discovery endpoints; RFC 7644 §4: "If a "filter" is '
        'provided, the service provider SHOULD respond with HTTP status code 403 (Forbidden)"',
    ),
    Deviation(
        "extension-case-sensitive",
        "extension URN keys, attribute names and URN-qualified PATCH paths match case-sensitively",
        "servers keying extensions by exact string; RFC 7643 §2.1 makes names case-insensitive",
    ),
    Deviation(
        "extension-path-rejected",
        "PATCH paths prefixed with an extension URN are rejected with 400 invalidPath",
        "servers that only parse core attribute paths; Entra sends urn:...:enterprise:2.0:User:manager",
    ),
    Deviation(
        "extension-not-cleared-on-put",
        "a PUT without an extension keeps the user's old extension data",
        "servers storing extensions in a side table that PUT never touches",
    ),
    Deviation(
        "extension-requires-schemas-entry",
        "a body with an extension key whose URN is not in 'schemas' is rejected with 400",
        "strict validators; Okta lists only the core URN for custom namespaces (okta-scim.md §9)",
    ),
    Deviation(
        "extension-type-unchecked",
        "extension attribute values are stored as sent, without checking their declared type",
        "servers storing extensions as free-form JSON",
    ),
    Deviation(
        "auth-not-enforced",
        "requests without or with a wrong bearer token are served",
        "test deployments left open; Okta's SPEC test step 11 expects 401",
    ),
    Deviation(
        "auth-refused-403",
        "requests without or with a wrong bearer token are refused with 403, without WWW-Authenticate",
        "API gateways and WAFs in front of SCIM servers; Okta's SPEC test step 11 expects 401",
    ),
    Deviation(
        "auth-scheme-case-sensitive",
        "the Authorization scheme is compared case-sensitively: 'bearer <token>' is refused with 401 "
        "where 'Bearer <token>' is taken",
        'servers that test the header for the prefix "Bearer "; RFC 9110 §11.1: "It uses a '
        'case-insensitive token to identify the authentication scheme"',
    ),
    Deviation(
        "bad-filter-500",
        "an unparsable filter answers 500 instead of 400 invalidFilter",
        "servers that pass filters to an ORM unchecked",
        crashes=True,
    ),
    Deviation(
        "filter-ignored",
        "the filter parameter is ignored and the whole collection is returned",
        "minimal servers; makes Okta link the wrong user",
    ),
    Deviation(
        "filter-unsupported-ignored",
        "filter.supported is false, and a list with a filter returns the whole collection instead "
        "of declining it with 400 invalidFilter",
        "Canaille 0.3.6; Okta links the first user its userName lookup returns",
    ),
    Deviation(
        "filter-first-value-only",
        "a filter on a multi-valued attribute matches its first value only: emails.value eq "
        "a user's second email finds nobody",
        "servers that filter on one email column; RFC 7644 §3.4.2.2: \"if a User has multiple "
        '"emails" values, only one has to match for the entire User to match"',
    ),
    Deviation(
        "unstable-paging",
        "list order changes from one request to the next",
        "servers paging an unordered database query; Okta import needs stable order",
    ),
    Deviation(
        "startindex-zero-based",
        "startIndex is treated as a 0-based offset",
        "servers mapping startIndex straight to SQL OFFSET",
    ),
    Deviation("count-ignored", "count is ignored and every resource is returned", "minimal servers"),
    Deviation(
        "negative-count-refused",
        "count=-1 is refused with 400 instead of read as 0 (no resources, only totalResults)",
        "django-scim2 0.23 ('Negative indexing is not supported'); servers that pass count to SQL LIMIT "
        "return a full page instead (SQLite reads -1 as no limit). RFC 7644 §3.4.2.4: \"A negative value "
        'SHALL be interpreted as "0""',
    ),
    Deviation(
        "max-results-ignored",
        "count above the advertised filter.maxResults returns more than maxResults",
        "servers whose ServiceProviderConfig is out of date",
    ),
    Deviation(
        "sort-ignored",
        "sortBy is ignored although sort.supported is true",
        "servers with copy-pasted ServiceProviderConfig",
    ),
    Deviation(
        "etag-ignored",
        "If-Match and If-None-Match are ignored although etag.supported is true",
        "servers that emit ETags but never check them",
    ),
    Deviation(
        "no-etag",
        "no ETag header and no meta.version although etag.supported is true",
        "servers with copy-pasted ServiceProviderConfig",
    ),
    Deviation(
        "put-keeps-omitted",
        "PUT merges instead of replacing: omitted attributes keep their values",
        "servers implementing PUT as PATCH; RFC 7644 §3.5.1",
    ),
    Deviation(
        "patch-not-atomic",
        "a PATCH whose later operation fails keeps the earlier operations' changes",
        "servers applying operations one by one; RFC 7644 §3.5.2 requires atomicity",
    ),
    Deviation(
        "member-filter-path-unsupported",
        'PATCH paths like members[value eq "id"] are rejected with 400 invalidPath',
        "servers supporting only value lists; Okta removes members this way",
    ),
    Deviation(
        "groups-not-derived",
        "users never carry the read-only 'groups' attribute",
        "servers that store memberships only on groups",
    ),
    Deviation(
        "delete-keeps-memberships",
        "deleting a user leaves it listed as a member of its groups",
        "servers without referential cleanup",
    ),
    Deviation(
        "attributes-ignored", "the 'attributes' parameter is ignored", "minimal servers; RFC 7644 §3.4.2.5"
    ),
    Deviation(
        "excluded-attributes-ignored",
        "the 'excludedAttributes' parameter is ignored",
        "minimal servers; Entra sends excludedAttributes=members",
    ),
    Deviation(
        "search-requires-filter",
        "POST /.search refuses a SearchRequest without 'filter' with 400 'No filter query specified', "
        "though RFC 7644 §3.4.3 makes every parameter of its body OPTIONAL",
        "django-scim2 0.23's search view, hence mitol-django-scim 2026.10.9",
    ),
    Deviation(
        "search-reads-filter-only",
        "POST /.search reads only 'filter' from the SearchRequest: its startIndex, count, attributes "
        "and excludedAttributes are ignored (those of the URL's query string apply)",
        "django-scim2 0.23 (count=1 in the body returns every match)",
    ),
    Deviation("meta-missing", "resources are returned without 'meta'", "minimal servers; RFC 7643 §3.1"),
    Deviation(
        "inactive-hidden",
        "users with active=false disappear from lists and filters",
        "servers mapping deactivation to soft delete; Okta expects them readable",
    ),
    Deviation(
        "deactivate-deletes",
        "setting active=false deletes the user",
        "servers mapping deactivation to deletion; Okta never deletes users",
    ),
    Deviation(
        "content-type-json",
        "responses use Content-Type application/json instead of application/scim+json",
        "most generic frameworks; RFC 7644 §3.1 says application/scim+json",
    ),
    Deviation(
        "slow",
        "every response is delayed by SECONDS (slow=SECONDS, default 2)",
        "overloaded servers; Okta gives up after 60 s",
        param="seconds",
        default=2.0,
        condition=True,
    ),
    Deviation(
        "rate-limited-no-retry-after",
        "past N requests per second answers 429 without Retry-After (rate-limited-no-retry-after=N, "
        "default 5): Okta then pauses the task 5 minutes, doubling on each retry",
        "API gateways throttling with a bare 429 (RFC 6585 §4 makes Retry-After a MAY)",
        param="per_second",
        default=5.0,
    ),
    Deviation(
        "rate-limited",
        "past N requests per second answers 429 with Retry-After: 1 (rate-limited=N, default 20)",
        "SaaS APIs; Okta waits Retry-After seconds",
        param="per_second",
        default=20.0,
        condition=True,
    ),
)
