"""django-scim2's filter queries, with externalId and the group's displayName mapped to columns.

Its default GroupFilterQuery maps none, so no group filter could work without this (the
USER_FILTER_PARSER / GROUP_FILTER_PARSER settings are how its docs say to configure them). The
adapters reuse these maps as the attributes a PATCH may replace, so nothing else (id!) is mapped.
"""

from typing import ClassVar

from django_scim.filters import GroupFilterQuery as BaseGroupFilterQuery
from django_scim.filters import UserFilterQuery as BaseUserFilterQuery

AttrMap = dict[tuple[str, str | None, str | None], str]
EXTERNAL_ID: AttrMap = {("externalId", None, None): "scim_external_id"}


class UserFilterQuery(BaseUserFilterQuery):
    attr_map: ClassVar[AttrMap] = {**BaseUserFilterQuery.attr_map, **EXTERNAL_ID}


class GroupFilterQuery(BaseGroupFilterQuery):
    attr_map: ClassVar[AttrMap] = {**EXTERNAL_ID, ("displayName", None, None): "name"}
