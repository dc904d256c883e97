#!/usr/bin/env python3
"""Make the committed DOCX/PDF test fixtures from the dev labels (issue 4).

For every label in ../shared/corpus/dev/truth this renders the report with
`xxgk.render.docx.render_docx` ("?" cells come out blank) and converts it to PDF with
LibreOffice headless, so `score.py` can pair tests/fixtures/pdfdocx/{docx,pdf}/<stem>.* with the
label. It also makes layout variants (table 3 across pages with and without a repeated header,
borderless tables, A5 and Letter pages with other CJK fonts) and the bad inputs the adapters must
refuse with a clear message (scanned, encrypted, corrupt, zip bomb).

    .venv/bin/python scripts/make_fixtures.py            # writes tests/fixtures/pdfdocx/

Needs soffice (LibreOffice), pdftoppm (poppler) and qpdf; scripts/system-deps.sh installs them.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from PIL import Image

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from xxgk.model import Report, Section, load_report  # noqa: E402
from xxgk.render.docx import render_docx  # noqa: E402

SHARED = Path(os.environ.get("XXGK_SHARED", REPO.parent / "shared"))
TRUTH = SHARED / "corpus" / "dev" / "truth"
OUT = REPO / "tests" / "fixtures" / "pdfdocx"

# Narrative without digits, so no number in it can be mistaken for a table cell.
FILLER = (
    "本机关坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》"
    "和上级关于政务公开工作的部署要求，围绕中心工作，突出重点领域信息公开，持续加强政策解读和回应关切，"
    "不断提升政务公开的标准化规范化水平，切实保障人民群众的知情权、参与权、表达权和监督权。"
)

# (file stem, label stem, render options, extra section text paragraphs, what it exercises)
VARIANTS: list[tuple[str, str, dict[str, Any], int, str]] = [
    ("break_repeat_002", "002_594938079f36f576", {}, 2, "table 3 breaks across pages, header rows repeated"),
    (
        "break_norepeat_001",
        "001_d822c2f35621c521",
        {"repeat_header": False},
        2,
        "table 3 breaks across pages, header not repeated",
    ),
    ("borderless_003", "003_333e33f0e39a8a89", {"borders": False}, 0, "tables without any rules"),
    (
        "borderless_break_002",
        "002_594938079f36f576",
        {"borders": False, "repeat_header": False},
        2,
        "no rules, real numbers, table 3 across pages without a repeated header",
    ),
    ("borderless_blanks_001", "001_d822c2f35621c521", {"borders": False}, 0, "no rules and blank cells"),
    (
        "a5_serif_102",
        "102_pingtan-guozi-2019",
        {"page": "A5", "font": "Noto Serif CJK SC"},
        1,
        "A5 page, serif CJK font, 2019 template; tables break across pages",
    ),
    (
        "letter_wqy_004",
        "004_cf5be25a97365a4f",
        {"page": "Letter", "font": "WenQuanYi Micro Hei"},
        1,
        "US Letter page, WenQuanYi font",
    ),
]


def with_sections(report: Report, paragraphs: int) -> Report:
    """The label plus narrative sections, so tables start mid-page like in real reports."""
    if paragraphs <= 0:
        return report
    text = "\n".join([FILLER] * paragraphs)
    return report.model_copy(update={"sections": [Section(number=1, heading="一、总体情况", text=text)]})


def soffice_to_pdf(docx_files: list[Path], outdir: Path) -> None:
    """Convert with a private LibreOffice profile (parallel sessions must not share one)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("make_fixtures: soffice not found; run scripts/system-deps.sh")
    with tempfile.TemporaryDirectory(prefix="xxgk-lo-") as profile:
        cmd = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, docx_files),
        ]
        subprocess.run(cmd, check=True, capture_output=True, timeout=600)


def scanned_pdf(source_pdf: Path, target: Path) -> None:
    """Page 1 rasterised (pdftoppm) and wrapped back into a PDF with no text layer (Pillow)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["pdftoppm", "-r", "60", "-gray", "-png", "-f", "1", "-l", "1", str(source_pdf), f"{tmp}/page"],
            check=True,
        )
        png = sorted(Path(tmp).glob("page*.png"))[0]
        with Image.open(png) as image:
            image.convert("L").save(target, "PDF", resolution=60)


def encrypted_pdf(source_pdf: Path, target: Path) -> None:
    """A user password is needed to open it (qpdf, AES-256)."""
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        raise SystemExit("make_fixtures: qpdf not found (apt-get install -y qpdf)")
    subprocess.run(
        [
            qpdf,
            "--encrypt",
            "secret",
            "owner",
            "256",
            "--",
            "--pages",
            str(source_pdf),
            "1",
            "--",
            str(source_pdf),
            str(target),
        ],
        check=True,
    )


def zip_bomb_docx(target: Path) -> None:
    """A tiny DOCX whose document.xml inflates to 64 MB of spaces (ratio ≈ 1000:1)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1 << 20)
            for _ in range(64):
                member.write(chunk)
    target.write_bytes(buf.getvalue())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--truth", type=Path, default=TRUTH)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    labels = sorted(args.truth.glob("*.json"))
    if not labels:
        raise SystemExit(f"make_fixtures: no labels in {args.truth}")
    docx_dir, pdf_dir, var_dir, bad_dir = (args.out / d for d in ("docx", "pdf", "variants", "bad"))
    for d in (docx_dir, pdf_dir, var_dir, bad_dir):
        d.mkdir(parents=True, exist_ok=True)

    made: list[Path] = []
    for label in labels:
        target = docx_dir / f"{label.stem}.docx"
        target.write_bytes(render_docx(load_report(label)))
        made.append(target)
    soffice_to_pdf(made, pdf_dir)

    variant_docx: list[Path] = []
    index = {}
    for stem, label_stem, options, paragraphs, purpose in VARIANTS:
        report = with_sections(load_report(args.truth / f"{label_stem}.json"), paragraphs)
        target = var_dir / f"{stem}.docx"
        target.write_bytes(render_docx(report, **options))
        variant_docx.append(target)
        index[stem] = {
            "label": label_stem,
            "options": options,
            "filler_paragraphs": paragraphs,
            "purpose": purpose,
        }
    soffice_to_pdf(variant_docx, var_dir)
    (var_dir / "variants.json").write_text(
        json.dumps(index, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )

    first_pdf = pdf_dir / f"{labels[0].stem}.pdf"
    scanned_pdf(first_pdf, bad_dir / "scanned.pdf")
    encrypted_pdf(first_pdf, bad_dir / "encrypted.pdf")
    (bad_dir / "corrupt.pdf").write_bytes(first_pdf.read_bytes()[:1500])
    zip_bomb_docx(bad_dir / "bomb.docx")
    (bad_dir / "not_a_zip.docx").write_bytes(b"this is plain text, not a Word file\n")
    for path in sorted(args.out.rglob("*")):
        if path.is_file():
            print(f"{path.relative_to(REPO)}  {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
