"""App actions: install, provisioning connection, To App features, app user schema, import."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Final

from simulator.okta import engine, imports
from simulator.okta.mapping import ExpressionError, compile_expression
from simulator.okta.model import (
    APP_PREFIX,
    DEFAULT_ATTRIBUTES,
    Actions,
    AppAttribute,
    AppInstance,
    AttributeMapping,
    Flavour,
    new_id,
)
from simulator.okta.service import Happened, OrgError, OrgService, app_target, invalid
from simulator.okta.store import AppRec, LogRec, now
from simulator.okta.wire import Auth, BasicAuth, BearerAuth, HeaderAuth

# okta-admin-api.md §4.1: catalog key -> (label, auth kind)
CATALOG: Final = {
    "scim2testapp": ("SCIM 2.0 Test App (OAuth Bearer Token)", "bearer"),
    "scim2testapp_basic": ("SCIM 2.0 Test App (Basic Auth)", "basic"),
    "scim2headerauth": ("SCIM 2.0 Test App (Header Auth)", "header"),
}
SIGN_ON_MODES: Final = ("SAML_2_0", "AUTO_LOGIN", "BROWSER_PLUGIN")
BASE_NAMES: Final = frozenset(a.name for a in DEFAULT_ATTRIBUTES)
# Capability path in the USER_PROVISIONING feature -> Actions field (okta-admin-api.md §6)
CAPABILITIES: Final = (
    (("create", "lifecycleCreate"), "create_users"),
    (("update", "profile"), "update_attributes"),
    (("update", "lifecycleDeactivate"), "deactivate_users"),
    (("update", "password"), "sync_password"),
)
PROPERTY_TYPES: Final = ("string", "boolean", "number", "integer", "array")  # okta-admin-api.md §10
_OFF: Final = Actions(create_users=False, update_attributes=False, deactivate_users=False)


class AppActions:
    """Actions on app instances; SCIM traffic only from the connection test and import."""

    def __init__(self, svc: OrgService) -> None:
        self.svc = svc
        self.store = svc.store

    def install(self, name: str | None, label: str | None, sign_on_mode: str, activate: bool) -> AppRec:
        """POST /apps: a catalog SCIM test app (OIN flavour), or a custom app without `name` (AIW)."""
        if sign_on_mode not in SIGN_ON_MODES:
            raise invalid("signOnMode", f"signOnMode: must be one of {', '.join(SIGN_ON_MODES)}")
        if name:
            if name not in CATALOG:
                raise invalid("name", f"name: No application found with name {name}")
            default_label, kind = CATALOG[name]
            flavour = Flavour.OIN
        else:
            if not label:
                raise invalid("label", "label: The field cannot be left blank")
            slug = re.sub(r"[^a-z0-9]+", "", label.lower())[:40] or "app"
            name, default_label, kind, flavour = f"{slug}_1", label, "bearer", Flavour.AIW
        auths: dict[str, Auth] = {
            "bearer": BearerAuth(""),
            "basic": BasicAuth("", ""),
            "header": HeaderAuth(""),
        }
        auth = auths[kind]
        inst = AppInstance(
            new_id(APP_PREFIX, self.svc.rng), "", auth, label=label or default_label, flavour=flavour,
            actions=_OFF,
        )  # fmt: skip
        stamp = now()
        rec = AppRec(name, "ACTIVE" if activate else "INACTIVE", sign_on_mode, "DISABLED", inst, stamp, stamp)
        with self.store.transaction():
            self.store.put_app(rec)
            self.svc.audit("application.lifecycle.create", "Add application", app_target(rec))
            if activate:
                self.svc.audit("application.lifecycle.activate", "Activate application", app_target(rec))
        return rec

    def _save(self, app: AppRec, **changes: Any) -> AppRec:
        """Store a changed app: its connection, To App switches, attributes or mappings."""
        app = replace(app, updated=now(), **changes)
        self.store.put_app(app)
        self.svc.audit("application.lifecycle.update", "Update application", app_target(app))
        return app

    def set_connection(self, app_id: str, body: Mapping[str, Any], activate: bool) -> tuple[AppRec, Happened]:
        """POST …/connections/default: base URL + token; activation runs the connection test (§2)."""
        happened = Happened()
        with self.store.transaction():
            app = self.svc.app(app_id)
            auth = _auth_from_profile(app.instance.auth, body.get("profile"))
            base = body.get("baseUrl") or app.instance.base_url
            if not isinstance(base, str) or not re.match(r"^https?://[^/\s]+", base):
                raise invalid("baseUrl", "baseUrl: must be an http(s) URL")
            app = self._save(app, instance=replace(app.instance, base_url=base.rstrip("/"), auth=auth))
            if activate:
                app = self._activate(app, happened)
        _refuse_failed_test(happened)  # after the commit: the settings and the log are kept
        return app, happened

    def set_connection_status(self, app_id: str, enabled: bool) -> tuple[AppRec, Happened]:
        happened = Happened()
        with self.store.transaction():
            app = self.svc.app(app_id)
            if not enabled:
                return self._save(app, connection="DISABLED"), happened
            if not app.instance.base_url:
                raise invalid("baseUrl", "baseUrl: set the connection before activating it")
            app = self._activate(app, happened)
        _refuse_failed_test(happened)
        return app, happened

    def _activate(self, app: AppRec, happened: Happened) -> AppRec:
        """Run 'Test API Credentials'; refuse activation with Okta's message when it fails [I]."""
        outcome = self.svc.execute(app, engine.test_connection(app.instance), app.id, happened).outcome
        return self._save(app, connection="ENABLED") if outcome.ok else app

    def test_connector(self, app_id: str) -> Happened:
        """'Test Connector Configuration' (no Okta API; scimcert endpoint): the §2 requests."""
        happened = Happened()
        with self.store.transaction():
            app = self.svc.app(app_id)
            if not app.instance.base_url:
                raise invalid("baseUrl", "baseUrl: set the connection first")
            self.svc.execute(app, engine.test_connection(app.instance), app.id, happened)
        return happened

    def test_settings(self, app_id: str, body: Mapping[str, Any]) -> Happened:
        """'Test Connector Configuration' on settings typed but not saved yet (the console's button)."""
        happened = Happened()
        with self.store.transaction():
            app = self.svc.app(app_id)
            auth = _auth_from_profile(app.instance.auth, body.get("profile"))
            base = body.get("baseUrl")
            if not isinstance(base, str) or not re.match(r"^https?://[^/\s]+", base):
                raise invalid("baseUrl", "baseUrl: must be an http(s) URL")
            trial = replace(app, instance=replace(app.instance, base_url=base.rstrip("/"), auth=auth))
            self.svc.execute(trial, engine.test_connection(trial.instance), app.id, happened)
        return happened

    def set_features(self, app_id: str, capabilities: Mapping[str, Any]) -> AppRec:
        """PUT …/features/USER_PROVISIONING: the To App switches, partial update."""
        with self.store.transaction():
            app = self.svc.app(app_id)
            if app.connection != "ENABLED":
                raise invalid("feature", "Provisioning is not enabled for the app instance.")
            actions = app.instance.actions
            for (group, key), attr in CAPABILITIES:
                section = capabilities.get(group)
                entry = section.get(key) if isinstance(section, Mapping) else None
                status = entry.get("status") if isinstance(entry, Mapping) else None
                if status is None:
                    continue
                if status not in ("ENABLED", "DISABLED"):
                    raise invalid(f"{group}.{key}.status", "status: must be ENABLED or DISABLED")
                actions = replace(actions, **{attr: status == "ENABLED"})
            return self._save(app, instance=replace(app.instance, actions=actions))

    def update_schema(self, app_id: str, properties: Mapping[str, Any]) -> AppRec:
        """POST /meta/schemas/apps/{id}/default: add, change or (null) remove custom attributes (§9)."""
        with self.store.transaction():
            app = self.svc.app(app_id)
            attrs = {a.name: a for a in app.instance.attributes}
            for name, prop in properties.items():
                if name in BASE_NAMES:
                    raise invalid(name, f"{name}: base attributes can only change nullability")
                if prop is None:
                    attrs.pop(name, None)
                    continue
                if not isinstance(prop, Mapping) or not prop.get("title"):
                    raise invalid(name, f"{name}.title: The field cannot be left blank")
                if prop.get("type", "string") not in PROPERTY_TYPES:
                    raise invalid(name, f"{name}.type: must be one of {', '.join(PROPERTY_TYPES)}")
                ns = prop.get("externalNamespace")
                attrs[name] = AppAttribute(
                    name,
                    str(prop.get("externalName") or name),
                    str(ns) if ns else None,
                    str(prop.get("type", "string")),
                    str(prop["title"]),
                )
            return self._save(app, instance=replace(app.instance, attributes=tuple(attrs.values())))

    def set_mapping(self, app_id: str, properties: Mapping[str, Any]) -> AppRec:
        """POST /mappings/{id}: Okta user → app user expressions; null expression removes."""
        with self.store.transaction():
            app = self.svc.app(app_id)
            table = dict(app.instance.mappings)
            for name, prop in properties.items():
                changed = _mapping_change(app.instance, name, prop)
                if changed is None:
                    table.pop(name, None)
                else:
                    table[name] = changed
            return self._save(app, instance=replace(app.instance, mappings=table))

    def import_now(self, app_id: str, kind: str) -> Happened:
        """'Import Now' (scimcert endpoint): page through /Users or /Groups (§3).

        The counters compare with what the last successful import of this app and kind saw
        (kept in the store as SCIM id -> fingerprint), so a repeat reports unchanged, updated
        and removed resources; the System Log gets a system.import.complete entry saying so.
        """
        happened = Happened()
        with self.store.transaction():
            app = self.svc.app(app_id)
            if not self.svc.provisioning(app):
                raise invalid("connection", "Provisioning is not enabled for the app instance.")
            known = self.store.import_seen(app.id, kind)
            importer = engine.import_users if kind == "users" else engine.import_groups
            outcome = self.svc.execute(app, importer(app.instance, known), app.id, happened).outcome
            if outcome.ok:
                self.store.put_import_seen(app.id, kind, imports.fingerprints(outcome.resources))
            self.store.add_log(_import_log(app, kind, outcome))
        return happened


