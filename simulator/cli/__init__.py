"""The `scimcert` command line.

Each command's module is imported only when that command runs (or `--help` lists them all):
`scimcert run` starts its embedded provider and its checks without first loading the
simulator's web console, the replay engine or the provider's own command.
"""

from __future__ import annotations

import importlib

import click

from simulator import __version__

# command name -> module:attribute of its click command
COMMANDS = {
    "run": "simulator.cli.run_cmd:run_cmd",
    "checks": "simulator.cli.catalogue_cmd:checks_cmd",
    "cleanup": "simulator.cli.cleanup_cmd:cleanup_cmd",
    "diff": "simulator.cli.catalogue_cmd:diff_cmd",
    "provider": "simulator.cli.provider_cmd:provider_cmd",
    "deviations": "simulator.cli.provider_cmd:deviations_cmd",
    "replay": "simulator.cli.replay_cmd:replay_cmd",
    "simulator": "simulator.cli.simulator_cmd:simulator_cmd",
}


class _LazyGroup(click.Group):
    """A group whose commands are imported by name when first needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, _, attribute = COMMANDS[cmd_name].partition(":")
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command


@click.group(cls=_LazyGroup,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="scimcert")
def main() -> None:
    """scimcert: SCIM 2.0 conformance tests, a reference SCIM provider and an Okta simulator."""
