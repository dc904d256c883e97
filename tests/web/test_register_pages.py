"""The register in the web app and its API (issue 14 item 7), on a real SQLite database with
ledgers written as real .xlsx files: who sees which agency (office users only their own, by page
and by API, whatever the URL), personal data unmasked only for the agency's registrars, the
list's filters and paging, the case page's R.5 due dates and versions, the due list's colours (the
CLI's logic), import all-or-nothing with every bad row named, compile preview → explain → DOCX,
and the working-day calendar edited by admins only."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.register.ledgers import PERSONAL, clean_cases, clean_rows, row, write_ledger, xxgk
from tests.web.helpers import AGENCY, OTHER_AGENCY, Web, csrf_of

from xxgk.register.ledger import read_ledger
from xxgk.register.models import RegisterVersion
from xxgk.register.store import save
from xxgk.web.models import AuditLogEntry

CASE = "2025-0001"  # received Mon 2025-01-20: R.5's worked example, reply due 2025-02-21


def _seed(web: Web, tmp_path: Path) -> None:
    for agency, rows, cases in (
        (AGENCY, clean_rows(), clean_cases()),
        (OTHER_AGENCY, [row("LJ-0001", "2025-05-06", 申请人="钱七七")], []),
    ):
        ledger = write_ledger(tmp_path / f"{len(rows)}.xlsx", rows, cases)
        register = read_ledger(ledger, agency)
        save(web.db, agency, [*register.applications, *register.cases], author="seed", source=ledger.name)


@pytest.fixture
def seeded(web: Web, tmp_path: Path) -> Web:
    _seed(web, tmp_path)
    return web


def _versions(web: Web) -> int:
    with web.db.session() as s:
        return s.scalar(select(func.count()).select_from(RegisterVersion)) or 0


# ----------------------------------------------------------------------------- who sees what
@pytest.mark.parametrize(
    "path",
    [
        "/register?agency={a}",
        f"/register/cases/{CASE}?agency={{a}}",
        "/register/due?agency={a}",
        "/register/compile?agency={a}&year=2025",
        "/register/explain?agency={a}&year=2025&cell=table3.new.total",
        "/register/compile.docx?agency={a}&year=2025",
        "/register/import?agency={a}",
    ],
)
def test_an_office_user_cannot_read_another_agencys_register_by_url(seeded: Web, path: str) -> None:
    other = seeded.client("office2")
    assert other.get(path.format(a=AGENCY)).status_code == 403
    own = seeded.client("office")
    assert own.get(path.format(a=AGENCY)).status_code == 200
    assert seeded.client("viewer").get(path.format(a=AGENCY)).status_code == 403
    anonymous = seeded.client().get(path.format(a=AGENCY), follow_redirects=False)
    assert anonymous.status_code == 303 and "/login" in anonymous.headers["location"]


def test_a_case_number_of_another_agency_is_not_found_in_ones_own(seeded: Web) -> None:
    # office2 asks for CASE without naming an agency: its own register, where CASE does not exist.
    assert seeded.client("office2").get(f"/register/cases/{CASE}").status_code == 404
    assert seeded.api("office2").get(f"/api/register/cases/{CASE}").status_code == 404
    assert seeded.api("office2").get("/api/register/cases/LJ-0001").status_code == 200


API_READS = [
    "/api/register/applications?agency={a}",
    f"/api/register/cases/{CASE}?agency={{a}}",
    "/api/register/due?agency={a}",
    "/api/register/compile?agency={a}&year=2025",
    "/api/register/explain?agency={a}&year=2025&cell=table3.new.total",
]


@pytest.mark.parametrize("path", API_READS)
def test_api_authorisation(seeded: Web, path: str) -> None:
    url = path.format(a=AGENCY)
    assert seeded.api(None).get(url).status_code == 401
    assert seeded.api("viewer").get(url).status_code == 403
    assert seeded.api("office2").get(url).status_code == 403
    for user in ("office", "sup", "admin"):
        assert seeded.api(user).get(url).status_code == 200, user
    assert seeded.api("sup").get(path.format(a="没有这个机关")).status_code == 404


def test_api_import_and_calendar_writes_need_the_right_role(seeded: Web, tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path / "l.xlsx", clean_rows()).read_bytes()
    files = {"file": ("l.xlsx", ledger)}
    assert seeded.api(None).post("/api/register/import", files=files).status_code == 401
    assert (
        seeded.api("office2").post("/api/register/import", data={"agency": AGENCY}, files=files).status_code
        == 403
    )
    assert (
        seeded.api("sup").post("/api/register/import", data={"agency": AGENCY}, files=files).status_code
        == 403
    )
    r = seeded.api("office").post("/api/register/import", files=files)
    assert r.status_code == 200 and r.json()["unchanged"] == len(clean_rows())  # re-import: a no-op
    body = {"kind": "holiday", "name": "测试"}
    for user in ("office", "sup", "viewer"):
        assert seeded.api(user).put("/api/calendar/days/2025-03-05", json=body).status_code == 403
    assert seeded.api("admin").put("/api/calendar/days/2025-03-05", json=body).status_code == 200
    days = seeded.api("viewer").get("/api/calendar/2025").json()["days"]
    assert {"date": "2025-03-05", "kind": "holiday", "name": "测试"} in days


def test_a_ledger_file_refused_whole_is_said_in_the_visitors_language(web: Web, tmp_path: Path) -> None:
    """Regression (review item 3): a file refused whole (its type, an unreadable workbook) was
    English on the Chinese page and English only in the API; a ledger sheet missing a required
    column is named as a row error, in Chinese too."""
    c = web.client("office")
    token = csrf_of(c.get("/register/import").text)

    def refused(name: str, data: bytes) -> str:
        r = c.post("/register/import", data={"csrf_token": token}, files={"ledger": (name, data)})
        assert r.status_code == 422, r.text[-2000:]
        m = re.search(r'id="import-refused">([^<]*)<', r.text)
        assert m, r.text[-2000:]
        return m.group(1)

    assert refused("notes.txt", b"x") == "notes.txt: 台账须为 .xlsx、.xls、.ods 或 .csv 文件"
    assert refused("台账.xlsx", b"not a zip").startswith("台账.xlsx: 不是可读的电子表格：")
    assert refused("台账.csv", b"\xff\xff\xff") == "台账.csv: 既不是 UTF-8 也不是 GB18030 编码的文本"
    partial = write_ledger(tmp_path / "p.xlsx", [["2025-0001", "2025-01-20"]], header=["编号", "收到日期"])
    r = c.post(
        "/register/import", data={"csrf_token": token}, files={"ledger": ("p.xlsx", partial.read_bytes())}
    )
    assert r.status_code == 422 and "缺少列：申请人类型" in r.text

    api = web.api("office")
    body = api.post("/api/register/import", files={"file": ("台账.xlsx", b"not a zip")}).json()
    assert body["id"] == "ledger.file.not_a_spreadsheet"
    assert body["message"].startswith("不是可读的电子表格：")
    assert body["message_en"].startswith("not a readable spreadsheet: ")
    assert body["detail"] == f"台账.xlsx: {body['message_en']}"
    zh = api.post("/api/register/import?lang=zh", files={"file": ("notes.txt", b"x")})
    assert (
        zh.status_code == 422 and zh.json()["detail"] == "notes.txt: 台账须为 .xlsx、.xls、.ods 或 .csv 文件"
    )
    assert zh.json()["message_en"] == "a ledger is .xlsx, .xls, .ods or .csv"
    columns = api.post("/api/register/import", files={"file": ("p.xlsx", partial.read_bytes())}).json()
    (missing,) = columns["errors"]
    assert missing["id"] == "ledger.missing_columns" and missing["message"] == "缺少列：申请人类型"
    assert _versions(web) == 0


# ----------------------------------------------------------------------------- personal data
def test_personal_data_is_unmasked_only_for_the_agencys_registrars(seeded: Web) -> None:
    own = seeded.client("office").get(f"/register/cases/{CASE}").text
    assert "王小明" in own and "350102199001011234" in own
    for user in ("sup", "admin"):
        page = seeded.client(user).get(f"/register/cases/{CASE}?agency={AGENCY}").text
        listing = seeded.client(user).get(f"/register?agency={AGENCY}").text
        api = seeded.api(user).get(f"/api/register/cases/{CASE}?agency={AGENCY}").text
        for text in (page, listing, api):
            assert not any(p in text for p in PERSONAL), user
        assert "3501**********1234" in page and "王**" in page
    assert seeded.api("office").get(f"/api/register/cases/{CASE}").json()["data"]["applicant"] == "王小明"


# ----------------------------------------------------------------------------- list, case, due
def _numbers(html: str) -> list[str]:
    return re.findall(r'class="case-link" href="[^"]+">([^<]+)</a>', html)


def test_list_filters_and_paging(web: Web, tmp_path: Path) -> None:
    rows = clean_rows() + [
        row(f"2024-{i:04d}", "2024-03-04", "商业企业", 承办人="周五") for i in range(200, 320)
    ]
    register = read_ledger(write_ledger(tmp_path / "big.xlsx", rows), AGENCY)
    save(web.db, AGENCY, register.applications, author="seed")
    c = web.client("office")
    assert sorted(_numbers(c.get("/register?status=open&year=2025").text)) == ["2025-0003", "2025-0004"]
    assert _numbers(c.get("/register?applicant_type=legal").text) == ["2025-0003"]
    assert _numbers(c.get("/register?outcome=partial").text) == ["2025-0002"]
    assert sorted(_numbers(c.get("/register?handler=李四&year=2025").text)) == ["2025-0003"]
    first = c.get("/register?handler=周五").text
    assert "共 120 件" in first and len(_numbers(first)) == 50 and 'id="next"' in first
    last = c.get("/register?handler=周五&page=3").text
    assert len(_numbers(last)) == 20 and 'id="next"' not in last
    every = {n for p in (1, 2, 3) for n in _numbers(c.get(f"/register?handler=周五&page={p}").text)}
    assert len(every) == 120
    api = web.api("office")
    got, cursor = [], None
    while True:
        page = api.get(
            "/api/register/applications", params={"handler": "周五", "limit": 45, "cursor": cursor}
        ).json()
        got += [a["number"] for a in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(got) == sorted(every)
    assert c.get("/register?status=whatever").status_code == 422
    assert c.get("/register?year=twenty").status_code == 422
    # The filter form sends every field, empty ones as "": all years, all statuses (was a 422).
    blank = c.get("/register?year=&status=open&handler=张三&applicant_type=&outcome=").text
    assert _numbers(blank) == ["2025-0004"]


def test_case_page_shows_events_r5_deadlines_and_versions(seeded: Web, tmp_path: Path) -> None:
    html = seeded.client("office").get(f"/register/cases/{CASE}").text
    assert 'id="reply-due">2025-02-21<' in html  # R.5's worked example, over the Spring Festival
    assert "收到申请" in html and "答复" in html
    # A newer ledger: the case's reply date changed → version 2, who/when/before/after shown.
    rows = clean_rows()
    rows[1] = row(CASE, "2025-01-20", 申请人="王小明", 证件号码="350102199001011234", 联系方式="13812345678",
                  申请内容="某某文件", 答复日期="2025-02-12", 办理结果="予以公开", 承办人="张三")  # fmt: skip
    register = read_ledger(write_ledger(tmp_path / "newer.xlsx", rows, clean_cases()), AGENCY)
    save(seeded.db, AGENCY, [*register.applications, *register.cases], author="张三", source="newer.xlsx")
    page = seeded.client("sup").get(f"/register/cases/{CASE}?agency={AGENCY}").text
    versions = page.split('id="versions"')[1]
    assert versions.count('class="version-row"') == 2
    assert "2025-02-10 → 2025-02-12" in versions and "张三" in versions and "newer.xlsx" in versions
    assert "王小明" not in page
    assert 'class="f-replied">2025-02-12<' in page  # the register the page showed before is not served stale
    api = seeded.api("office").get(f"/api/register/cases/{CASE}").json()
    assert api["deadlines"]["reply_due"] == "2025-02-21" and len(api["versions"]) == 2
    assert seeded.client("office").get("/register/cases/FY-2025-1").status_code == 200


def test_due_list_colours_follow_the_cli(seeded: Web, tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    ledger = write_ledger(tmp_path / "cli.xlsx", clean_rows(), clean_cases())
    assert (
        xxgk("register", "import", str(ledger), "--agency", AGENCY, "--db", f"sqlite:///{db}").exit_code == 0
    )
    for today in ("2025-12-17", "2025-12-22", "2026-01-20"):
        cli = json.loads(
            xxgk("register", "due", "--agency", AGENCY, "--db", f"sqlite:///{db}", "--today", today,
                 "--within", "10", "--format", "json").stdout
        )  # fmt: skip
        html = seeded.client("office").get(f"/register/due?today={today}&within=10").text
        shown = re.findall(r'<tr class="due-(\w+)" data-number="([^"]+)">', html)
        expected = [
            (
                "overdue" if r["working_days_left"] < 0 else "close" if r["working_days_left"] <= 3 else "ok",
                r["number"],
            )
            for r in cli
        ]
        assert shown == expected and shown, today
        api = seeded.api("office").get("/api/register/due", params={"today": today, "within": 10}).json()
        assert [(r["urgency"], r["number"]) for r in api["items"]] == expected
    assert {u for u, _ in shown} == {"overdue"}  # 2026-01-20: both open applications are late
    c = seeded.client("office")
    assert c.get("/register/due?today=&within=5&handler=").status_code == 200  # the form, emptied
    assert c.get("/register/due?today=2025-02-30").status_code == 422


# ----------------------------------------------------------------------------- import
def test_web_import_is_all_or_nothing_with_every_bad_row_named(web: Web, tmp_path: Path) -> None:
    c = web.client("office")
    form = c.get("/register/import")
    rows = clean_rows()
    rows[1] = row(CASE, "2025-13-40")
    rows[2] = row("2025-0002", "2025-03-03", "个体户")
    bad = write_ledger(tmp_path / "bad.xlsx", rows).read_bytes()
    r = c.post(
        "/register/import",
        data={"csrf_token": csrf_of(form.text)},
        files={"ledger": ("台账.xlsx", bad)},
    )
    assert r.status_code == 422
    errors = re.findall(
        r'<tr class="import-error"><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>', r.text
    )
    # The Chinese UI says why in Chinese; English is one ?lang=en away, as for findings.
    assert errors[0][:3] == ("台账", "3", "收到日期") and errors[0][3] == "“2025-13-40”不是日历上的日期"
    assert errors[1][:3] == ("台账", "4", "申请人类型") and errors[1][3].startswith("“个体户”不是申请人类型")
    en = web.client("office")  # ?lang=en is remembered in a cookie: another session
    english = en.post(
        "/register/import?lang=en",
        data={"csrf_token": csrf_of(en.get("/register/import").text)},
        files={"ledger": ("台账.xlsx", bad)},
    )
    assert english.status_code == 422 and "&#39;2025-13-40&#39; is not a date of the calendar" in english.text
    assert _versions(web) == 0  # nothing written
    api = web.api("office").post("/api/register/import", files={"file": ("bad.xlsx", bad)})
    assert api.status_code == 422
    assert [(e["sheet"], e["row"], e["column"]) for e in api.json()["errors"]] == [
        (s, int(n), col) for s, n, col, _ in errors
    ]
    assert _versions(web) == 0

    # Each row's refusal in the API: its message id and both languages, as a finding's rule and
    # messages; `reason` and `detail` in the language asked for (English unless ?lang=zh).
    first = api.json()["errors"][0]
    assert first["id"] == "ledger.not_a_calendar_date" and first["message"] == errors[0][3]
    assert first["reason"] == first["message_en"] == "'2025-13-40' is not a date of the calendar"
    zh = web.api("office").post("/api/register/import?lang=zh", files={"file": ("bad.xlsx", bad)}).json()
    assert zh["detail"] == "bad.xlsx：2 处问题，未导入任何内容。"
    assert [e["reason"] for e in zh["errors"]] == [e[3] for e in errors]

    good = write_ledger(tmp_path / "good.xlsx", clean_rows(), clean_cases()).read_bytes()
    done = c.post(
        "/register/import", data={"csrf_token": csrf_of(form.text)}, files={"ledger": ("good.xlsx", good)}
    )
    assert done.status_code == 200 and 'id="import-done"' in done.text
    assert _versions(web) == len(clean_rows()) + len(clean_cases())
    again = c.post(
        "/register/import", data={"csrf_token": csrf_of(form.text)}, files={"ledger": ("good.xlsx", good)}
    )
    assert "未变 8" in again.text and _versions(web) == 8  # re-import changes nothing
    no_csrf = c.post("/register/import", files={"ledger": ("good.xlsx", good)})
    assert no_csrf.status_code == 403
    with web.db.session() as s:
        log = [(e.actor, json.dumps(e.after, ensure_ascii=False)) for e in s.scalars(select(AuditLogEntry))]
    assert (
        "office",
        json.dumps({"file": "good.xlsx", "added": 8, "changed": 0, "unchanged": 0}, ensure_ascii=False),
    ) in log
    assert not any(p in text for _, text in log for p in PERSONAL)


MAPPING = (
    '[columns]\n"受理时间" = "收到日期"\n"处理结果" = "outcome"\n[outcomes]\n"同意公开" = "予以公开"\n'
    '[applicant_types]\n"个人" = "自然人"\n'
).encode()


def test_web_and_api_import_read_a_mapping_file_as_the_cli_does(web: Web, tmp_path: Path) -> None:
    """An office's own headers and words: refused without the mapping, imported with it (the
    parser of `xxgk register import --mapping`); a bad mapping is one line naming it."""
    from tests.register.ledgers import HEADER

    header = [h.replace("收到日期", "受理时间").replace("办理结果", "处理结果") for h in HEADER]
    rows = [row("A-1", "2025-01-20", "个人", 答复日期="2025-02-01", 办理结果="同意公开")]
    own = write_ledger(tmp_path / "own.xlsx", rows, header=header).read_bytes()
    c = web.client("office")
    form = c.get("/register/import")
    assert 'name="mapping"' in form.text and 'id="mapping-help"' in form.text
    csrf = csrf_of(form.text)
    without = c.post("/register/import", data={"csrf_token": csrf}, files={"ledger": ("own.xlsx", own)})
    assert without.status_code == 422 and _versions(web) == 0
    bad = c.post(
        "/register/import",
        data={"csrf_token": csrf},
        files={"ledger": ("own.xlsx", own), "mapping": ("对照.toml", b"[columns\n")},
    )
    # the Chinese page says it in Chinese (review item 3), the API in English unless ?lang=zh
    assert bad.status_code == 422 and "对照.toml: 不是 TOML 对照文件：" in bad.text and _versions(web) == 0
    done = c.post(
        "/register/import",
        data={"csrf_token": csrf},
        files={"ledger": ("own.xlsx", own), "mapping": ("对照.toml", MAPPING)},
    )
    assert done.status_code == 200 and 'id="import-done"' in done.text and _versions(web) == 1
    app = web.api("office").get(f"/api/register/cases/A-1?agency={AGENCY}").json()
    assert app["data"]["outcome"] == "granted" and app["data"]["applicant_type"] == "natural_person"

    api = web.api("admin")
    refused = api.post(
        "/api/register/import",
        data={"agency": OTHER_AGENCY},
        files={"file": ("own.xlsx", own), "mapping": ("m.toml", b"[outcomes]\nx = 1\n")},
    )
    assert (
        refused.status_code == 422
        and refused.json()["detail"] == "m.toml: [outcomes] must map words to words"
        and refused.json()["id"] == "ledger.mapping.not_words"
        and refused.json()["message"] == "[outcomes] 须为词语到词语的对照"
    )
    imported = api.post(
        "/api/register/import",
        data={"agency": OTHER_AGENCY},
        files={"file": ("own.xlsx", own), "mapping": ("m.toml", MAPPING)},
    )
    assert imported.status_code == 200 and imported.json()["applications"] == 1, imported.text


# ----------------------------------------------------------------------------- compile
def test_compile_preview_links_every_cell_to_its_cases_and_downloads_the_docx(
    seeded: Web, tmp_path: Path
) -> None:
    from xxgk.extract import extract_file

    c = seeded.client("office")
    html = c.get("/register/compile?year=2025").text
    for table in ("table2", "table3", "table4"):
        assert f'id="{table}"' in html
    links = dict(re.findall(r'data-cell="([^"]+)"[^>]*>\s*<a class="explain" href="([^"]+)">', html))
    assert "table3.granted.natural_person" in links and "table4.review.upheld" in links
    page = c.get(links["table3.new.total"].replace("&amp;", "&")).text
    assert sorted(_numbers(page)) == ["2025-0001", "2025-0002", "2025-0003", "2025-0004", "2025-0005"]
    api = seeded.api("office").get(
        "/api/register/explain", params={"year": 2025, "cell": "table4.review.upheld"}
    )
    assert api.json()["cases"] == ["FY-2025-1"] and api.json()["value"] == 1
    docx = c.get("/register/compile.docx?year=2025")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert "attachment" in docx.headers["content-disposition"]
    path = tmp_path / "report.docx"
    path.write_bytes(docx.content)
    read = extract_file(path)
    compiled = seeded.api("office").get("/api/register/compile", params={"year": 2025}).json()["report"]
    for row_key, cols in compiled["table3"].items():
        for col, value in cols.items():
            assert read.value(f"table3.{row_key}.{col}") == value, (row_key, col)
    assert c.get("/register/compile?year=2025&agency=" + AGENCY).status_code == 200
    assert c.get("/register/explain?year=2025&cell=table9.x.y").status_code == 422
    assert io.BytesIO(docx.content).getbuffer().nbytes > 1000


# ----------------------------------------------------------------------------- calendar
def test_calendar_is_editable_by_admins_from_the_web_app(seeded: Web) -> None:
    admin = seeded.client("admin")
    page = admin.get("/calendar?year=2025")
    assert 'data-day="2025-01-28"' in page.text and "春节" in page.text  # seeded from chinese-calendar
    # 2025-02-20 (Thu) made a holiday: CASE's reply deadline moves a working day later.
    r = admin.post(
        "/calendar/day",
        data={"csrf_token": csrf_of(page.text), "day": "2025-02-20", "kind": "holiday", "name": "测试"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert 'data-day="2025-02-20"' in admin.get("/calendar?year=2025").text
    assert 'id="reply-due">2025-02-24<' in seeded.client("office").get(f"/register/cases/{CASE}").text
    office = seeded.client("office")
    form = office.get("/calendar?year=2025")
    assert 'id="calendar-day-form"' not in form.text
    denied = office.post(
        "/calendar/day", data={"csrf_token": csrf_of(form.text), "day": "2025-02-21", "kind": "holiday"}
    )
    assert denied.status_code == 403
    missing = admin.get("/calendar?year=2031")
    assert 'id="no-calendar"' in missing.text
    r = admin.post(
        "/calendar/cover", data={"csrf_token": csrf_of(missing.text), "year": "2031"}, follow_redirects=False
    )
    assert r.status_code == 303 and 'id="workday-count"' in admin.get("/calendar?year=2031").text


# ----------------------------------------------------------------------------- words and escaping
def test_english_ui_and_markup_in_ledger_text_is_escaped(web: Web, tmp_path: Path) -> None:
    rows = [
        row(
            "2025/001",
            "2025-03-03",
            承办人="<img src=x onerror=alert(1)>",
            申请人="<script>alert(2)</script>",
        ),
        row("<b>2025-002</b>", "2025-03-04"),
    ]
    register = read_ledger(write_ledger(tmp_path / "x.xlsx", rows), AGENCY)
    save(web.db, AGENCY, register.applications, author="seed")
    c = web.client("office")
    listing = c.get("/register").text
    assert "<img src=x" not in listing and "&lt;img src=x onerror=alert(1)&gt;" in listing
    assert "<b>2025-002</b>" not in listing and "&lt;b&gt;2025-002&lt;/b&gt;" in listing
    case = c.get("/register/cases/2025%2F001")  # a number with a slash, as some ledgers write them
    assert case.status_code == 200 and "<script>alert(2)" not in case.text and "&lt;script&gt;" in case.text
    assert web.api("office").get("/api/register/cases/2025/001").json()["number"] == "2025/001"
    english = c.get("/register?lang=en").text
    assert "Application register" in english and "依申请公开登记台账" not in english
    assert "Reply due" in c.get("/register/cases/2025%2F001?lang=en").text


def test_compile_of_a_published_year_shows_how_the_register_now_differs(seeded: Web, tmp_path: Path) -> None:
    from xxgk.register.compile import compile_year
    from xxgk.register.store import load, publish

    publish(seeded.db, AGENCY, compile_year(load(seeded.db, AGENCY), 2025).report, author="office")
    c = seeded.client("office")
    assert 'id="published-diff"' not in c.get("/register/compile?year=2025").text
    rows = [
        *clean_rows(),
        row("2025-0099", "2025-07-01", "商业企业", 答复日期="2025-07-03", 办理结果="予以公开"),
    ]
    register = read_ledger(write_ledger(tmp_path / "later.xlsx", rows, clean_cases()), AGENCY)
    save(seeded.db, AGENCY, [*register.applications, *register.cases], author="office")
    page = c.get("/register/compile?year=2025").text
    assert 'id="published-diff"' in page and "公布时 1 → 现在 2" in page  # 予以公开 · 商业企业… and totals
    diff = (
        seeded.api("office")
        .get("/api/register/compile", params={"year": 2025})
        .json()["published_differences"]
    )
    assert {"cell": "table3.granted.commercial", "published": 0, "now": 1} in diff
