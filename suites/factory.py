"""Realistic resources for checks: run-prefixed names from Faker, each one put in the ledger."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from faker import Faker

from simulator.scim import urns
from suites.client import Reply, ScimClient
from suites.config import RunConfig
from suites.expect import describe, fail
from suites.ledger import Ledger


@dataclass
class Factory:
    """Builds and creates Users and Groups that belong to this run."""

    client: ScimClient
    ledger: Ledger
    config: RunConfig
    faker: Faker = field(default_factory=Faker)
    _serial: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self.faker.seed_instance(self.config.run_id)

    def user_name(self) -> str:
        """A unique userName: scimcert-<runid>-<realistic name><n>@example.com."""
        return f"{self.config.prefix}{self.faker.user_name()}{next(self._serial)}@example.com"

    def group_name(self) -> str:
        return f"{self.config.prefix}{self.faker.job()} {next(self._serial)}"

    def user_body(self, **overrides: Any) -> dict[str, Any]:
        """Okta's create body (okta-scim.md §4.2a) with realistic values; overrides win."""
        given, family = self.faker.first_name(), self.faker.last_name()
        name = overrides.get("userName") or self.user_name()
        body: dict[str, Any] = {
            "schemas": [urns.CORE_USER],
            "userName": name,
            "name": {"givenName": given, "familyName": family},
            "emails": [{"primary": True, "value": name, "type": "work"}],
            "displayName": f"{given} {family}",
            "locale": "en-US",
            "externalId": "00u" + self.faker.pystr(min_chars=17, max_chars=17),
            "active": True,
        }
        body.update(overrides)
        return body

    def group_body(self, members: list[str] | tuple[str, ...] = (), **overrides: Any) -> dict[str, Any]:
        body: dict[str, Any] = {"schemas": [urns.CORE_GROUP], "displayName": self.group_name(),
                                "members": [{"value": m} for m in members]}
        body.update(overrides)
        return body

    def post_user(self, body: dict[str, Any], **kw: Any) -> Reply:
        """POST /Users; the client puts whatever is created into the ledger before returning."""
        return self.client.post("/Users", body, **kw)

    def post_group(self, body: dict[str, Any], **kw: Any) -> Reply:
        return self.client.post("/Groups", body, **kw)

    def user(self, **overrides: Any) -> dict[str, Any]:
        """A created user (precondition of many checks); fails clearly when creation fails."""
        __tracebackhide__ = True
        return self.create_user(self.user_body(**overrides))

    def create_user(self, body: dict[str, Any]) -> dict[str, Any]:
        __tracebackhide__ = True
        return self._created(self.post_user(body), "User")

    def users(self, bodies: Iterable[dict[str, Any]], in_flight: int = 4) -> list[dict[str, Any]]:
        """Create many users (a check's setup, not its subject) with a few POSTs in flight, as
        Okta's own provisioning does; results in the order of the bodies. Bodies are built by
        the caller, so Faker's values stay reproducible from the run id."""
        __tracebackhide__ = True
        with ThreadPoolExecutor(max_workers=in_flight) as pool:
            return list(pool.map(self.create_user, bodies))

    def group(self, members: list[str] | tuple[str, ...] = (), **overrides: Any) -> dict[str, Any]:
        __tracebackhide__ = True
        reply = self.post_group(self.group_body(members, **overrides))
        return self._created(reply, "Group")

    @staticmethod
    def _created(reply: Reply, kind: str) -> dict[str, Any]:
        __tracebackhide__ = True
        if reply.status not in (200, 201) or not isinstance(reply.body.get("id"), str):
            fail(f"(precondition) POST /{kind}s creates the {kind.lower()}", describe(reply), reply)
        return reply.body
