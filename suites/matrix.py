"""The extension matrix: attribute × operation, pass/fail, naming the failing checks."""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from suites.state import CheckResult

OPERATIONS = ("create", "read", "filter", "project", "patch-path", "patch-no-path", "put", "remove")


def extension_matrix(results: Iterable[CheckResult]) -> list[dict[str, Any]]:
    """One row per (urn, attribute, operation): failed if any check failed, else passed/skipped."""
    cells: dict[tuple[str, str, str], list[CheckResult]] = {}
    for result in results:
        if result.extension is not None:
            cell = result.extension
            cells.setdefault((cell.urn, cell.attribute, cell.operation), []).append(result)
    rows: list[dict[str, Any]] = []
    for (urn, attribute, op), found in cells.items():
        failed = sorted({r.info.id for r in found if r.outcome in ("failed", "error")})
        passed = any(r.outcome in ("passed", "waived") for r in found)
        outcome = "failed" if failed else "passed" if passed else "skipped"
        rows.append({"urn": urn, "attribute": attribute, "operation": op, "outcome": outcome,
                     "failed_checks": failed})
    order = {op: i for i, op in enumerate(OPERATIONS)}
    rows.sort(key=lambda r: (r["urn"], r["attribute"] == "*", r["attribute"],
                             order.get(r["operation"], len(order))))
    return rows


def matrix_html(rows: list[dict[str, Any]]) -> str:
    """An HTML table per extension: rows are attributes, columns the operations."""
    if not rows:
        return ""
    parts = ["<h2>Extension matrix</h2>"]
    for urn in dict.fromkeys(r["urn"] for r in rows):
        mine = [r for r in rows if r["urn"] == urn]
        grid = {(r["attribute"], r["operation"]): r for r in mine}
        head = "".join(f"<th>{op}</th>" for op in OPERATIONS)
        parts.append(f"<h3>{html.escape(urn)}</h3><table class='scimcert-ext'><tr><th>attribute</th>"
                     f"{head}</tr>")
        for attribute in dict.fromkeys(r["attribute"] for r in mine):
            label = "(whole extension)" if attribute == "*" else attribute
            cells = "".join(_cell(grid.get((attribute, op))) for op in OPERATIONS)
            parts.append(f"<tr><td>{html.escape(label)}</td>{cells}</tr>")
        parts.append("</table>")
    return "".join(parts)


def _cell(row: dict[str, Any] | None) -> str:
    if row is None:
        return "<td></td>"
    if row["outcome"] != "failed":
        return f"<td>{'pass' if row['outcome'] == 'passed' else 'skip'}</td>"
    return f"<td style='color:#b00'>fail: {html.escape(', '.join(row['failed_checks']))}</td>"
