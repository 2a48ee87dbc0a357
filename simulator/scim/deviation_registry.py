"""Every deviation by name: the real-world bugs and the legal choices of SCIM servers, as data.

The reference provider switches them on (simulator/provider/deviations.py); a run's report names
the known bugs whose checks all failed on its target (suites/known_bugs.py). Both sides need the
table, so it lives here and imports nothing of either.
"""

from __future__ import annotations

from collections.abc import Mapping

from simulator.scim.deviation_bulk import BULK_BUGS
from simulator.scim.deviation_cursor import CURSOR_BUGS
from simulator.scim.deviation_table import BUGS, Deviation
from simulator.scim.deviation_variants import VARIANTS

REGISTRY: Mapping[str, Deviation] = {d.name: d for d in (*BUGS, *BULK_BUGS, *CURSOR_BUGS, *VARIANTS)}
