"""The pages through the real login: upload → report page → source, corrections as versions,
ambiguous candidates, decisions, drafts, dashboard, findings, agencies, exports, audits."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from sqlalchemy import func, select
from tests.paths import SHARED
from tests.web.helpers import AGENCY, FIXTURES, OTHER_AGENCY, Web, csrf_of, report_json, upload

from xxgk.storage.models import ReportRow, ReportVersion
from xxgk.web.models import AuditLogEntry, Upload


def _report_ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'href="/reports/(\d+)"', html)]


def test_upload_then_report_page_draws_the_template(web: Web) -> None:
    c = web.client("sup")
    html = upload(c, [("a.json", report_json())])
    (rid,) = _report_ids(html)
    page = c.get(f"/reports/{rid}").text
    # Table 3's official header block: 申请人情况 over 7 columns, 法人或其他组织 over 5, merged rows.
    assert re.search(r'<th colspan="7">申请人情况</th>', page)
    assert re.search(r'<th colspan="5">法人或其他组织</th>', page)
    assert "三、本年度办理结果" in page and "行政复议" in page
    assert page.count('class="v ') >= 90  # every value cell of tables 2–4 is drawn and clickable
    assert f'hx-get="/reports/{rid}/source?cell=table3.new.total"' in page


def test_text_source_is_marked_at_the_offset(web: Web) -> None:
    c = web.client("admin")
    doc = SHARED / "corpus" / "dev" / "docs" / "101_pingtan-junshan-2022.txt"
    (rid,) = _report_ids(upload(c, [(doc.name, doc.read_bytes())]))
    data = web.api("admin").get(f"/api/reports/{rid}").json()
    cell = "table3.unable_not_held.natural_person"
    src = data["cells"][cell]
    frag = c.get(f"/reports/{rid}/source", params={"cell": cell}).text
    marked = re.search(r'<mark class="spot" id="spot">([^<]*)</mark>', frag)
    assert marked and marked.group(1) == src["text"]


def test_pdf_source_renders_the_page_with_the_cell_box(web: Web) -> None:
    c = web.client("admin")
    pdf = FIXTURES / "pdf" / "101_pingtan-junshan-2022.pdf"
    (rid,) = _report_ids(upload(c, [(pdf.name, pdf.read_bytes())]))
    data = web.api("admin").get(f"/api/reports/{rid}").json()
    cell = "table3.unable_not_held.natural_person"
    page = data["cells"][cell]["offset"]["page"]
    frag = c.get(f"/reports/{rid}/source", params={"cell": cell}).text
    assert f'src="/reports/{rid}/pages/{page}.png"' in frag
    box = re.search(
        r'id="pdf-box" style="left: ([\d.]+)%; top: ([\d.]+)%; width: ([\d.]+)%; height: ([\d.]+)%', frag
    )
    assert box and all(0 <= float(v) <= 100 for v in box.groups()) and float(box.group(3)) > 0
    png = c.get(f"/reports/{rid}/pages/{page}.png")
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert c.get(f"/reports/{rid}/pages/999.png").status_code == 404


def test_docx_source_shows_the_table_cell(web: Web) -> None:
    c = web.client("admin")
    docx = FIXTURES / "docx" / "101_pingtan-junshan-2022.docx"
    (rid,) = _report_ids(upload(c, [(docx.name, docx.read_bytes())]))
    data = web.api("admin").get(f"/api/reports/{rid}").json()
    cell = "table3.unable_not_held.natural_person"
    frag = c.get(f"/reports/{rid}/source", params={"cell": cell}).text
    spot = re.search(r'<td class="spot">([^<]*)</td>', frag)
    assert spot and spot.group(1) == data["cells"][cell]["text"]


def test_ambiguous_cell_offers_its_candidates_and_a_pick_makes_a_version(web: Web) -> None:
    c = web.client("admin")
    doc = SHARED / "corpus" / "dev" / "docs" / "102_pingtan-guozi-2019.txt"
    (rid,) = _report_ids(upload(c, [(doc.name, doc.read_bytes())]))
    cell = "table2.regulations.new_made"
    page = c.get(f"/reports/{rid}").text
    assert re.search(rf'class="v s-ambiguous[^"]*"\s+data-cell="{cell}"', page)
    frag = c.get(f"/reports/{rid}/source", params={"cell": cell}).text
    picks = re.findall(r'name="value" value="(\d+)" class="candidate-value"', frag)
    assert picks == ["1", "14"]
    r = c.post(
        f"/reports/{rid}/correct",
        data={"csrf_token": csrf_of(frag), "cell": cell, "value": "14", "reason": "选用候选值 14"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    data = web.api("admin").get(f"/api/reports/{rid}").json()
    assert data["version"] == 2 and data["table2"]["regulations"]["new_made"] == 14
    assert data["cells"][cell]["was"] == "ambiguous" and data["cells"][cell]["corrected"] is True


def test_correction_is_a_new_version_rechecked_with_history(web: Web) -> None:
    c = web.client("office")  # an office corrects its own agency's report
    sup = web.client("sup")
    (rid,) = _report_ids(upload(sup, [("a.json", report_json())]))
    before = {f["rule"] for f in web.api("sup").get(f"/api/reports/{rid}/findings").json()["items"]}
    total = web.api("sup").get(f"/api/reports/{rid}").json()["table3"]["new"]["total"]
    page = c.get(f"/reports/{rid}").text
    r = c.post(
        f"/reports/{rid}/correct",
        data={
            "csrf_token": csrf_of(page),
            "cell": "table3.new.total",
            "value": str(total + 5),
            "reason": "打印错误",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    after = web.api("sup").get(f"/api/reports/{rid}/findings").json()["items"]
    assert {f["rule"] for f in after} - before, "a wrong total must raise a new finding on re-check"
    assert any("table3.new.total" in f["cells"] for f in after)
    page = c.get(f"/reports/{rid}").text
    assert '<b id="version">2</b>' in page
    history = re.findall(r'<tr class="version-row"><td>(\d+)</td>', page)
    assert history == ["1", "2"] and "打印错误" in page and str(total + 5) in page
    with web.db.session() as s:
        assert s.scalar(select(ReportRow.data).where(ReportRow.id == rid))["table3"]["new"]["total"] == total
        assert s.scalar(select(func.count()).select_from(ReportVersion)) == 1
        log = s.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "report.correct"))
        assert log is not None and log.actor == "office"
        assert log.before["value"] == str(total) and log.after["value"] == str(total + 5)
    bad = c.post(
        f"/reports/{rid}/correct",
        data={"csrf_token": csrf_of(page), "cell": "table3.new.total", "value": "abc", "reason": "x"},
    )
    assert bad.status_code == 422 and "not a number" in bad.text
    other = web.client("office2")
    r = other.post(
        f"/reports/{rid}/correct",
        data={
            "csrf_token": csrf_of(other.get("/").text),
            "cell": "table3.new.total",
            "value": "1",
            "reason": "x",
        },
    )
    assert r.status_code == 403


def test_decide_on_the_page_and_viewer_cannot(web: Web) -> None:
    sup = web.client("sup")
    (rid,) = _report_ids(upload(sup, [("a.json", report_json(**{"table3": {}}))]))
    page = sup.get(f"/reports/{rid}").text
    fid = int(re.search(r'action="/findings/(\d+)/decide"', page).group(1))  # type: ignore[union-attr]
    r = sup.post(
        f"/findings/{fid}/decide",
        data={"csrf_token": csrf_of(page), "decision": "dismissed", "note": "表格在附件中"},
        follow_redirects=True,
    )
    assert r.status_code == 200 and 'data-decision="dismissed"' in r.text and "表格在附件中" in r.text
    viewer = web.client("viewer")
    vpage = viewer.get(f"/reports/{rid}").text
    assert "/decide" not in vpage  # no decide form for a viewer
    r = viewer.post(f"/findings/{fid}/decide", data={"csrf_token": csrf_of(vpage), "decision": "confirmed"})
    assert r.status_code == 403


def test_drafts_are_private_to_the_agency(web: Web) -> None:
    office = web.client("office")
    html = upload(office, [("draft.json", report_json(**{"table3": {}}))], draft=True)
    draft_id = int(re.search(r'href="/drafts/(\d+)"', html).group(1))  # type: ignore[union-attr]
    page = office.get(f"/drafts/{draft_id}")
    assert page.status_code == 200 and 'class="finding' in page.text
    batch = re.search(r'hx-get="(/uploads/[0-9a-f]+)"', html).group(1)  # type: ignore[union-attr]
    for user in ("office2", "sup", "viewer", "admin"):
        c = web.client(user)
        assert c.get(f"/drafts/{draft_id}").status_code in (403, 404), user
        assert c.get(batch).status_code == 404, user
    assert draft_id not in [d["id"] for d in web.api("admin").get("/api/agencies").json()["items"]]
    assert web.api("admin").get("/api/audits").json()["items"] == []  # a draft never enters the audit


def test_dashboard_findings_agencies_and_exports(web: Web) -> None:
    sup = web.client("sup")
    upload(
        sup,
        [
            ("a.json", report_json(year=2021, seed=1)),
            ("b.json", report_json(year=2022, seed=2, **{"table3": {}})),
            ("c.json", report_json(agency=OTHER_AGENCY, year=2022, seed=3)),
        ],
    )
    dash = sup.get("/").text
    assert '<b id="n-reports">3</b>' in dash and '<b id="n-agencies">2</b>' in dash
    assert dash.count('class="y published"') + dash.count('class="y errors"') == 3
    assert 'class="y missing"' in dash  # the other agency has no 2021 report
    only = sup.get("/", params={"q": "临江"}).text
    assert AGENCY not in only.split('id="coverage"')[1]
    findings = sup.get("/findings", params={"year": 2022, "agency": "青山"}).text
    total = int(re.search(r'<small id="total">(\d+)</small>', findings).group(1))  # type: ignore[union-attr]
    assert total > 0
    csv = sup.get("/export/findings.csv", params={"year": 2022, "agency": "青山"})
    lines = csv.text.lstrip("\ufeff").strip().splitlines()
    assert lines[0].startswith("finding_id,report_id") and len(lines) - 1 == total
    xlsx = sup.get("/export/audit.xlsx")
    assert xlsx.status_code == 200 and zipfile.is_zipfile(io.BytesIO(xlsx.content))
    agencies = sup.get("/agencies").text
    aid = int(re.search(r'href="/agencies/(\d+)">' + AGENCY, agencies).group(1))  # type: ignore[union-attr]
    page = sup.get(f"/agencies/{aid}").text
    assert ">2021</a></th>" in page and ">2022</a></th>" in page
    assert sup.get("/agencies/9999").status_code == 404
    assert sup.get("/", params={"lang": "en"}).text.count("Audit dashboard") == 1


def test_zip_upload_limits_and_traversal(web: Web) -> None:
    sup = web.client("sup")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("reports/a.json", report_json())
        z.writestr("../../evil.html", "<html>x</html>")
        z.writestr("/abs.html", "<html>x</html>")
        z.writestr("notes.xyz", "x")
    html = upload(sup, [("batch.zip", buf.getvalue())])
    assert len(_report_ids(html)) == 1
    assert html.count("unsafe path in the archive") == 2
    assert not list(Path(web.settings.upload_dir).rglob("evil.html"))
    assert not (Path(web.settings.upload_dir).parent / "evil.html").exists()
    page = sup.get("/upload").text
    many = [(f"{i}.json", b"{}") for i in range(web.settings.max_files + 1)]
    r = sup.post("/upload", data={"csrf_token": csrf_of(page)}, files=[("files", f) for f in many])
    assert r.status_code == 422 and "limit is" in r.text
    big = b"x" * (web.settings.max_upload_bytes + 100)
    r = sup.post("/upload", data={"csrf_token": csrf_of(page)}, files=[("files", ("big.txt", big))])
    assert r.status_code == 413 and "MB" in r.text


def test_audit_of_a_configured_folder(tmp_path: Path) -> None:
    from tests.web.helpers import make_web

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.json").write_bytes(report_json())
    web = make_web(tmp_path, audit_folders={"county": folder})
    try:
        sup = web.client("sup")
        page = sup.get("/").text
        assert "<option>county</option>" in page
        r = sup.post("/audits", data={"csrf_token": csrf_of(page), "folder": "../../etc"})
        assert r.status_code == 422
        r = sup.post(
            "/audits", data={"csrf_token": csrf_of(page), "folder": "county"}, follow_redirects=False
        )
        assert r.status_code == 303
        job = next(iter(web.app.state.worker.jobs.values()))
        import time

        deadline = time.monotonic() + 60
        while not job.finished and time.monotonic() < deadline:
            time.sleep(0.1)
        assert job.finished and job.error is None and "1 processed" in (job.summary or "")
        viewer = web.client("viewer")
        assert (
            viewer.post(
                "/audits", data={"csrf_token": csrf_of(viewer.get("/").text), "folder": "county"}
            ).status_code
            == 403
        )
    finally:
        web.app.state.worker.close()
        web.db.close()


def test_a_batch_never_blocks_the_server(web: Web) -> None:
    sup = web.client("sup")
    pdf = (FIXTURES / "pdf" / "101_pingtan-junshan-2022.pdf").read_bytes()
    page = sup.get("/upload").text
    r = sup.post(
        "/upload",
        data={"csrf_token": csrf_of(page)},
        files=[("files", (f"{i}.pdf", pdf)) for i in range(8)],
        follow_redirects=False,
    )
    assert r.status_code == 303
    import time

    t = time.perf_counter()
    progress = sup.get(r.headers["location"]).text
    other = web.client("viewer").get("/findings")
    assert other.status_code == 200 and time.perf_counter() - t < 5
    pending = int(re.search(r'data-pending="(\d+)"', progress).group(1))  # type: ignore[union-attr]
    assert pending > 0, "the upload answered before its files were read"
    from tests.web.helpers import wait_batch

    assert len(_report_ids(wait_batch(sup, r.headers["location"]))) == 8


def test_dashboard_cache_follows_every_write(web: Web) -> None:
    sup = web.client("sup")
    (rid,) = _report_ids(upload(sup, [("a.json", report_json(seed=5))]))
    first = sup.get("/").text
    assert '<b id="n-reports">1</b>' in first and 'class="y published"' in first
    total = web.api("sup").get(f"/api/reports/{rid}").json()["table3"]["new"]["total"]
    page = sup.get(f"/reports/{rid}").text
    sup.post(
        f"/reports/{rid}/correct",
        data={
            "csrf_token": csrf_of(page),
            "cell": "table3.new.total",
            "value": str(total + 3),
            "reason": "x",
        },
    )
    second = sup.get("/").text
    assert 'class="y errors"' in second and 'class="y published"' not in second  # the re-check shows
    upload(sup, [("b.json", report_json(agency=OTHER_AGENCY, seed=6))])
    assert '<b id="n-reports">2</b>' in sup.get("/").text


def test_uploads_left_queued_by_a_stopped_server_are_read_on_start(tmp_path: Path) -> None:
    from tests.web.helpers import make_web

    from xxgk.web.accounts import add_user
    from xxgk.web.app import create_app
    from xxgk.web.uploads import accept

    web = make_web(tmp_path)
    account = add_user(web.db, "uploader", "supervisor", "long enough pw")
    _, ids = accept(web.db, web.settings, [("a.json", report_json())], account, draft=False)
    web.app.state.worker.close()  # the server stops before reading it
    app = create_app(web.settings, web.db)  # a new server on the same database
    try:
        import time

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with web.db.session() as s:
                done = s.scalar(select(Upload.report_id).where(Upload.id == ids[0]))
            if done:
                break
            time.sleep(0.1)
        assert done, "the queued upload was not read after the restart"
    finally:
        app.state.worker.close()
        web.db.close()
