"""Scanned reports (issue 15): cells right, silent wrong numbers and pages/s/core, per DPI.

The scanned test set: the dev corpus's reports (committed PDFs of their DOCX renderings, made by
LibreOffice) plus generated reports of every template (xxgk.samples.random_report →
render_docx → LibreOffice PDF), each page rasterised at 150, 200 and 300 dpi with a red 公章
over the tables, ±2° rotation, noise and JPEG artefacts (xxgk.render.scan), re-assembled as an
image-only PDF and read by ``extract_bytes``. Scoring as shared/tools/score.py: a "?" label is
not scored, blank = 0, a wrong cell is silent unless marked ambiguous.

Speed is CPU time of this process for the whole ``extract_bytes`` per page (onnxruntime runs
single-threaded: one core). Baselines in the same run, the same pages at ``--before-dpi``:
"fp32, whole-page detection" is the reading of the last session (the wheel's fp32 recogniser,
``scan.CELLS_FROM_RULES = False``: the text detector on the whole page), "before" also has the
OCR engine's settings from before any speed work (``ocr.BEFORE_PARAMS``: recognition padded to
320 px) — accuracy and speed of each. "after" is the default engine (the int8 recogniser when
``make venv`` built it, value cells' numbers read in strips: ``adapters/ocr_strips.py``) with
``--cells`` choosing how ruled cells are found, label cells read narrow where that names a
template label (``adapters/ocr_labels.py``). The interleaved baseline (at ``--alone-dpi``) is
read right before "after" document by document so that both see the same load: "labels alone"
(``--baseline labels``, the default: ``scan.LABELS_NARROW = False``, every label line
recognised alone at full width) or "cells alone" (``--baseline numbers``: ``scan.NUMBER_STRIPS = False``, the numbers
recognised alone, not in strips).

    .venv/bin/python benchmarks/bench_ocr.py [--generated N] [--dpi 150,200,300] [--before-dpi 200]
        [--alone-dpi 200] [--baseline labels|numbers] [--cells default|rules|page]
        [--only NAME,...]
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

from xxgk.adapters import scan  # noqa: E402
from xxgk.adapters.ocr import BEFORE_PARAMS, ENGINE_PARAMS, engine_with, recognise  # noqa: E402
from xxgk.adapters.raster import prepare  # noqa: E402
from xxgk.extract import extract_bytes  # noqa: E402
from xxgk.model import Report, load_report  # noqa: E402
from xxgk.render.docx import render_docx  # noqa: E402
from xxgk.render.scan import image_pdf, scan_pages  # noqa: E402
from xxgk.samples import random_report  # noqa: E402
from xxgk.scoring import score  # noqa: E402

PDF_DIR = REPO / "tests" / "fixtures" / "pdfdocx" / "pdf"


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


Figures = dict[str, list[int]]
SWITCH = "LABELS_NARROW"  # the switch of scan that the interleaved baseline turns off


def read_one(data: bytes, name: str, truth: Report) -> tuple[tuple[int, int, int], float]:
    """(cells, right, silent wrong) of one scanned document and the CPU seconds its reading took."""
    start = time.process_time()
    try:
        report = extract_bytes(data, f"{name}.pdf")
    except Exception as exc:  # a failure counts every cell as silent wrong
        print(f"  {name}: FAILED {exc}")
        t = score(Report(), truth)
        return (t.total, 0, t.total), time.process_time() - start
    t = score(report, truth)
    return (t.total, t.right, len(t.silent)), time.process_time() - start


def run_set(
    docs: list[tuple[str, bytes, Report]], dev: set[str], dpi: int, label: str, baseline: str = ""
) -> None:
    """Read every document of the set scanned at ``dpi``; print cells right, silent wrong, speed.
    With ``baseline``, each document is also read with the baseline's switch (``--baseline``:
    ``scan.NUMBER_STRIPS`` or ``scan.LABELS_NARROW``) off right before, so that both see the same
    load on the machine."""
    passes = [(baseline, False), (label, True)] if baseline else [(label, True)]
    figures: dict[str, Figures] = {name: {"dev": [0, 0, 0], "generated": [0, 0, 0]} for name, _ in passes}
    cpu = dict.fromkeys(figures, 0.0)
    worst: dict[str, list[str]] = {name: [] for name in figures}
    pages = 0
    load = os.getloadavg()[0]
    for seed, (name, pdf, truth) in enumerate(docs):
        scanned = scan_pages(pdf, dpi, seed=seed * 1000 + dpi)
        data = image_pdf(scanned, dpi)
        pages += len(scanned)
        for pass_name, on in passes:
            setattr(scan, SWITCH, on)
            got, seconds = read_one(data, name, truth)
            cpu[pass_name] += seconds
            bucket = figures[pass_name]["dev" if name in dev else "generated"]
            for i in range(3):
                bucket[i] += got[i]
            if got[1] != got[0]:
                worst[pass_name].append(f"{name} {got[1]}/{got[0]} silent={got[2]}")
        load = max(load, os.getloadavg()[0])
    setattr(scan, SWITCH, True)
    for pass_name, _ in passes:
        for kind, (total, right, silent) in figures[pass_name].items():
            if total:
                print(
                    f"{dpi} dpi {pass_name} {kind}: {right}/{total} cells right = "
                    f"{100 * right / total:.2f} %, silent wrong {silent}"
                )
        seconds = cpu[pass_name]
        print(
            f"{dpi} dpi {pass_name} speed: {pages} pages, {seconds:.1f} s CPU = {pages / seconds:.2f} "
            f"pages/s/core ({seconds / pages:.2f} s/page; load average up to {load:.1f})",
            flush=True,
        )
        for line in worst[pass_name]:
            print(f"  not exact: {line}")
    if baseline:
        print(f"{dpi} dpi {label} / {baseline}: {cpu[baseline] / cpu[label]:.2f}x pages/s/core")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--generated", type=int, default=2, help="generated reports per template")
    ap.add_argument("--dpi", default="150,200,300")
    ap.add_argument(
        "--before-dpi", type=int, default=200, help="DPI also read with the engine's old settings"
    )
    ap.add_argument(
        "--alone-dpi", type=int, default=200, help="DPI also read with every cell recognised alone"
    )
    ap.add_argument(
        "--cells",
        choices=("default", "rules", "page"),
        default="default",
        help="the 'after' passes: ruled cells read from their ink (rules) or whole-page detection",
    )
    ap.add_argument(
        "--baseline",
        choices=("labels", "numbers"),
        default="labels",
        help="the interleaved baseline at --alone-dpi: label lines read alone, or every cell alone",
    )
    ap.add_argument("--only", default="", help="comma-separated document names to read (default all)")
    args = ap.parse_args()
    global SWITCH
    SWITCH = "LABELS_NARROW" if args.baseline == "labels" else "NUMBER_STRIPS"
    dpis = [int(d) for d in args.dpi.split(",")]
    print(
        f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; machine: {platform.machine()} "
        f"{platform.processor() or ''} cpus={os.cpu_count()}, python {platform.python_version()}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        docs = [
            (p.stem, p.read_bytes(), load_report(DEV_TRUTH / f"{p.stem}.json"))
            for p in sorted(PDF_DIR.glob("*.pdf"))
        ]
        dev = {name for name, _, _ in docs}
        if args.generated and shutil.which("soffice"):
            docs += generated(args.generated, Path(tmp))
        if args.only:
            docs = [d for d in docs if d[0] in args.only.split(",")]
        warm = prepare(scan_pages(docs[0][1], 100)[0], 100).gray
        recognise(warm)  # load the models outside the timing
        after = scan.CELLS_FROM_RULES if args.cells == "default" else args.cells == "rules"
        if args.before_dpi:
            # baselines, same run and machine: the reading of the last session (fp32 recogniser,
            # detection on the whole page), then the engine as it was before any speed work
            scan.CELLS_FROM_RULES = False
            with engine_with(ENGINE_PARAMS):
                recognise(warm)
                run_set(docs, dev, args.before_dpi, "fp32, whole-page detection")
            with engine_with({**ENGINE_PARAMS, **BEFORE_PARAMS}):
                recognise(warm)
                run_set(docs, dev, args.before_dpi, "before")
        scan.CELLS_FROM_RULES = after
        for dpi in dpis:
            # the baseline, interleaved per document: label lines read alone (the code before
            # ocr_labels), or every cell's line alone (before ocr_strips)
            name = "labels alone" if args.baseline == "labels" else "cells alone"
            alone = name if dpi == args.alone_dpi else ""
            run_set(docs, dev, dpi, "after", baseline=alone)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
