"""The HTML audit report: summary figures, ECharts charts (findings by rule, year, agency),
coverage, failures, and a section per agency whose findings link to the cells they name, with
each cell's source text from its provenance (issue 5 item 3).

ECharts (Apache-2.0) is vendored at xxgk/web/static/echarts.min.js and inlined, so the report
is one self-contained file that opens offline.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from xxgk.audit.outputs import Staged, Summary
from xxgk.audit.query import FindingInfo, ReportInfo
from xxgk.templates import get_template

TOP_AGENCIES = 30
UNKNOWN_AGENCY = "（未识别机关）"
MAX_CELLS_SHOWN = 8


def _env() -> Environment:
    return Environment(
        loader=PackageLoader("xxgk.audit", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def echarts_js() -> str:
    return resources.files("xxgk").joinpath("web/static/echarts.min.js").read_text("utf-8")


def cell_label(template: str | None, key: str) -> str:
    if template in ("2019", "2021"):
        try:
            c = get_template(template).cell(key)
        except KeyError:
            return key
        return f"{c.row.number}{c.row.label} · {c.column.label}"
    return key


def anchor(report_id: int, cell: str) -> str:
    return f"r{report_id}-{cell.replace('.', '-')}"


def _provenance(src: dict[str, Any] | None) -> tuple[str, str, str]:
    if not src:
        return "", "", ""
    offset = src.get("offset")
    where = ""
    if isinstance(offset, dict):
        where = f"p.{offset.get('page')}"
    elif offset is not None:
        where = f"@{offset}"
    return src.get("status") or "", src.get("text") or "", where


class HtmlSink(Staged):
    """Collects what the page shows per report (no table data kept), renders at the end."""

    def __init__(self, out: Path) -> None:
        super().__init__()
        self.target = out / "index.html"
        self.agencies: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def add_report(self, r: ReportInfo, findings: list[FindingInfo]) -> None:
        cited: dict[str, dict[str, Any]] = {}
        provenance = r.data.get("cells") or {}
        shown = []
        for f in findings:
            # A finding may name hundreds of cells (e.g. every ambiguous one): link the first few.
            cells = f.cells[:MAX_CELLS_SHOWN]
            shown.append({"f": f, "cells": cells, "more": len(f.cells) - len(cells)})
            for key in cells:
                if key in cited:
                    continue
                status, text, where = _provenance(provenance.get(key))
                table, row, col = [*key.split("."), "", "", ""][:3]
                value = (r.data.get(table) or {}).get(row, {}).get(col) if table.startswith("table") else None
                cited[key] = {
                    "key": key,
                    "anchor": anchor(r.id, key),
                    "label": cell_label(r.template, key),
                    "value": value,
                    "status": status,
                    "text": text,
                    "where": where,
                }
        light = replace(r, data={}, _values={})
        self.agencies[r.agency or UNKNOWN_AGENCY].append(
            {"info": light, "findings": shown, "cited": list(cited.values())}
        )

    def finish(self, ctx: Summary) -> dict[str, Path]:
        by_rule: Counter[str] = Counter()
        by_year: Counter[int] = Counter()
        by_agency: Counter[str] = Counter()
        severities: Counter[str] = Counter()
        decisions: Counter[str] = Counter()
        for f in ctx.findings:
            by_rule[f.rule] += 1
            if f.year is not None:
                by_year[f.year] += 1
            by_agency[f.agency or UNKNOWN_AGENCY] += 1
            severities[f.severity] += 1
            decisions[f.decision or "open"] += 1
        charts = {
            "rule": sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0])),
            "year": sorted(by_year.items()),
            "agency": by_agency.most_common(TOP_AGENCIES),
        }
        context = {
            "counts": ctx.counts,
            "severities": dict(severities),
            "decisions": dict(decisions),
            "charts": charts,
            "coverage": ctx.coverage,
            "failures": ctx.failures,
            "agencies": sorted(self.agencies.items()),
            "anchor": anchor,
            "echarts": echarts_js(),
        }
        template = _env().get_template("audit.html.j2")
        stream = template.stream(**context)
        stream.enable_buffering(2000)  # big chunks: fast writes, bounded memory
        stream.dump(str(self.path(self.target)), encoding="utf-8")
        return self.commit()
