"""Whether a resource read back before a cleanup still belongs to the scimcert run that made it.

Every userName and displayName a run (or a replay) creates starts with its prefix
(`scimcert-<runid>-`); a server that reuses ids may by now hold somebody else's resource under
an id the run recorded, so cleanups read each resource and delete it only when its name still
carries the prefix.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

NAME_ATTRIBUTES = {"User": "userName", "Group": "displayName"}


def run_prefix(run_id: str) -> str:
    """The prefix of every name a run creates."""
    return f"scimcert-{run_id}-"


def not_ours(kind: str, resource: Any, prefix: str) -> str | None:
    """None when the resource's name starts with prefix (in any case: servers may fold it);
    otherwise what was found instead, for the report."""
    attribute = NAME_ATTRIBUTES[kind]
    value = resource.get(attribute) if isinstance(resource, dict) else None
    if isinstance(value, str) and value.casefold().startswith(prefix.casefold()):
        return None
    found = f"{attribute} is {value!r}" if isinstance(value, str) else f"it has no {attribute}"
    return f"{found}, not {prefix}…"


def lookup_filter(kind: str, name: str) -> str:
    """The filter that finds a kind by its name: `userName eq "<name>"` (RFC 7644 §3.4.2.2), the
    value escaped as a JSON string."""
    return f"{NAME_ATTRIBUTES[kind]} eq {json.dumps(name, ensure_ascii=False)}"


def lookup_query(kind: str, name: str) -> str:
    """The query string of that lookup: `filter=userName%20eq%20%22<name>%22`."""
    return urlencode({"filter": lookup_filter(kind, name)}, quote_via=quote)


def lookup_hits(kind: str, name: str, listing: Any) -> list[str] | None:
    """The ids of the resources a lookup_filter() list response holds whose name is exactly name;
    None when the response cannot tell: not a list response, or one that also lists resources
    named otherwise (the target ignored or folded the filter) or without an id."""
    resources = listing.get("Resources", []) if isinstance(listing, dict) else None
    if not isinstance(resources, list) or not isinstance(listing.get("totalResults"), int):
        return None
    attribute = NAME_ATTRIBUTES[kind]
    if not all(isinstance(r, dict) and r.get(attribute) == name and isinstance(r.get("id"), str) and r["id"]
               for r in resources):
        return None
    return [str(r["id"]) for r in resources]


def prefixed_name(kind: str, body: Any, prefix: str) -> str | None:
    """The userName / displayName a create body of kind sends, when it carries the run's prefix:
    a name the run can look its resource up by after the create got no response."""
    value = body.get(NAME_ATTRIBUTES[kind]) if isinstance(body, dict) else None
    return value if isinstance(value, str) and value.startswith(prefix) else None
