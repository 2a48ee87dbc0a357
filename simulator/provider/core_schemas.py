"""The RFC 7643 §8.7.1 schemas (User, Group, EnterpriseUser): the provider's single source of truth."""

from __future__ import annotations

from simulator.scim import urns
from simulator.scim.schema import AttributeDef, SchemaDef


def _s(name: str, description: str = "", **kw: object) -> AttributeDef:
    """A string attribute with the RFC defaults (caseExact false, readWrite, returned default)."""
    return AttributeDef(name, description=description, **kw)  # type: ignore[arg-type]


def _multi(
    name: str,
    description: str,
    types: tuple[str, ...],
    value_type: str = "string",
    value_case_exact: bool = False,
) -> AttributeDef:
    """A multi-valued complex attribute with value/display/type/primary (RFC 7643 §2.4)."""
    return AttributeDef(
        name,
        type="complex",
        multi_valued=True,
        description=description,
        sub_attributes=(
            AttributeDef(
                "value",
                type=value_type,
                case_exact=value_case_exact,
                reference_types=("external",) if value_type == "reference" else (),
            ),
            _s("display", "A human-readable name, primarily used for display purposes."),
            _s("type", "A label indicating the attribute's function.", canonical_values=types),
            AttributeDef(
                "primary",
                type="boolean",
                description="The primary attribute value 'true' MUST appear no more than once.",
            ),
        ),
    )


_NAME = AttributeDef(
    "name",
    type="complex",
    description="The components of the user's real name.",
    sub_attributes=tuple(
        _s(n)
        for n in (
            "formatted",
            "familyName",
            "givenName",
            "middleName",
            "honorificPrefix",
            "honorificSuffix",
        )
    ),
)

_ADDRESSES = AttributeDef(
    "addresses",
    type="complex",
    multi_valued=True,
    description="A physical mailing address for this User.",
    sub_attributes=(
        *(_s(n) for n in ("formatted", "streetAddress", "locality", "region", "postalCode", "country")),
        _s(
            "type", "A label indicating the attribute's function.", canonical_values=("work", "home", "other")
        ),
        AttributeDef("primary", type="boolean"),
    ),
)

_USER_GROUPS = AttributeDef(
    "groups",
    type="complex",
    multi_valued=True,
    mutability="readOnly",
    description="A list of groups to which the user belongs, derived from group memberships.",
    sub_attributes=(
        AttributeDef("value", mutability="readOnly", description="The identifier of the User's group."),
        AttributeDef(
            "$ref",
            type="reference",
            case_exact=True,
            mutability="readOnly",
            reference_types=("User", "Group"),
        ),
        _s("display", mutability="readOnly"),
        _s("type", mutability="readOnly", canonical_values=("direct", "indirect")),
    ),
)

_SIMPLE_MULTI = tuple(
    AttributeDef(
        name,
        type="complex",
        multi_valued=True,
        description=desc,
        sub_attributes=(
            _s("value"),
            _s("display"),
            _s("type"),
            AttributeDef("primary", type="boolean"),
        ),
    )
    for name, desc in (
        ("entitlements", "A list of entitlements for the User."),
        ("roles", "A list of roles for the User."),
    )
)

USER = SchemaDef(
    id=urns.CORE_USER,
    name="User",
    description="User Account",
    attributes=(
        _s("userName", "Unique identifier for the User. REQUIRED.", required=True, uniqueness="server"),
        _NAME,
        _s("displayName", "The name of the User, suitable for display to end-users."),
        _s("nickName"),
        AttributeDef("profileUrl", type="reference", case_exact=True, reference_types=("external",)),
        _s("title"),
        _s("userType"),
        _s("preferredLanguage"),
        _s("locale"),
        _s("timezone"),
        AttributeDef("active", type="boolean", description="The User's administrative status."),
        AttributeDef(
            "password",
            case_exact=True,
            mutability="writeOnly",
            returned="never",
            description="The User's cleartext password.",
        ),
        _multi("emails", "Email addresses for the user.", ("work", "home", "other")),
        _multi(
            "phoneNumbers", "Phone numbers for the User.", ("work", "home", "mobile", "fax", "pager", "other")
        ),
        _multi(
            "ims",
            "Instant messaging addresses for the User.",
            ("aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"),
        ),
        _multi(
            "photos",
            "URLs of photos of the User.",
            ("photo", "thumbnail"),
            value_type="reference",
            value_case_exact=True,
        ),
        _ADDRESSES,
        _USER_GROUPS,
        *_SIMPLE_MULTI,
        AttributeDef(
            "x509Certificates",
            type="complex",
            multi_valued=True,
            description="A list of certificates issued to the User.",
            sub_attributes=(
                AttributeDef("value", type="binary"),
                _s("display"),
                _s("type"),
                AttributeDef("primary", type="boolean"),
            ),
        ),
    ),
)

GROUP = SchemaDef(
    id=urns.CORE_GROUP,
    name="Group",
    description="Group",
    attributes=(
        _s("displayName", "A human-readable name for the Group. REQUIRED.", required=True),
        AttributeDef(
            "members",
            type="complex",
            multi_valued=True,
            description="A list of members of the Group.",
            sub_attributes=(
                AttributeDef("value", mutability="immutable", description="Identifier of the member."),
                AttributeDef(
                    "$ref",
                    type="reference",
                    case_exact=True,
                    mutability="immutable",
                    reference_types=("User", "Group"),
                ),
                _s("display", "A human-readable name for the member.", mutability="readOnly"),
                _s(
                    "type",
                    "The type of the member.",
                    mutability="immutable",
                    canonical_values=("User", "Group"),
                ),
            ),
        ),
    ),
)

ENTERPRISE_USER = SchemaDef(
    id=urns.ENTERPRISE_USER,
    name="EnterpriseUser",
    description="Enterprise User",
    attributes=(
        _s("employeeNumber"),
        _s("costCenter"),
        _s("organization"),
        _s("division"),
        _s("department"),
        AttributeDef(
            "manager",
            type="complex",
            description="The User's manager.",
            sub_attributes=(
                _s("value", "The id of the SCIM resource representing the User's manager."),
                AttributeDef("$ref", type="reference", case_exact=True, reference_types=("User",)),
                _s("displayName", mutability="readOnly"),
            ),
        ),
    ),
)
