"""Agency identity from the site path (issue 10 item 5, its last step): a report naming no agency
takes the one the other reports under the same site column name — when exactly one is named
there — and the audit says why; two agencies under one column decide nothing."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlalchemy import select

from xxgk.audit.manifest import load_manifest
from xxgk.audit.pipeline import audit, findings_by_agency_year
from xxgk.audit.query import agency_links
from xxgk.audit.site_agency import agencies_by_site, site_path
from xxgk.extract import extract_bytes
from xxgk.model import Report
from xxgk.render import render
from xxgk.render.grid import title
from xxgk.samples import _chain, random_report
from xxgk.storage.db import open_db
from xxgk.storage.models import Document, ReportRow

A, B = "临江市市场监督管理局", "临江市教育局"


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("http://www.x.gov.cn/xxgk/ndbg/202301/t20230105_1.html", "www.x.gov.cn/xxgk/ndbg/"),
        ("https://WWW.X.gov.cn/xxgk/ndbg/2023-01/art_5.html?id=3#top", "www.x.gov.cn/xxgk/ndbg/"),
        ("https://www.x.gov.cn/xxgk/ndbg/index.html", "www.x.gov.cn/xxgk/ndbg/"),
        ("https://www.x.gov.cn/report.html", "www.x.gov.cn/"),
        ("/xxgk/ndbg/1.html", None),
        ("ftp://www.x.gov.cn/a/1.html", None),
        ("", None),
    ],
)
def test_site_path_is_host_and_column(url: str, path: str | None) -> None:
    assert site_path(url) == path


def test_only_one_confident_agency_under_a_column_decides() -> None:
    col = "https://www.x.gov.cn/xxgk/ndbg/2023/1.html"
    placed = agencies_by_site(
        [
            (1, A, True, col),
            (2, "临江市市场监管局", True, col),  # the same body, its short name
            (3, None, False, col),
            (4, B, False, "https://www.y.gov.cn/ndbg/1.html"),  # named by <meta> only: not evidence
            (5, None, False, "https://www.y.gov.cn/ndbg/2.html"),
            (6, None, False, None),
        ]
    )
    assert [(p.report_id, p.agency, p.path, p.others) for p in placed] == [
        (3, A, "www.x.gov.cn/xxgk/ndbg/", 2)
    ]


def test_the_page_states_its_url() -> None:
    page = render(random_report(random.Random(1), "2021"), "html").replace(
        b"<head>", b'<head><link rel="canonical" href="https://www.x.gov.cn/xxgk/ndbg/202301/t1.html">', 1
    )
    assert extract_bytes(page, "p.html").url == "https://www.x.gov.cn/xxgk/ndbg/202301/t1.html"
    og = page.replace(b'<link rel="canonical"', b'<meta property="og:url" content', 1).replace(
        b'href="', b'="', 1
    )
    assert extract_bytes(og, "p.html").url == "https://www.x.gov.cn/xxgk/ndbg/202301/t1.html"
    assert extract_bytes(render(random_report(random.Random(1), "2021"), "html"), "p.html").url is None


def _page(report: Report, url: str | None, titled: bool) -> bytes:
    html = render(report, "html").decode()
    if not titled:  # the crawl cut the agency from the title, and the text names no one
        html = html.replace(title(report), f"{report.year}年政府信息公开工作年度报告")
        html = html.replace(report.agency or "", "本机关")
    if url:
        html = html.replace("<head>", f'<head><link rel="canonical" href="{url}">', 1)
    return html.encode()


def test_a_report_without_a_title_takes_its_columns_agency(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    rng = random.Random(4)
    prev = None
    # site x: one agency's series, 2022 untitled (its URL from the page), 2023 untitled (from the manifest)
    for year in (2020, 2021, 2022, 2023):
        report = random_report(rng, "2019" if year < 2021 else "2021", agency=A, year=year)
        if prev is not None:
            _chain(prev, report)
        prev = report
        url = f"https://www.x.gov.cn/xxgk/ndbg/{year + 1}01/t{year}.html"
        (docs / f"x{year}.html").write_bytes(_page(report, None if year == 2023 else url, year < 2022))
    # site y: two agencies' reports in one column; the untitled one is not decided
    for i, (agency, titled) in enumerate(((A, True), (B, True), (B, False))):
        report = random_report(rng, "2021", agency=agency, year=2022 + (i == 2))
        url = f"https://www.y.gov.cn/zwgk/ndbg/t{i}.html"
        (docs / f"y{i}.html").write_bytes(_page(report, url, titled))
    (tmp_path / "crawl.csv").write_text(
        "path,url,agency,year\ndocs/x2023.html,https://www.x.gov.cn/xxgk/ndbg/202401/t2023.html,,\n",
        encoding="utf-8",
    )
    db = open_db(f"sqlite:///{tmp_path / 'a.db'}")
    summary = audit([docs], db, manifest=load_manifest(tmp_path / "crawl.csv"))
    assert summary.failed == 0
    with db.session() as s:
        named = dict(
            s.execute(
                select(Document.path, ReportRow.agency_name).join(
                    ReportRow, ReportRow.document_id == Document.id
                )
            ).all()
        )
    names = {Path(p).stem: a for p, a in named.items()}
    assert names == {"x2020": A, "x2021": A, "x2022": A, "x2023": A, "y0": A, "y1": B, "y2": None}
    assert summary.cross_checked == 3  # 2020→2021→2022→2023 of agency A on site x
    found = findings_by_agency_year(db)
    assert "C-AGENCY" in found[(None, 2023)]  # site y's untitled report: still not identified
    assert not [r for (agency, _), rules in found.items() if agency == A for r in rules if r == "C-AGENCY"]
    why = [
        (name, Path(path).stem, reason)
        for name, path, reason in agency_links(db)
        if reason.startswith("agency from the site path")
    ]
    assert sorted(p for _, p, _ in why) == ["x2022", "x2023"]
    assert all(name == A and "www.x.gov.cn/xxgk/ndbg/" in reason for name, _, reason in why)
