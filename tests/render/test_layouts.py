"""Each layout family, checked against the official layout (annual-report.md A.3–A.5) and the report.

Expected positions come from the spec (3 header rows and 3 label columns in table 3, 15 value
columns in table 4, …), not from the renderer's grid code.
"""

from __future__ import annotations

import itertools
import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html
from tests.render.conftest import printed

from xxgk.model import Report, Section
from xxgk.render import LAYOUTS, RenderError, layout_names, render
from xxgk.render.grid import row_label, spelling
from xxgk.samples import random_report
from xxgk.templates import Row, get_template
from xxgk.text import label_key, to_simplified

NBSP = "\u00a0"


def lab(report: Report, row: Row) -> str:
    """The row label as this report spells it (label spelling variants, grid.spelling)."""
    return row_label(row, spelling(report))


def expand(table: lxml_html.HtmlElement) -> list[list[str]]:
    """The table as a full grid, each spanned cell's text repeated over the cells it covers."""
    grid: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(table.iter("tr")):
        c = 0
        for td in tr.iter("td", "th"):
            while (r, c) in grid:
                c += 1
            rs, cs = int(td.get("rowspan", "1")), int(td.get("colspan", "1"))
            for dr in range(rs):
                for dc in range(cs):
                    grid[(r + dr, c + dc)] = td.text_content().replace(NBSP, "").strip()
            c += cs
    rows = 1 + max(r for r, _ in grid)
    cols = 1 + max(c for _, c in grid)
    return [[grid.get((r, c), "\x00") for c in range(cols)] for r in range(rows)]


def html_tables(data: bytes) -> list[list[list[str]]]:
    doc = lxml_html.fromstring(data)
    return [expand(t) for t in doc.iter("table") if "MsoTableGrid" in (t.get("class") or "")]


@pytest.mark.parametrize("layout", ["html", "html-gbk", "html-chrome"])
def test_html_grid_matches_official_layout(report: Report, layout: str) -> None:
    template = get_template(report.template or "")
    t2, t3, t4 = html_tables(render(report, layout))
    # Table 3: 10 columns, 3 header rows, then one printed row per template row (A.4).
    assert all(len(row) == 10 for row in t3)
    assert len(t3) == 3 + len(template.table3.rows)
    for i, row in enumerate(template.table3.rows):
        grid_row = t3[3 + i]
        assert label_key(row.label) in label_key("".join(grid_row[:3]))
        for j, col in enumerate(row.columns):
            assert grid_row[3 + j] == printed(report.value(f"table3.{row.key}.{col.key}"))
    # 三、本年度办理结果 spans 22 rows in 2021 and 20 in 2019 (A.4 "Row count check").
    results = sum(1 for r in t3 if r[0] == "三、本年度办理结果")
    assert results == (22 if template.id == "2021" else 20)
    # Table 4: 15 value columns under a 3-row header (A.5).
    assert len(t4) == 4 and all(len(r) == 15 for r in t4)
    expected4 = [
        printed(report.value(f"table4.{r.key}.{c.key}")) for r in template.table4.rows for c in r.columns
    ]
    assert t4[3] == expected4
    # Table 2: every row label followed by its values; single-value blocks span 3 columns.
    by_label = {r[0]: r[1:] for r in t2}
    for row in template.table2.rows:
        values = [printed(report.value(f"table2.{row.key}.{c.key}")) for c in row.columns]
        got = by_label[row_label(row, spelling(report), numbered=False)]
        assert len(got) == 3
        assert got[: len(values)] == values
        assert all(x == values[-1] for x in got[len(values) - 1 :])


def test_gbk_layouts_are_gb18030_with_declared_charset(report: Report) -> None:
    page = render(report, "html-gbk")
    assert b'<meta charset="gbk">' in page
    with pytest.raises(UnicodeDecodeError):
        page.decode("utf-8")
    assert page.decode("gb18030") == render(report, "html").decode("utf-8").replace(
        'charset="utf-8"', 'charset="gbk"'
    )
    text = render(report, "text-gbk")
    assert text.decode("gb18030") == render(report, "pipe").decode("utf-8")


