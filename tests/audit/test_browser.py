"""The HTML audit report renders in headless Debian chromium and its ECharts charts draw."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.audit.corpus import PLAN, write_reports

from xxgk.audit.outputs import write_all
from xxgk.audit.pipeline import audit
from xxgk.storage import open_db

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.mark.browser
def test_audit_report_draws_its_charts(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium missing (scripts/system-deps.sh installs it)")
    corpus = tmp_path / "corpus"
    write_reports(corpus, PLAN)
    db = open_db(f"sqlite:///{tmp_path / 'audit.db'}")
    try:
        audit([corpus], db)
        out = write_all(db, tmp_path / "out")
    finally:
        db.close()
    shot = tmp_path / "report.png"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(out["index.html"].as_uri())
            page.wait_for_selector("#chart-agency[data-drawn='1'] canvas")
            for chart in ("chart-rule", "chart-year", "chart-agency"):
                assert page.locator(f"#{chart} canvas").count() >= 1
                # The canvas holds drawn pixels: not all one colour.
                distinct = page.evaluate(
                    """id => { const c = document.querySelector('#' + id + ' canvas');
                       const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                       const seen = new Set(); for (let i = 0; i < d.length; i += 397) seen.add(d[i] + ',' + d[i+1] + ',' + d[i+2] + ',' + d[i+3]);
                       return seen.size; }""",
                    chart,
                )
                assert distinct > 3, chart
            assert errors == []
            page.locator("#charts").screenshot(path=str(shot))
        finally:
            browser.close()
    from PIL import Image  # pillow comes with pdfplumber

    with Image.open(shot) as img:
        colours = img.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 20  # a blank screenshot has one or two colours
