"""Scanned reports (issue 15): cells right, silent wrong numbers and pages/s/core, per DPI.

The scanned test set: the dev corpus's reports (committed PDFs of their DOCX renderings, made by
LibreOffice) plus generated reports of every template (xxgk.samples.random_report →
render_docx → LibreOffice PDF), each page rasterised at 150, 200 and 300 dpi with a red 公章
over the tables, ±2° rotation, noise and JPEG artefacts (xxgk.render.scan), re-assembled as an
image-only PDF and read by ``extract_bytes``. Scoring as shared/tools/score.py: a "?" label is
not scored, blank = 0, a wrong cell is silent unless marked ambiguous.

Speed is CPU time of this process (onnxruntime runs single-threaded: one core), per page,
baseline in the same run: the OCR engine alone on the same pages (detection + recognition,
no table rebuilding) — the ratio is what the adapter adds.

    .venv/bin/python benchmarks/bench_ocr.py [--generated N] [--dpi 150,200,300]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))

from tests.paths import DEV_TRUTH  # noqa: E402

from xxgk.adapters.ocr import recognise  # noqa: E402
from xxgk.adapters.raster import prepare  # noqa: E402
from xxgk.extract import extract_bytes  # noqa: E402
from xxgk.model import Report, load_report  # noqa: E402
from xxgk.render.docx import render_docx  # noqa: E402
from xxgk.render.scan import image_pdf, scan_pages  # noqa: E402
from xxgk.samples import random_report  # noqa: E402

PDF_DIR = REPO / "tests" / "fixtures" / "pdfdocx" / "pdf"
BASELINE_DOCS = 2  # reports whose pages are also OCR'd by the bare engine (the baseline)


def score(got: Report, want: Report) -> tuple[int, int, int]:
    total = right = silent = 0
    for cell, value in want.iter_cells():
        if want.status(cell) == "ambiguous":
            continue
        total += 1
        if (got.value(cell) or 0) == (value or 0):
            right += 1
        elif got.status(cell) != "ambiguous":
            silent += 1
    return total, right, silent


def generated(n: int, out: Path) -> list[tuple[str, bytes, Report]]:
    """n reports per template rendered to DOCX and converted to PDF by LibreOffice."""
    rng = random.Random(15)
    reports = {f"gen{t}_{i}": random_report(rng, t) for t in ("2019", "2021") for i in range(n)}
    for name, report in reports.items():
        (out / f"{name}.docx").write_bytes(render_docx(report, font="Noto Serif CJK SC"))
    with tempfile.TemporaryDirectory(prefix="xxgk-lo-") as profile:
        cmd = [shutil.which("soffice") or "soffice", f"-env:UserInstallation=file://{profile}", "--headless"]
        cmd += ["--convert-to", "pdf", "--outdir", str(out), *(str(out / f"{k}.docx") for k in reports)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=1800)
    return [(k, (out / f"{k}.pdf").read_bytes(), r) for k, r in reports.items()]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--generated", type=int, default=2, help="generated reports per template")
    ap.add_argument("--dpi", default="150,200,300")
    args = ap.parse_args()
    dpis = [int(d) for d in args.dpi.split(",")]
    print(
        f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; machine: {platform.machine()} {platform.processor() or ''} cpus={os.cpu_count()}, python {platform.python_version()}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        docs = [
            (p.stem, p.read_bytes(), load_report(DEV_TRUTH / f"{p.stem}.json"))
            for p in sorted(PDF_DIR.glob("*.pdf"))
        ]
        dev = {name for name, _, _ in docs}
        if args.generated and shutil.which("soffice"):
            docs += generated(args.generated, Path(tmp))
        recognise(prepare(scan_pages(docs[0][1], 100)[0], 100).gray)  # load the models outside the timing
        for dpi in dpis:
            figures = {"dev": [0, 0, 0], "generated": [0, 0, 0]}
            pages = base_pages = 0
            cpu = base = base_cpu = 0.0
            worst: list[str] = []
            for seed, (name, pdf, truth) in enumerate(docs):
                scanned = scan_pages(pdf, dpi, seed=seed * 1000 + dpi)
                data = image_pdf(scanned, dpi)
                start = time.process_time()
                try:
                    report = extract_bytes(data, f"{name}.pdf")
                except Exception as exc:  # a failure counts every cell as silent wrong
                    print(f"  {name}: FAILED {exc}")
                    t = score(Report(), truth)
                    report_fig = (t[0], 0, t[0])
                else:
                    report_fig = score(report, truth)
                cpu += time.process_time() - start
                if seed < BASELINE_DOCS:
                    start = time.process_time()
                    for page in scanned:
                        recognise(prepare(page, dpi).gray)
                    base += time.process_time() - start
                    base_pages += len(scanned)
                    base_cpu = cpu
                pages += len(scanned)
                print(
                    f"  {dpi} dpi {name}: {report_fig[1]}/{report_fig[0]} right, silent {report_fig[2]}",
                    flush=True,
                )
                bucket = figures["dev" if name in dev else "generated"]
                for i in range(3):
                    bucket[i] += report_fig[i]
                if report_fig[1] != report_fig[0]:
                    worst.append(f"{name} {report_fig[1]}/{report_fig[0]} silent={report_fig[2]}")
            for kind, (total, right, silent) in figures.items():
                if total:
                    print(
                        f"{dpi} dpi {kind}: {right}/{total} cells right = {100 * right / total:.2f} %, silent wrong {silent}"
                    )
            print(
                f"{dpi} dpi speed: {pages} pages, {cpu:.1f} s CPU = {pages / cpu:.2f} pages/s/core; "
                f"baseline OCR engine alone {base_pages / base:.2f} pages/s/core "
                f"(first {BASELINE_DOCS} reports); adapter/engine = {base_cpu / base:.2f}x"
            )
            for line in worst:
                print(f"  not exact: {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
