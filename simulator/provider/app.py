"""Flask app factory of the reference SCIM 2.0 provider."""

from __future__ import annotations

from flask import Flask

from simulator.provider import views_discovery, views_resources, web
from simulator.provider.service import Provider, ProviderConfig


def create_app(config: ProviderConfig | None = None) -> Flask:
    """A provider serving SCIM 2.0 at /scim/v2; its Provider is app.extensions['scim_provider']."""
    cfg = config or ProviderConfig()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = cfg.max_body_bytes
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["scim_provider"] = Provider(cfg)
    web.install(app)
    app.register_blueprint(views_discovery.bp, url_prefix=web.BASE_PATH)
    app.register_blueprint(views_resources.bp, url_prefix=web.BASE_PATH)
    return app
