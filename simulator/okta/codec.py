"""JSON forms of the engine's app instance, so the org store can keep it in one column."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from simulator.okta.model import (
    Actions,
    AppAttribute,
    AppInstance,
    AttributeMapping,
    Flavour,
    PushSettings,
    Quirks,
)
from simulator.okta.wire import auth_from_json


def app_to_json(app: AppInstance) -> dict[str, Any]:
    """Everything of an AppInstance as plain JSON (auth included: the store is the org's secret)."""
    return {
        "id": app.id,
        "base_url": app.base_url,
        "auth": app.auth.to_json(),
        "label": app.label,
        "flavour": app.flavour.value,
        "actions": asdict(app.actions),
        "push": asdict(app.push),
        "attributes": [asdict(a) for a in app.attributes],
        "mappings": {k: asdict(m) for k, m in app.mappings.items()},
        "username_expression": app.username_expression,
        "quirks": asdict(app.quirks),
    }


def app_from_json(data: dict[str, Any]) -> AppInstance:
    """Rebuild an AppInstance from app_to_json()."""
    return AppInstance(
        id=str(data["id"]),
        base_url=str(data["base_url"]),
        auth=auth_from_json(data["auth"]),
        label=str(data["label"]),
        flavour=Flavour(data["flavour"]),
        actions=Actions(**data["actions"]),
        push=PushSettings(**data["push"]),
        attributes=tuple(AppAttribute(**a) for a in data["attributes"]),
        mappings={k: AttributeMapping(**m) for k, m in data["mappings"].items()},
        username_expression=str(data["username_expression"]),
        quirks=Quirks(**data["quirks"]),
    )
