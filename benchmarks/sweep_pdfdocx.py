"""Silent-wrong sweep of the office renderings (issue 10): random reports rendered by
``render_docx`` in every variant — both templates × {A4, A5} × {rules, no rules} × {wide, narrow
label columns} — read as DOCX and as the PDF LibreOffice makes of it (one ``soffice`` call for
the whole batch). Counts cells right, ambiguous and silently wrong (wrong and not ambiguous).

    .venv/bin/python benchmarks/sweep_pdfdocx.py --seeds 100-139 [--keep DIR] [--reuse DIR]

``--keep DIR`` keeps the rendered files, ``--reuse DIR`` reads files kept before (no rendering;
only the DOCX without a PDF are converted), so a reader change is re-measured in a minute. Prints one line per silent wrong
cell (document, key, printed, read, status) and the totals per format.
"""

from __future__ import annotations

import argparse
import itertools
import platform
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))

from scripts.make_fixtures import soffice_to_pdf  # noqa: E402

from xxgk.extract import ExtractError, extract_bytes  # noqa: E402
from xxgk.render.docx import render_docx  # noqa: E402
from xxgk.samples import random_report  # noqa: E402
from xxgk.templates import get_template  # noqa: E402

VARIANTS = list(itertools.product(("2019", "2021"), ("A4", "A5"), (True, False), (False, True)))


def name_of(seed: int, template: str, page: str, borders: bool, narrow: bool) -> str:
    return f"s{seed}_{template}_{page}_{'ruled' if borders else 'bare'}_{'narrow' if narrow else 'wide'}"


def parse_name(stem: str) -> tuple[int, str, str, bool, bool]:
    seed, template, page, rules, width = stem.split("_")
    return int(seed[1:]), template, page, rules == "ruled", width == "narrow"


def render_all(seeds: range, folder: Path) -> list[Path]:
    paths = []
    for seed in seeds:
        for template, page, borders, narrow in VARIANTS:
            report = random_report(random.Random(seed), template)
            path = folder / (name_of(seed, template, page, borders, narrow) + ".docx")
            data = render_docx(
                report, font="Noto Serif CJK SC", page=page, borders=borders, narrow_labels=narrow
            )
            path.write_bytes(data)
            paths.append(path)
    return paths


def convert(docx: list[Path], folder: Path, batch: int = 64) -> None:
    """The DOCX without a PDF yet, converted in batches (one soffice run stopped after ~250)."""
    todo = [p for p in docx if not p.with_suffix(".pdf").exists()]
    for start in range(0, len(todo), batch):
        try:
            soffice_to_pdf(todo[start : start + batch], folder)
        except (OSError, subprocess.SubprocessError) as exc:
            print(f"soffice failed on a batch: {exc}")


def variant_of(path: Path) -> str:
    """The rendering variant a file belongs to: its format, page, rules and label width."""
    _, _, page, borders, narrow = parse_name(path.stem)
    return f"{path.suffix[1:]} {page} {'ruled' if borders else 'bare'} {'narrow' if narrow else 'wide'}"


def score(paths: list[Path]) -> dict[str, dict[str, int]]:
    """Tallies per format ("docx", "pdf") and per variant ("pdf A5 bare narrow")."""
    totals: dict[str, dict[str, int]] = {}
    for path in sorted(paths):
        seed, template, *_ = parse_name(path.stem)
        report = random_report(random.Random(seed), template)
        tallies = [
            totals.setdefault(
                key, {"documents": 0, "cells": 0, "right": 0, "ambiguous": 0, "silent wrong": 0}
            )
            for key in (path.suffix[1:], variant_of(path))
        ]
        for tally in tallies:
            tally["documents"] += 1
        try:
            got = extract_bytes(path.read_bytes(), path.name)
        except ExtractError as exc:
            print(f"{path.name}: refused: {exc}")
            continue
        for cell in get_template(template).cells():
            truth = report.value(cell.key) or 0
            if got.status(cell.key) == "ambiguous":
                outcome = "ambiguous"
            elif (got.value(cell.key) or 0) == truth:
                outcome = "right"
            else:
                outcome = "silent wrong"
            for tally in tallies:
                tally["cells"] += 1
                tally[outcome] += 1
            if outcome == "silent wrong":
                print(
                    f"{path.name}: {cell.key}: printed {truth}, read {got.value(cell.key)} ({got.status(cell.key)})"
                )
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="100-139", help="a range FIRST-LAST (inclusive)")
    parser.add_argument("--keep", type=Path, help="keep the rendered DOCX and PDF files here")
    parser.add_argument("--reuse", type=Path, help="read the files kept here before")
    parser.add_argument("--only", default="", help="score only the files whose name holds this (e.g. _bare_)")
    args = parser.parse_args()
    started = time.perf_counter()
    folder = args.reuse or args.keep or Path(tempfile.mkdtemp(prefix="xxgk-sweep-"))
    folder.mkdir(parents=True, exist_ok=True)
    if args.reuse:
        docx = sorted(folder.glob("*.docx"))
    else:
        first, last = (int(x) for x in args.seeds.split("-"))
        docx = render_all(range(first, last + 1), folder)
        print(f"rendered {len(docx)} DOCX in {time.perf_counter() - started:.0f} s")
    converting = time.perf_counter()
    convert(docx, folder)
    print(f"converted to PDF in {time.perf_counter() - converting:.0f} s")
    pdfs = [p.with_suffix(".pdf") for p in docx if p.with_suffix(".pdf").exists()]
    if len(pdfs) < len(docx):
        print(f"LibreOffice made no PDF of {len(docx) - len(pdfs)} documents")
    paths = [p for p in [*docx, *pdfs] if args.only in p.name]
    totals = score(paths)
    print(f"\n{platform.machine()} {platform.python_version()} {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print("| format / variant | documents | cells | right | ambiguous | ambiguous % | silent wrong |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for kind, t in sorted(totals.items(), key=lambda item: (" " in item[0], item[0])):
        share = 100 * t["ambiguous"] / max(t["cells"], 1)
        print(
            f"| {kind} | {t['documents']} | {t['cells']} | {t['right']} | {t['ambiguous']} | {share:.2f} % "
            f"| {t['silent wrong']} |"
        )
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
