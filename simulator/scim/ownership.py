"""Whether a resource read back before a cleanup still belongs to the scimcert run that made it.

Every userName and displayName a run (or a replay) creates starts with its prefix
(`scimcert-<runid>-`); a server that reuses ids may by now hold somebody else's resource under
an id the run recorded, so cleanups read each resource and delete it only when its name still
carries the prefix.
"""

from __future__ import annotations

from typing import Any

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
