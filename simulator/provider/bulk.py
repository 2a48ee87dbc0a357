"""POST /Bulk (RFC 7644 §3.7): each operation of a BulkRequest run through the Provider's own
create, replace, patch and delete, so a bulk write is validated and stored exactly as a single one.

RFC 7644 §3.7: "The SCIM bulk operation is an optional server feature that enables clients to
send a potentially large collection of resource operations in a single request. Support for bulk
requests can be discovered by querying the service provider configuration (see Section 4)."
The bulk-unsupported condition takes that choice: bulk.supported false and /Bulk answering 501.
The order of the operations and their "bulkId:" references: bulk_plan.py.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple
from urllib.parse import unquote

from simulator.provider import bulk_plan, render
from simulator.provider.bulk_plan import REFERENCE
from simulator.provider.errors import ScimError
from simulator.provider.records import Record
from simulator.provider.service import Provider
from simulator.scim import urns
from simulator.scim.paths import resource_path

MAX_OPERATIONS = 100  # bulk.maxOperations; bulk.maxPayloadSize is the provider's body limit
METHODS = ("POST", "PUT", "PATCH", "DELETE")
_PATH = re.compile(r"^/(Users|Groups)(?:/([^/]+))?/?$")
UNSUPPORTED = "bulk-unsupported"
UNRESOLVED_PATHS = frozenset({"bulk-ids-unresolved", "bulk-path-ids-unresolved"})
_DROPS = "bulk-unresolved-refs-dropped"
_DUPLICATES = "bulk-cycle-duplicates"
_IN_ORDER = frozenset({_DROPS, "bulk-ids-unresolved"})  # the bugs that run a request as it comes


def supported(prov: Provider) -> bool:
    return UNSUPPORTED not in prov.deviations


def max_payload(prov: Provider) -> int:
    return prov.config.max_body_bytes


def advertised_max_payload(prov: Provider) -> int:
    """bulk.maxPayloadSize as /ServiceProviderConfig says it: the limit, or half of it with the
    bulk-max-payload-understated bug (which still takes bodies up to the real limit)."""
    real = max_payload(prov)
    return real // 2 if "bulk-max-payload-understated" in prov.deviations else real


def check_size(prov: Provider, length: int | None) -> None:
    """RFC 7644 §3.7.4: "If either limits are exceeded, the service provider MUST return HTTP
    response code 413 (Request Entity Too Large). The returned response MUST specify the limit
    exceeded in the body of the error response." (Its example carries no scimType.)"""
    if length is not None and length > max_payload(prov):
        raise ScimError(413, f"The size of the bulk operation ({length} bytes) exceeds the "
                             f"maxPayloadSize ({max_payload(prov)}).")


def run(prov: Provider, body: Any, base: str) -> dict[str, Any]:
    """The BulkResponse to a BulkRequest; raises ScimError when the request as a whole is refused.

    RFC 7644 §3.7: "The service provider MUST continue performing as many changes as possible
    and disregard partial failures. The client MAY override this behavior by specifying a value
    for the "failOnErrors" attribute." failOnErrors: "An integer specifying the number of errors
    that the service provider will accept before the operation is terminated and an error
    response is returned."
    """
    if not isinstance(body, dict) or urns.BULK_REQUEST not in (body.get("schemas") or []):
        raise ScimError(400, f"A bulk body must be a JSON object with schemas [{urns.BULK_REQUEST}].",
                        "invalidSyntax")
    ops = body.get("Operations")
    if not isinstance(ops, list):
        raise ScimError(400, "A BulkRequest needs an 'Operations' list.", "invalidSyntax")
    if len(ops) > MAX_OPERATIONS and "bulk-max-operations-ignored" not in prov.deviations:
        raise ScimError(413, f"The bulk request has {len(ops)} operations; "
                             f"maxOperations is {MAX_OPERATIONS}.")
    fail_on = body.get("failOnErrors")
    if fail_on is not None and (isinstance(fail_on, bool) or not isinstance(fail_on, int) or fail_on < 1):
        raise ScimError(400, "failOnErrors must be an integer of at least 1.", "invalidValue")
    if "bulk-fail-on-errors-ignored" in prov.deviations:
        fail_on = None
    job = _Run(prov, ops, base)
    plan = list(range(len(ops))) if _IN_ORDER & prov.deviations.active else bulk_plan.order(ops)
    errors = 0
    for index in plan:
        if fail_on is not None and errors >= fail_on:
            break
        errors += int(job.operation(index)["status"]) >= 400
        job.complete(final=False)
    job.complete(final=True)
    return {"schemas": [urns.BULK_RESPONSE], "Operations": [job.results[i] for i in sorted(job.results)]}


