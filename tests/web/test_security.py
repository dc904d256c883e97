"""Security: HTML and script in agency names, file names, cell texts and notes are escaped on every
page; every form needs its CSRF token; nothing is written without authentication."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select
from tests.web.helpers import Web, csrf_of, report_json, upload

from xxgk.storage.models import Decision, ReportVersion
from xxgk.web.models import AuditLogEntry, Upload

EVIL = '<script>alert("xss")</script>'
EVIL_FILE = "<img src=x onerror=alert(1)>.json"


def _evil_report() -> bytes:
    data = json.loads(report_json(agency=EVIL + "人民政府", **{"table3": {}}))
    data["cells"] = {"table2.regulations.made": {"status": "read", "text": EVIL, "offset": 3}}
    return json.dumps(data, ensure_ascii=False).encode()


def _assert_escaped(html: str, where: str) -> None:
    assert "<script>alert" not in html, where
    assert "<img src=x" not in html, where


def test_payloads_are_escaped_on_every_page(web: Web) -> None:
    sup = web.client("sup")
    html = upload(sup, [(EVIL_FILE, _evil_report())])
    _assert_escaped(html, "batch page")
    assert "&lt;img src=x onerror=alert(1)&gt;.json" in html
    rid = int(re.search(r'href="/reports/(\d+)"', html).group(1))  # type: ignore[union-attr]
    page = sup.get(f"/reports/{rid}").text
    fid = int(re.search(r'action="/findings/(\d+)/decide"', page).group(1))  # type: ignore[union-attr]
    sup.post(
        f"/findings/{fid}/decide", data={"csrf_token": csrf_of(page), "decision": "dismissed", "note": EVIL}
    )
    sup.post(
        f"/reports/{rid}/correct",
        data={"csrf_token": csrf_of(page), "cell": "table2.regulations.made", "value": "1", "reason": EVIL},
    )
    office = web.client("office")
    draft_html = upload(office, [(EVIL_FILE, _evil_report())], draft=True)
    _assert_escaped(draft_html, "draft batch")
    draft_id = int(re.search(r'href="/drafts/(\d+)"', draft_html).group(1))  # type: ignore[union-attr]
    aid = int(re.search(r'href="/agencies/(\d+)"', sup.get("/agencies").text).group(1))  # type: ignore[union-attr]
    admin = web.client("admin")
    pages = {
        "dashboard": sup.get("/").text,
        "dashboard search": sup.get("/", params={"q": EVIL}).text,
        "findings": sup.get("/findings").text,
        "findings filter": sup.get("/findings", params={"agency": EVIL, "rule": EVIL}).text,
        "agencies": sup.get("/agencies").text,
        "agency": sup.get(f"/agencies/{aid}").text,
        "report": sup.get(f"/reports/{rid}").text,
        "source": sup.get(f"/reports/{rid}/source", params={"cell": "table2.regulations.made"}).text,
        "source of a bad cell": sup.get(f"/reports/{rid}/source", params={"cell": EVIL + ".a.b"}).text,
        "drafts": office.get("/drafts").text,
        "draft": office.get(f"/drafts/{draft_id}").text,
        "log": admin.get("/admin/log").text,
        "users": admin.get("/admin/users").text,
        "login": web.client().get("/login", params={"next": EVIL}).text,
        "404": sup.get("/reports/" + EVIL).text,
    }
    for where, text in pages.items():
        _assert_escaped(text, where)
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;人民政府" in pages["report"]
    assert "&lt;script&gt;" in pages["source"]  # the cell's printed text, escaped
    assert pages["report"].count("&lt;script&gt;alert") >= 3  # agency, correction reason, decision note
    assert "\\u003cscript\\u003e" in pages["dashboard"]  # agency name inside the chart data, JSON-escaped


def _form_routes() -> list[str]:
    out = []
    from xxgk.web.pages import router

    for route in router.routes:
        methods = getattr(route, "methods", set()) or set()
        path = getattr(route, "path", "")
        if "POST" in methods and not path.startswith("/api/") and path != "/login":
            out.append(path.replace("{report_id}", "1").replace("{finding_id}", "1"))
    return out


def test_every_form_needs_the_csrf_token(web: Web) -> None:
    routes = _form_routes()
    assert set(routes) >= {
        "/logout",
        "/upload",
        "/drafts",
        "/audits",
        "/admin/users",
        "/reports/1/correct",
        "/findings/1/decide",
    }
    admin = web.client("admin")
    for path in routes:
        for token in (None, "wrong-token"):
            data = {
                "decision": "confirmed",
                "cell": "table3.new.total",
                "value": "1",
                "reason": "r",
                "folder": "x",
            }
            if token:
                data["csrf_token"] = token
            r = admin.post(
                path,
                data=data,
                files={"files": ("a.json", report_json())} if "upload" in path or "drafts" in path else None,
            )
            assert r.status_code == 403 and "CSRF" in r.text, (path, token)
    with web.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Upload)) == 0


@pytest.mark.parametrize("hx", [False, True])
def test_no_write_without_authentication(web: Web, hx: bool) -> None:
    anon = web.client()
    with web.db.session() as s:
        before = [
            s.scalar(select(func.count()).select_from(m))
            for m in (AuditLogEntry, Upload, Decision, ReportVersion)
        ]
    headers = {"HX-Request": "true"} if hx else {}
    for path in _form_routes():
        r = anon.post(path, data={"decision": "confirmed"}, headers=headers, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), path
    with web.db.session() as s:
        after = [
            s.scalar(select(func.count()).select_from(m))
            for m in (AuditLogEntry, Upload, Decision, ReportVersion)
        ]
    assert after == before
