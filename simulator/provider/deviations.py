"""Switchable real-world bugs of SCIM servers, each reproduced by the reference provider."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from simulator.provider.errors import ScimError


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


_ALL = (
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
        "member-readd-duplicates",
        "a PATCH 'add' of a member the group already has lists that member twice",
        "scim2-server 0.8.3; Okta re-adds members when it links a push to an existing group",
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
        "bad-filter-500",
        "an unparsable filter answers 500 instead of 400 invalidFilter",
        "servers that pass filters to an ORM unchecked",
    ),
    Deviation(
        "filter-ignored",
        "the filter parameter is ignored and the whole collection is returned",
        "minimal servers; makes Okta link the wrong user",
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
        "rate-limited",
        "past N requests per second answers 429 with Retry-After: 1 (rate-limited=N, default 20)",
        "SaaS APIs; Okta waits Retry-After seconds",
        param="per_second",
        default=20.0,
        condition=True,
    ),
)

_RFC7644_PATCH = (
    'RFC 7644 §3.5.2: "the server either MUST return a 200 OK response code and the entire resource '
    '[...] or MAY return HTTP status code 204 (No Content) and the appropriate response headers for a '
    'successful PATCH request. The server MUST return a 200 OK if the "attributes" parameter is '
    'specified in the request."'
)

# Choices the RFCs leave to a correct server (condition=True, like "slow"): no check may fail on
# them, and test_selftest.test_legal_variants_do_not_fail_a_run runs every suite against all at once.
_VARIANTS = (
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
        "list-counters-when-paged",
        "a list that returns every result at once has totalResults but no startIndex or itemsPerPage",
        'RFC 7644 §3.4.2, startIndex and itemsPerPage: "REQUIRED when partial results are returned '
        'due to pagination."',
        condition=True,
    ),
)

REGISTRY: Mapping[str, Deviation] = {d.name: d for d in (*_ALL, *_VARIANTS)}


class UnknownDeviation(ValueError):
    """A deviation name that is not in the registry, or a bad parameter."""


@dataclass(frozen=True, slots=True)
class Deviations:
    """The deviations switched on for one provider, with their parameters."""

    active: frozenset[str] = frozenset()
    params: Mapping[str, float] = field(default_factory=dict)

    def __contains__(self, name: object) -> bool:
        return name in self.active

    def param(self, name: str) -> float:
        dev = REGISTRY[name]
        return self.params.get(name, dev.default if dev.default is not None else 0.0)

    @classmethod
    def parse(cls, specs: Iterable[str]) -> Deviations:
        """Parse 'NAME' or 'NAME=VALUE' items; raises UnknownDeviation with the known names."""
        active: set[str] = set()
        params: dict[str, float] = {}
        for spec in specs:
            name, sep, raw = spec.strip().partition("=")
            dev = REGISTRY.get(name)
            if dev is None:
                raise UnknownDeviation(f"unknown deviation {name!r}; run 'scimcert deviations' to list them")
            if sep:
                params[name] = _param(dev, raw)
            active.add(name)
        return cls(frozenset(active), params)


def _param(dev: Deviation, raw: str) -> float:
    if dev.param is None:
        raise UnknownDeviation(f"deviation {dev.name!r} takes no value")
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if dev.whole and not (value >= 1 and value.is_integer()):
        raise UnknownDeviation(f"deviation {dev.name!r}: {dev.param} must be a whole number >= 1")
    if not math.isfinite(value) or value < 0:
        raise UnknownDeviation(f"deviation {dev.name!r}: {dev.param} must be a number >= 0")
    return value


def patch_quirks(active: Deviations, body: Any) -> None:
    """Reject PATCH bodies the way the switched-on PATCH deviations do."""
    ops = body.get("Operations") if isinstance(body, dict) else None
    if not isinstance(ops, list):
        return
    for i, op in enumerate(o for o in ops if isinstance(o, dict)):
        path, name = op.get("path"), op.get("op")
        if "patch-requires-path" in active and not path:
            raise ScimError(400, f"Operations[{i}]: 'path' is required.", "invalidPath")
        if "patch-op-case-sensitive" in active and name not in ("add", "remove", "replace"):
            raise ScimError(400, f"Operations[{i}]: unknown op {name!r}.", "invalidSyntax")
        if "member-filter-path-unsupported" in active and isinstance(path, str) and "[" in path:
            raise ScimError(400, f"Operations[{i}]: filtered paths are not supported.", "invalidPath")
        value = op.get("value")
        if "group-rename-rejects-id" in active and isinstance(value, dict) and "id" in value:
            raise ScimError(400, f"Operations[{i}]: 'id' is read-only.", "mutability")