def _mapping_change(inst: AppInstance, name: str, prop: Any) -> AttributeMapping | None:
    """One property of a mapping update; None removes it (null, or a null expression).

    A property without `expression` keeps the current one: the SDK strips nulls (§1.2), so
    a pushStatus-only change arrives that way.
    """
    if prop is None or (isinstance(prop, Mapping) and "expression" in prop and prop["expression"] is None):
        return None
    if not isinstance(prop, Mapping):
        raise invalid(name, f"{name}: must be an object with expression and pushStatus")
    if inst.attribute(name) is None:
        raise invalid(name, f"{name}: The property does not exist in the app user schema")
    current = inst.mappings.get(name)
    expression = prop.get("expression", current.expression if current else None)
    if not isinstance(expression, str) or not expression.strip():
        raise invalid(f"{name}.expression", f"{name}.expression: The field cannot be left blank")
    try:
        compile_expression(expression)
    except ExpressionError as exc:
        raise invalid(f"{name}.expression", f"{name}.expression: {exc}") from exc
    status = prop.get("pushStatus", "PUSH" if current is None or current.push else "DONT_PUSH")
    if status not in ("PUSH", "DONT_PUSH"):
        raise invalid(f"{name}.pushStatus", f"{name}.pushStatus: must be PUSH or DONT_PUSH")
    return AttributeMapping(expression, status == "PUSH")


