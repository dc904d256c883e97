"""The audit dashboard's figures, chart series and coverage grid, for thousands of agencies.

Computed from three narrow scans of the database (current reports through a covering index,
findings, agency names), grouped in Python, and cached per database state: a new search, year
filter or page re-groups the kept scans; any write that changes what is shown changes the state's
`signature` and so starts afresh.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from xxgk.audit.pipeline import current_document_ids
from xxgk.storage.db import Database
from xxgk.storage.models import DOCUMENT_FAILED, Agency, Document, FindingRow, ReportRow, ReportVersion


@dataclass
class Dashboard:
    counts: dict[str, int]
    by_rule: list[tuple[str, str, int]]  # (rule, severity, findings)
    by_year: list[tuple[int, int, int]]  # (year, reports, findings)
    by_severity: dict[str, int]
    top_agencies: list[tuple[int, str, int]]  # (agency id, name, findings)
    years: list[int]
    grid: list[dict[str, Any]] = field(default_factory=list)  # coverage rows of this page
    agencies_total: int = 0


_DASHBOARDS: OrderedDict[tuple[Any, ...], Dashboard] = OrderedDict()
_DASHBOARD_CACHE = 64
_CACHE_LOCK = threading.Lock()
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def signature(db: Database) -> tuple[Any, ...]:
    """Changes whenever what the dashboard shows can change: documents, agencies, findings, versions.

    Every write that matters inserts rows (a re-check replaces findings with new ids), so the
    largest id and the count of these tables are enough; each is an index lookup.
    """
    with db.session() as s:
        return tuple(
            tuple(s.execute(select(func.max(col), func.count(col))).one())
            for col in (Document.id, Agency.id, FindingRow.id, ReportVersion.id)
        )


def dashboard(
    db: Database,
    *,
    q: str | None = None,
    year: int | None = None,
    offset: int = 0,
    limit: int = 50,
    top: int = 20,
) -> Dashboard:
    """Figures, chart series (top-N, filtered by agency name and year) and one page of the coverage
    grid; computed once per database state and parameters, then served from a small cache."""
    state = (db.url, signature(db))
    key = (*state, q, year, offset, limit, top)
    with _CACHE_LOCK:  # pages are served from several threads
        found = _DASHBOARDS.get(key)
        if found is not None:
            _DASHBOARDS.move_to_end(key)
            return found
        scan = _SCANS.get(state)
    if scan is None:
        scan = _scan(db)
        with _CACHE_LOCK:
            _SCANS.clear()  # only the current state is worth keeping
            _SCANS[state] = scan
    result = _dashboard(scan, q=q, year=year, offset=offset, limit=limit, top=top)
    with _CACHE_LOCK:
        _DASHBOARDS[key] = result
        while len(_DASHBOARDS) > _DASHBOARD_CACHE:
            _DASHBOARDS.popitem(last=False)
    return result


@dataclass
class _Scan:
    doc_counts: dict[str, int]
    reports: dict[int, tuple[int | None, int | None]]  # current report → (agency, year)
    names: dict[int, str]
    findings: list[tuple[int, str, str]]  # (report, rule, severity)


_SCANS: dict[tuple[Any, ...], _Scan] = {}


def _scan(db: Database) -> _Scan:
    """Three narrow scans (current reports from a covering index, findings, agency names); every
    dashboard view of one database state (any search, year, page) is grouped from them in Python."""
    current = current_document_ids()
    with db.engine.connect() as conn:  # plain Core rows: tens of thousands of them, no ORM needed
        doc_counts: dict[str, int] = dict(
            conn.execute(
                select(Document.status, func.count())
                .where(Document.id.in_(current))
                .group_by(Document.status)
            ).all()
        )
        reports: dict[int, tuple[int | None, int | None]] = {
            rid: (aid, y)
            for rid, aid, y in conn.execute(
                select(ReportRow.id, ReportRow.agency_id, ReportRow.year).where(
                    ReportRow.document_id.in_(current)
                )
            )
        }
        names: dict[int, str] = {i: n for i, n in conn.execute(select(Agency.id, Agency.name))}
        found = [
            (r, rule_id, sev)
            for r, rule_id, sev in conn.execute(
                select(FindingRow.report_id, FindingRow.rule, FindingRow.severity)
            )
        ]
    return _Scan(doc_counts, reports, names, found)


def _dashboard(
    scan: _Scan, *, q: str | None, year: int | None, offset: int, limit: int, top: int
) -> Dashboard:
    doc_counts, reports, names, found = scan.doc_counts, scan.reports, scan.names, scan.findings
    wanted = {a for a, n in names.items() if q in n} if q else None
    by_rule: dict[tuple[str, str], int] = defaultdict(int)
    by_severity: dict[str, int] = defaultdict(int)
    findings_year: dict[int, int] = defaultdict(int)
    per_agency: dict[int, int] = defaultdict(int)
    with_errors: set[int] = set()
    total = 0
    for rid, rule_id, severity in found:
        where = reports.get(rid)
        if where is None:
            continue  # an older version's findings
        total += 1
        aid, y = where
        if y is not None:
            findings_year[y] += 1
        if severity == "error":
            with_errors.add(rid)
        if (wanted is not None and aid not in wanted) or (year is not None and y != year):
            continue
        by_rule[(rule_id, severity)] += 1
        by_severity[severity] += 1
        if aid is not None:
            per_agency[aid] += 1
    reports_year: dict[int, int] = defaultdict(int)
    grid_cells: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    for rid, (aid, y) in reports.items():
        if y is None:
            continue
        reports_year[y] += 1
        if aid is not None:
            grid_cells[aid][y] = {"report_id": rid, "errors": rid in with_errors}
    listed = sorted(
        (a for a in grid_cells if wanted is None or a in wanted), key=lambda a: (names.get(a, ""), a)
    )
    years = sorted(reports_year)
    rules_sorted = sorted(
        by_rule.items(), key=lambda kv: (-kv[1], _SEVERITY_ORDER.get(kv[0][1], 9), kv[0][0])
    )
    top_agencies = sorted(per_agency.items(), key=lambda kv: (-kv[1], names.get(kv[0], "")))[:top]
    return Dashboard(
        counts={
            "documents": sum(doc_counts.values()),
            "failed": doc_counts.get(DOCUMENT_FAILED, 0),
            "reports": len(reports),
            "agencies": len(listed),
            "findings": total,
        },
        by_rule=[(r, sev, n) for (r, sev), n in rules_sorted],
        by_year=[(y, reports_year[y], findings_year.get(y, 0)) for y in years],
        by_severity={
            sev: by_severity[sev] for sev in sorted(by_severity, key=lambda x: _SEVERITY_ORDER.get(x, 9))
        },
        top_agencies=[(a, names.get(a, "?"), n) for a, n in top_agencies],
        years=years,
        grid=[
            {"id": a, "name": names.get(a, "?"), "years": grid_cells[a]}
            for a in listed[offset : offset + limit]
        ],
        agencies_total=len(listed),
    )
