"""The HTML audit report as a small static site that opens offline and can be zipped and mailed:

    index.html              summary, severity-coloured charts, the coverage grid of every agency
                            (searchable, filterable), unreadable files
    agencies/<id>.html      one page per agency: its years, findings first by severity, extraction
                            notes folded away, the cells the findings name with their source
    assets/                 ECharts (Apache-2.0, vendored at xxgk/web/static), the style sheet and
                            the page script, shared by every page

Reports arrive ordered by agency (query.iter_reports), so each agency page is rendered from that
one agency's reports as soon as the next agency starts, and then dropped; the agency's row of
the index's coverage grid goes to a spool file, read back once when the index is rendered, and
the agency chart keeps only its top 30, and the pages are written into one staged folder
(`Staged.folder`), not listed one by one: memory holds one agency's reports, whatever the size of
the corpus (a national corpus has ~25,000 agencies per 100,000 reports: ~12 KB each when every
row was held, issue 16).
Every word shown comes from the message catalogue (xxgk/i18n), rules by name, cells as the
template prints them.
"""

from __future__ import annotations

import json
import os
import pickle
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

import xxgk
from xxgk.audit.outputs import Staged, Summary
from xxgk.audit.outputs.cells import cell_name, view_cell
from xxgk.audit.query import FindingInfo, ReportInfo
from xxgk.check.describe import rule_label, rule_title
from xxgk.i18n import Lang, reason, say

TOP_AGENCIES = 30
MAX_CELLS_SHOWN = 8
SEVERITIES = ("error", "warning", "info")
SEVERITY_COLOURS = {"error": "#c62828", "warning": "#e69500", "info": "#9e9e9e"}


