"""Okta-style task texts for failed provisioning (okta-scim.md §10 [D] S35).

Shape: "<Okta error message>: <third-party error message>". Observed verbatim:
- "Automatic provisioning of user John Doe to app X failed: Error while creating user
  jdoe@x: Conflict. Errors reported by remote server: <detail>" (Okta KBs, S35);
- "Automatic profile push of user John Doe to app X failed: …" (Okta KB);
- "Unable to update Group Push mapping target App group G: Error while creating user
  group G: Conflict. Errors reported by remote server: …" and "… Error while updating
  user group membership for group G Not Implemented. Errors reported by remote server: …"
  (Sentry and scim-for-keycloak issues; no colon after the group name is Okta's own).
The other verbs (deactivation, reactivation, password, rename, delete, import, connection
test) follow the same pattern [I].
"""

from __future__ import annotations

from enum import Enum
from http import HTTPStatus
from typing import Final

from simulator.okta.wire import ScimResponse

EMPTY_USER: Final = "Create new user returned empty user."  # §4.2a [D] S1
EMPTY_GROUP: Final = "Create new group returned empty group."  # [I] by symmetry
NO_RESULTS: Final = "No results for {what} returned"  # §2 [D] S22 (users); groups [I]


class UserTask(Enum):
    """Per-user jobs: (task headline, Okta's "Error while …" phrase)."""

    CREATE = ("Automatic provisioning of user {user} to app {app} failed", "creating user {login}")
    PROFILE = (
        "Automatic profile push of user {user} to app {app} failed",
        "trying to push profile update for {login}",
    )
    DEACTIVATE = ("Automatic deactivation of user {user} in app {app} failed", "deactivating user {login}")
    REACTIVATE = ("Automatic reactivation of user {user} in app {app} failed", "reactivating user {login}")
    PASSWORD = ("Automatic password push of user {user} to app {app} failed", "pushing password for {login}")


class GroupTask(Enum):
    """Group push jobs: Okta's "Error while …" phrase and its separator before the reason."""

    LOOKUP = ("finding user group {group}", ": ")
    CREATE = ("creating user group {group}", ": ")
    MEMBERS = ("updating user group membership for group {group}", " ")
    UPDATE = ("updating user group {group}", ": ")
    DELETE = ("deleting user group {group}", ": ")


def remote_reason(response: ScimResponse) -> str:
    """'Conflict. Errors reported by remote server: <detail>' from one response."""
    if response.status == 0:
        return response.error or "No response from the remote server"
    if response.ok and response.body is None:
        return invalid_json(response.text) if response.text.strip() else "Empty response body"
    try:
        phrase = HTTPStatus(response.status).phrase
    except ValueError:
        phrase = f"HTTP {response.status}"
    if response.body is None and response.text.strip():
        return f"{phrase}. Errors reported by remote server: {invalid_json(response.text)}"
    detail = error_detail(response)
    return f"{phrase}. Errors reported by remote server: {detail}" if detail else phrase


def error_detail(response: ScimResponse) -> str | None:
    """`detail` of a SCIM Error (RFC 7644 §3.12), or a SCIM 1.1 `Errors[0].description`."""
    body = response.json_object()
    if body is None:
        return None
    detail = body.get("detail")
    if isinstance(detail, str) and detail:
        return detail
    errors = body.get("Errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        return str(errors[0].get("description") or "") or None
    return None


def invalid_json(text: str) -> str:
    """Okta's message for a body it cannot parse (§10 [D] S35, [O] S21)."""
    token = (text.strip().split() or [""])[0][:40]
    return f"Invalid JSON: Unrecognized token '{token}': was expecting ('true', 'false' or 'null')"


def user_task_error(task: UserTask, user: str, login: str, app: str, reason: str) -> str:
    """The Tasks-page text of a failed per-user job."""
    headline, phrase = task.value
    head = headline.format(user=user, app=app)
    return f"{head}: Error while {phrase.format(login=login)}: {reason}"


def group_task_error(task: GroupTask, group: str, reason: str) -> str:
    """The group push error text (Push Groups tab and Tasks)."""
    phrase, sep = task.value
    return (
        f"Unable to update Group Push mapping target App group {group}: "
        f"Error while {phrase.format(group=group)}{sep}{reason}"
    )


def import_error(what: str, app: str, reason: str) -> str:
    """A failed 'Import Now' [I]."""
    return f"Import of {what} from app {app} failed: Error while importing {what}: {reason}"


def connection_error(reason: str) -> str:
    """A failed 'Test API Credentials' / 'Test Connector Configuration' [I]."""
    return f"Error authenticating: {reason}"


def rate_limited(step: str, attempts: int, max_attempts: int, retry_at: str | None) -> str:
    """A task a 429 paused (okta-scim.md §10 [D] S4: Okta retries it later) or ended; the wording is
    scimcert's [I]. `retry_at` is the task's UTC time, None once Okta has given up."""
    where = f"Rate limited by the target (429) at step {step}"
    if retry_at is None:
        return f"{where}; Okta gave up after {attempts} of {max_attempts} attempts (Retry starts over)."
    shown = retry_at[:19].replace("T", " ")
    return f"{where}; Okta retries at {shown} UTC (attempt {attempts + 1} of {max_attempts})."
