"""Okta passwords (no Flask): set on create or by an admin, change_password, and Sync Password pushes.

Only a salted PBKDF2 hash is stored; the value itself lives just long enough to be pushed to
every app whose "Sync Password" (`update.password` of USER_PROVISIONING) is on, through the
engine's push_password plan (okta-scim.md §7). Okta never returns a password (okta-admin-api.md §2.1).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from typing import Any, Final

from simulator.okta import engine
from simulator.okta.service import Happened, OrgError, OrgService, invalid, user_target
from simulator.okta.store import PasswordRec, UserRec, now

_ALGORITHM: Final = "pbkdf2_sha256"
_ITERATIONS: Final = 20_000  # a simulator's test passwords: enough to not keep them readable
_WRONG_OLD: Final = ("oldPassword: The credentials provided were incorrect.",)


def hash_password(value: str, *, salt: str | None = None, iterations: int = _ITERATIONS) -> str:
    """'pbkdf2_sha256$<iterations>$<salt>$<hex digest>'."""
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", value.encode(), salt.encode(), iterations).hex()
    return f"{_ALGORITHM}${iterations}${salt}${digest}"


def password_matches(stored: str, value: str) -> bool:
    parts = stored.split("$")
    if len(parts) != 4 or parts[0] != _ALGORITHM or not parts[1].isdigit():
        return False
    salt, iterations = parts[2], int(parts[1])
    candidate = hash_password(value, salt=salt, iterations=iterations)
    return hmac.compare_digest(candidate, stored)


def password_value(credentials: Any, key: str = "password") -> str | None:
    """`credentials.<key>.value` of a request body; None when absent, 400 when unusable."""
    if credentials is None:
        return None
    entry = credentials.get(key) if isinstance(credentials, Mapping) else None
    if entry is None or entry == {}:  # the SDK strips empties: {} means "unchanged" (§1.2)
        return None
    value = entry.get("value") if isinstance(entry, Mapping) else None
    if not isinstance(value, str) or not value:
        raise invalid(key, f"{key}: The field cannot be left blank")
    return value


class PasswordActions:
    """Admin password calls; each runs under one store transaction like every other action."""

    def __init__(self, svc: OrgService) -> None:
        self.svc = svc
        self.store = svc.store

    def remember(self, user_id: str, password: str) -> None:
        """Keep the hash of a password given at creation (nothing is provisioned yet)."""
        self.store.put_password(PasswordRec(user_id, hash_password(password), now()))

    def update_user(
        self, user_id: str, profile: Mapping[str, Any], *, partial: bool, password: str | None
    ) -> tuple[UserRec, Happened]:
        """POST/PUT /users/{id}: the profile push (§5), then the new password's push (§7)."""
        with self.store.transaction():
            if password is not None:
                self._check_status(self.svc.user(user_id))
            user, happened = self.svc.update_user(user_id, profile, partial=partial)
            if password is not None:
                self._set(user, password, happened)
        return user, happened

    def change_password(self, user_id: str, old: str, new: str) -> tuple[PasswordRec, Happened]:
        """POST /users/{id}/credentials/change_password: the old password must match."""
        happened = Happened()
        with self.store.transaction():
            user = self.svc.user(user_id)
            self._check_status(user)
            stored = self.store.password(user.id)
            if stored is None or not password_matches(stored.hash, old):
                raise OrgError(403, "E0000014", "Update of credentials failed", _WRONG_OLD)
            if old == new:
                raise OrgError(
                    403, "E0000014", "Update of credentials failed",
                    ("newPassword: Password cannot be your current password",),
                )  # fmt: skip
            rec = self._set(user, new, happened)
        return rec, happened

    def changed(self, user_id: str) -> str | None:
        """When the password was last set (the User's passwordChanged), None without one."""
        rec = self.store.password(user_id)
        return rec.changed if rec else None

    @staticmethod
    def _check_status(user: UserRec) -> None:
        if user.status == "DEPROVISIONED":
            raise OrgError(403, "E0000038", "This operation is not allowed in the user's current status.")

    def _set(self, user: UserRec, password: str, happened: Happened) -> PasswordRec:
        rec = PasswordRec(user.id, hash_password(password), now())
        self.store.put_password(rec)
        self.svc.audit("user.account.update_password", "Update password for Okta user", user_target(user))
        self._push(user, password, happened)
        return rec

    def _push(self, user: UserRec, password: str, happened: Happened) -> None:
        """Sync Password: every provisioned app user; a switched-off app sends nothing (SKIPPED)."""
        for au in self.store.app_users(user_id=user.id):
            app = self.svc.app(au.app_id)
            if au.status != "PROVISIONED" or not au.scim_id or not self.svc.provisioning(app):
                continue
            plan = engine.push_password(app.instance, user.okta, au.model, password)
            self.svc.execute(app, plan, user.id, happened)
