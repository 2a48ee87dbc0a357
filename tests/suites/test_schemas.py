"""The fixture JSON Schemas and their validator: RFC examples pass, broken variants fail where expected."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from simulator.provider.core_schemas import ENTERPRISE_USER, GROUP, USER
from simulator.scim import urns
from simulator.scim.extensions import parse_extension_spec
from simulator.scim.fixtures import fixture_path
from simulator.scim.schema import AttributeDef, ResourceSchema, SchemaDef
from suites.schemas import (
    SCHEMA_BASE,
    SCHEMA_FILES,
    SchemaProblem,
    check_all_fixture_schemas,
    is_xsd_datetime,
    load_schema,
    resource_json_schema,
    validate,
    validate_with,
)
from tests.conftest import IVANTI, Scim

DELETE = object()
ENT = urns.ENTERPRISE_USER
META = {
    "resourceType": "User",
    "created": "2010-01-23T04:56:22Z",
    "lastModified": "2011-05-13T04:42:34Z",
    "version": 'W/"a330bc54f0671c9"',
    "location": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646",
}
MINIMAL_USER = {  # RFC 7643 §8.1
    "schemas": [urns.CORE_USER],
    "id": "2819c223-7f76-453a-919d-413861904646",
    "userName": "bjensen@example.com",
    "meta": META,
}
FULL_USER = {  # RFC 7643 §8.2, abridged
    **MINIMAL_USER,
    "externalId": "701984",
    "name": {
        "formatted": "Ms. Barbara J Jensen, III",
        "familyName": "Jensen",
        "givenName": "Barbara",
        "middleName": "Jane",
        "honorificPrefix": "Ms.",
        "honorificSuffix": "III",
    },
    "displayName": "Babs Jensen",
    "nickName": "Babs",
    "profileUrl": "https://login.example.com/bjensen",
    "emails": [
        {"value": "bjensen@example.com", "type": "work", "primary": True},
        {"value": "babs@jensen.org", "type": "home"},
    ],
    "addresses": [
        {
            "type": "work",
            "streetAddress": "100 Universal City Plaza",
            "locality": "Hollywood",
            "region": "CA",
            "postalCode": "91608",
            "country": "USA",
            "primary": True,
            "formatted": "100 Universal City Plaza\nHollywood, CA 91608 USA",
        }
    ],
    "phoneNumbers": [{"value": "555-555-5555", "type": "work"}, {"value": "555-555-4444", "type": "mobile"}],
    "ims": [{"value": "someaimhandle", "type": "aim"}],
    "photos": [{"value": "https://photos.example.com/profilephoto/72930000000Ccne/F", "type": "photo"}],
    "userType": "Employee",
    "title": "Tour Guide",
    "preferredLanguage": "en-US",
    "locale": "en-US",
    "timezone": "America/Los_Angeles",
    "active": True,
    "groups": [
        {
            "value": "e9e30dba-f08f-4109-8486-d5c6a331660a",
            "display": "Tour Guides",
            "$ref": "https://example.com/v2/Groups/e9e30dba-f08f-4109-8486-d5c6a331660a",
        }
    ],
    "x509Certificates": [{"value": "MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMCVVMx"}],
}
ENTERPRISE = {  # RFC 7643 §8.3, abridged
    **MINIMAL_USER,
    "schemas": [urns.CORE_USER, ENT],
    ENT: {
        "employeeNumber": "701984",
        "costCenter": "4130",
        "organization": "Universal Studios",
        "division": "Theme Park",
        "department": "Tour Operations",
        "manager": {
            "value": "26118915-6090-4610-87e4-49d8ca9f808d",
            "displayName": "John Smith",
            "$ref": "../Users/26118915-6090-4610-87e4-49d8ca9f808d",
        },
    },
}
GROUP_DOC = {  # RFC 7643 §8.4
    "schemas": [urns.CORE_GROUP],
    "id": "e9e30dba-f08f-4109-8486-d5c6a331660a",
    "displayName": "Tour Guides",
    "members": [
        {
            "value": "2819c223-7f76-453a-919d-413861904646",
            "display": "Babs Jensen",
            "$ref": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646",
        }
    ],
    "meta": {**META, "resourceType": "Group"},
}
LIST = {  # RFC 7644 §3.4.2
    "schemas": [urns.LIST_RESPONSE],
    "totalResults": 2,
    "itemsPerPage": 1,
    "startIndex": 1,
    "Resources": [{"id": "2819c223-7f76-453a-919d-413861904646", "userName": "bjensen"}],
}
CURSOR_LIST = {  # RFC 9865 §2: a middle page, without totalResults
    "schemas": [urns.LIST_RESPONSE],
    "itemsPerPage": 1,
    "previousCursor": "ze7L30kMiiLX6x",
    "nextCursor": "YkU3OF86Pz0rGv",
    "Resources": [{"id": "2819c223-7f76-453a-919d-413861904646", "userName": "bjensen"}],
}
ERROR = {  # RFC 7644 §3.12
    "schemas": [urns.ERROR],
    "scimType": "mutability",
    "detail": "Attribute 'id' is readOnly",
    "status": "400",
}
PATCH = {  # RFC 7644 §3.5.2
    "schemas": [urns.PATCH_OP],
    "Operations": [
        {"op": "add", "path": "members", "value": [{"display": "Babs Jensen", "value": "2819c223"}]},
        {"op": "remove", "path": 'members[value eq "2819c223-7f76-453a-919d-413861904646"]'},
        {"op": "replace", "value": {"emails": [{"value": "bjensen@example.com", "type": "work"}]}},
    ],
}
SPC = {  # RFC 7643 §8.5
    "schemas": [urns.SERVICE_PROVIDER_CONFIG],
    "documentationUri": "http://example.com/help/scim.html",
    "patch": {"supported": True},
    "bulk": {"supported": True, "maxOperations": 1000, "maxPayloadSize": 1048576},
    "filter": {"supported": True, "maxResults": 200},
    "changePassword": {"supported": True},
    "sort": {"supported": True},
    "etag": {"supported": True},
    "authenticationSchemes": [
        {
            "name": "OAuth Bearer Token",
            "description": "Authentication scheme using the OAuth Bearer Token",
            "specUri": "http://www.rfc-editor.org/info/rfc6750",
            "type": "oauthbearertoken",
            "primary": True,
        },
        {
            "name": "HTTP Basic",
            "description": "Authentication scheme using the HTTP Basic Standard",
            "specUri": "http://www.rfc-editor.org/info/rfc2617",
            "type": "httpbasic",
        },
    ],
    "meta": {
        **META,
        "resourceType": "ServiceProviderConfig",
        "location": "https://example.com/v2/ServiceProviderConfig",
    },
}
RESOURCE_TYPE = {  # RFC 7643 §8.6
    "schemas": [urns.RESOURCE_TYPE],
    "id": "User",
    "name": "User",
    "endpoint": "/Users",
    "description": "User Account",
    "schema": urns.CORE_USER,
    "schemaExtensions": [{"schema": ENT, "required": True}],
    "meta": {"location": "https://example.com/v2/ResourceTypes/User", "resourceType": "ResourceType"},
}
SCHEMA = {  # RFC 7643 §8.7.1, Group abridged
    "id": urns.CORE_GROUP,
    "name": "Group",
    "description": "Group",
    "attributes": [
        {
            "name": "displayName",
            "type": "string",
            "multiValued": False,
            "required": False,
            "caseExact": False,
            "mutability": "readWrite",
            "returned": "default",
            "uniqueness": "none",
        },
        {
            "name": "members",
            "type": "complex",
            "multiValued": True,
            "required": False,
            "mutability": "readWrite",
            "returned": "default",
            "subAttributes": [
                {"name": "value", "type": "string", "multiValued": False, "mutability": "immutable"},
                {
                    "name": "$ref",
                    "type": "reference",
                    "referenceTypes": ["User", "Group"],
                    "multiValued": False,
                    "mutability": "immutable",
                },
            ],
        },
    ],
    "meta": {"resourceType": "Schema", "location": f"/v2/Schemas/{urns.CORE_GROUP}"},
}
BULK = {  # after RFC 7644 §3.7.3's example
    "schemas": [urns.BULK_RESPONSE],
    "Operations": [
        {"location": "https://example.com/v2/Users/92b725cd-9465-4e7d-8c16-01f8e146b87a",
         "method": "POST", "bulkId": "qwerty", "version": 'W/"4weymrEsh5O6cAEK"', "status": "201"},
        {"location": "https://example.com/v2/Users/b7c14771-226c-4d05-8860-134711653041",
         "method": "PUT", "version": 'W/"huJj29dMNgu3WXPD"', "status": "200"},
        {"location": "https://example.com/v2/Users/e9025315-6bea-44e1-899c-1e07454e468b",
         "method": "DELETE", "status": "204"},
        {"method": "POST", "bulkId": "qwerty", "status": "400",
         "response": {"schemas": [urns.ERROR], "scimType": "invalidSyntax",
                      "detail": "Request is unparsable, syntactically incorrect, or violates schema.",
                      "status": "400"}},
    ],
}
SAMPLES: dict[str, list[Any]] = {
    "user": [MINIMAL_USER, FULL_USER, ENTERPRISE],
    "enterprise-user": [ENTERPRISE],
    "group": [GROUP_DOC],
    "list-response": [LIST, {"schemas": [urns.LIST_RESPONSE], "totalResults": 0}],
    "cursor-list-response": [CURSOR_LIST, LIST, {"schemas": [urns.LIST_RESPONSE], "Resources": []}],
    "error": [ERROR, {"schemas": [urns.ERROR], "status": "404"}],
    "patch-op": [PATCH],
    "bulk-response": [BULK, {"schemas": [urns.BULK_RESPONSE], "Operations": []}],
    "service-provider-config": [SPC],
    "resource-type": [RESOURCE_TYPE],
    "schema": [SCHEMA, *(s.to_json() for s in (USER, GROUP, ENTERPRISE_USER))],
}


def changed(doc: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    """A deep copy of doc with the value at path replaced (or deleted, for DELETE)."""
    out = copy.deepcopy(doc)
    parent: Any = out
    for part in path[:-1]:
        parent = parent[part]
    if value is DELETE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return out


def pointers(problems: list[SchemaProblem]) -> set[str]:
    return {p.pointer for p in problems}


def test_every_fixture_schema_is_valid_draft_2020_12() -> None:
    check_all_fixture_schemas()


def test_fixture_folder_holds_exactly_the_named_files() -> None:
    on_disk = {p.name for p in fixture_path("schemas").glob("*.schema.json")}
    assert on_disk == set(SCHEMA_FILES.values())


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_schema_files_are_titled_and_cite_the_rfc(name: str) -> None:
    schema = load_schema(name)
    assert schema["$id"] == SCHEMA_BASE + SCHEMA_FILES[name]
    assert schema["title"] and "RFC 764" in schema["description"]
    assert load_schema(name) is schema


def test_unknown_schema_name_lists_the_known_ones() -> None:
    with pytest.raises(KeyError, match="list-response"):
        load_schema("users")


@pytest.mark.parametrize(("name", "index"), [(n, i) for n, docs in SAMPLES.items() for i in range(len(docs))])
def test_rfc_examples_are_valid(name: str, index: int) -> None:
    assert validate(SAMPLES[name][index], name) == []


BROKEN = [
    ("user", FULL_USER, ("active",), "true", "/active"),
    ("user", FULL_USER, ("emails",), {"value": "bjensen@example.com"}, "/emails"),
    ("user", FULL_USER, ("emails", 0, "primary"), "yes", "/emails/0/primary"),
    ("user", FULL_USER, ("emails", 1, "primary"), True, "/emails"),
    ("user", FULL_USER, ("userName",), DELETE, ""),
    ("user", FULL_USER, ("userName",), "", "/userName"),
    ("user", FULL_USER, ("id",), "bulkId", "/id"),
    ("user", FULL_USER, ("schemas",), [urns.CORE_GROUP], "/schemas"),
    ("user", FULL_USER, ("schemas",), [urns.CORE_USER, urns.CORE_USER], "/schemas"),
    ("user", FULL_USER, ("name",), "Barbara Jensen", "/name"),
    ("user", FULL_USER, ("meta", "created"), "2010-01-23", "/meta/created"),
    ("user", FULL_USER, ("meta", "lastModified"), 1295758582, "/meta/lastModified"),
    ("user", FULL_USER, ("x509Certificates", 0, "value"), "not base64!", "/x509Certificates/0/value"),
    ("user", ENTERPRISE, ("schemas",), [urns.CORE_USER], "/schemas"),
    ("enterprise-user", ENTERPRISE, (ENT, "manager"), "John Smith", f"/{ENT}/manager"),
    ("enterprise-user", ENTERPRISE, (ENT,), DELETE, ""),
    ("enterprise-user", ENTERPRISE, (ENT, "employeeNumber"), 701984, f"/{ENT}/employeeNumber"),
    ("group", GROUP_DOC, ("displayName",), DELETE, ""),
    ("group", GROUP_DOC, ("members",), {"value": "x"}, "/members"),
    ("group", GROUP_DOC, ("members", 0, "value"), 5, "/members/0/value"),
    ("bulk-response", BULK, ("schemas",), [urns.BULK_REQUEST], "/schemas"),
    ("bulk-response", BULK, ("Operations", 0, "status"), "Created", "/Operations/0/status"),
    ("bulk-response", BULK, ("Operations", 1, "method"), "GET", "/Operations/1/method"),
    ("bulk-response", BULK, ("failOnErrors",), 1, ""),
    ("list-response", LIST, ("totalResults",), "1", "/totalResults"),
    ("list-response", LIST, ("totalResults",), 1.0, "/totalResults"),
    ("list-response", LIST, ("Resources",), DELETE, ""),
    ("list-response", LIST, ("startIndex",), 0, "/startIndex"),
    ("list-response", LIST, ("itemsPerPage",), -1, "/itemsPerPage"),
    ("list-response", LIST, ("schemas",), [urns.ERROR], "/schemas"),
    ("list-response", CURSOR_LIST, ("previousCursor",), "x", ""),  # an index-paged list needs the total
    ("cursor-list-response", CURSOR_LIST, ("nextCursor",), 7, "/nextCursor"),
    ("cursor-list-response", CURSOR_LIST, ("totalResults",), "1", "/totalResults"),
    ("cursor-list-response", LIST, ("Resources",), DELETE, ""),  # totalResults 2 needs Resources
    ("cursor-list-response", CURSOR_LIST, ("schemas",), [urns.ERROR], "/schemas"),
    ("error", ERROR, ("status",), 400, "/status"),
    ("error", ERROR, ("status",), "Bad Request", "/status"),
    ("error", ERROR, ("scimType",), "invalidRequest", "/scimType"),
    ("error", ERROR, ("schemas",), DELETE, ""),
    ("patch-op", PATCH, ("Operations", 0, "op"), "move", "/Operations/0/op"),
    ("patch-op", PATCH, ("Operations",), [], "/Operations"),
    ("patch-op", PATCH, ("Operations", 0, "value"), DELETE, "/Operations/0"),
    ("patch-op", PATCH, ("Operations", 1, "path"), DELETE, "/Operations/1"),
    ("service-provider-config", SPC, ("patch", "supported"), "true", "/patch/supported"),
    ("service-provider-config", SPC, ("etag",), DELETE, ""),
    ("service-provider-config", SPC, ("bulk", "maxOperations"), DELETE, "/bulk"),
    ("service-provider-config", SPC, ("filter", "maxResults"), "200", "/filter/maxResults"),
    (
        "service-provider-config",
        SPC,
        ("authenticationSchemes", 0, "description"),
        DELETE,
        "/authenticationSchemes/0",
    ),
    ("service-provider-config", SPC, ("authenticationSchemes",), [], "/authenticationSchemes"),
    ("resource-type", RESOURCE_TYPE, ("endpoint",), DELETE, ""),
    (
        "resource-type",
        RESOURCE_TYPE,
        ("schemaExtensions", 0, "required"),
        "true",
        "/schemaExtensions/0/required",
    ),
    ("schema", SCHEMA, ("attributes", 0, "type"), "colour", "/attributes/0/type"),
    (
        "schema",
        SCHEMA,
        ("attributes", 1, "subAttributes", 0, "multiValued"),
        DELETE,
        "/attributes/1/subAttributes/0",
    ),
    ("schema", SCHEMA, ("attributes", 0, "mutability"), "readonly", "/attributes/0/mutability"),
    ("schema", SCHEMA, ("attributes", 0, "name"), "display.name", "/attributes/0/name"),
    ("schema", SCHEMA, ("attributes",), [], "/attributes"),
]


@pytest.mark.parametrize(
    ("name", "doc", "path", "value", "pointer"),
    BROKEN,
    ids=[f"{b[0]}:{'.'.join(map(str, b[2]))}={b[3]!r:.20}" for b in BROKEN],
)
def test_broken_variants_fail_exactly_where_expected(name, doc, path, value, pointer) -> None:
    problems = validate(changed(doc, path, value), name)
    assert pointers(problems) == {pointer}, "\n".join(p.render() for p in problems)


LENIENT = [  # each is correct per the RFC, so a failure here would be a false failure
    ("user", changed(FULL_USER, ("title",), None)),  # RFC 7643 §2.5: null means unassigned
    ("user", changed(FULL_USER, ("emails",), [])),
    ("user", changed(FULL_USER, ("meta",), DELETE)),  # asserted separately by the checks
    ("user", changed(FULL_USER, ("meta", "created"), "2010-01-23T04:56:22")),  # xsd: zone optional
    ("user", changed(FULL_USER, ("meta", "created"), "2010-01-23T04:56:22.123456789+05:30")),
    ("user", changed(FULL_USER, ("schemas",), ["URN:IETF:params:scim:schemas:core:2.0:user"])),
    ("user", changed(FULL_USER, ("urn:example:ext:2.0:User",), {"anything": 1})),
    ("user", changed(FULL_USER, ("emails", 0, "type"), "personal")),  # canonical values are suggestions
    ("list-response", changed(LIST, ("Resources",), [])),  # a page past the end
    ("cursor-list-response", changed(CURSOR_LIST, ("Resources",), DELETE)),  # no total: Resources optional
    ("patch-op", changed(PATCH, ("Operations", 0, "op"), "Add")),
    ("bulk-response", changed(BULK, ("Operations", 2, "bulkId"), None)),  # mitol-django-scim's DELETE
    ("bulk-response", changed(BULK, ("Operations", 3, "location"), None)),  # a failed POST's
    ("service-provider-config", changed(SPC, ("bulk",), {"supported": False})),
    ("resource-type", changed(RESOURCE_TYPE, ("id",), DELETE)),  # §6: id is OPTIONAL
    ("schema", changed(SCHEMA, ("schemas",), [urns.SCHEMA])),
]


@pytest.mark.parametrize(("name", "doc"), LENIENT, ids=[f"{n}-{i}" for i, (n, _) in enumerate(LENIENT)])
def test_rfc_permitted_variations_are_accepted(name: str, doc: dict[str, Any]) -> None:
    assert validate(doc, name) == []


@pytest.mark.parametrize(
    "value",
    [
        "2008-01-23T04:56:22Z",
        "2008-01-23T04:56:22",
        "2008-02-29T23:59:59.5-08:00",
        "2008-01-23T24:00:00Z",
        "12008-01-23T04:56:22+14:00",
    ],
)
def test_xsd_datetimes_are_accepted(value: str) -> None:
    assert is_xsd_datetime(value)


@pytest.mark.parametrize(
    "value",
    [
        "2008-01-23",
        "2008-01-23 04:56:22Z",
        "20080123T045622Z",
        "2007-02-29T00:00:00Z",
        "2008-01-23T04:56:60Z",
        "2008-01-23T24:00:01Z",
        "2008-01-23T04:56:22+14:30",
        "2008-01-23t04:56:22z",
        "yesterday",
    ],
)
def test_other_datetimes_are_rejected(value: str) -> None:
    assert not is_xsd_datetime(value)


def test_common_defs_are_usable_from_a_run_time_schema() -> None:
    id_schema = {"$ref": f"{SCHEMA_BASE}{SCHEMA_FILES['common']}#/$defs/id"}
    assert pointers(validate_with("", id_schema)) == {""}
    assert pointers(validate_with("bulkId", id_schema)) == {""}
    assert validate_with("2819c223", id_schema) == []
    meta_schema = {"$ref": f"{SCHEMA_BASE}{SCHEMA_FILES['common']}#/$defs/meta"}
    assert pointers(validate_with({"created": "2010-01-23", "version": 3}, meta_schema)) == {
        "/created",
        "/version",
    }


def test_problems_come_in_document_order() -> None:
    emails = [{"value": f"u{i}@example.com"} for i in range(11)]
    emails[2]["primary"] = emails[10]["primary"] = "no"
    problems = validate({**MINIMAL_USER, "emails": emails, "active": 1}, "user")
    assert [p.pointer for p in problems] == ["/active", "/emails/2/primary", "/emails/10/primary"]


def test_pointers_escape_slash_and_tilde() -> None:
    schema = {"properties": {"a/b": {"type": "string"}, "c~d": {"type": "string"}}}
    assert pointers(validate_with({"a/b": 1, "c~d": 2}, schema)) == {"/a~1b", "/c~0d"}


def test_render_shows_message_pointer_schema_path_fragment_and_value() -> None:
    [problem] = validate(changed(FULL_USER, ("emails", 0, "primary"), "yes"), "user")
    text = problem.render()
    assert problem.message in text
    assert "/emails/0/primary" in text
    assert problem.schema_path == "properties/emails/items/properties/primary/type"
    assert problem.schema_path in text
    assert json.dumps(problem.fragment, separators=(",", ":")) in text
    assert '"yes"' in text


def test_render_truncates_large_values_and_names_the_root() -> None:
    [problem] = validate({"schemas": [urns.ERROR], "status": "500", "detail": ["x" * 2000]}, "error")
    assert len(problem.render()) < 1200
    [root] = validate(changed(ERROR, ("schemas",), DELETE), "error")
    assert "(document root)" in root.render()


# --- resource_json_schema: a schema from the target's own /Schemas --------------------------

IVANTI_EXT = parse_extension_spec(f"{IVANTI}=custAttr1,level:integer")


def reparsed(schema: SchemaDef) -> SchemaDef:
    """The schema as a client reads it back from GET /Schemas."""
    return SchemaDef.from_json(json.loads(json.dumps(schema.to_json())))


@pytest.fixture(scope="module")
def generated() -> dict[str, Any]:
    rs = ResourceSchema(reparsed(USER), (reparsed(ENTERPRISE_USER), reparsed(IVANTI_EXT)))
    return resource_json_schema(rs)


def ivanti_user(**ext: Any) -> dict[str, Any]:
    user = changed(ENTERPRISE, ("schemas",), [urns.CORE_USER, ENT, IVANTI])
    return {
        **user,
        "name": FULL_USER["name"],
        "emails": FULL_USER["emails"],
        IVANTI: {"custAttr1": "blue", "level": 3, **ext},
    }


def test_generated_schema_is_valid_and_accepts_a_valid_user(generated: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(generated)
    assert validate_with(ivanti_user(), generated) == []
    assert validate_with(FULL_USER, generated) == []


@pytest.mark.parametrize(
    ("doc", "pointer"),
    [
        (ivanti_user(level="x"), f"/{IVANTI}/level"),
        (ivanti_user(level=3.0), f"/{IVANTI}/level"),  # RFC 7643 §2.3.4: no fractional digits
        (changed(ivanti_user(), ("schemas",), [urns.CORE_USER, ENT]), "/schemas"),
        (changed(ivanti_user(), ("userName",), DELETE), ""),
        (changed(ivanti_user(), ("active",), "true"), "/active"),
        (changed(ivanti_user(), ("meta", "created"), "Jan 23 2010"), "/meta/created"),
        (changed(ivanti_user(), (ENT, "manager", "value"), 7), f"/{ENT}/manager/value"),
        (changed(ivanti_user(), ("emails", 1, "primary"), True), "/emails"),
    ],
)
def test_generated_schema_rejects_wrong_types(
    generated: dict[str, Any], doc: dict[str, Any], pointer: str
) -> None:
    assert pointers(validate_with(doc, generated)) == {pointer}


def test_canonical_values_are_annotated_not_enforced(generated: dict[str, Any]) -> None:
    email_type = generated["properties"]["emails"]["items"]["properties"]["type"]
    assert email_type["x-canonicalValues"] == ["work", "home", "other"]
    assert validate_with(changed(ivanti_user(), ("emails", 0, "type"), "personal"), generated) == []


def test_required_follows_returned_and_mutability() -> None:
    core = SchemaDef(
        "urn:example:2.0:Thing",
        "Thing",
        "",
        (
            AttributeDef("code", required=True),
            AttributeDef("secret", required=True, mutability="writeOnly", returned="never"),
            AttributeDef("extra", required=True, returned="request"),
        ),
    )
    ext = SchemaDef("urn:example:ext:2.0:Thing", "Ext", "", (AttributeDef("level", type="integer"),))
    rs = ResourceSchema(core, (ext,), frozenset({"urn:example:ext:2.0:Thing"}))
    schema = resource_json_schema(rs)
    assert schema["required"] == ["schemas", "id", "code", "urn:example:ext:2.0:Thing"]
    assert schema["properties"]["secret"]["type"] == ["string", "null"]


def test_required_multi_valued_attributes_are_not_empty() -> None:
    core = SchemaDef(
        "urn:example:2.0:Bag", "Bag", "", (AttributeDef("tags", multi_valued=True, required=True),)
    )
    schema = resource_json_schema(ResourceSchema(core))
    doc = {"schemas": ["urn:example:2.0:Bag"], "id": "1", "tags": []}
    assert pointers(validate_with(doc, schema)) == {"/tags"}  # RFC 7643 §2.5: [] is unassigned
    assert validate_with({**doc, "tags": ["a"]}, schema) == []


def test_generated_group_schema_accepts_the_rfc_group() -> None:
    assert validate_with(GROUP_DOC, resource_json_schema(ResourceSchema(reparsed(GROUP)))) == []


# --- the reference provider, which is compliant, passes every schema -----------------------


def test_reference_provider_responses_are_valid(scim: Scim) -> None:
    user = scim.create_user("alice.smith@example.com")
    group = scim.create_group("Tour Guides", [user["id"]])
    assert validate(scim.get(f"/Users/{user['id']}").json(), "user") == []
    assert validate(scim.get(f"/Groups/{group['id']}").json(), "group") == []
    assert validate(scim.list("/Users"), "list-response") == []
    assert validate(scim.get("/Users/does-not-exist").json(), "error") == []
    assert validate(scim.get("/ServiceProviderConfig").json(), "service-provider-config") == []
    for resource_type in scim.list("/ResourceTypes")["Resources"]:
        assert validate(resource_type, "resource-type") == []
    for schema in scim.list("/Schemas")["Resources"]:
        assert validate(schema, "schema") == []


def test_schema_generated_from_provider_schemas_accepts_its_users(scim: Scim) -> None:
    docs = {s["id"]: SchemaDef.from_json(s) for s in scim.list("/Schemas")["Resources"]}
    rs = ResourceSchema(docs[urns.CORE_USER], (docs[ENT], docs[IVANTI]))
    user = scim.create_user(
        "bob.jones@example.com", **{IVANTI: {"level": 2, "vip": True}}, schemas=[urns.CORE_USER, IVANTI]
    )
    assert validate_with(scim.get(f"/Users/{user['id']}").json(), resource_json_schema(rs)) == []