def _import_log(app: AppRec, kind: str, outcome: engine.Outcome) -> LogRec:
    """Okta's system.import.complete: the counters of a finished import, or why it failed."""
    s = outcome.summary
    if outcome.ok and s is not None:
        message = (
            f"Import of {kind} from {app.instance.label} completed: {s.scanned} scanned, {s.new} new,"
            f" {s.updated} updated, {s.unchanged} unchanged, {s.removed} removed"
        )
    else:
        message = f"Import of {kind} from {app.instance.label} failed"
    return LogRec(
        0, str(uuid.uuid4()), now(), "system.import.complete", "SUCCESS" if outcome.ok else "FAILURE",
        outcome.error, message, app.id, app.id, f"import.{kind}.summary", None,
    )  # fmt: skip


def _refuse_failed_test(happened: Happened) -> None:
    outcome = happened.runs[-1].outcome if happened.runs else None
    if outcome is not None and not outcome.ok:
        raise invalid("connection", outcome.error or "Connection test failed")


def _auth_from_profile(current: Auth, profile: Any) -> Auth:
    """`{"authScheme": "TOKEN", "token": …}` (okta-admin-api.md §5); BASIC is scimcert's extension."""
    if not isinstance(profile, Mapping):
        raise invalid("profile", "profile: The field cannot be left blank")
    scheme = profile.get("authScheme")
    if scheme == "TOKEN":
        token = profile.get("token")
        if not isinstance(token, str) or not token:
            raise invalid("profile.token", "token: The field cannot be left blank")
        return (
            HeaderAuth(token, current.name, current.template)
            if isinstance(current, HeaderAuth)
            else BearerAuth(token)
        )
    if scheme == "BASIC":
        user, password = profile.get("username"), profile.get("password")
        if not isinstance(user, str) or not isinstance(password, str) or not user:
            raise invalid("profile.username", "username and password are required for BASIC")
        return BasicAuth(user, password)
    raise OrgError(
        400, "E0000001", "Api validation failed: authScheme", ("authScheme: must be TOKEN or BASIC",)
    )
