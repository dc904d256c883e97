"""One agency's seven reports, printed seven ways, link as one agency and every consecutive pair
runs the cross-year rules (issue 10 acceptance).

The forms are the ones real archives showed: the site's chrome around the page, the title cut by
the crawl (once with a crawl manifest naming the agency, once with the text's own statement of
who compiled the report), a look-alike character (沐 for 沭), the short 县政府 form,
traditional characters, a markdown conversion.
"""

from __future__ import annotations

import random
from pathlib import Path

from sqlalchemy import select

from xxgk.audit.agencies import resolve
from xxgk.audit.manifest import load_manifest
from xxgk.audit.pipeline import audit, findings_by_agency_year
from xxgk.audit.query import agency_links
from xxgk.model import Report
from xxgk.render import LAYOUTS, render
from xxgk.render.grid import title
from xxgk.samples import _chain, random_report
from xxgk.storage.db import open_db
from xxgk.storage.models import Agency, AgencyAlias, ReportRow

AGENCY = "临沭县人民政府办公室"
# year → (printed name, layout, what happens to the title)
SERIES = {
    2019: (AGENCY, "pipe", "title"),
    2020: (AGENCY, "chrome", "title"),
    2021: (AGENCY, "pipe", "cut"),  # the manifest names it
    2022: ("临沐县人民政府办公室", "html", "title"),
    2023: ("临沭县政府办公室", "cell-per-line", "title"),
    2024: ("臨沭縣人民政府辦公室", "pipe", "title"),
    2025: (AGENCY, "md-headings", "statement"),
}


def _series() -> list[tuple[int, Report, str, str]]:
    rng = random.Random(7)
    out = []
    prev = None
    for year, (printed, layout, form) in SERIES.items():
        report = random_report(rng, "2019" if year < 2021 else "2021", agency=printed, year=year)
        if prev is not None:
            _chain(prev, report)
        out.append((year, report, layout, form))
        prev = report
    return out


def _write(tmp: Path, year: int, report: Report, layout: str, form: str) -> Path:
    data = render(report, layout)
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    if form != "title":
        # the crawl cut the agency from the title: only 年度报告 words are left of it
        text = text.replace(title(report), f"{year}年政府信息公开工作年度报告")
        text = text.replace(report.agency or "", "本机关")  # and the text names no one either
    if form == "statement":
        text = text.replace("编制本报告。", f"本报告由{AGENCY}根据各有关单位年度报告汇总编制。", 1)
    path = tmp / f"{year}{LAYOUTS[layout].suffix}"
    path.write_text(text, encoding="utf-8")
    return path


def test_seven_years_link_as_one_agency_and_run_six_cross_year_pairs(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    series = _series()
    # one planted disagreement: 2025's 上年结转 is not 2024's 结转下年度
    last = series[-1][1]
    last.set("table3.carried_over.total", (last.value("table3.carried_over.total") or 0) + 5)
    for year, report, layout, form in series:
        _write(docs, year, report, layout, form)
    (tmp_path / "crawl.csv").write_text(
        f"path,url,agency,year\ndocs/2021.txt,https://www.linshu.gov.cn/2021.html,{AGENCY},2021\n",
        encoding="utf-8",
    )
    db = open_db(f"sqlite:///{tmp_path / 'a.db'}")
    summary = audit([docs], db, manifest=load_manifest(tmp_path / "crawl.csv"))
    assert summary.failed == 0
    with db.session() as s:
        agencies = s.scalars(select(Agency)).all()
        years = sorted(y for y in s.scalars(select(ReportRow.year)))
        reasons = {a.alias: a.reason for a in s.scalars(select(AgencyAlias))}
    assert len(agencies) == 1, [a.name for a in agencies]
    assert years == list(SERIES)
    assert summary.cross_checked == 6
    # the audit says why each spelling was linked
    assert "look-alike" in (reasons["临沐县人民政府办公室"] or "")
    assert "政府办公室 = 人民政府办公室" in (reasons["临沭县政府办公室"] or "")
    assert reasons[AGENCY] == ""
    links = agency_links(db)
    assert {name for name, _, _ in links} == {agencies[0].name} and len(links) == len(reasons)
    found = findings_by_agency_year(db)
    assert "X-CARRIED-OVER" in " ".join(found[(agencies[0].name, 2025)])
    # the manifest names 2021's body, so its "agency not identified" finding goes (C-AGENCY)
    assert all("C-AGENCY" not in " ".join(v) for v in found.values())
    assert all(
        "X-CARRIED-OVER" not in " ".join(found.get((agencies[0].name, y), [])) for y in range(2020, 2025)
    )


def test_county_and_district_forms_link_only_when_their_years_do_not_overlap() -> None:
    names = ["临沭县人民政府办公室", "临沭区人民政府办公室"]
    apart = resolve(names, years={names[0]: [2019, 2020], names[1]: [2021, 2022]})
    assert apart[names[0]].key == apart[names[1]].key
    assert "county/district" in apart[names[0]].why or "county/district" in apart[names[1]].why
    # 朝阳县 and 朝阳区 both report for 2021: two bodies
    both = resolve(
        ["朝阳县人民政府", "朝阳区人民政府"], years={"朝阳县人民政府": [2021], "朝阳区人民政府": [2021]}
    )
    assert both["朝阳县人民政府"].key != both["朝阳区人民政府"].key
    # without years no such link is made
    assert len({i.key for i in resolve(names).values()}) == 2


def test_county_and_district_years_count_their_region_prefixed_spellings() -> None:
    """乐平县… and 乐平区… are two bodies when, counting the spellings linked to each (江南省乐平区…),
    both report for one year; each name's own printed years alone looked disjoint, and the merged
    identity then had two reports a year, so none of its cross-year checks ran (10,000-report
    audit benchmark: X-CARRIED-OVER errors missed)."""
    years = {
        "江南省乐平区农业农村局": [2021, 2022, 2024],
        "乐平区农业农村局": [2023],
        "乐平县农业农村局": [2022, 2024],
        "江南省乐平县农业农村局": [2021, 2023],
    }
    ids = resolve(list(years), years=years)
    assert ids["江南省乐平区农业农村局"].key == ids["乐平区农业农村局"].key
    assert ids["江南省乐平县农业农村局"].key == ids["乐平县农业农村局"].key
    assert ids["乐平区农业农村局"].key != ids["乐平县农业农村局"].key
    # a renamed body (县 until 2021, 区 after), each also printed with its region: still one
    renamed = {"江南省乐平县农业农村局": [2020], "乐平县农业农村局": [2021], "乐平区农业农村局": [2022, 2023]}
    ids = resolve(list(renamed), years=renamed)
    assert len({i.key for i in ids.values()}) == 1
