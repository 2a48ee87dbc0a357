"""`scimcert checks` (the catalogue) and `scimcert diff` (two runs compared by check id)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from simulator.cli.params import plural
from suites.baseline import compare, load_baseline
from suites.catalogue import catalogue, suite_names
from suites.config import HarnessError


@click.command("checks")
@click.option("--json", "as_json", is_flag=True, help="Print the catalogue as JSON.")
@click.option("--suite", "suites", multiple=True, metavar="NAME",
              help="Only this suite (repeatable); the names head the groups of the full list.")
def checks_cmd(as_json: bool, suites: tuple[str, ...]) -> None:
    """Print the catalogue of checks by suite: id, level, okta, title, references."""
    unknown = [s for s in suites if s not in suite_names()]
    if unknown:
        raise click.UsageError(f"unknown suite {unknown[0]!r}; suites: {', '.join(suite_names())}")
    everything = catalogue()
    entries = [e for e in everything if not suites or e.suite in suites]
    if as_json:
        click.echo(json.dumps([e.as_json() for e in entries], indent=2))
        return
    width = max(len(e.id) for e in everything)
    groups = {e.suite: [x for x in entries if x.suite == e.suite] for e in entries}
    for suite, members in groups.items():
        click.echo(f"{suite}: {plural(len(members), 'check')} (--suite {suite})")
        if members[0].basis == "okta":
            click.echo("(levels are Okta's: these checks decide Okta readiness, not RFC conformance)")
        for e in members:
            click.echo(f"  {e.id:{width}}  {e.level:6}  {'okta' if e.okta else '    '}  {e.title}  "
                       f"[{', '.join(e.refs)}]")
        click.echo()
    click.echo(f"{plural(len(entries), 'check')} in {plural(len(groups), 'suite')}")


@click.command("diff")
@click.argument("old", type=click.Path(exists=True, dir_okay=False))
@click.argument("new", type=click.Path(exists=True, dir_okay=False))
def diff_cmd(old: str, new: str) -> None:
    """Compare two runs' summary.json: regressions, fixes, still failing. Exit 1 on regressions."""
    try:
        baseline = load_baseline(Path(old))
        checks = [{"id": i, "outcome": o} for i, o in load_baseline(Path(new)).items()]
    except HarnessError as exc:
        raise click.UsageError(str(exc)) from exc
    result = compare(baseline, checks)
    for key in ("regressions", "fixes", "still_failing", "new_failing"):
        click.echo(f"{key.replace('_', ' ')}: {len(result[key])}")
        for check_id in result[key]:
            click.echo(f"  {check_id}")
    sys.exit(1 if result["regressions"] else 0)
