"""A scripted server that holds clients to the schemas it publishes, as Canaille 0.3.6's SCIM server
(pytest-iam 0.3.0) does: it refuses what its /Schemas does not define and requires what it marks
required, and it declares externalId readOnly.

Its User schema marks name and name.formatted required, defines emails and phoneNumbers with a
value only, and no locale or nickName; its Group schema marks members and members.$ref required
and defines no members.type. A request that carries an attribute it does not define, or lacks one
it requires, is refused with 400 (RFC 7644 §3.12: invalidSyntax, "did not conform to the request
schema"; invalidValue, "A required value was missing"). An empty group is still created (as
Canaille does) and read back without members, against its own schema: GRP-CREATE-004's matter.
"""

from __future__ import annotations

import json
from typing import Any

from simulator.scim import urns
from tests.suites.support import Response, failing, provider, run_suites

USER_KEYS = {"schemas", "id", "externalId", "meta", "userName", "name", "displayName", "title",
             "active", "password", "emails", "phoneNumbers", urns.ENTERPRISE_USER}
ONLY_VALUE = ("emails", "phoneNumbers")
FILES = ["users/test_create.py", "users/test_replace.py", "groups/test_replace.py",
         "groups/test_create.py", "patch/test_users.py", "patch/test_groups.py"]
SELECTED = " or ".join((
    "test_create", "test_put_null_and_empty_array_clear_values", "test_remove_single_valued",
    "test_put_clears_omitted_attributes", "test_add_member"))


def _user_problem(body: dict[str, Any]) -> str | None:
    """Why this server refuses a User body; None when it takes it."""
    extra = sorted(k for k in body if k not in USER_KEYS and not k.startswith("urn:"))
    if extra:
        return f"Extra inputs are not permitted: {extra[0]}"
    if not isinstance(body.get("name"), dict) or "formatted" not in body["name"]:
        return "Field 'formatted' is required but value is missing: name"
    for attr in ONLY_VALUE:
        if any(set(item) - {"value"} for item in body.get(attr) or []):
            return f"Extra inputs are not permitted: {attr}"
    return None


def _group_problem(body: dict[str, Any], method: str) -> str | None:
    """Why this server refuses a Group body; None when it takes it."""
    members = body.get("members")
    if method == "PUT" and not members:
        return "Field 'members' is required but value is missing or null"
    for member in members or []:
        if "type" in member:
            return "Extra inputs are not permitted: members, 0, type"
        if "$ref" not in member:
            return "Field 'ref' is required but value is missing or null: members, 0"
    return None


def _refusal(resp: Response) -> str | None:
    if resp.method not in ("POST", "PUT") or resp.status not in (200, 201) or not resp.request:
        return None
    sent = json.loads(resp.request)
    if not isinstance(sent, dict):
        return None
    if resp.path.startswith("/scim/v2/Users"):
        return _user_problem(sent)
    if resp.path.startswith("/scim/v2/Groups"):
        return _group_problem(sent, resp.method)
    return None


def _strict_schema(schema: dict[str, Any]) -> None:
    attrs = {a["name"]: a for a in schema["attributes"]}
    if schema["id"] == urns.CORE_USER:
        schema["attributes"] = [a for a in schema["attributes"] if a["name"] in USER_KEYS]
        attrs["name"]["required"] = True
        next(s for s in attrs["name"]["subAttributes"] if s["name"] == "formatted")["required"] = True
        for name in ONLY_VALUE:
            attrs[name]["subAttributes"] = [s for s in attrs[name]["subAttributes"] if s["name"] == "value"]
        schema["attributes"].append({**attrs["userName"], "name": "externalId", "required": False,
                                     "mutability": "readOnly", "uniqueness": "none"})
    elif schema["id"] == urns.CORE_GROUP:
        attrs["members"]["required"] = True
        subs = [s for s in attrs["members"]["subAttributes"] if s["name"] != "type"]
        for sub in subs:
            sub["required"] = sub["required"] or sub["name"] == "$ref"
        attrs["members"]["subAttributes"] = subs


def _holds_to_its_schemas(resp: Response) -> None:
    problem = _refusal(resp)
    if problem is not None:
        resp.status = 400
        resp.set_json({"schemas": [urns.ERROR], "status": "400", "scimType": "invalidValue",
                       "detail": problem})
        return
    body = resp.json if resp.status in (200, 201) and resp.body.strip() else None
    if not isinstance(body, dict):
        return
    for doc in [body, *(r for r in body.get("Resources") or [] if isinstance(r, dict))]:
        if doc.get("id") in (urns.CORE_USER, urns.CORE_GROUP):
            _strict_schema(doc)
        elif urns.CORE_USER in (doc.get("schemas") or []):
            doc.pop("externalId", None)  # readOnly here: what a client sends is ignored
        for member in doc.get("members") or []:
            member.pop("type", None)  # a sub-attribute this server does not define
    resp.set_json(body)


def test_checks_send_what_the_target_schema_defines_and_requires() -> None:
    """Every create of the factory used to be refused (no name.formatted; emails.primary, locale),
    so did the setup of USR-REPLACE-003 (phoneNumbers.type), PATCH-USR-REMOVE-001 (nickName) and
    the PATCH-GRP checks (members.type, no $ref); USR-CREATE-014 judged a readOnly externalId and
    GRP-REPLACE-003 a PUT without the members this server requires. Only GRP-CREATE-004 fails now:
    the empty group comes back without the members its own schema requires."""
    with provider(rewrite=_holds_to_its_schemas) as url:
        summary = run_suites(url, FILES, "-k", SELECTED)
    assert failing(summary) == {"GRP-CREATE-004"}, {
        c["id"]: c["message"][:300] for c in summary["checks"] if c["outcome"] == "failed"}
    outcomes = {c["id"]: c["outcome"] for c in summary["checks"]}
    for check in ("USR-CREATE-001", "USR-CREATE-014", "USR-REPLACE-003", "PATCH-USR-REMOVE-001",
                  "GRP-REPLACE-003", "PATCH-GRP-ADD-001"):
        assert outcomes[check] == "passed", check
