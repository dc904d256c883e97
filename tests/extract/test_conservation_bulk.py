"""Acceptance of issue 10, in bulk: at least 10,000 generated documents of every layout family,
clean and damaged, read every cell as the true number or `ambiguous` — no silent wrong cell.

Damage is at row boundaries, where real pages lose things: a value row lost, repeated or split in
two, the page cut off inside tables 3–4. Row lines for the text families (`|` or tab separated),
`<tr>` elements for HTML (lost or repeated; a page never splits a `<tr>`); the one-cell-per-line and glued families have no row lines and get
only the cut. Damage that changes what the document says (two labels swapped, a cut inside a
number) is out of scope for the reader: the table's identities flag it.

Number conservation as a property: every number a template cell printed is checked, so a number
of the table region that was dropped shows up as a wrong (blank or shifted) cell unless the
reader made the cells it could belong to ambiguous. A row the page repeats unchanged loses no
number when it is read once; a row whose label the cut took is `not found`, its numbers gone.

Deterministic: a failure names the seed to rerun. The 18 text and HTML families run
XXGK_BULK_DOCS documents between them (default 10,800: 600 each). The office renderings of the
same generator cycle through A4/A5 × rules or not × wide or narrow label columns: XXGK_BULK_DOCX
DOCX (default 208, clean and with a value row lost or repeated; render_docx takes ~0.3 s a
document) and XXGK_BULK_PDF PDFs LibreOffice converts in one batch (default 48, clean).
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from scripts.make_fixtures import soffice_to_pdf

from xxgk.extract import ExtractError, extract_bytes
from xxgk.model import Report
from xxgk.render import LAYOUTS, layout_names
from xxgk.render.damage import DAMAGES, damage_docx, damaged
from xxgk.render.docx import render_docx
from xxgk.samples import random_report
from xxgk.templates import get_template

TOTAL = int(os.environ.get("XXGK_BULK_DOCS", "10800"))
FAMILIES = layout_names()
PER_FAMILY = -(-TOTAL // len(FAMILIES))
# cells whose row the damage took with it: absent from the document, not a reading of it
GONE = ("not found in the document", "row not found in the document")


def silently_wrong(report: Report, got: Report) -> list[str]:
    """Cells read as another number than the one printed and not marked ambiguous (a cell the
    自然人 convention placed is flagged by V-CONVENTION, tests/render/test_roundtrip.py)."""
    if got.template != report.template:
        return [f"template {got.template} read for {report.template}"]
    wrong = []
    for cell in get_template(report.template or "2021").cells():
        src = got.cells.get(cell.key)
        if src is not None and (src.status == "ambiguous" or src.basis == "convention" or src.note in GONE):
            continue
        if (got.value(cell.key) or 0) != (report.value(cell.key) or 0):
            wrong.append(f"{cell.key}: printed {report.value(cell.key)!r}, read {got.value(cell.key)!r}")
    return wrong


@pytest.mark.slow
@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_clean_and_damaged_reads_true_or_ambiguous(family: str) -> None:
    failures: dict[str, list[str]] = {}
    read = 0
    for n in range(PER_FAMILY):
        seed = FAMILIES.index(family) * 1_000_003 + n
        rng = random.Random(seed)
        how = DAMAGES[n % len(DAMAGES)]
        report = random_report(rng, ("2019", "2021")[n // len(DAMAGES) % 2])
        data = damaged(report, family, rng, how)
        try:
            got = extract_bytes(data, "d" + LAYOUTS[family].suffix)
        except ExtractError:
            continue  # refused (too little left of the page): said, not guessed
        read += 1
        wrong = silently_wrong(report, got)
        if wrong:
            failures[f"seed {seed} {how}"] = wrong[:4]
    assert failures == {}
    assert read >= PER_FAMILY * 0.9  # the damage leaves most documents readable


OFFICE_VARIANTS = [
    (page, borders, narrow) for page in ("A4", "A5") for borders in (True, False) for narrow in (False, True)
]
DOCX_DOCS = int(os.environ.get("XXGK_BULK_DOCX", "208"))
PDF_DOCS = int(os.environ.get("XXGK_BULK_PDF", "48"))
DOCX_DAMAGES = ("none", "lose-value-row", "repeat-value-row")  # a Word row is never split nor cut


def _office_report(n: int, salt: int) -> tuple[Report, str, bool, bool]:
    """Document n of an office share: its report and variant; templates alternate, then variants."""
    report = random_report(random.Random(salt + n), ("2019", "2021")[n % 2])
    page, borders, narrow = OFFICE_VARIANTS[n // 2 % len(OFFICE_VARIANTS)]
    return report, page, borders, narrow


@pytest.mark.slow
def test_docx_renderings_clean_and_damaged_read_true_or_ambiguous() -> None:
    """Every render_docx variant (A4/A5, rules or not, narrow label columns), clean and with a
    value row lost or repeated."""
    failures = {}
    for n in range(DOCX_DOCS):
        report, page, borders, narrow = _office_report(n, 7_000_000)
        how = DOCX_DAMAGES[n // (2 * len(OFFICE_VARIANTS)) % len(DOCX_DAMAGES)]
        data = render_docx(report, borders=borders, narrow_labels=narrow, page=page)
        data = damage_docx(data, random.Random(n), how)
        wrong = silently_wrong(report, extract_bytes(data, "r.docx"))
        if wrong:
            failures[f"doc {n} {page} borders={borders} narrow={narrow} {how}"] = wrong[:4]
    assert failures == {}


@pytest.mark.slow
@pytest.mark.office
def test_pdf_renderings_read_true_or_ambiguous(soffice: str, tmp_path: Path) -> None:
    """The same variants as PDFs LibreOffice makes (one soffice call for the batch): word
    positions, not cells, are all the borderless ones give."""
    reports = {}
    for n in range(PDF_DOCS):
        report, page, borders, narrow = _office_report(n, 8_000_000)
        path = (
            tmp_path / f"doc{n}_{page}_{'ruled' if borders else 'bare'}_{'narrow' if narrow else 'wide'}.docx"
        )
        path.write_bytes(
            render_docx(report, font="Noto Serif CJK SC", page=page, borders=borders, narrow_labels=narrow)
        )
        reports[path] = report
    soffice_to_pdf(list(reports), tmp_path)
    failures = {}
    for path, report in reports.items():
        pdf = path.with_suffix(".pdf")
        wrong = silently_wrong(report, extract_bytes(pdf.read_bytes(), pdf.name))
        if wrong:
            failures[pdf.name] = wrong[:4]
    assert failures == {}
