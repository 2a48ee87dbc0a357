"""What a target says about itself (RFC 7644 §4), read once per run and used to gate checks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import pytest

from simulator.scim import urns
from simulator.scim.schema import ResourceSchema, SchemaDef, SchemaDefinitionError
from suites.client import Reply, ScimClient

FEATURES = ("patch", "bulk", "filter", "changePassword", "sort", "etag")


@dataclass
class Target:
    """Discovery documents of the target, fetched lazily and remembered."""

    client: ScimClient
    extensions: tuple[SchemaDef, ...] = ()
    _cache: dict[str, Reply] = field(default_factory=dict, repr=False)

    def fetch(self, path: str) -> Reply:
        """GET a discovery endpoint once per run."""
        if path not in self._cache:
            self._cache[path] = self.client.get(path)
        return self._cache[path]

    @property
    def fetched(self) -> Mapping[str, Reply]:
        """The discovery documents fetched so far, by path."""
        return MappingProxyType(self._cache)

    def seed(self, fetched: Mapping[str, Reply]) -> None:
        """Documents this run fetched before (the extension discovery at collection): not again."""
        self._cache.update(fetched)

    @property
    def spc(self) -> dict[str, Any]:
        """The ServiceProviderConfig body, or {} when the target did not give one."""
        return self.fetch("/ServiceProviderConfig").body

    def supports(self, feature: str) -> bool:
        section = self.spc.get(feature)
        return isinstance(section, dict) and section.get("supported") is True

    def declines(self, feature: str) -> bool:
        """Whether /ServiceProviderConfig says outright that feature is not supported (false)."""
        section = self.spc.get(feature)
        return isinstance(section, dict) and section.get("supported") is False

    def require(self, feature: str) -> None:
        """Skip the calling check when the target does not advertise feature."""
        if not self.supports(feature):
            pytest.skip(f"{feature}.supported is not true in /ServiceProviderConfig")

    def require_resource(self, kind: str) -> None:
        """Skip the calling check when /ResourceTypes lists resource types, but not kind.

        RFC 7644 §4: /ResourceTypes is "used to discover the types of resources available on a
        SCIM service provider"; a server may offer Users only. An empty or unreadable listing
        skips nothing (the discovery checks report it).
        """
        if self.resource_types() and self.resource_type(kind) is None:
            pytest.skip(f"/ResourceTypes lists no {kind} resource type")

    def require_attributes(self, kind: str, *paths: str) -> None:
        """Skip the calling check when the target's declared kind schema lacks one of paths.

        A server keeps only the attributes it defines (RFC 7644 §3.3: it "is free to alter and/or
        ignore POSTed content"), so a check built on an optional attribute such as title runs
        where /Schemas declares it. An unreadable User schema skips nothing.
        """
        missing = [p for p in paths if not self.defines(kind, p)]
        if missing:
            pytest.skip(f"the target's {kind} schema in /Schemas defines no {', '.join(missing)}")

    def pick_attribute(self, kind: str, *paths: str) -> str:
        """The first of paths that the target's kind schema defines, for a check that any one of
        them can carry (see require_attributes); skips the calling check when it defines none."""
        found = next((p for p in paths if self.defines(kind, p)), None)
        if found is None:
            pytest.skip(f"the target's {kind} schema in /Schemas defines none of {', '.join(paths)}")
        return found

    def defines(self, kind: str, path: str) -> bool:
        """Whether the target's declared kind schema defines path ("title", "emails.type"); an
        unreadable schema defines everything (the discovery checks report it)."""
        rs = self.resource_schema(kind)
        return rs is None or rs.resolve(None, *path.split(".", 1)) is not None

    def writable(self, kind: str, path: str) -> bool:
        """Whether the target's kind schema defines path as one a client sets (not readOnly)."""
        rs = self.resource_schema(kind)
        found = rs.resolve(None, *path.split(".", 1)) if rs else None
        return rs is None or (found is not None and found.leaf.mutability != "readOnly")

    def clearable(self, kind: str, path: str) -> bool:
        """Whether a client may leave path out of a kind: writable and not marked required."""
        rs = self.resource_schema(kind)
        found = rs.resolve(None, path) if rs else None
        return self.writable(kind, path) and not (found is not None and found.attribute.required)

    @property
    def max_results(self) -> int | None:
        return _positive_int((self.spc.get("filter") or {}).get("maxResults"))

    @property
    def pagination(self) -> dict[str, Any] | None:
        """The pagination attribute of /ServiceProviderConfig (RFC 9865 §4), None when absent."""
        section = self.spc.get("pagination")
        return section if isinstance(section, dict) else None

    @property
    def max_page_size(self) -> int | None:
        """pagination.maxPageSize (RFC 9865 §4), when a positive integer."""
        return _positive_int((self.pagination or {}).get("maxPageSize"))

    def resource_types(self) -> list[dict[str, Any]]:
        return _listed(self.fetch("/ResourceTypes").json)

    def resource_type(self, name: str) -> dict[str, Any] | None:
        return next((r for r in self.resource_types() if r.get("name") == name or r.get("id") == name),
                    None)

    def schema_docs(self) -> list[dict[str, Any]]:
        return _listed(self.fetch("/Schemas").json)

    def schema(self, urn: str) -> SchemaDef | None:
        """The target's own definition of a schema, parsed; None when absent or malformed."""
        for doc in self.schema_docs():
            if str(doc.get("id", "")).casefold() == urn.casefold():
                try:
                    return SchemaDef.from_json(doc)
                except SchemaDefinitionError:
                    return None
        return None

    def resource_schema(self, kind: str) -> ResourceSchema | None:
        """Core schema plus advertised extensions of a resource type, as the target declares them."""
        rtype = self.resource_type(kind)
        core_urn = rtype.get("schema") if rtype else (urns.CORE_USER if kind == "User" else urns.CORE_GROUP)
        core = self.schema(str(core_urn))
        if core is None:
            return None
        exts = []
        for ext in (rtype or {}).get("schemaExtensions") or []:
            found = self.schema(str(ext.get("schema", ""))) if isinstance(ext, dict) else None
            if found is not None:
                exts.append(found)
        return ResourceSchema(core, tuple(exts), frozenset(_required(rtype)))

    def core_schema(self, kind: str) -> SchemaDef | None:
        """kind's core schema as the target declares it in /Schemas; None when unreadable."""
        rs = self.resource_schema(kind)
        return rs.core if rs else None

    def required_extensions(self, kind: str) -> tuple[SchemaDef, ...]:
        """The extensions kind's resource type marks required (RFC 7643 §6), as /Schemas defines
        them (else as declared with --extension); one defined nowhere is left out."""
        found = (self.schema(urn) or self._declared(urn) for urn in _required(self.resource_type(kind)))
        return tuple(d for d in found if d is not None)

    def _declared(self, urn: str) -> SchemaDef | None:
        return next((d for d in self.extensions if d.id.casefold() == urn.casefold()), None)


def _listed(body: Any) -> list[dict[str, Any]]:
    """The objects of a ListResponse's Resources (or of a bare array); none from anything else."""
    items = body.get("Resources") if isinstance(body, dict) else body
    return [r for r in items if isinstance(r, dict)] if isinstance(items, list) else []


def _required(rtype: dict[str, Any] | None) -> list[str]:
    """The URNs of the schemaExtensions a resource type marks "required": true."""
    entries = (rtype or {}).get("schemaExtensions")
    if not isinstance(entries, list):
        return []
    return [str(e.get("schema")) for e in entries if isinstance(e, dict) and e.get("required") is True]


def _positive_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None