class _Deferred(NamedTuple):
    """A POST created without its references to POSTs of its cycle, to complete once they ran."""

    position: int  # in the request
    kind: str
    rid: str
    data: Any
    waits: frozenset[str]  # the bulkIds of those POSTs


class _Run:
    """One BulkRequest being run: the results so far and the resources its POSTs created."""

    def __init__(self, prov: Provider, ops: list[Any], base: str) -> None:
        self.prov, self.ops, self.base = prov, ops, base
        self.creators = bulk_plan.creators(ops)
        self.created: dict[str, str] = {}  # bulkId -> id of the resource its POST created
        self.results: dict[int, dict[str, Any]] = {}  # position in the request -> its result
        self.deferred: list[_Deferred] = []  # POSTs created without their references to a cycle

    def waiting(self) -> set[str]:
        """The bulkIds of this request's POSTs that have not run yet."""
        return {b for b, i in self.creators.items() if i not in self.results}

    def operation(self, index: int) -> dict[str, Any]:
        """Run the operation at index; its entry in the BulkResponse: method, bulkId, version,
        location, status (a string, as RFC 7644 §3.7.3's examples give it) and, for an error,
        response.

        RFC 7644 §3.7.3: "A "location" attribute that includes the resource's endpoint MUST be
        returned for all operations except for failed POST operations (which have no location)."
        """
        prov, op = self.prov, self.ops[index]
        op = op if isinstance(op, dict) else {}
        method = str(op.get("method") or "").upper()
        result: dict[str, Any] = {"method": op.get("method")}
        if "bulkId" in op:
            result["bulkId"] = op["bulkId"]
        self.results[index] = result
        try:
            kind, rid = _target(prov, op, method, self.created)
            if rid is not None:
                result["location"] = self.base + resource_path(f"{kind}s", rid)
            data, waits = self._data(op.get("data"))
            rec, status = _apply(prov, op, method, kind, rid, data)
        except ScimError as exc:
            _failed(result, exc)
            return result
        if rec is not None:
            self._located(result, rec)
            if method == "POST" and isinstance(op.get("bulkId"), str):
                self.created[op["bulkId"]] = rec.id
            if waits and _DROPS not in prov.deviations:
                self.deferred.append(_Deferred(index, kind, rec.id, op.get("data"), waits))
        result["status"] = str(status)
        return result

    def _data(self, data: Any) -> tuple[Any, frozenset[str]]:
        """data with its references resolved, and the bulkIds it names of POSTs that have not run
        yet (stripped from it: the POST is in a cycle, RFC 7644 §3.7.1)."""
        if "bulk-ids-unresolved" in self.prov.deviations:
            return data, frozenset()  # the bug: references are passed on as they are
        early = frozenset(bulk_plan.named_in(data)) & self.waiting()
        if early and "bulk-cycles-refused" in self.prov.deviations:
            raise ScimError(409, f"'bulkId:{sorted(early)[0]}' is part of a circular reference.")
        if early:
            data = bulk_plan.strip(data, early)
        return _resolve(self.prov, data, self.created), early

    def complete(self, *, final: bool) -> None:
        """Give each POST created without a reference to a POST of its cycle the whole of its
        data, as soon as the cycle's other POSTs have run (before any later operation); where one
        of them could not be created (or, when final, never ran), the POST fails after all (409)
        and what it created is deleted."""
        waiting = self.waiting()
        ready = [d for d in self.deferred if final or not d.waits & waiting]
        self.deferred = [d for d in self.deferred if d not in ready]
        for index, kind, rid, data, _ in ready:
            result = self.results[index]
            try:
                whole = _resolve(self.prov, data, self.created)
                if _DUPLICATES in self.prov.deviations:  # the bug: a second resource, the first kept
                    rec = self.prov.create(kind, whole)
                    self.created[self.ops[index]["bulkId"]] = rec.id
                else:
                    rec = self.prov.replace(kind, rid, whole, None)
            except ScimError as exc:
                self.prov.delete(kind, rid, None)
                self.created = {b: i for b, i in self.created.items() if i != rid}
                for key in ("location", "version"):
                    result.pop(key, None)
                _failed(result, exc)
                continue
            self._located(result, rec)

    def _located(self, result: dict[str, Any], rec: Record) -> None:
        result["location"] = render.location(self.base, rec)
        if self.prov.etags:
            result["version"] = self.prov.etag(rec)
        if "bulk-no-location" in self.prov.deviations:
            result.pop("location", None)


