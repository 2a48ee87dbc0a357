"""The `scimcert` command line."""

from __future__ import annotations

import click

from simulator import __version__
from simulator.cli.catalogue_cmd import checks_cmd, diff_cmd
from simulator.cli.cleanup_cmd import cleanup_cmd
from simulator.cli.provider_cmd import deviations_cmd, provider_cmd
from simulator.cli.replay_cmd import replay_cmd
from simulator.cli.run_cmd import run_cmd
from simulator.cli.simulator_cmd import simulator_cmd


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="scimcert")
def main() -> None:
    """scimcert: SCIM 2.0 conformance tests, a reference SCIM provider and an Okta simulator."""


for command in (run_cmd, checks_cmd, cleanup_cmd, diff_cmd, provider_cmd, deviations_cmd):
    main.add_command(command)
main.add_command(replay_cmd)
main.add_command(simulator_cmd)