def test_pipe_rows_keep_every_column(report: Report) -> None:
    text = render(report, "pipe").decode()
    template = get_template(report.template or "")
    lines = text.splitlines()
    for row in template.table3.rows:
        line = next(x for x in lines if x.startswith(lab(report, row)) or f"| {lab(report, row)} |" in x)
        cells = [c.strip() for c in line.rstrip("|").split("|")]
        values = cells[cells.index(lab(report, row)) + 1 :]
        assert values == [printed(report.value(f"table3.{row.key}.{c.key}")) for c in row.columns]


def test_cell_per_line_marks_blanks_with_nbsp(report: Report) -> None:
    text = render(report, "cell-per-line").decode()
    blanks = sum(1 for _, v in report.iter_cells() if v is None)
    # Blank table cells are NBSP lines; one per blank value (header cells are never blank).
    assert text.splitlines().count(NBSP) == blanks
    assert "|" not in text


def test_cell_pipe_puts_each_cell_on_its_own_line(report: Report) -> None:
    lines = render(report, "cell-pipe").decode().splitlines()
    template = get_template(report.template or "")
    row = template.table3.row("new")
    i = lines.index(f"{lab(report, row)} |")
    got = [x.rstrip("|").strip() for x in lines[i + 1 : i + 8]]
    assert got == [printed(report.value(f"table3.new.{c.key}")) for c in row.columns]


def test_blanks_dropped_loses_blank_cells(report: Report) -> None:
    text = render(report, "blanks-dropped").decode()
    assert NBSP not in text
    assert "\n\n" in text and "|" not in text
    template = get_template(report.template or "")
    paras = text.split("\n\n")
    for row in template.table3.rows:
        i = paras.index(lab(report, row))
        expected = [printed(report.value(f"table3.{row.key}.{c.key}")) for c in row.columns]
        expected = [x for x in expected if x]
        assert paras[i + 1 : i + 1 + len(expected)] == expected


def test_glued_concatenates_digits_into_next_label(report: Report) -> None:
    text = render(report, "glued").decode()
    assert text.count("\n") == 1  # the whole page on one line, like a crawler's innerText
    rows = get_template(report.template or "").table3.rows
    for row, nxt in itertools.pairwise(rows):
        digits = "".join(printed(report.value(f"table3.{row.key}.{c.key}")) for c in row.columns)
        # the row's values glued to its label, the next printed label glued right after
        assert f"{lab(report, row)}{digits}" in text
        if nxt.number.endswith("."):
            assert f"{digits}{nxt.number}" in text or f"{digits}（" in text or f"{digits}(" in text


def test_wrapped_breaks_long_rows(report: Report) -> None:
    text = render(report, "wrapped").decode()
    template = get_template(report.template or "")
    long_rows = [r for r in template.table3.rows if len(r.printed) > 18]
    assert long_rows
    for row in long_rows:
        assert lab(report, row) not in text  # cut inside
        assert lab(report, row) in text.replace("\n", "")
    # nothing lost: the pipe text and the wrapped text hold the same characters
    squash = re.compile(r"[\s|]")
    assert squash.sub("", text) == squash.sub("", render(report, "pipe").decode())


def test_traditional_reads_back_as_the_simplified_labels(report: Report) -> None:
    text = render(report, "traditional").decode()
    assert "公開" in text and "公开" not in text
    back = label_key(to_simplified(text))
    template = get_template(report.template or "")
    for cell in template.cells():
        assert label_key(cell.row.label) in back


def test_pdf_markdown_keeps_table3_values_in_template_order(report: Report) -> None:
    text = render(report, "pdf-markdown").decode()
    template = get_template(report.template or "")
    start = text.index("申请人情况")
    md_rows = [line for line in text[start:].splitlines() if line.startswith("|") and "---" not in line]
    value_rows = []
    for line in md_rows:
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) >= 7 and all(re.fullmatch(r"-?[\d.]*", c) for c in cells[-7:]) and len(cells) <= 8:
            value_rows.append(cells[-7:])
    expected = [
        [printed(report.value(f"table3.{r.key}.{c.key}")) for c in r.columns] for r in template.table3.rows
    ]
    assert value_rows[: len(expected)] == expected
    # labels are detached: some table-3 labels are not on the line holding their values
    detached = [r for r in template.table3.rows if not any(r.printed in line for line in md_rows)]
    assert detached


