"""ETags of users this run creates, and stale ones to send back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.scim.paths import user_path
from suites.client import Reply, ScimClient
from suites.expect import expect, expect_header, expect_object, expect_status
from suites.factory import Factory
from suites.target import Target

REPLACEABLE = ("schemas", "userName", "name", "emails", "displayName", "locale", "externalId",
               "active")


@dataclass(frozen=True, slots=True)
class Versioned:
    """A user as last read, with its current ETag and the one it had before a change."""

    user: dict[str, Any]
    etag: str
    stale: str

    @property
    def path(self) -> str:
        return user_path(self.user["id"])


def read(client: ScimClient, path: str) -> tuple[dict[str, Any], str, Reply]:
    """GET a resource; its body and ETag header (which must be there)."""
    __tracebackhide__ = True
    reply = client.get(path)
    body = expect_object(expect_status(reply, 200))
    return body, expect_header(reply, "ETag"), reply


def replacement(factory: Factory, user: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A PUT body: the client-owned attributes of user (no id, meta or groups), changed, with its
    data of the extensions the target requires."""
    return factory.replacing(user, {**{k: user[k] for k in REPLACEABLE if k in user}, **changes})


@dataclass(frozen=True, slots=True)
class Change:
    """A new value of the attribute a check modifies: displayName, or name.givenName where the
    target's User schema in /Schemas lacks it (displayName is optional, RFC 7643 §4.1.1), since a
    server need not keep, nor version, an attribute it does not define."""

    attr: str  # "displayName" or "name.givenName"
    value: str

    def replacing(self, factory: Factory, user: dict[str, Any]) -> dict[str, Any]:
        """A PUT body: user with this change."""
        top, _, sub = self.attr.partition(".")
        changed = {**(user.get(top) or {}), sub: self.value} if sub else self.value
        return replacement(factory, user, **{top: changed})


def change(target: Target, factory: Factory) -> Change:
    return Change(target.pick_attribute("User", "displayName", "name.givenName"), factory.faker.name())


# A weak ETag "might not change for every change to the representation data" (RFC 7232 §2.1),
# e.g. one made from a modification time of one-second resolution: a weak ETag still unchanged
# after a replacement is given one more, this long after the first.
WEAK_ETAG_WAIT = 1.1


def versioned_user(factory: Factory, client: ScimClient, target: Target) -> Versioned:
    """A created user that has been replaced, so its first ETag is stale.

    A weak ETag that the first replacement left unchanged gets a second replacement
    WEAK_ETAG_WAIT seconds later: RFC 7232 §2.1 lets a weak validator stay the same across a
    change (it "SHOULD change" when the prior representation is no longer an acceptable
    substitute, which ETAG-VERSION-001 judges), so the stale-If-Match checks wait for a stale
    version rather than fail on that SHOULD. A strong one "changes value whenever a change
    occurs", so it gets no second chance.
    """
    __tracebackhide__ = True
    created = factory.user()
    path = user_path(created["id"])
    _, first, _ = read(client, path)
    expect_status(client.put(path, change(target, factory).replacing(factory, created)), 200, 204)
    user, current, reply = read(client, path)
    after = "the PUT"
    if current == first and first.startswith("W/"):
        client.sleep(WEAK_ETAG_WAIT)
        expect_status(client.put(path, change(target, factory).replacing(factory, user)), 200, 204)
        user, current, reply = read(client, path)
        after = f"two PUTs {WEAK_ETAG_WAIT} s apart"
    expect(current != first, "(precondition) a new ETag after the user was replaced",
           f"ETag {current} both before and after {after}", reply)
    return Versioned(user, current, first)
