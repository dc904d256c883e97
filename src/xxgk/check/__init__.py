"""The checker: a pure rule engine over the report model.

    from xxgk.check import check
    findings = check(report, previous=last_years_report)

Rules are data (rules.toml, loaded by `catalogue`); each names a kind of check (`kinds`).
"""

from __future__ import annotations

from collections.abc import Iterable

from xxgk.check.catalogue import Rule, markdown_table, rule, rules
from xxgk.check.kinds import KINDS, Context
from xxgk.model import SEVERITIES, Finding, Report

__all__ = ["Rule", "check", "has_errors", "markdown_table", "rule", "rules", "summarise"]

# Rules that need a known template (all table rules); the others run on any report.
_TEMPLATE_FREE = {"template_known", "template_year", "sections", "previous_year", "timeliness"}


def check(
    report: Report, previous: Report | None = None, *, only: Iterable[str] | None = None
) -> list[Finding]:
    """Every finding for `report`; cross-year rules run only when last year's report is given.

    The report is not modified: blank cells stay blank, findings are returned, not stored.
    """
    ctx = Context.of(report, previous)
    wanted = set(only) if only is not None else None
    findings: list[Finding] = []
    for r in rules():
        if wanted is not None and r.id not in wanted:
            continue
        if r.scope == "cross-year" and previous is None:
            continue
        if ctx.template is None and r.kind not in _TEMPLATE_FREE:
            continue
        findings.extend(KINDS[r.kind](r, ctx))
    return findings


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def summarise(findings: Iterable[Finding]) -> dict[str, int]:
    """Counts per severity, in severity order."""
    counts: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        counts[f.severity] += 1
    return counts