def test_chrome_wraps_the_document(report: Report) -> None:
    text = render(report, "chrome").decode()
    assert text.startswith("首页")
    assert "当前位置" in text and "ICP备" in text
    assert render(report, "pipe").decode().strip() in text


@pytest.mark.parametrize("layout", layout_names())
def test_every_layout_has_title_sections_and_is_deterministic(report: Report, layout: str) -> None:
    data = render(report, layout)
    assert data == render(report, layout)
    text = data.decode("gb18030" if "gbk" in layout else "utf-8")
    simple = label_key(to_simplified(text))
    assert label_key(f"{report.agency}{report.year}年政府信息公开工作年度报告") in simple
    for section in report.sections:
        assert label_key(section.heading) in simple
    assert LAYOUTS[layout].suffix in (".html", ".txt", ".md")


def test_missing_sections_fall_back_to_template_headings(report: Report) -> None:
    empty = report.model_copy(update={"sections": []})
    text = render(empty, "pipe").decode()
    for spec in get_template(report.template or "").sections:
        assert spec.heading in text


def test_unknown_layout_and_untemplated_report_are_clear_errors(report: Report) -> None:
    with pytest.raises(RenderError, match="unknown layout"):
        render(report, "nope")
    with pytest.raises(RenderError, match="no template"):
        render(Report(agency="x"), "pipe")
    # a report without a template still renders, in the template of its year (template_for_year)
    data = render(report.model_copy(update={"template": None}), "pipe").decode()
    assert get_template(report.template or "").table2.rows[0].columns[0].label in data


@settings(max_examples=60, deadline=None, derandomize=True)
@given(agency=st.text(max_size=30), text=st.text(max_size=80), layout=st.sampled_from(layout_names()))
def test_any_text_renders_without_error(agency: str, text: str, layout: str) -> None:
    """User-supplied names and section text (control codes, surrogates, markup) never crash a renderer."""
    report = Report(
        template="2021",
        year=2022,
        agency=agency,
        sections=[Section(number=1, heading="一、总体情况", text=text)],
    )
    text = render(report, layout).decode("gb18030" if "gbk" in layout else "utf-8")
    assert "政府信息公开工作年度报告" in label_key(to_simplified(text))
    if layout == "html-word":  # Word prints its title as a paragraph, not a heading
        assert lxml_html.fromstring(text).findtext(".//title")
    elif layout.startswith("html"):
        assert lxml_html.fromstring(text).findtext(".//h1") is not None


def test_label_spellings_vary_across_reports_but_match_as_labels() -> None:
    """Across a corpus every spelling variant occurs; each still has the template label's key."""
    rng = random.Random(3)
    seen: set[str] = set()
    for _ in range(40):
        report = random_report(rng, "2021")
        text = render(report, "pipe").decode()
        for variant in (
            "(一)予以公开",
            "逾期不补正，行政机关",
            '"三安全一稳定"',
            "\n规范性文件 |",
            "本年收费金额（万元）",
        ):
            if variant in text:
                seen.add(variant)
        for row in get_template("2021").table3.rows:
            assert label_key(lab(report, row)) == label_key(row.printed)
    assert len(seen) == 5


def test_glued_spaced_puts_spaces_only_on_cell_boundaries(report: Report) -> None:
    text = render(report, "glued-spaced").decode()
    rows = get_template(report.template or "").table3.rows
    spaces = 0
    for row in rows:
        values = [printed(report.value(f"table3.{row.key}.{c.key}")) for c in row.columns]
        start = text.index(lab(report, row)) + len(lab(report, row))
        digits = "".join(values)
        run = text[start:]
        taken = ""
        i = 0
        while len(taken) < len(digits):
            if run[i] != " ":
                taken += run[i]
            i += 1
        segment = run[:i]
        assert taken == digits
        boundaries = set(itertools.accumulate(len(v) for v in values)) | {0}
        pos = 0
        for ch in segment:
            if ch == " ":
                assert pos in boundaries  # never inside a number
                spaces += 1
            else:
                pos += 1
    assert spaces  # some boundaries do get a space
    assert text.replace(" ", "").count(lab(report, rows[0]).replace(" ", "")) == 1
