"""The REST API: every endpoint for every role, 401/403/404/413/422 paths, cursor pagination,
and the audit log of its writes."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from tests.web.helpers import AGENCY, FIXTURES, USERS, Web, report_json

from xxgk.storage.models import FindingRow
from xxgk.web.models import AuditLogEntry

GETS = ["/api/agencies", "/api/audits", "/api/reports/1", "/api/reports/1/findings"]


def _post_report(web: Web, user: str, name: str = "r.json", data: bytes | None = None) -> dict:  # type: ignore[type-arg]
    r = web.api(user).post("/api/reports", files={"file": (name, data or report_json())})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


@pytest.mark.parametrize("path", [*GETS, "/api/reports", "/api/findings/1/decision"])
def test_every_endpoint_needs_a_token(web: Web, path: str) -> None:
    c = web.api(None)
    r = c.post(path, json={"decision": "confirmed"}) if not path.startswith(tuple(GETS)) else c.get(path)
    assert r.status_code == 401
    assert "Bearer" in r.json()["detail"]
    assert r.headers["www-authenticate"] == "Bearer"
    c.headers["Authorization"] = "Bearer not-a-token"
    assert c.get("/api/agencies").status_code == 401


@pytest.mark.parametrize("user", ["admin", "sup"])
def test_post_report_returns_id_and_report_json(web: Web, user: str) -> None:
    body = _post_report(web, user)
    assert body["id"] >= 1
    assert body["report"]["agency"] == AGENCY and body["report"]["year"] == 2022
    assert body["report"]["format"] == "xxgk-report/1"
    got = web.api("viewer").get(f"/api/reports/{body['id']}").json()
    assert got["table3"] == body["report"]["table3"] and got["version"] == 1


def test_post_report_reads_a_pdf(web: Web) -> None:
    pdf = (FIXTURES / "pdf" / "101_pingtan-junshan-2022.pdf").read_bytes()
    body = _post_report(web, "admin", "junshan.pdf", pdf)
    assert body["report"]["year"] == 2022
    assert body["report"]["cells"]["table3.unable_not_held.natural_person"]["offset"]["page"] >= 1


@pytest.mark.parametrize("user", ["viewer", "office"])
def test_post_report_is_forbidden_for_readers_and_offices(web: Web, user: str) -> None:
    r = web.api(user).post("/api/reports", files={"file": ("r.json", report_json())})
    assert (r.status_code == 403 and user in r.json()["detail"]) or "role" in r.json()["detail"]


def test_post_report_bad_inputs(web: Web) -> None:
    api = web.api("admin")
    r = api.post("/api/reports", files={"file": ("r.txt", b"just some words, not a report")})
    assert r.status_code == 422 and r.json()["detail"].startswith("r.txt: ")
    r = api.post("/api/reports", files={"file": ("r.exe", b"MZ....")})
    assert r.status_code == 422 and "not a format" in r.json()["detail"]
    r = api.post("/api/reports", files={"file": ("../../etc/passwd.html", b"<html>x</html>")})
    assert r.status_code == 422 and "path" in r.json()["detail"]
    r = api.post("/api/reports", data={"nofile": "1"})
    assert r.status_code == 422 and "file" in r.json()["detail"]
    big = b"x" * (web.settings.max_upload_bytes + 10)
    r = api.post("/api/reports", files={"file": ("big.txt", big)})
    assert r.status_code == 413 and "MB" in r.json()["detail"]


def test_get_report_and_findings_for_every_role(web: Web) -> None:
    rid = _post_report(web, "admin", data=report_json(**{"table3": {}}))["id"]
    for user in USERS:
        api = web.api(user)
        assert api.get(f"/api/reports/{rid}").status_code == 200
        assert api.get(f"/api/reports/{rid}/findings").status_code == 200
    api = web.api("viewer")
    assert api.get("/api/reports/999").status_code == 404
    assert api.get("/api/reports/999/findings").status_code == 404
    r = api.get("/api/reports/abc")
    assert r.status_code == 422 and "report_id" in r.json()["detail"]


def test_findings_pages_by_limit_and_cursor(web: Web) -> None:
    rid = _post_report(web, "admin", data=report_json(**{"table3": {}, "sections": []}))["id"]
    api = web.api("viewer")
    every = api.get(f"/api/reports/{rid}/findings", params={"limit": 500}).json()["items"]
    assert len(every) >= 2, "a report without table 3 and sections has several findings"
    seen, cursor = [], None
    while True:
        params = {"limit": 1} | ({"cursor": cursor} if cursor else {})
        page = api.get(f"/api/reports/{rid}/findings", params=params).json()
        seen += [f["id"] for f in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f["id"] for f in every]
    assert all(f["rule_name"] for f in every)
    for bad in ({"limit": 0}, {"limit": 501}, {"cursor": "x1"}, {"cursor": "-1"}):
        r = api.get(f"/api/reports/{rid}/findings", params=bad)
        assert r.status_code == 422, bad
        assert r.json()["detail"]


def test_decision_by_role_with_audit_log(web: Web) -> None:
    rid = _post_report(web, "admin", data=report_json(**{"table3": {}}))["id"]
    fid = web.api("sup").get(f"/api/reports/{rid}/findings").json()["items"][0]["id"]
    for user in ("viewer", "office", "office2"):
        r = web.api(user).post(f"/api/findings/{fid}/decision", json={"decision": "dismissed"})
        assert r.status_code == 403
    r = web.api("sup").post(f"/api/findings/{fid}/decision", json={"decision": "dismissed", "note": "typo"})
    assert r.status_code == 200 and r.json()["decision"] == "dismissed"
    r = web.api("admin").post(f"/api/findings/{fid}/decision", json={"decision": "confirmed"})
    assert r.status_code == 200
    f = next(
        x for x in web.api("viewer").get(f"/api/reports/{rid}/findings").json()["items"] if x["id"] == fid
    )
    assert f["decision"] == "confirmed"
    with web.db.session() as s:
        log = s.scalars(select(AuditLogEntry).where(AuditLogEntry.action == "finding.decide")).all()
        assert [(e.actor, e.before, e.after["decision"]) for e in log] == [
            ("sup", None, "dismissed"),
            ("admin", {"decision": "dismissed", "note": "typo"}, "confirmed"),
        ]
    api = web.api("sup")
    assert api.post(f"/api/findings/{fid}/decision", json={"decision": "maybe"}).status_code == 422
    assert api.post(f"/api/findings/{fid}/decision", json={}).status_code == 422
    assert api.post(f"/api/findings/{fid}/decision", content=b"{not json").status_code == 422
    assert api.post("/api/findings/424242/decision", json={"decision": "confirmed"}).status_code == 404
    r = api.post(f"/api/findings/{fid}/decision", json={"decision": "confirmed", "note": "x" * 3000})
    assert r.status_code == 422 and "note" in r.json()["detail"]


def test_agencies_and_audits_page(web: Web) -> None:
    for i, agency in enumerate(("甲县人民政府", "乙县人民政府", "丙县人民政府")):
        _post_report(web, "admin", f"{i}.json", report_json(agency=agency, seed=i))
    for user in USERS:
        api = web.api(user)
        first = api.get("/api/agencies", params={"limit": 2}).json()
        rest = api.get("/api/agencies", params={"limit": 2, "cursor": first["next_cursor"]}).json()
        names = [a["name"] for a in first["items"] + rest["items"]]
        assert sorted(names) == sorted(["甲县人民政府", "乙县人民政府", "丙县人民政府"])
        assert rest["next_cursor"] is None
        audits = api.get("/api/audits", params={"limit": 500}).json()["items"]
        assert len(audits) == 3 and all(a["processed"] == 1 for a in audits)
    only = web.api("viewer").get("/api/agencies", params={"q": "乙县"}).json()["items"]
    assert [a["name"] for a in only] == ["乙县人民政府"]


def test_public_read_setting_opens_reads_only(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.web.helpers import make_web

    web = make_web(tmp_path, public_read=True)
    try:
        rid = _post_report(web, "admin", data=report_json(**{"table3": {}}))["id"]
        anon = web.api(None)
        assert anon.get("/api/agencies").status_code == 200
        assert anon.get(f"/api/reports/{rid}").status_code == 200
        assert anon.post("/api/reports", files={"file": ("r.json", report_json())}).status_code == 401
        with web.db.session() as s:
            fid = s.scalar(select(FindingRow.id))
        assert anon.post(f"/api/findings/{fid}/decision", json={"decision": "confirmed"}).status_code == 401
        assert anon.get("/").status_code == 200
    finally:
        web.app.state.worker.close()
        web.db.close()


def test_a_body_over_the_limit_is_refused_before_it_is_read(web: Web) -> None:
    huge = b"x" * (web.settings.max_upload_bytes + 2 * 1024 * 1024)
    r = web.api("admin").post("/api/reports", files={"file": ("huge.txt", huge)})
    assert r.status_code == 413 and "upload limit" in r.json()["detail"]

    def chunks():  # type: ignore[no-untyped-def]  # no Content-Length: counted while it streams
        for _ in range(4):
            yield b"y" * (1024 * 1024)

    r = web.api("admin").post(
        "/api/reports", content=chunks(), headers={"Content-Type": "multipart/form-data; boundary=x"}
    )
    assert r.status_code == 413


def test_a_browser_session_reads_the_api_but_cannot_write_through_it(web: Web) -> None:
    rid = _post_report(web, "admin", data=report_json(**{"table3": {}}))["id"]
    browser = web.client("viewer")
    assert browser.get(f"/api/reports/{rid}").status_code == 200
    sup = web.client("sup")
    fid = sup.get(f"/api/reports/{rid}/findings").json()["items"][0]["id"]
    r = sup.post("/api/reports", files={"file": ("r.json", report_json())})
    assert r.status_code == 401  # cookies never authorise an API write (no CSRF protection there)
    r = sup.post(f"/api/findings/{fid}/decision", json={"decision": "confirmed"})
    assert r.status_code == 401
