"""`scimcert checks` (the catalogue) and `scimcert diff` (two runs compared by check id)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from simulator.cli.params import plural, settings
from suites.baseline import by_id, compare, load_baseline, load_checks
from suites.catalogue import catalogue, suite_names
from suites.config import HarnessError
from suites.gate_view import KEYS, check_lines, gate_name, regression_notes


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
@click.option("--fail-on", type=click.Choice(["must", "should", "may"], case_sensitive=False),
              help="Lowest requirement level whose regressions make diff exit 1 [default: must], as in "
              "'scimcert run --baseline'.")
@click.option("--no-okta-gate", is_flag=True,
              help="Gate on --fail-on only; by default a regressed Okta-critical check (okta=True) makes "
              "diff exit 1 whatever its RFC level.")
def diff_cmd(old: str, new: str, **options: Any) -> None:
    """Compare two runs' summary.json: regressions, fixes, still failing, new failing.

    A waived check counts as failing (its waiver only keeps it from gating). Exit status, as for
    'scimcert run --baseline OLD' giving NEW: 1 when a regression fails the gate — a check failed
    (not waived) at or above --fail-on or in error, or an Okta-critical one unless --no-okta-gate;
    0 otherwise (regressions below the gate and waived ones are listed, with why they do not
    gate); 2 when
    either file is not a complete run's summary.json. --fail-on and --no-okta-gate, when not
    given, are read from SCIMCERT_FAIL_ON / SCIMCERT_NO_OKTA_GATE, then ./scimcert.toml ([run]).
    """
    cfg = settings(options, only=("fail_on", "no_okta_gate"))
    try:
        baseline = load_baseline(Path(old))
        checks = load_checks(Path(new))
    except HarnessError as exc:
        raise click.UsageError(str(exc)) from exc
    result = compare(baseline, checks)
    notes = regression_notes(checks, result["regressions"], cfg.fail_on, cfg.okta_gate)
    outcomes = by_id(checks)
    entries = {c["id"]: c for c in checks}
    for key in KEYS:
        click.echo(f"{key.replace('_', ' ')}: {len(result[key])}")
        if key == "regressions":
            for line in check_lines([entries[i] for i in result[key]], notes):
                click.echo(line)
            continue
        for check_id in result[key]:
            click.echo(f"  {check_id}" + ("  (waived)" if outcomes.get(check_id) == "waived" else ""))
    failing = [i for i in result["regressions"] if i not in notes]
    gate = gate_name(cfg.fail_on, cfg.okta_gate)
    verdict = f"FAIL on {', '.join(failing)}" if failing else "pass, no regression fails it"
    click.echo(f"gate ({gate}): {verdict}")
    sys.exit(1 if failing else 0)
