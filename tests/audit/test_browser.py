"""The HTML audit site in headless Debian chromium: charts draw in severity colours, search and
filter work, and the text a person reads (Playwright's innerText, every folded part opened) has
no internal key and no rule code without its name. Screenshots are kept as test artefacts in
build/test-artefacts/ (looked at when the pages change)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.audit.corpus import write_generated
from tests.audit.visible import problems
from tests.paths import REPO

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
ARTEFACTS = REPO / "build" / "test-artefacts"
CHARTS = ("chart-rule", "chart-year", "chart-agency")
# Distinct colours in a canvas, and whether the severity reds and ambers are among them.
CANVAS = """id => { const c = document.querySelector('#' + id + ' canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const seen = new Set(); let red = 0, amber = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (i % 397 < 4) seen.add(d[i] + ',' + d[i+1] + ',' + d[i+2]);
    if (d[i] == 198 && d[i+1] == 40 && d[i+2] == 40) red++;
    if (d[i] == 230 && d[i+1] == 149 && d[i+2] == 0) amber++;
  }
  return [seen.size, red, amber]; }"""


def visible_text(page: object) -> str:
    return page.evaluate(  # type: ignore[attr-defined, no-any-return]
        "() => { document.querySelectorAll('details').forEach(d => d.open = true);"
        " return document.body.innerText; }"
    )


@pytest.mark.browser
def test_audit_site_reads_as_chinese_and_draws_its_charts(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium missing (scripts/system-deps.sh installs it)")
    corpus = tmp_path / "corpus"
    write_generated(corpus, 160)  # 40 agencies: the agency chart shows its top 30 and "others"
    db = open_db(f"sqlite:///{tmp_path / 'audit.db'}")
    try:
        audit([corpus], db)
        out = write_all(db, tmp_path / "out")
    finally:
        db.close()
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    pages = sorted((tmp_path / "out" / "agencies").glob("*.html"))
    assert len(pages) == 40
    # Sizes that scale: the index grows by one grid row per agency (10,000 reports of 4 years
    # each must stay under 1 MB: benchmarks/bench_outputs.py), an agency page by its own reports.
    index = out["index.html"].read_bytes()
    grid = index[index.index(b"<tbody>") : index.index(b"</tbody>")]
    assert len(grid) / len(pages) < 250
    assert len(index) < 1_000_000 and max(p.stat().st_size for p in pages) < 200_000
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(out["index.html"].as_uri())
            page.wait_for_selector("#chart-agency[data-drawn='1'] canvas")
            for chart in CHARTS:
                distinct, red, amber = page.evaluate(CANVAS, chart)
                assert distinct > 3, chart
                assert red > 0, f"{chart}: no error-red bars"
                if chart != "chart-year":
                    assert amber > 0 or chart == "chart-rule", chart
            text = visible_text(page)
            assert problems(text) == []
            assert "其他 10 个机关：错误" in page.evaluate(
                "() => document.getElementById('chart-data').textContent"
            )
            page.screenshot(path=str(ARTEFACTS / "audit-index.png"), full_page=True)
            # Search: one agency's name leaves its row alone; "only errors" hides the clean ones.
            rows = page.locator("#grid tbody tr")
            name = rows.nth(0).locator("td").nth(0).inner_text()
            page.fill("#q", name)
            assert page.locator("#grid tbody tr:visible").count() == 1
            page.fill("#q", "")
            page.check("#only-errors")
            shown = page.locator("#grid tbody tr:visible").count()
            with_errors = sum(1 for i in range(rows.count()) if rows.nth(i).get_attribute("data-e") != "0")
            assert shown == with_errors < rows.count()
            for i, agency_page in enumerate(pages):
                page.goto(agency_page.as_uri())
                text = visible_text(page)
                assert problems(text) == [], agency_page.name
                if i == 0:
                    page.screenshot(path=str(ARTEFACTS / "audit-agency.png"), full_page=True)
            assert errors == []
        finally:
            browser.close()
    from PIL import Image  # pillow comes with pdfplumber

    with Image.open(ARTEFACTS / "audit-index.png") as img:
        colours = img.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 20  # a blank screenshot has one or two colours
