"""Table 2's cells and the six sections' texts given in the web app (issue 14 items 6-7), on a
real SQLite database: uploaded on the compile page or PUT through the API in the CLI's file
formats, validated by the CLI's functions (a bad file: one line naming it, nothing stored), used
by the preview, the DOCX download (read back by `xxgk extract`) and `xxgk compile`; the agency's
users and admins only; a published year is frozen."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from tests.paths import REPO
from tests.register.ledgers import xxgk
from tests.web.helpers import AGENCY, Web, csrf_of
from tests.web.test_register_pages import _seed

from xxgk.register.models import CompileInput
from xxgk.web.models import AuditLogEntry

EXAMPLES = REPO / "examples" / "register"
TABLE2 = (EXAMPLES / "table2.toml").read_bytes()
SECTIONS = (EXAMPLES / "sections.toml").read_bytes()


@pytest.fixture
def seeded(web: Web, tmp_path: Path) -> Web:
    _seed(web, tmp_path)
    return web


def _stored(web: Web) -> int:
    with web.db.session() as s:
        return s.scalar(select(func.count()).select_from(CompileInput)) or 0


def _upload(web: Web, user: str, files: dict[str, tuple[str, bytes]], year: int = 2025) -> object:
    c = web.client(user)
    form = c.get(f"/register/compile?agency={AGENCY}&year={year}")
    return c.post(
        "/register/compile/inputs",
        data={"csrf_token": csrf_of(form.text), "agency": AGENCY, "year": str(year)},
        files=files,
        follow_redirects=False,
    )


def test_uploaded_table2_and_texts_reach_the_preview_the_docx_and_the_cli(
    seeded: Web, tmp_path: Path
) -> None:
    from xxgk.extract import extract_file

    c = seeded.client("office")
    before = c.get("/register/compile?year=2025").text
    assert 'id="inputs-form"' in before and "未上传：使用默认正文" in before
    r = _upload(seeded, "office", {"table2": ("表二.toml", TABLE2), "sections": ("正文.toml", SECTIONS)})
    assert r.status_code == 303  # type: ignore[attr-defined]
    page = c.get("/register/compile?year=2025").text
    assert "已上传 表二.toml（office" in page and "已上传 正文.toml（office" in page
    assert re.search(r'data-cell="table2.licensing.decisions"[^>]*>\s*1532\s*<', page)
    english = html.unescape(c.get("/register/compile?year=2025&lang=en").text)
    assert "Table 2 and the sections' texts" in english and "uploaded 表二.toml (office" in english
    with seeded.db.session() as s:
        log = {
            (e.actor, e.action, json.dumps(e.after, ensure_ascii=False))
            for e in s.scalars(select(AuditLogEntry))
        }
    assert ("office", "register.table2", '{"file": "表二.toml"}') in log
    report = seeded.api("office").get("/api/register/compile", params={"year": 2025}).json()["report"]
    assert report["table2"]["licensing"]["decisions"] == 1532
    assert report["table2"]["normative_documents"]["in_force"] == 27
    assert report["sections"][4]["text"].startswith("依申请公开答复的规范性有待加强")
    docx = c.get("/register/compile.docx?year=2025")
    path = tmp_path / "report.docx"
    path.write_bytes(docx.content)
    read = extract_file(path)
    for row, cols in report["table2"].items():
        for col, value in cols.items():
            got = read.value(f"table2.{row}.{col}")
            assert (str(got) if got is not None else None) == (str(value) if value is not None else None), (
                row,
                col,
            )
    # The CLI, with no --table2/--sections, uses what the office gave in the web app.
    out = tmp_path / "cli.json"
    done = xxgk("compile", "--agency", AGENCY, "--year", "2025", "--db", seeded.db.url, "--out", str(out))
    assert done.exit_code in (0, 1), done.output
    cli = json.loads(out.read_text("utf-8"))
    assert (
        cli["table2"]["licensing"]["decisions"] == 1532
        and cli["sections"][4]["text"] == report["sections"][4]["text"]
    )


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        (
            "t2.json",
            b'{"licensing": {"decisions": "many"}}',
            "t2.json: table2.licensing.decisions: 'many' is not a number",
        ),
        (
            "t2.json",
            b'{"fees": {"amount_wan": 1}}',
            "t2.json: table2.fees.amount_wan is computed from the register",
        ),
        ("t2.toml", b"[nowhere]\nx = 1\n", "t2.toml: table2.nowhere.x is not a cell of the 2021 template"),
        ("t2.json", b"{not json", "t2.json: not a JSON/TOML table 2 file"),
    ],
)
def test_a_bad_table2_file_is_named_in_one_line_and_nothing_is_stored(
    seeded: Web, name: str, content: bytes, reason: str
) -> None:
    r = _upload(seeded, "office", {"table2": (name, content), "sections": ("ok.toml", SECTIONS)})
    assert r.status_code == 422  # type: ignore[attr-defined]
    assert reason in html.unescape(r.text) and 'id="input-error"' in r.text  # type: ignore[attr-defined]
    assert _stored(seeded) == 0  # not even the good sections file


def test_a_bad_sections_file_is_refused_by_page_and_api(seeded: Web) -> None:
    r = _upload(seeded, "office", {"sections": ("s.toml", '[sections]\n1 = "共{total_cases}件"\n'.encode())})
    assert r.status_code == 422 and "s.toml: section 1: unknown placeholder {total_cases}" in r.text  # type: ignore[attr-defined]
    r = _upload(seeded, "office", {"sections": ("s.toml", '[sections]\n2 = "一个{括号"\n'.encode())})
    assert r.status_code == 422 and "s.toml: section 2:" in r.text  # type: ignore[attr-defined]
    api = seeded.api("office").put(
        "/api/register/compile/inputs", params={"year": 2025}, json={"sections": {"7": "第七部分"}}
    )
    assert api.status_code == 422 and "sections: [sections] '7'" in api.json()["detail"]
    assert _upload(seeded, "office", {}).status_code == 422  # type: ignore[attr-defined]
    c = seeded.client("office")
    token = csrf_of(c.get("/register/compile?year=2025").text)
    for year in ("9" * 5000, "20x5", "2018"):
        r = c.post(
            "/register/compile/inputs",
            data={"csrf_token": token, "year": year},
            files={"table2": ("t.toml", TABLE2)},
        )
        assert r.status_code == 422, year
    assert _stored(seeded) == 0


def test_inputs_api_authorisation_and_round_trip(seeded: Web) -> None:
    body = {"table2": {"licensing": {"decisions": 12}}, "sections": {"6": "本年度{fee_sentence}"}}
    url, year = "/api/register/compile/inputs", {"year": 2025, "agency": AGENCY}
    assert seeded.api(None).put(url, params=year, json=body).status_code == 401
    for user in ("viewer", "office2", "sup"):
        assert seeded.api(user).put(url, params=year, json=body).status_code == 403, user
    assert _stored(seeded) == 0
    put = seeded.api("office").put(url, params=year, json=body)
    assert put.status_code == 200, put.text
    assert (
        put.json()["table2"] == {"licensing": {"decisions": 12}}
        and put.json()["given"]["table2"]["author"] == "office"
    )
    for user in ("office", "sup", "admin"):
        got = seeded.api(user).get(url, params=year).json()
        assert got["table2"] == {"licensing": {"decisions": 12}} and got["sections"] == {
            "6": "本年度{fee_sentence}"
        }
    assert seeded.api("office2").get(url, params=year).status_code == 403
    nowhere = {"year": 2025, "agency": "没有这个机关"}
    assert seeded.api("sup").get(url, params=nowhere).status_code == 404
    assert seeded.api("admin").put(url, params=nowhere, json=body).status_code == 404
    assert seeded.api("viewer").get(url, params=year).status_code == 403
    # An admin replaces one input, the other stays.
    assert (
        seeded.api("admin").put(url, params=year, json={"table2": {"penalty": {"decisions": 5}}}).status_code
        == 200
    )
    got = seeded.api("sup").get(url, params=year).json()
    assert got["table2"] == {"penalty": {"decisions": 5}} and got["given"]["table2"]["author"] == "admin"
    assert got["sections"] == {"6": "本年度{fee_sentence}"}
    report = seeded.api("sup").get("/api/register/compile", params=year).json()["report"]
    assert (
        report["table2"]["penalty"]["decisions"] == 5 and report["table2"]["licensing"]["decisions"] is None
    )
    assert report["sections"][5]["text"].startswith("本年度本年度")  # the fee sentence filled in
    # The supervisor's and another office's pages offer no upload form; the page POST is refused.
    assert (
        'id="inputs-form"'
        not in seeded.client("sup").get(f"/register/compile?agency={AGENCY}&year=2025").text
    )
    assert _upload(seeded, "sup", {"table2": ("t.toml", TABLE2)}).status_code == 403  # type: ignore[attr-defined]


def test_a_published_year_cannot_have_its_inputs_changed(seeded: Web) -> None:
    from xxgk.register.compile import compile_year
    from xxgk.register.store import load, publish

    url, year = "/api/register/compile/inputs", {"year": 2025}
    assert (
        seeded.api("office")
        .put(url, params=year, json={"table2": {"licensing": {"decisions": 1}}})
        .status_code
        == 200
    )
    publish(seeded.db, AGENCY, compile_year(load(seeded.db, AGENCY), 2025).report, author="office")
    r = seeded.api("office").put(url, params=year, json={"table2": {"licensing": {"decisions": 2}}})
    assert r.status_code == 409 and "published" in r.json()["detail"]
    page = seeded.client("office").get("/register/compile?year=2025").text
    assert 'id="inputs-frozen"' in page and 'id="inputs-form"' not in page
    assert _upload(seeded, "office", {"table2": ("t.toml", TABLE2)}).status_code == 409  # type: ignore[attr-defined]
    assert seeded.api("office").get(url, params=year).json()["table2"] == {"licensing": {"decisions": 1}}


@pytest.mark.postgres
def test_inputs_on_postgresql(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    from tests.pg import postgres_url
    from tests.register.ledgers import clean_cases, clean_rows, write_ledger
    from tests.web.helpers import make_web

    web = make_web(tmp_path, postgres_url(request))
    try:
        ledger = write_ledger(tmp_path / "l.xlsx", clean_rows(), clean_cases()).read_bytes()
        office = web.api("office")
        assert office.post("/api/register/import", files={"file": ("l.xlsx", ledger)}).status_code == 200
        url, year = "/api/register/compile/inputs", {"year": 2025}
        body = {"table2": {"licensing": {"decisions": 7}}, "sections": {"5": "问题{new}件"}}
        assert office.put(url, params=year, json=body).status_code == 200
        assert (
            office.put(url, params=year, json={"table2": {"licensing": {"decisions": 8}}}).status_code == 200
        )
        got = office.get(url, params=year).json()
        assert got["table2"] == {"licensing": {"decisions": 8}} and got["sections"] == {"5": "问题{new}件"}
        report = office.get("/api/register/compile", params=year).json()["report"]
        assert report["table2"]["licensing"]["decisions"] == 8 and report["sections"][4]["text"] == "问题5件"
    finally:
        web.app.state.worker.close()
        web.db.close()


def test_a_failure_storing_the_second_input_stores_neither(seeded: Web) -> None:
    """table2 and sections in one PUT are one transaction: when the database refuses the
    sections row (a real SQLite trigger, as a full disk or a lost connection would), table 2 is
    not left stored beside the old sections, and no log line says it was."""
    with seeded.db.session() as s:
        s.execute(
            text(
                "CREATE TRIGGER refuse_sections BEFORE INSERT ON register_compile_inputs "
                "WHEN NEW.kind = 'sections' BEGIN SELECT RAISE(ABORT, 'sections refused'); END"
            )
        )
    body = {"table2": {"licensing": {"decisions": 12}}, "sections": {"6": "本年度{fee_sentence}"}}
    api = TestClient(seeded.app, base_url="http://127.0.0.1", raise_server_exceptions=False)
    api.headers["Authorization"] = f"Bearer {seeded.tokens['office']}"
    r = api.put("/api/register/compile/inputs", params={"year": 2025}, json=body)
    assert r.status_code == 500
    assert _stored(seeded) == 0
    with seeded.db.session() as s:
        assert not s.scalars(
            select(AuditLogEntry).where(AuditLogEntry.action.in_(("register.table2", "register.sections")))
        ).all()
    with seeded.db.session() as s:
        s.execute(text("DROP TRIGGER refuse_sections"))
    assert api.put("/api/register/compile/inputs", params={"year": 2025}, json=body).status_code == 200
    assert _stored(seeded) == 2
