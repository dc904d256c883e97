"""The web app on the throwaway PostgreSQL server of tests/pg.py: migrations on
start, upload through the API, a correction as a new version, a decision, the dashboard."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.pg import postgres_url
from tests.web.helpers import csrf_of, make_web, report_json

pytestmark = pytest.mark.postgres


def test_web_app_on_postgresql(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    web = make_web(tmp_path, postgres_url(request))
    try:
        api = web.api("sup")
        r = api.post("/api/reports", files={"file": ("a.json", report_json(**{"table3": {}}))})
        assert r.status_code == 201, r.text
        rid = r.json()["id"]
        fid = api.get(f"/api/reports/{rid}/findings").json()["items"][0]["id"]
        assert (
            api.post(f"/api/findings/{fid}/decision", json={"decision": "dismissed", "note": "注"}).json()[
                "decision"
            ]
            == "dismissed"
        )
        c = web.client("admin")
        page = c.get(f"/reports/{rid}").text
        r = c.post(
            f"/reports/{rid}/correct",
            data={
                "csrf_token": csrf_of(page),
                "cell": "table2.regulations.made",
                "value": "3",
                "reason": "核对",
            },
        )
        assert r.status_code == 200 and '<b id="version">2</b>' in r.text
        dash = c.get("/").text
        assert re.search(r'<b id="n-reports">1</b>', dash)
        assert c.get("/findings", params={"agency": "青山"}).status_code == 200
    finally:
        web.app.state.worker.close()
        web.db.close()


def test_register_pages_and_api_on_postgresql(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    from tests.register.ledgers import clean_cases, clean_rows, write_ledger

    web = make_web(tmp_path, postgres_url(request))
    try:
        ledger = write_ledger(tmp_path / "l.xlsx", clean_rows(), clean_cases()).read_bytes()
        office = web.api("office")
        r = office.post("/api/register/import", files={"file": ("l.xlsx", ledger)})
        assert r.status_code == 200 and len(r.json()["added"]) == 8, r.text
        case = office.get("/api/register/cases/2025-0001").json()
        assert case["deadlines"]["reply_due"] == "2025-02-21" and case["data"]["applicant"] == "王小明"
        assert (
            web.api("office2").get("/api/register/cases/2025-0001?agency=青山区人民政府").status_code == 403
        )
        report = office.get("/api/register/compile", params={"year": 2025}).json()["report"]
        assert report["table3"]["new"]["total"] == 5
        page = web.client("sup").get("/register/compile?agency=青山区人民政府&year=2025")
        assert page.status_code == 200 and 'id="table3"' in page.text
    finally:
        web.app.state.worker.close()
        web.db.close()
