"""Agency from the site (issue 10 item 5) and "agency not identified" as a finding (item 4).

A page whose crawl cut the title and whose text names no one takes the body from the `<meta>`
tags government CMSes print (ArticleTitle, ContentSource, SiteName), when they are confident;
otherwise `agency: null` and the check rule C-AGENCY, in Chinese and English.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlalchemy import select

from xxgk.audit.manifest import load_manifest
from xxgk.audit.pipeline import audit
from xxgk.check import check
from xxgk.extract import extract_bytes
from xxgk.model import Report
from xxgk.render import render
from xxgk.render.grid import title
from xxgk.samples import random_report
from xxgk.storage.db import open_db
from xxgk.storage.models import Document, ReportRow

AGENCY = "临沭县人民政府"


def _page(meta: dict[str, str], *, voice: str = "本机关") -> tuple[Report, bytes]:
    """An HTML report whose title was cut by the crawl and whose text names no body."""
    report = random_report(random.Random(11), "2021", agency=AGENCY, year=2023)
    page = render(report, "html")
    text = page.decode("utf-8") if isinstance(page, bytes) else page
    text = text.replace(title(report), "2023年政府信息公开工作年度报告").replace(AGENCY, voice)
    tags = "".join(f'<meta name="{k}" content="{v}">' for k, v in meta.items())
    return report, text.replace("<head>", "<head>" + tags, 1).encode("utf-8")


def _agency_findings(got: Report) -> list[str]:
    return [f.message_en or "" for f in check(got) if f.rule == "C-AGENCY"]


def test_no_name_anywhere_is_null_and_a_finding() -> None:
    _, page = _page({})
    got = extract_bytes(page, "cut.html")
    assert got.agency is None
    assert "agency not identified" in (got.notes or "")
    [message] = _agency_findings(got)
    assert message.startswith("Agency not identified")
    zh = [f.message for f in check(got) if f.rule == "C-AGENCY"]
    assert zh and "未能识别发布本年报的机关" in zh[0]


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"SiteName": "临沭县人民政府门户网站"}, AGENCY),
        ({"SiteName": "临沭县人民政府"}, AGENCY),
        ({"ArticleTitle": "临沭县教育和体育局2023年政府信息公开工作年度报告"}, "临沭县教育和体育局"),
        ({"ContentSource": "临沭县财政局", "SiteName": "临沭县人民政府门户网站"}, "临沭县财政局"),
        ({"og:site_name": "临沭县人民政府网站"}, AGENCY),
    ],
)
def test_the_sites_meta_tags_name_the_body(meta: dict[str, str], expected: str) -> None:
    _, page = _page(meta)
    got = extract_bytes(page, "site.html")
    assert got.agency == expected
    assert "agency from the page's <meta> tags" in (got.notes or "")
    assert _agency_findings(got) == []


@pytest.mark.parametrize(
    "meta",
    [
        {"SiteName": "中国临沭"},  # a place's slogan, not a body
        {"ContentSource": "在省政府"},  # a fragment (issue 10)
        {"SiteName": "门户网站"},
        {"ArticleTitle": "2023年政府信息公开工作年度报告"},
    ],
)
def test_no_fragment_or_non_name_is_taken(meta: dict[str, str]) -> None:
    _, page = _page(meta)
    got = extract_bytes(page, "site.html")
    assert got.agency is None
    assert len(_agency_findings(got)) == 1


def test_a_department_speaking_on_its_governments_portal_is_not_the_government() -> None:
    _, page = _page({"SiteName": "临沭县人民政府门户网站"}, voice="本局")
    got = extract_bytes(page, "dept.html")
    assert got.agency is None
    assert len(_agency_findings(got)) == 1


def test_the_reports_own_title_wins_over_the_site() -> None:
    report = random_report(random.Random(11), "2021", agency="临沭县财政局", year=2023)
    page = render(report, "html")
    text = page.decode("utf-8") if isinstance(page, bytes) else page
    text = text.replace("<head>", '<head><meta name="SiteName" content="临沭县人民政府门户网站">', 1)
    got = extract_bytes(text.encode("utf-8"), "own.html")
    assert got.agency == "临沭县财政局"
    assert "<meta>" not in (got.notes or "")


def test_in_an_audit_the_crawl_manifest_ranks_above_the_site(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a", "b"):
        (docs / f"{name}.html").write_bytes(_page({"SiteName": "临沭县人民政府门户网站"})[1])
    (tmp_path / "crawl.csv").write_text(
        "path,url,agency,year\ndocs/a.html,https://www.linshu.gov.cn/a.html,临沭县人民政府办公室,2023\n",
        encoding="utf-8",
    )
    db = open_db(f"sqlite:///{tmp_path / 'a.db'}")
    audit([docs], db, manifest=load_manifest(tmp_path / "crawl.csv"))
    with db.session() as s:
        names = dict(s.execute(select(Document.path, ReportRow.agency_name).join(ReportRow)).all())
    assert {Path(p).name: n for p, n in names.items()} == {"a.html": "临沭县人民政府办公室", "b.html": AGENCY}
