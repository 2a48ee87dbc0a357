"""The bulk bugs (RFC 7644 §3.7): /Bulk answers, but not as the RFC says."""

from __future__ import annotations

from simulator.scim.deviation_table import Deviation

BULK_BUGS = (
    Deviation(
        "bulk-ids-unresolved",
        'a "bulkId:X" reference in a later operation (its data, e.g. a group member\'s value, or its '
        "path) is passed on as it is instead of the id of the resource X's POST created: the group "
        "POST fails, the PATCH and DELETE of /Users/bulkId:X answer 404",
        'RFC 7644 §3.7.2; bulk handlers that run each operation as a single request',
    ),
    Deviation(
        "bulk-path-ids-unresolved",
        'references in data are resolved, but a "bulkId:X" in a later operation\'s path is not: '
        "PATCH /Users/bulkId:X answers 404",
        "mitol-django-scim 2026.10.9 (docs/real-servers.md); RFC 7644 §3.7.2",
    ),
    Deviation(
        "bulk-unresolved-refs-dropped",
        'the operations run in the order they come, and a "bulkId:X" reference to a POST that has not '
        "run yet is dropped from the data instead of resolved or refused: of two groups POSTed as each "
        "other's member, the first is created without its member (201 all the same)",
        'servers that leave out member values naming no resource; RFC 7644 §3.7.1: "The service provider '
        'MUST try to resolve circular cross-references between resources in a single bulk job but MAY '
        'stop after a failed attempt and instead return HTTP status code 409 (Conflict)."',
    ),
    Deviation(
        "bulk-cycle-duplicates",
        "a cycle of POSTs is resolved by creating its first resource twice: once without its "
        "references (the one the others' references name, reported nowhere) and once with them "
        "(the one the BulkResponse reports): of two groups POSTed as each other's member, B holds a "
        "copy of A that holds nothing",
        "SCIMMY 1.3.5 (docs/real-servers.md); RFC 7644 §3.7.1: \"The service provider MUST try to "
        'resolve circular cross-references between resources in a single bulk job"',
    ),
    Deviation(
        "bulk-fail-on-errors-ignored",
        "failOnErrors is ignored: every operation runs, however many failed before it",
        'RFC 7644 §3.7: failOnErrors is "the number of errors that the service provider will accept '
        'before the operation is terminated"',
    ),
    Deviation(
        "bulk-max-operations-ignored",
        "a BulkRequest with more operations than bulk.maxOperations is run instead of refused with 413",
        'RFC 7644 §3.7.4: "If either limit is exceeded, the service provider MUST return HTTP '
        'response code 413 (Payload Too Large)."',
    ),
    Deviation(
        "bulk-max-payload-understated",
        "/ServiceProviderConfig says a bulk.maxPayloadSize half the size the server takes: a "
        "BulkRequest larger than the advertised limit is run instead of refused with 413",
        "configurations not updated when the server's body limit was raised; RFC 7644 §3.7.4: \"If "
        'either limit is exceeded, the service provider MUST return HTTP response code 413"',
    ),
    Deviation(
        "bulk-no-location",
        "BulkResponse operations carry no location, not even a successful POST's",
        'RFC 7644 §3.7.3: "A "location" attribute that includes the resource\'s endpoint MUST be '
        'returned for all operations except for failed POST operations"',
    ),
)
