"""The audit dashboard (figures, charts, coverage grid), the findings list, agencies, the agency
page, exports, and starting an audit of a configured server-side folder."""

from __future__ import annotations

import csv
import io
import tempfile
from typing import Annotated

from fastapi import Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xxgk.audit.outputs import Options, write_sinks
from xxgk.audit.outputs.tables import FINDING_FIELDS
from xxgk.audit.outputs.values import csv_safe
from xxgk.check import rules
from xxgk.check.describe import rule_title
from xxgk.storage.versions import current_version
from xxgk.web import queries
from xxgk.web.dashboard import dashboard
from xxgk.web.deps import Visitor, WebError, get_db, get_settings, page_reader, page_writer
from xxgk.web.pages import render, router
from xxgk.web.uploads import Worker

Reader = Annotated[Visitor, Depends(page_reader)]
Writer = Annotated[Visitor, Depends(page_writer)]
PAGE = 50


def _filter(
    rule: Annotated[str, Query(max_length=64)] = "",
    severity: Annotated[str, Query(max_length=8)] = "",
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    agency: Annotated[str, Query(max_length=100)] = "",
    decision: Annotated[str, Query(max_length=16)] = "",
) -> queries.FindingFilter:
    """The findings list's filter from the query string: the page and its CSV export alike."""
    return queries.FindingFilter(
        rule=rule or None,
        severity=severity or None,
        year=year,
        agency=(agency or "").strip()[:100] or None,
        decision=decision or None,
    )


Filter = Annotated[queries.FindingFilter, Depends(_filter)]


@router.get("/", response_class=HTMLResponse)
def dashboard_page(
    request: Request,
    who: Reader,
    q: Annotated[str, Query(max_length=100)] = "",
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    top: Annotated[int, Query(ge=5, le=100)] = 20,
) -> Response:
    d = dashboard(
        get_db(request), q=q.strip() or None, year=year, offset=(page - 1) * PAGE, limit=PAGE, top=top
    )
    charts = {
        "rules": [
            {"rule": r, "name": rule_title(r, who.lang), "severity": sev, "n": n}
            for r, sev, n in d.by_rule[:top]
        ],
        "years": [{"year": y, "reports": nr, "findings": nf} for y, nr, nf in d.by_year],
        "agencies": [{"id": i, "name": n, "n": c} for i, n, c in d.top_agencies],
    }
    return render(
        request,
        "dashboard.html.j2",
        who,
        d=d,
        q=q,
        year=year,
        page=page,
        pages=max(1, -(-d.agencies_total // PAGE)),
        top=top,
        charts=charts,
        jobs=list(request.app.state.worker.jobs.values()),
        folders=sorted(get_settings(request).audit_folders),
    )


@router.get("/findings", response_class=HTMLResponse)
def findings(
    request: Request,
    who: Reader,
    f: Filter,
    sort: Annotated[str, Query(max_length=16)] = "agency",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    rows, total = queries.findings_page(get_db(request), f, sort=sort, offset=(page - 1) * PAGE, limit=PAGE)
    query = {k: v for k, v in request.query_params.items() if k != "page"}
    return render(
        request,
        "findings.html.j2",
        who,
        rows=rows,
        total=total,
        f=f,
        sort=sort,
        page=page,
        pages=max(1, -(-total // PAGE)),
        query=query,
        can_decide=bool(who.account and who.account.can_decide),
        rules=[r.id for r in rules()],
    )


@router.get("/export/findings.csv")
def export_findings(request: Request, who: Reader, f: Filter) -> Response:
    """The filtered findings list, in the columns of the audit's findings.csv."""
    rows, _ = queries.findings_page(get_db(request), f, sort="id", offset=0, limit=10**9)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow([name for name, _ in FINDING_FIELDS])
    for r in rows:
        w.writerow(  # agency, messages and notes come from documents and users: no formulas (OWASP)
            csv_safe(v)
            for v in [
                r["id"],
                r["report_id"],
                "",
                r["agency"],
                r["year"],
                r["rule"],
                r["severity"],
                r["scope"],
                " ".join(r["cells"] or []),
                r["expected"],
                r["actual"],
                r["message"],
                r["decision"],
                r["note"],
            ]
        )
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="findings.csv"'},
    )


@router.get("/export/audit.xlsx")
def export_workbook(request: Request, who: Reader) -> Response:
    """The audit workbook, written by the same writer as `xxgk audit --out --cells`: a download
    from the web app keeps its template sheets (a web app's database is a few uploads)."""
    with tempfile.TemporaryDirectory(prefix="xxgk-export-") as tmp:
        written = write_sinks(get_db(request), tmp, ("excel",), Options(cells=True))
        data = next(iter(written.values())).read_bytes()
    return Response(
        data,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="audit.xlsx"'},
    )


@router.get("/agencies", response_class=HTMLResponse)
def agencies(
    request: Request,
    who: Reader,
    q: Annotated[str, Query(max_length=100)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    d = dashboard(get_db(request), q=q.strip() or None, offset=(page - 1) * PAGE, limit=PAGE, top=0)
    return render(
        request, "agencies.html.j2", who, d=d, q=q, page=page, pages=max(1, -(-d.agencies_total // PAGE))
    )


@router.get("/agencies/{agency_id}", response_class=HTMLResponse)
def agency(request: Request, agency_id: int, who: Reader) -> Response:
    db = get_db(request)
    name, reports = queries.agency_reports(db, agency_id)
    if name is None:
        raise WebError(404, f"no agency with id {agency_id}")
    with db.session() as s:
        for r in reports:
            found = current_version(s, r["id"])
            r["data"] = found.data if found else r["data"]
    rows, _ = queries.findings_page(db, queries.FindingFilter(agency_id=agency_id), sort="year", limit=500)
    from xxgk.audit.outputs import cell_columns

    return render(
        request,
        "agency.html.j2",
        who,
        name=name,
        reports=reports,
        findings=rows,
        cross=[r for r in rows if r["scope"] == "cross-year"],
        columns=cell_columns(),
    )


@router.post("/audits")
def start_audit(request: Request, who: Writer, folder: Annotated[str, Form(max_length=100)]) -> Response:
    assert who.account is not None
    if not who.account.can_upload:
        raise WebError(403, who.t("无权发起审计。", "You cannot start audits."))
    if folder not in get_settings(request).audit_folders:
        raise WebError(422, who.t("没有这个已配置的文件夹。", "No such configured folder."))
    worker: Worker = request.app.state.worker
    worker.start_audit(folder, who.account.name)
    return RedirectResponse("/#audits", status_code=303)
