"""The web app in Debian's chromium driven by Playwright, against a live uvicorn server on
127.0.0.1: login/logout; upload → progress → report page → click a cell → source highlighted
(PDF page box, text mark); dismiss a finding with a note; correct a cell → new version and
re-check; an office cannot see another agency's draft; a viewer cannot decide. Screenshots of
the main pages are written to the test's directory (and, with XXGK_SCREENSHOTS=docs, the
README's to docs/web-report.png)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.paths import REPO, SHARED
from tests.web.conftest import Live
from tests.web.helpers import FIXTURES, PASSWORD, report_json

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip

pytestmark = pytest.mark.browser


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium missing (scripts/system-deps.sh installs it)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def _page(browser: Any, live: Live, user: str) -> Any:
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, base_url=live.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    page.goto("/login")
    page.fill("input[name=name]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button")
    page.wait_for_selector("#whoami")
    return page


def _shot(page: Any, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    from PIL import Image

    with Image.open(path) as img:
        colours = img.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 20, name  # not a blank page
    return path


def _upload(page: Any, files: list[tuple[str, bytes]], tmp_path: Path, action: str = "/upload") -> None:
    paths = []
    for name, data in files:
        p = tmp_path / name
        p.write_bytes(data)
        paths.append(str(p))
    page.goto(action)
    page.set_input_files("input[type=file]", paths)
    page.click("form[enctype] button")
    page.wait_for_selector('#progress[data-pending="0"]', timeout=60_000)


def test_login_and_logout(browser: Any, live: Live) -> None:
    page = _page(browser, live, "viewer")
    assert page.locator("#whoami").inner_text().startswith("viewer")
    page.click("#logout")
    page.wait_for_url("**/login")
    page.goto("/")
    assert "/login" in page.url  # logged out: back to the login form
    assert page.errors == []


def test_upload_report_click_cell_source_decide_correct(browser: Any, live: Live, tmp_path: Path) -> None:
    page = _page(browser, live, "sup")
    pdf = FIXTURES / "pdf" / "101_pingtan-junshan-2022.pdf"
    _upload(page, [(pdf.name, pdf.read_bytes())], tmp_path)
    _shot(page, tmp_path, "upload-progress")
    page.click("a.open-report")
    page.wait_for_selector("table.tpl#table3")
    cell = 'td.v[data-cell="table3.unable_not_held.natural_person"]'
    page.click(cell)
    page.wait_for_selector("#pdf-box")
    page.wait_for_function(
        "document.querySelector('#pdf-page img').complete && document.querySelector('#pdf-page img').naturalWidth > 0"
    )
    assert page.locator(cell).get_attribute("class").find("selected") >= 0
    box = page.locator("#pdf-box").bounding_box()
    img = page.locator("#pdf-page img").bounding_box()
    assert box and img and box["width"] > 2 and img["x"] <= box["x"] <= img["x"] + img["width"]
    shot = _shot(page, tmp_path, "report-pdf")
    if os.environ.get("XXGK_SCREENSHOTS") == "docs":
        (REPO / "docs" / "web-report.png").write_bytes(shot.read_bytes())

    # A text report: the cell's characters are marked in the source text.
    doc = SHARED / "corpus" / "dev" / "docs" / "102_pingtan-guozi-2019.txt"
    _upload(page, [(doc.name, doc.read_bytes())], tmp_path)
    page.click("a.open-report")
    page.click('td.v[data-cell="table3.new.total"]')
    page.wait_for_selector("mark#spot")
    assert page.locator("mark#spot").inner_text().strip() != ""
    _shot(page, tmp_path, "report-text")

    # Dismiss a finding with a note.
    finding = page.locator(".finding").first
    fid = finding.get_attribute("id")
    finding.locator("input[name=note]").fill("附件中已说明")
    finding.locator("button[value=dismissed]").click()
    page.wait_for_selector(f"#{fid} .decided[data-decision=dismissed]")
    assert "附件中已说明" in page.locator(f"#{fid} .decided").inner_text()

    # Correct a cell: a new version, the history shows it, the checks ran again.
    page.click('td.v[data-cell="table3.new.total"]')
    page.wait_for_selector("#correct-form")
    old = page.locator("#correct-form input[name=value]").input_value()
    page.fill("#correct-form input[name=value]", str(int(old or 0) + 7))
    page.fill("#correct-form input[name=reason]", "与原件核对")
    page.click("#correct-form button")
    page.wait_for_selector("#version:text('2')")
    assert page.locator("tr.version-row").count() == 2
    assert "与原件核对" in page.locator("#history + table").inner_text()
    assert page.locator('td.v.corrected[data-cell="table3.new.total"]').count() == 1
    assert page.locator('td.v.sev-error[data-cell="table3.new.total"]').count() == 1  # re-checked
    _shot(page, tmp_path, "report-corrected")
    page.goto("/")
    page.wait_for_selector("#chart-agency[data-drawn='1'] canvas")
    _shot(page, tmp_path, "dashboard")
    page.goto("/findings")
    _shot(page, tmp_path, "findings")
    assert page.errors == []


def test_office_cannot_see_another_agencys_draft(browser: Any, live: Live, tmp_path: Path) -> None:
    office = _page(browser, live, "office")
    _upload(office, [("draft.json", report_json(**{"table3": {}}))], tmp_path, action="/drafts")
    office.click("a.open-report")
    office.wait_for_selector(".finding")
    _shot(office, tmp_path, "draft")
    url = office.url
    other = _page(browser, live, "office2")
    response = other.goto(url)
    assert response is not None and response.status == 404
    assert other.locator(".finding").count() == 0


def test_viewer_cannot_decide(browser: Any, live: Live, tmp_path: Path) -> None:
    sup = _page(browser, live, "sup")
    _upload(sup, [("a.json", report_json(**{"table3": {}}))], tmp_path)
    sup.click("a.open-report")
    report_url = sup.url
    viewer = _page(browser, live, "viewer")
    viewer.goto(report_url)
    viewer.wait_for_selector(".finding")
    assert viewer.locator("form.decide").count() == 0
    assert viewer.locator("#correct-form").count() == 0
    csrf = viewer.locator("input[name=csrf_token]").first.input_value()
    fid = viewer.locator(".finding").first.get_attribute("id").split("-")[1]
    status = viewer.evaluate(
        """async ([fid, csrf]) => (await fetch('/findings/' + fid + '/decide', {method: 'POST',
             headers: {'Content-Type': 'application/x-www-form-urlencoded'},
             body: 'decision=confirmed&csrf_token=' + encodeURIComponent(csrf)})).status""",
        [fid, csrf],
    )
    assert status == 403
