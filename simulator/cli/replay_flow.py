"""One replay of a flow against one target (FlowReplay): run it, print each step and the verdict,
and delete what it created, also when interrupted."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any

import click

from simulator.cli import replay_ledger
from simulator.cli.interrupts import Interrupted, Interrupts
from simulator.cli.params import plural
from simulator.cli.replay_output import CleanupProgress, Progress, RateLimitNotice
from simulator.cli.replay_required import Required, StepRequests
from simulator.okta.embedded import embedded_simulator
from simulator.okta.flowcleanup import cleanup
from simulator.okta.flowdata import Flow, FlowError
from simulator.okta.flowresults import FlowResult, StepResult
from simulator.okta.flows import FlowRun
from simulator.okta.model import AppInstance, Flavour, new_id
from simulator.okta.profile_editor import mapping_simulator, with_mappings
from simulator.okta.transport import Transport
from simulator.okta.wire import Auth
from suites.client import ScimClient
from suites.ledger import Ledger
from suites.lostcreates import settle_lost

EXIT_FAILED = 1


@dataclass(frozen=True)
class FlowReplay:
    """One flow against one target: run it, print it, clean up after it (also when interrupted)."""

    spec: Flow
    url: str
    auth: Auth
    flavour: str
    transport: Transport
    no_cleanup: bool
    interrupts: Interrupts
    ledger: Ledger  # what each flow created, in the run's ledger format; its run id names them
    failed: list[str]  # each resource the flow's cleanup failed to delete ("User <id>: DELETE -> 500")
    required: Required  # what the target requires, and what the app maps for it
    lookup: ScimClient  # looks up, before the cleanup, what the creates that got no response made
    notice: RateLimitNotice  # the transport's: says what Okta does after each 429, naming the step

    def once(self, variables: dict[str, Any] | None) -> int:
        rng = random.Random()
        app = AppInstance(new_id("0oa", rng), self.url, self.auth, flavour=Flavour(self.flavour))
        app = with_mappings(app, self.required.mapped)
        prefix = self.ledger.prefix
        shown = f" [{variables['ext_urn']}:{variables['ext_attr']}]" if variables else ""
        click.echo(f"{self.spec.name}: {self.spec.title} ({self.flavour}){shown} against {self.url}")
        progress, send = Progress(), StepRequests(self.transport.send, self.spec, self.required)

        def on_step(step: StepResult) -> None:
            progress.step(step)
            send.step(step)

        try:
            run = FlowRun(self.spec, app, send, prefix=prefix, rng=rng,
                          simulator=mapping_simulator(embedded_simulator(), self.required.mapped),
                          variables=dict(variables or {}), hold=self.interrupts.held, on_step=on_step,
                          on_request=progress.request, on_created=self.ledger.add_once,
                          on_deleted=self.ledger.deleted_by_run, on_unconfirmed=self.ledger.add_unconfirmed)
        except FlowError as exc:
            raise click.UsageError(str(exc)) from exc
        self.notice.step = lambda: run.current_step
        try:
            result = run.run()
        except Interrupted:
            progress.interrupted(run.current_step)
            self._cleanup(app, run.created, prefix)
            raise
        self._cleanup(app, run.created, prefix)
        code = _verdict(result, send.notes)
        if self.interrupts.received is not None:  # a signal during the cleanup: stop after it
            raise Interrupted(self.interrupts.received)
        return code

    def _cleanup(self, app: AppInstance, created: list[tuple[str, str, str]], prefix: str) -> None:
        self.notice.step = lambda: "cleanup"
        if not created and not self.ledger.unsettled():
            return
        if self.no_cleanup:
            if created:
                replay_ledger.record(self.ledger, created, None)
                click.echo(f"cleanup: none (--no-cleanup); {len(created)} created resources kept")
            return
        with self.interrupts.stopping():  # a signal now would leave what the flow created
            created = [*created, *self._found_lost()]
            if not created:
                return
            done = cleanup(app, created, CleanupProgress(self.transport.send, len(created)), prefix)
            replay_ledger.record(self.ledger, created, done)
        click.echo(f"cleanup: {len(done.deleted)} of {len(created)} created resources deleted")
        for line in done.skipped:
            click.echo(f"  cleanup skipped {line}", err=True)
        self.failed.extend(done.failed)
        for line in done.failed:
            click.echo(f"  cleanup failed: {line}", err=True)

    def _found_lost(self) -> list[tuple[str, str, str]]:
        """What the creates that got no response made after all: each looked up by its name once the
        target has had --timeout more to make it (settled in the ledger, where what is found joins)."""
        wait = self.ledger.settle_wait(self.transport.timeout)
        if wait >= 1:
            lost = plural(len(self.ledger.unsettled()), "create")
            click.echo(f"cleanup: waiting {wait:.0f} s before looking up {lost} that got no response (the "
                       "target may still be making them)")
        time.sleep(wait)
        before = len(self.ledger.entries)
        self.failed.extend(settle_lost(self.lookup, self.ledger))
        return [(e["type"], e["id"], e["name"]) for e in self.ledger.entries[before:]]


def _verdict(result: FlowResult, notes: dict[str, str]) -> int:
    """The flow's last line; a failed step's note says why, e.g. an extension the target requires."""
    failed = result.first_failure
    if failed is None:
        click.echo(f"{result.flow}: all {len(result.steps)} steps passed")
        return 0
    click.echo(f"{result.flow}: FAILED at step {failed.id} ({failed.title}){notes.get(failed.id, '')}",
               err=True)
    return EXIT_FAILED
