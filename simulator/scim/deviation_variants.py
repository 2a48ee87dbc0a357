"""The deviations that are no bug: choices the RFCs leave to a correct server (condition=True)."""

from __future__ import annotations

from simulator.scim.deviation_table import Deviation

_RFC7644_PATCH = (
    'RFC 7644 §3.5.2: "the server either MUST return a 200 OK response code and the entire resource '
    '[...] or MAY return HTTP status code 204 (No Content) and the appropriate response headers for a '
    'successful PATCH request. The server MUST return a 200 OK if the "attributes" parameter is '
    'specified in the request."'
)

# Choices the RFCs leave to a correct server (condition=True, like "slow"): no check may fail on
# them, and test_selftest.test_legal_variants_do_not_fail_a_run runs every suite against all at once.
VARIANTS = (
    Deviation(
        "patch-no-content",
        "a successful PATCH answers 204 No Content with its ETag and no body (200 with the resource "
        "when the request has attributes or excludedAttributes)",
        _RFC7644_PATCH,
        condition=True,
    ),
    Deviation(
        "page-size",
        "lists return at most SIZE resources (page-size=SIZE, default 100; overrides --max-results): a "
        "list without count gets SIZE, a larger count is capped, totalResults counts them all and "
        "filter.maxResults says SIZE. Below 100, Okta's import (it steps startIndex by 100) misses "
        "users: OKTA-IMPORT-001 fails, as Okta's import would",
        'RFC 7644 §3.4.2.4, count: "the service provider MUST NOT return more results than specified, '
        'although it MAY return fewer results. If unspecified, the maximum number of results is set by '
        'the service provider."',
        param="size",
        default=100.0,
        condition=True,
        whole=True,
    ),
    Deviation(
        "unsorted-lists",
        "without sortBy, lists come in a stable order that is not creation order (by a hash of the id)",
        'RFC 7644 §3.4.2.3 defines an order only for sortBy ("Sort is OPTIONAL"); §3.4.2.4: "Because '
        'pagination is not stateful, clients MUST be prepared to handle inconsistent results."',
        condition=True,
    ),
    Deviation(
        "numeric-ids",
        'ids are decimal counters ("1", "2", ...) shared by Users and Groups instead of UUIDs',
        'servers that use their database\'s integer keys; RFC 7643 §3.1, id: "This identifier MUST be '
        'unique across the SCIM service provider\'s entire set of resources. It MUST be a stable, '
        'non-reassignable identifier"',
        condition=True,
    ),
    Deviation(
        "unassigned-as-null",
        "unassigned attributes and sub-attributes are returned as null, multi-valued ones (groups, "
        "members, emails...) as []",
        'servers that serialise every field of their model; RFC 7643 §2.5: "Unassigned attributes, the '
        'null value, or empty array (in the case of a multi-valued attribute) SHALL be considered to be '
        'equivalent in "state"." and "unassigned attributes [...] MAY be omitted for compactness"',
        condition=True,
    ),
    Deviation(
        "datetime-offsets",
        'meta.created and meta.lastModified carry microseconds and a +01:00 offset, e.g. '
        '"2026-11-29T13:00:00.123456+01:00"',
        'RFC 7643 §2.3.5: a DateTime "MUST be encoded as a valid xsd:dateTime as specified in Section '
        '3.3.7 of [XML-Schema]", which allows fractional seconds and any timezone offset',
        condition=True,
    ),
    Deviation(
        "etag-unsupported",
        "no ETags: etag.supported is false, no ETag header, no meta.version, If-Match and "
        "If-None-Match are ignored",
        'RFC 7644 §3.14: "Service providers MAY support weak ETags"; RFC 7643 §3.1, meta.version: '
        '"Service provider support for this attribute is optional"',
        condition=True,
    ),
    Deviation(
        "strong-etags",
        'ETags are strong ("3") instead of weak (W/"3")',
        'RFC 7644 §3.14: "When supported, SCIM ETags MUST be specified as an HTTP header" (RFC 7232 '
        '§2.3 allows strong and weak ones); weak ETags are "the preferred mechanism", not the only one',
        condition=True,
    ),
    Deviation(
        "sort-unsupported",
        "sort.supported is false and sortBy is ignored",
        'RFC 7644 §3.4.2.3: "Sort is OPTIONAL. Clients MAY discover sort capability by looking at the '
        '"sort" attribute of the service provider configuration"',
        condition=True,
    ),
    Deviation(
        "patch-unsupported",
        "patch.supported is false and PATCH on /Users and /Groups answers 501 Not Implemented. Okta "
        "deactivates users, pushes passwords and group memberships with PATCH (OIN apps): the Okta "
        "checks that send a PATCH fail, saying so, as Okta's provisioning would",
        'RFC 7644 §3.5.2: "HTTP PATCH is an OPTIONAL server function [...] Clients may discover '
        'service provider support for PATCH by querying the service provider configuration"; §3.12, '
        'Table 8: 501 Not Implemented "Service provider does not support the request operation, '
        'e.g., PATCH."',
        condition=True,
    ),
    Deviation(
        "filter-unsupported",
        "filter.supported is false and a list or search with a filter answers 400 invalidFilter "
        "(PATCH path filters still work). Okta looks users and groups up with `eq` filters before "
        "creating them: the Okta checks that filter fail, saying so, as Okta's provisioning would",
        'RFC 7644 §3.4.2.2: "Filtering is an OPTIONAL parameter for SCIM service providers" and '
        '"Providers MUST decline to filter results if the specified filter operation is not '
        'recognized and return an HTTP 400 error with a "scimType" error of "invalidFilter""',
        condition=True,
    ),
    Deviation(
        "change-password-unsupported",
        "changePassword.supported is false: a password is taken when a user is created, and a PUT or "
        "PATCH that would change or remove it answers 501 Not Implemented (a PUT without a password "
        "keeps it)",
        'RFC 7643 §5, changePassword: "supported  A Boolean value specifying whether or not the '
        'operation is supported"; RFC 7644 §3.12, Table 8: 501 Not Implemented "Service provider '
        'does not support the request operation"',
        condition=True,
    ),
    Deviation(
        "count-zero-total-only",
        "a list asked for count=0 answers only schemas and totalResults: no Resources, startIndex "
        "or itemsPerPage",
        'RFC 7644 §3.4.2.4, count: "A value of "0" indicates that no resource results are to be '
        'returned except for "totalResults"."',
        condition=True,
    ),
    Deviation(
        "list-counters-when-paged",
        "a list that returns every result at once has totalResults but no startIndex or itemsPerPage. "
        "Okta's connection test (count=2) reads both: on a target holding 2 users or fewer, "
        "OKTA-CONNECT-002 fails, as Okta's test would",
        'RFC 7644 §3.4.2, startIndex and itemsPerPage: "REQUIRED when partial results are returned '
        'due to pagination."',
        condition=True,
    ),
    Deviation(
        "filter-eq-only",
        "filter.supported stays true, but a list filter may only be `attr eq value` comparisons "
        "joined by `and` (what servers built for Okta and Entra take): any other operator, `or`, "
        "`not` and `attr[...]` answer 400 invalidFilter. PATCH path filters are unaffected",
        'RFC 7644 §3.12, Table 9: invalidFilter "The specified filter syntax was invalid (does not '
        'comply with Figure 1), or the specified attribute and filter comparison combination is not '
        'supported."',
        condition=True,
    ),
    Deviation(
        "unique-emails",
        "a create, PUT or PATCH that would give a user an email value (compared case-insensitively) "
        "another user already has answers 409 uniqueness; a user may keep its own addresses",
        'servers that key accounts by email; RFC 7644 §3.3: "If the service provider determines that '
        'the creation of the requested resource conflicts with existing resources (e.g., a "User" '
        'resource with a duplicate "userName"), the service provider MUST return HTTP status code 409 '
        '(Conflict) with a "scimType" error code of "uniqueness""',
        condition=True,
    ),
    Deviation(
        "opaque-ids",
        'ids hold characters a URI path must percent-encode, e.g. "acme #7?x=1&y=100% \u00fc" (space, '
        "'#', '?', '%', non-ASCII) around the UUID or, with numeric-ids, the counter; meta.location, "
        "Location and $ref carry them percent-encoded. No '/': the provider's routes take the id as "
        "one path segment, and werkzeug decodes %2F before routing",
        'RFC 7643 §3.1, id: "A unique identifier for a SCIM resource as defined by the service '
        'provider. [...] It MUST be a stable, non-reassignable identifier that does not change"; '
        'RFC 3986 §3.3: "segment = *pchar", any other character percent-encoded (§2.1)',
        condition=True,
    ),
    Deviation(
        "cursor-only",
        "cursor paging only (pagination.index false, defaultPaginationMethod cursor): a list or search "
        "without a cursor answers the first cursor page, nextCursor and no startIndex, and startIndex "
        "is ignored. Okta pages by startIndex and reads startIndex and itemsPerPage: its connection "
        "test, SPEC test and import fail, saying so, as Okta would",
        'RFC 9865 §2.3: "A service provider MAY require cursor-based pagination to retrieve all results '
        'for a query by including a nextCursor value in the response even when the query does not '
        'include the cursor parameter."',
        condition=True,
    ),
    Deviation(
        "cursor-omits-total",
        "a cursor-paged list or search (one with a cursor parameter, or any list under cursor-only) "
        "carries no totalResults; index-paged lists keep it. Okta reads totalResults: with "
        "cursor-only, its group import and its SPEC test's lookups (\"totalResults 0\") fail too, "
        "saying so, as Okta would",
        'RFC 9865 §2: "Service providers implementing cursor pagination that are unable to estimate '
        'totalResults MAY choose to omit the totalResults attribute."',
        condition=True,
    ),
    Deviation(
        "bulk-unsupported",
        "bulk.supported is false (maxOperations and maxPayloadSize 0) and POST /Bulk answers 501 Not "
        "Implemented",
        'RFC 7644 §3.7: "The SCIM bulk operation is an optional server feature that enables clients '
        'to send a potentially large collection of resource operations in a single request. Support '
        'for bulk requests can be discovered by querying the service provider configuration (see '
        'Section 4)."',
        condition=True,
    ),
    Deviation(
        "bulk-cycles-refused",
        'a BulkRequest whose POSTs reference each other in a cycle ("bulkId:X" in the data of a POST '
        "that X's POST references too) is not resolved: the operations of the cycle answer 409 and "
        "create nothing (a reference to a later POST that is no cycle is still resolved)",
        'RFC 7644 §3.7.1: "The service provider MUST try to resolve circular cross-references between '
        'resources in a single bulk job but MAY stop after a failed attempt and instead return HTTP '
        'status code 409 (Conflict)."; scim2-server 0.8.3 answers so',
        condition=True,
    ),
)