def _failed(result: dict[str, Any], exc: ScimError) -> None:
    result["status"] = str(exc.status)
    result["response"] = _error(exc)


def _target(
    prov: Provider, op: dict[str, Any], method: str, created: dict[str, str]
) -> tuple[str, str | None]:
    """The kind and id an operation's path names, a "bulkId:" reference resolved.

    RFC 7644 §3.7 ("path"): "If "method" is "POST", the value must specify a resource type
    endpoint, e.g., /Users or /Groups, whereas all other "method" values must specify the path to
    a specific resource"."""
    if method not in METHODS:
        raise ScimError(400, f"Bulk operation method must be one of {', '.join(METHODS)}.", "invalidSyntax")
    found = _PATH.match(str(op.get("path") or ""))
    if found is None:
        raise ScimError(404, f"No SCIM endpoint at {op.get('path')!r}.")
    kind, raw = found.group(1)[:-1], found.group(2)
    if (method == "POST") != (raw is None):
        raise ScimError(400, f"A bulk {method} needs a path of the form "
                             f"{'/Users' if method == 'POST' else '/Users/{id}'}.", "invalidPath")
    if method == "POST" and not isinstance(op.get("bulkId"), str):
        raise ScimError(400, "A bulk POST needs a bulkId.", "invalidSyntax")
    if raw is None:
        return kind, None
    rid = unquote(raw)
    if rid.startswith(REFERENCE) and not UNRESOLVED_PATHS & prov.deviations.active:
        rid = _reference(prov, rid, created)
    return kind, rid


def _apply(prov: Provider, op: dict[str, Any], method: str, kind: str, rid: str | None,
           data: Any) -> tuple[Record | None, int]:
    """Run one operation through the Provider; "version" is the If-Match of a single request."""
    version = op.get("version") if isinstance(op.get("version"), str) else None
    if method == "POST":
        return prov.create(kind, data), 201
    assert rid is not None
    if method == "PUT":
        return prov.replace(kind, rid, data, version), 200
    if method == "PATCH":
        if "patch-unsupported" in prov.deviations:
            raise ScimError(501, "PATCH is not supported: patch.supported is false in "
                                 "/ServiceProviderConfig.")
        return prov.patch(kind, rid, data, version), 200
    prov.delete(kind, rid, version)
    return None, 204


def _resolve(prov: Provider, value: Any, created: dict[str, str]) -> Any:
    """data with every string "bulkId:X" replaced by the id of the resource X's POST created.

    RFC 7644 §3.7.2: the client "can reference a newly created resource" in a later operation by
    the value of its "bulkId" prefixed with "bulkId:", as the RFC's example names a new user as a
    member of a new group ("value": "bulkId:qwerty")."""
    if "bulk-ids-unresolved" in prov.deviations:
        return value
    if isinstance(value, dict):
        return {k: _resolve(prov, v, created) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(prov, v, created) for v in value]
    if isinstance(value, str) and value.startswith(REFERENCE):
        return _reference(prov, value, created)
    return value


def _reference(prov: Provider, ref: str, created: dict[str, str]) -> str:
    """RFC 7644 §3.7.1: the service provider "MAY stop after a failed attempt and instead return
    HTTP status code 409 (Conflict)"; a reference to no successful POST of the request gets that
    409 (the POST failed, or the request has none with that bulkId)."""
    rid = created.get(ref.removeprefix(REFERENCE))
    if rid is None:
        raise ScimError(409, f"{ref!r} names no resource this request created.")
    return rid


def _error(exc: ScimError) -> dict[str, Any]:
    """RFC 7644 §3.7 ("status"): "When indicating an error, the "response" attribute MUST contain
    the detail error response as per Section 3.12"."""
    body: dict[str, Any] = {"schemas": [urns.ERROR], "status": str(exc.status)}
    if exc.scim_type:
        body["scimType"] = exc.scim_type
    body["detail"] = exc.detail
    return body