def _env() -> Environment:
    return Environment(
        loader=PackageLoader("xxgk.audit", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def echarts_js() -> str:
    return resources.files("xxgk").joinpath("web/static/echarts.min.js").read_text("utf-8")


def anchor(report_id: int, cell: str) -> str:
    return f"r{report_id}-{cell.replace('.', '-')}"


def page_name(agency_id: int | None) -> str:
    return f"{agency_id if agency_id is not None else 'none'}.html"


@dataclass
class AgencyLine:
    """What the index keeps of one agency: a row of the coverage grid."""

    id: int | None
    name: str
    href: str
    years: Counter[int] = field(default_factory=Counter)
    error_years: set[int] = field(default_factory=set)
    severities: Counter[str] = field(default_factory=Counter)
    years_unknown: int = 0  # reports whose year could not be read

    @property
    def reports(self) -> int:
        return sum(self.years.values()) + self.years_unknown


class HtmlSink(Staged):
    def __init__(self, out: Path, lang: Lang = "zh") -> None:
        super().__init__()
        self.out, self.lang = out, lang
        self.env = _env()
        self.env.globals.update(
            say=lambda msg_id, **kw: say(msg_id, lang, **kw),
            reason=lambda text: reason(text, lang),
            lang=lang,
        )
        self.line: AgencyLine | None = None  # the agency whose reports are arriving
        self.pages = self.folder(out / "agencies")  # the agency pages, staged
        self.spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed in __exit__) the agencies done, in order
        self.n_lines = 0
        self.top: list[tuple[tuple[int, str], AgencyLine]] = []  # the agency chart's candidates
        self.rest = Counter[str]()  # errors and warnings of every agency done
        self.years: set[int] = set()
        self.current: list[dict[str, Any]] = []
        self.by_rule: Counter[tuple[str, str]] = Counter()
        self.by_year: Counter[tuple[int, str]] = Counter()
        self.severities: Counter[str] = Counter()
        self.decisions: Counter[str] = Counter()

    # -------------------------------------------------------------- one agency page at a time
    def add_report(self, r: ReportInfo, findings: list[FindingInfo]) -> None:
        view = self._report_view(r, findings)  # first: a report that fails changes nothing
        line = self.line
        # Reports come ordered by agency, so an agency's reports are consecutive; those linked to
        # no agency (NULL sorts together) share one page, whatever name they print.
        if line is None or line.id != r.agency_id:
            self._flush()
            line = AgencyLine(r.agency_id, self._name(r), f"agencies/{page_name(r.agency_id)}")
            self.line = line
        if r.year is None:
            line.years_unknown += 1
        else:
            line.years[r.year] += 1
        for f in findings:
            self.by_rule[(f.rule, f.severity)] += 1
            if f.year is not None:
                self.by_year[(f.year, f.severity)] += 1
            self.severities[f.severity] += 1
            self.decisions[f.decision or "open"] += 1
            line.severities[f.severity] += 1
            if f.severity == "error" and r.year is not None:
                line.error_years.add(r.year)
        self.current.append(view)

    def _name(self, r: ReportInfo) -> str:
        if r.agency_id is None or not r.agency:
            return say("value.unknown_agency", self.lang)
        return r.agency

    def _report_view(self, r: ReportInfo, findings: list[FindingInfo]) -> dict[str, Any]:
        lang = self.lang
        values = r.values()
        cited: dict[str, dict[str, Any]] = {}
        rows = []
        for f in sorted(findings, key=lambda f: (SEVERITIES.index(f.severity), f.id)):
            cells = f.cells[:MAX_CELLS_SHOWN]
            for key in cells:
                if key not in cited:
                    v = view_cell(r.template, key, values.get(key), r.source(key), lang)
                    cited[key] = {"anchor": anchor(r.id, key), "view": v}
            message = f.message if lang == "zh" else (f.message_en or f.message)
            rows.append(
                {
                    "id": f.id,
                    "severity": f.severity,
                    "rule": rule_label(f.rule, lang),
                    "message": message,
                    "cells": [(anchor(r.id, c), cell_name(r.template, c)) for c in cells],
                    "more": len(f.cells) - len(cells),
                    "expected": f.expected,
                    "actual": f.actual,
                    "decision": say(f"decision.{f.decision}", lang) if f.decision else "",
                    "note": f.note or "",
                }
            )
        return {
            "id": r.id,
            "year": r.year,
            "template": r.template,
            "path": r.path,
            "printed": r.printed_agency,
            "version": r.version,
            "findings": [x for x in rows if x["severity"] != "info"],
            "notes": [x for x in rows if x["severity"] == "info"],
            "cited": list(cited.values()),
        }

    def _flush(self) -> None:
        """The page of the agency whose reports have all arrived; its index row to the spool."""
        line, self.line = self.line, None
        if line is None:
            return
        target = self.out / line.href
        page_dir = target.parent
        for rep in self.current:
            rep["href"] = Path(os.path.relpath(os.path.abspath(rep["path"]), page_dir)).as_posix()
        self._render("agency.html.j2", self.pages / target.name, line=line, reports=self.current)
        self.current = []
        pickle.dump(line, self.spool, pickle.HIGHEST_PROTOCOL)
        self.n_lines += 1
        self.years.update(line.years)
        flagged = line.severities["error"] + line.severities["warning"]
        self.rest.update(error=line.severities["error"], warning=line.severities["warning"])
        if flagged:
            # The chart's top agencies, as a stable sort of them all would rank them (ties in
            # the order the agencies came); trimmed now and then, so never more than 2 × 30.
            self.top.append(((-flagged, line.name), line))
            if len(self.top) >= 2 * TOP_AGENCIES:
                self.top = sorted(self.top, key=lambda t: t[0])[:TOP_AGENCIES]

    def _lines(self) -> Iterator[AgencyLine]:
        """The index rows spooled by `_flush`, in the order the agencies came."""
        self.spool.seek(0)
        for _ in range(self.n_lines):
            yield pickle.load(self.spool)

    def __exit__(self, *exc: object) -> None:
        self.spool.close()
        super().__exit__(*exc)

    def _render(self, template: str, to: Path, **context: Any) -> None:
        """The page into `to`, a staged path (`self.path`, or a file of a staged folder)."""
        stream = self.env.get_template(template).stream(**context)
        stream.enable_buffering(2000)  # big chunks: fast writes, bounded memory
        stream.dump(str(to), encoding="utf-8")

    # -------------------------------------------------------------- the index and the assets
    def _charts(self) -> dict[str, Any]:
        lang = self.lang
        rules = sorted(
            {rule for rule, _ in self.by_rule},
            key=lambda rule: (*tuple(-self.by_rule[rule, s] for s in SEVERITIES), rule),
        )
        years = sorted({y for y, _ in self.by_year})
        top = [a for _, a in sorted(self.top, key=lambda t: t[0])[:TOP_AGENCIES]]
        rest = self.n_lines - len(top)
        agencies = [(a.name, a.severities["error"], a.severities["warning"]) for a in top]
        # The other agencies are summed in the subtitle, not drawn as a bar: on 10,000 reports
        # their sum would flatten the top 30 into slivers.
        errors, warnings = (self.rest[s] - sum(a.severities[s] for a in top) for s in ("error", "warning"))
        others = say("html.chart_others", lang, n=rest, errors=errors, warnings=warnings) if rest else ""
        names = {s: say(f"severity.{s}", lang) for s in SEVERITIES}
        return {
            "colours": SEVERITY_COLOURS,
            "names": names,
            "rule": {
                "labels": [rule_title(r, lang) for r in rules],
                "series": {s: [self.by_rule[(r, s)] for r in rules] for s in SEVERITIES},
            },
            "year": {
                "labels": [str(y) for y in years],
                "series": {s: [self.by_year[(y, s)] for y in years] for s in SEVERITIES},
            },
            "agency": {
                "labels": [a[0] for a in agencies],
                "series": {"error": [a[1] for a in agencies], "warning": [a[2] for a in agencies]},
            },
            "titles": {
                "rule": say("html.chart_rule", lang),
                "year": say("html.chart_year", lang),
                "agency": say("html.chart_agency", lang, n=TOP_AGENCIES),
            },
            "subtitles": {"agency": others},
        }

    def finish(self, ctx: Summary) -> dict[str, Path]:
        self._flush()
        assets = self.out / "assets"
        assets.mkdir(parents=True, exist_ok=True)
        self.path(assets / "echarts.min.js").write_text(echarts_js(), "utf-8")
        for name in ("site.css", "site.js"):
            text = resources.files("xxgk.audit").joinpath(f"templates/{name}").read_text("utf-8")
            self.path(assets / name).write_text(text, "utf-8")
        all_years = sorted(self.years)
        span = list(range(all_years[0], all_years[-1] + 1)) if all_years else []
        self._render(
            "index.html.j2",
            self.path(self.out / "index.html"),
            version=xxgk.__version__,
            counts=ctx.counts,
            severities=self.severities,
            decisions=self.decisions,
            charts=json.dumps(self._charts(), ensure_ascii=False),
            lines=self._lines(),
            n_lines=self.n_lines,
            span=span,
            failures=ctx.failures,
        )
        written = self.commit()
        return {"index.html": written["index.html"]}
