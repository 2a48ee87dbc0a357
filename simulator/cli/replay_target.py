"""The target `scimcert replay` runs against: the configured one, checked as `scimcert run` checks
it, or the embedded reference provider started for the replay; and the Okta app's credentials."""

from __future__ import annotations

import secrets
from contextlib import ExitStack, closing
from dataclasses import replace
from typing import Any

import click

from simulator.cli.params import CannotStart, credentials_source, unverified_tls
from simulator.okta.wire import Auth, BasicAuth, BearerAuth, HeaderAuth
from simulator.provider.app import create_app
from simulator.provider.server import start_in_thread
from simulator.provider.service import ProviderConfig
from simulator.scim.schema import SchemaDef
from suites.client import ScimClient
from suites.config import Auth as RunAuth
from suites.config import RunConfig
from suites.report import preflight


def checked_target(stack: ExitStack, config: RunConfig, options: dict[str, Any],
                   declared: tuple[SchemaDef, ...]) -> RunConfig:
    """The settings with the target to replay against: checked as `scimcert run` checks them, and
    reachable; or the embedded reference provider, started here."""
    if config.url is None:
        if any(options[n] for n in ("token", "basic", "header")):
            raise click.UsageError("--token/--basic/--header need --url (or SCIMCERT_URL, or url in "
                                   "scimcert.toml); without one the embedded reference provider is used")
        if config.auth.kind != "none":
            click.echo("note: no target URL is set, so the flow runs against the embedded reference "
                       "provider; the credentials from SCIMCERT_* or scimcert.toml are not used.", err=True)
        token = secrets.token_urlsafe(24)  # the embedded provider has its own token
        server = stack.enter_context(start_in_thread(create_app(ProviderConfig(token=token,
                                                                               extensions=declared))))
        click.echo(f"embedded reference provider at {server.url}/scim/v2")
        return replace(config, url=server.url + "/scim/v2", auth=RunAuth("bearer", token), verify=True)
    if config.auth.kind == "none":
        raise click.UsageError("replay sends what Okta sends, and Okta's SCIM apps always authenticate "
                               "(bearer token, basic or a header): give --token, --basic or --header (or "
                               "SCIMCERT_TOKEN, SCIMCERT_BASIC or SCIMCERT_HEADER, or one in scimcert.toml)")
    unverified_tls(config)
    client = ScimClient(config, lambda _: None)
    with closing(client.session):
        problem = preflight(client, credentials=credentials_source(config, options))
    if problem:
        raise CannotStart(problem)
    return config


def okta_auth(auth: RunAuth) -> Auth:
    """The Okta app's credentials for the checked ones."""
    if auth.kind == "basic":
        user, _, password = auth.value.partition(":")
        return BasicAuth(user, password)
    if auth.kind == "header":
        name, _, value = auth.value.partition(":")
        return HeaderAuth(value.strip(), name.strip())
    return BearerAuth(auth.value)
