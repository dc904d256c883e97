"""The register's pages in Debian's chromium (Playwright) against a live uvicorn server: an office
user goes list → case → compile → a cell's cases → DOCX download, sees the due list's colours,
and gets the row-by-row report of a refused ledger. Screenshots go to the test's directory."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from tests.register.ledgers import clean_cases, clean_rows, row, write_ledger
from tests.web.conftest import Live
from tests.web.test_browser import _page, _shot, browser  # noqa: F401 (the browser fixture)

pytestmark = pytest.mark.browser


def test_list_case_compile_explain_docx_and_import_errors(browser: Any, live: Live, tmp_path: Path) -> None:  # noqa: F811
    page = _page(browser, live, "office")
    # Import a clean ledger through the form, then browse it.
    good = write_ledger(tmp_path / "台账.xlsx", clean_rows(), clean_cases())
    page.goto("/register/import")
    page.set_input_files("#import-form input[type=file]", str(good))
    page.click("#import-form button")
    page.wait_for_selector("#import-done")

    page.click("#nav-register")
    page.wait_for_selector("table#applications")
    assert page.locator("tr.application").count() == len(clean_rows())
    _shot(page, tmp_path, "register-list")
    page.select_option("select[name=status]", "open")
    page.click("#register-filters button")
    page.wait_for_url("**status=open**")
    assert page.locator("tr.application").count() == 2

    page.goto("/register")
    page.click("a.case-link:text('2025-0001')")
    page.wait_for_selector("#reply-due")
    assert page.locator("#reply-due").inner_text() == "2025-02-21"  # R.5's worked example
    assert "王小明" in page.locator("#case-fields").inner_text()  # the agency's own registrar
    _shot(page, tmp_path, "register-case")

    page.goto("/register/due?today=2025-12-22&within=10")
    assert page.locator("tr.due-overdue").count() >= 1
    late = page.locator("tr.due-overdue td").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert late == "rgb(255, 227, 227)"  # coloured, not just classed
    _shot(page, tmp_path, "register-due")

    page.click("nav.register-nav a[href^='/register/compile']")
    page.select_option("#compile-form select[name=year]", "2025")
    page.click("#compile-form button")
    page.wait_for_selector("table.tpl#table3")
    _shot(page, tmp_path, "register-compile")
    page.click('td.v[data-cell="table3.new.total"] a.explain')
    page.wait_for_selector("#explain-cases")
    assert page.locator("#explain-cases li").count() == 5
    page.go_back()
    with page.expect_download() as download:
        page.click("#docx")
    saved = tmp_path / "report.docx"
    download.value.save_as(saved)
    with zipfile.ZipFile(saved) as z:
        assert "word/document.xml" in z.namelist()
    # Table 2 given through the page's form: the preview shows it.
    table2 = tmp_path / "表二.json"
    table2.write_text('{"licensing": {"decisions": 1532}}', "utf-8")
    page.set_input_files("#inputs-form input[name=table2]", str(table2))
    page.click("#inputs-form button")
    page.wait_for_selector("#given-table2:has-text('表二.json')")
    assert page.locator('td.v[data-cell="table2.licensing.decisions"]').inner_text().strip() == "1532"

    # A ledger with planted bad rows: every row named, nothing imported.
    rows = clean_rows()
    rows[1] = row("2025-0001", "2025-13-40")
    rows[2] = row("2025-0002", "2025-03-03", "个体户")
    bad = write_ledger(tmp_path / "bad.xlsx", rows)
    page.goto("/register/import")
    page.set_input_files("#import-form input[type=file]", str(bad))
    page.click("#import-form button")
    page.wait_for_selector("#import-errors")
    cells = [r.locator("td").all_inner_texts() for r in page.locator("tr.import-error").all()]
    assert [c[:3] for c in cells] == [["台账", "3", "收到日期"], ["台账", "4", "申请人类型"]]
    assert cells[0][3] == "“2025-13-40”不是日历上的日期"  # the Chinese UI says why in Chinese
    assert "未导入任何内容" in page.locator("#import-refused").inner_text()
    _shot(page, tmp_path, "register-import-errors")
    assert page.errors == []
