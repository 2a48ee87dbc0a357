"""The cursor-paging bugs (RFC 9865): cursors are advertised and served, but not as the RFC says."""

from __future__ import annotations

from simulator.scim.deviation_table import Deviation

CURSOR_BUGS = (
    Deviation(
        "pagination-flags-as-strings",
        '/ServiceProviderConfig says pagination.cursor and pagination.index as the strings "true"',
        "configuration served from string-valued settings; RFC 9865 §4: cursor and index are "
        '"A Boolean value [...] REQUIRED."',
    ),
    Deviation(
        "cursor-timeout-zero",
        "/ServiceProviderConfig says pagination.cursorTimeout 0, meaning cursors never expire",
        'the "0 = no limit" convention; RFC 9865 §4: cursorTimeout is a "Positive integer", and "No '
        'value being specified may mean that there is no cursor timeout"',
    ),
    Deviation(
        "empty-cursor-ignored",
        "an empty cursor parameter (`?cursor` or `\"cursor\": \"\"`) is read as none, so the first "
        "request of a cursor-paged query is index-paged and carries no nextCursor",
        'handlers testing `if cursor:`; RFC 9865 §2: "The cursor value MUST be empty or omitted for '
        'the first request of a cursor-paginated query"',
    ),
    Deviation(
        "cursor-skips-boundary-record",
        "the page after a cursor starts one resource too late (keyset `>` on the next page's first "
        "key): one resource per page boundary is never listed; no previousCursor",
        'keyset pagination off by one; RFC 9865 §2: nextCursor "MUST be omitted from a response only '
        'to indicate that there are no more result pages"',
    ),
    Deviation(
        "cursor-repeats-boundary-record",
        "the page after a cursor starts at the last resource of the page before (keyset `>=` on its "
        "key): each page boundary lists one resource twice; no previousCursor",
        "keyset pagination off by one, the other way",
    ),
    Deviation(
        "previous-cursor-on-first-page",
        "the first page of a cursor-paged query carries a previousCursor (to an empty page)",
        'servers that always fill both cursors; RFC 9865 §2: "previousCursor MUST not be returned with '
        'the first page"',
    ),
    Deviation(
        "previous-cursor-echoes-request",
        "previousCursor is the cursor of the request: following it returns the same page again",
        "servers that keep one cursor per request instead of one per page boundary",
    ),
    Deviation(
        "forged-cursor-restarts",
        "a cursor the server never issued answers 200 with the first page instead of 400 invalidCursor",
        'decoders that fall back to the start on any error; RFC 9865 §5.2: "Service providers should '
        'be able to easily detect forged cursor values and immediately return an invalidCursor"',
    ),
    Deviation(
        "max-page-size-ignored",
        "a cursor-paged query with count above pagination.maxPageSize returns count resources",
        "servers whose ServiceProviderConfig is out of date; RFC 9865 §4 maxPageSize",
    ),
    Deviation(
        "cursor-base64-padded",
        "cursors are standard base64 with '+', '/' and '=' padding, which a URL must percent-encode",
        'base64.b64encode where urlsafe_b64encode was meant; RFC 9865 §2: the cursor "value may only '
        'contain characters from the unreserved characters set defined in section 2.3 of [RFC3986]"',
    ),
    Deviation(
        "cursor-sort-ignored",
        "a cursor-paged query ignores sortBy (its cursors follow creation order) though sort.supported "
        "is true",
        'cursors keyed on the storage order; RFC 9865 §2.2: "If sorting is implemented [...], then '
        'cursor-paged results should be sorted."',
    ),
    Deviation(
        "search-ignores-cursor",
        "POST /.search ignores the SearchRequest's cursor: it answers index-paged, without nextCursor",
        'cursors added to GET only; RFC 9865 §3: "the client would pass the parameters defined in '
        'Section 2 in the body of the POST request"',
    ),
)
