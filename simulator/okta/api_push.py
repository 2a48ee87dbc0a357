"""Group push mappings, app user schema, profile mappings, System Log, tasks, import (§9–§12)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from operator import ge, lt
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, request

from simulator.okta.api_http import body_object, expression, no_content, org, reply
from simulator.okta.api_render import (
    base,
    link,
    log_json,
    push_json,
    task_json,
    with_provisioning,
)
from simulator.okta.service import invalid, not_found
from simulator.okta.service_apps import BASE_NAMES
from simulator.okta.store import AppRec
from simulator.scim.filter_values import parse_datetime

bp = Blueprint("okta_push", __name__)
_MAPPINGS = "/apps/<app_id>/group-push/mappings"
_USER_TYPE = "oty1scimcertdefault0"  # the default user type (user_json's type.id)


@bp.post(_MAPPINGS)
def create_push(app_id: str) -> Response:
    body = body_object()
    group_id = body.get("sourceGroupId")
    if not isinstance(group_id, str) or not group_id:
        raise invalid("sourceGroupId", "sourceGroupId: The field cannot be left blank")
    name, target = _text(body, "targetGroupName"), _text(body, "targetGroupId")
    status = str(body.get("status") or "ACTIVE")
    push, happened = org().groups.create_push(app_id, group_id, status, name, target)
    return reply(with_provisioning(push_json(push), happened), 201)


def _text(body: dict[str, Any], key: str) -> str | None:
    """An optional text field; any other JSON type is a 400 (a number is no group name)."""
    value = body.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise invalid(key, f"{key}: must be a string")
    return value


@bp.get(_MAPPINGS)
def list_pushes(app_id: str) -> Response:
    org().svc.app(app_id)
    pushes = org().svc.store.pushes(app_id=app_id, group_id=request.args.get("sourceGroupId"))
    return reply([push_json(p) for p in pushes])


@bp.get(_MAPPINGS + "/<mapping_id>")
def get_push(app_id: str, mapping_id: str) -> Response:
    return reply(push_json(org().groups.push(app_id, mapping_id)))


@bp.patch(_MAPPINGS + "/<mapping_id>")
def patch_push(app_id: str, mapping_id: str) -> Response:
    push, happened = org().groups.set_status(app_id, mapping_id, str(body_object().get("status", "")))
    return reply(with_provisioning(push_json(push), happened))


@bp.post(_MAPPINGS + "/<mapping_id>/push")
def push_now(app_id: str, mapping_id: str) -> Response:
    """'Push Now' (scimcert endpoint; the Admin Console button has no public API)."""
    push, happened = org().groups.push_now(app_id, mapping_id)
    return reply(with_provisioning(push_json(push), happened))


@bp.delete(_MAPPINGS + "/<mapping_id>")
def delete_push(app_id: str, mapping_id: str) -> Response:
    raw = request.args.get("deleteTargetGroup")
    delete = None if raw is None else raw.lower() == "true"
    return no_content(org().groups.delete_push(app_id, mapping_id, delete))


# ---- app user schema and profile mappings -----------------------------------------------------


def _schema_json(app: AppRec) -> dict[str, Any]:
    def prop(a: Any) -> dict[str, Any]:
        return {"title": a.title or a.name, "type": a.type, "scope": "NONE", "externalName": a.external_name,
                "externalNamespace": a.external_namespace, "mutability": "READ_WRITE"}  # fmt: skip

    attrs = app.instance.attributes
    return {
        "id": f"{base()}/meta/schemas/apps/{app.id}/default",
        "$schema": "http://json-schema.org/draft-04/schema#",
        "name": app.name,
        "title": f"{app.instance.label} User",
        "created": app.created,
        "lastUpdated": app.updated,
        "type": "object",
        "definitions": {
            "base": {"id": "#base", "type": "object", "required": ["userName"],
                     "properties": {a.name: prop(a) for a in attrs if a.name in BASE_NAMES}},
            "custom": {"id": "#custom", "type": "object", "required": [],
                       "properties": {a.name: prop(a) for a in attrs if a.name not in BASE_NAMES}},
        },
        "properties": {"profile": {"allOf": [{"$ref": "#/definitions/base"},
                                             {"$ref": "#/definitions/custom"}]}},
    }  # fmt: skip


@bp.get("/meta/schemas/apps/<app_id>/default")
def get_schema(app_id: str) -> Response:
    return reply(_schema_json(org().svc.app(app_id)))


@bp.post("/meta/schemas/apps/<app_id>/default")
def update_schema(app_id: str) -> Response:
    definitions = body_object().get("definitions") or {}
    custom = definitions.get("custom") if isinstance(definitions, dict) else None
    props = custom.get("properties") if isinstance(custom, dict) else None
    if not isinstance(props, dict):
        raise invalid("definitions", "definitions.custom.properties: The field cannot be left blank")
    return reply(_schema_json(org().apps.update_schema(app_id, props)))


def _mapping_json(app: AppRec, full: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "prm" + app.id[3:],
        "source": {"id": _USER_TYPE, "name": "user", "type": "user"},
        "target": {
            "id": app.id,
            "name": app.name,
            "type": "appuser",
            "_links": {"self": link(f"/apps/{app.id}")},
        },
        "_links": {"self": link(f"/mappings/prm{app.id[3:]}")},
    }
    if full:
        body["properties"] = {
            name: {"expression": m.expression, "pushStatus": "PUSH" if m.push else "DONT_PUSH"}
            for name, m in app.instance.mappings.items()
        }
    return body


def _app_of_mapping(mapping_id: str) -> AppRec:
    found = org().svc.store.app("0oa" + mapping_id[3:]) if mapping_id.startswith("prm") else None
    if found is None:
        raise not_found(mapping_id, "ProfileMapping")
    return found


@bp.get("/mappings")
def list_mappings() -> Response:
    """Okta user -> app user mappings, one per app (the import-direction mapping is not simulated)."""
    source, target = request.args.get("sourceId"), request.args.get("targetId")
    if source not in (None, _USER_TYPE):
        return reply([])
    apps = [a for a in org().svc.store.apps() if target in (None, a.id)]
    return reply([_mapping_json(a, False) for a in apps])


@bp.get("/mappings/<mapping_id>")
def get_mapping(mapping_id: str) -> Response:
    return reply(_mapping_json(_app_of_mapping(mapping_id), True))


@bp.post("/mappings/<mapping_id>")
def update_mapping(mapping_id: str) -> Response:
    props = body_object().get("properties")
    if not isinstance(props, dict):
        raise invalid("properties", "properties: The field cannot be left blank")
    app = org().apps.set_mapping(_app_of_mapping(mapping_id).id, props)
    return reply(_mapping_json(app, True))


# ---- log, tasks, import --------------------------------------------------------------------------


@bp.get("/logs")
def logs() -> Response:
    """System Log (§12), ascending; `after` is the cursor.

    `filter` takes Okta expressions over the LogEvent (`eventType eq "…"`, `target.id eq "…"`,
    `outcome.result eq "FAILURE"`, `eventType sw "application.provision" and …`), `q` keywords
    (each must appear in the event's type, message, actor or targets), `since` and `until` bound
    `published`. Like a polling query on Okta every page links to a next one, also when it is
    empty, so a script keeps its place; the cursor follows the page read, not the events kept.
    One Link header carries self and next (the SDK keeps only the last of repeated headers, §1.6).
    """
    after, limit = _integer("after", 0), _integer("limit", 100)
    if request.args.get("sortOrder", "ASCENDING").upper() != "ASCENDING":
        raise invalid("sortOrder", "sortOrder: the simulator lists the System Log in ASCENDING order only")
    limit = max(1, min(limit, 1000))
    keep = [k for k in (expression("filter"), _keywords(), _bound("since", ge), _bound("until", lt)) if k]
    page = org().svc.store.logs(after, limit)
    events = [event for event in map(log_json, page) if all(k(event) for k in keep)]
    query = urlencode({**request.args.to_dict(), "after": page[-1].seq if page else after, "limit": limit})
    headers = {"Link": f'<{request.url}>; rel="self", <{base()}/logs?{query}>; rel="next"'}
    return reply(events, headers=headers)


Keep = Callable[[dict[str, Any]], bool]


def _integer(param: str, default: int) -> int:
    raw = request.args.get(param)
    try:
        return int(raw) if raw else default
    except ValueError as exc:
        raise invalid(param, f"{param}: {raw!r} is not an integer") from exc


def _keywords() -> Keep | None:
    """`q`: every keyword appears (case-insensitively) in the event's words."""
    words = (request.args.get("q") or "").casefold().split()
    if not words:
        return None

    def text(event: dict[str, Any]) -> str:
        parties = [event["actor"], *event["target"]]
        names = [str(p.get(k, "")) for p in parties for k in ("id", "alternateId", "displayName")]
        return " ".join([event["eventType"], event["displayMessage"], *names]).casefold()

    return lambda event: all(w in text(event) for w in words)


def _bound(param: str, order: Callable[[datetime, datetime], bool]) -> Keep | None:
    """`since` (inclusive) or `until` (exclusive) as a test of `published`."""
    raw = request.args.get(param)
    if not raw:
        return None
    moment = parse_datetime(raw)
    if moment is None:
        raise invalid(param, f"{param}: {raw!r} is not an ISO 8601 date and time, e.g. 2024-05-01T00:00:00Z")
    return lambda event: (t := parse_datetime(event["published"])) is not None and order(t, moment)


@bp.get("/tasks")
def tasks() -> Response:
    """Failed provisioning tasks (the Admin Console's Tasks page; scimcert endpoint)."""
    return reply([task_json(t) for t in org().svc.store.tasks()])


@bp.post("/apps/<app_id>/imports/<kind>")
def import_now(app_id: str, kind: str) -> Response:
    """'Import Now' for users or groups (scimcert endpoint)."""
    if kind not in ("users", "groups"):
        raise not_found(kind, "Import")
    happened = org().apps.import_now(app_id, kind)
    outcome = happened.runs[-1].outcome
    return reply(with_provisioning(outcome.to_json(), happened))
