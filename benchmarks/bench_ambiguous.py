"""Benchmark: the ambiguous-cell rate per layout family, clean and damaged (issue 10).

What share of template cells each layout family leaves `ambiguous` — the price of never printing
a silent wrong number — on generated reports (`xxgk.samples.random_report`), clean and with the
damage of tests/extract/test_conservation_bulk.py (`xxgk.render.damage`: a value row lost,
repeated or split, the page cut inside tables 3–4). DOCX renderings (`xxgk.render.docx`, with
the narrow-label layout) are read clean, 6 each (rendering one takes seconds). Baseline in the
same run: the clean documents.

Also printed: "silent" = cells read as another number than the printed one and not marked
ambiguous (must be 0; a cell the 自然人 convention placed is flagged by V-CONVENTION and not
counted; cells of a row the damage took away entirely are `not found`, not counted).

Run: .venv/bin/python benchmarks/bench_ambiguous.py [N_PER_LAYOUT_AND_DAMAGE]   (default 40)
"""

from __future__ import annotations

import os
import platform
import random
import sys
from collections.abc import Iterator
from datetime import date

from xxgk.extract import ExtractError, extract_bytes
from xxgk.model import Report
from xxgk.render import LAYOUTS, layout_names
from xxgk.render.damage import DAMAGES, damaged
from xxgk.render.docx import render_docx
from xxgk.samples import random_report
from xxgk.templates import get_template

DOCX_DOCS = 6
GONE = ("not found in the document", "row not found in the document")


def _rates(pairs: Iterator[tuple[Report, Report | None]]) -> tuple[float, int, int]:
    """(ambiguous share of cells, silent wrong cells, documents read) over (printed, read) pairs."""
    cells = ambiguous = silent = read = 0
    for printed, got in pairs:
        if got is None:
            continue
        read += 1
        for cell in get_template(printed.template or "2021").cells():
            src = got.cells.get(cell.key)
            cells += 1
            if src is not None and src.status == "ambiguous":
                ambiguous += 1
            elif src is None or (src.basis != "convention" and src.note not in GONE):
                silent += (got.value(cell.key) or 0) != (printed.value(cell.key) or 0)
    return (ambiguous / cells if cells else 0.0), silent, read


def _read(data: bytes, name: str) -> Report | None:
    try:
        return extract_bytes(data, name)
    except ExtractError:
        return None  # refused: too little of the page left


def _family(family: str, how: str, n: int) -> Iterator[tuple[Report, Report | None]]:
    for i in range(n):
        rng = random.Random(i * 7919 + DAMAGES.index(how))
        report = random_report(rng, ("2019", "2021")[i % 2])
        yield report, _read(damaged(report, family, rng, how), "d" + LAYOUTS[family].suffix)


def _docx(narrow: bool, n: int) -> Iterator[tuple[Report, Report | None]]:
    for i in range(n):
        report = random_report(random.Random(i), ("2019", "2021")[i % 2])
        data = render_docx(report, borders=i % 3 != 0, narrow_labels=narrow, page=("A4", "A5")[i % 2])
        yield report, _read(data, "r.docx")


def _cpu_model() -> str:
    with open("/proc/cpuinfo") as fh:
        return next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), "?")


def main(n: int) -> None:
    print(
        f"machine: {platform.machine()} {_cpu_model()}, nproc {os.cpu_count()}, "
        f"python {platform.python_version()}, {date.today().isoformat()}; {n} reports per layout and "
        f"damage; load average {os.getloadavg()[0]:.1f}"
    )
    damages = [d for d in DAMAGES if d != "none"]
    print(f"{'layout':<16} {'clean':>7} " + " ".join(f"{d:>17}" for d in damages) + "  silent")
    for family in layout_names():
        clean, silent, _ = _rates(_family(family, "none", n))
        row = [f"{clean:7.2%}"]
        for how in damages:
            rate, s, _ = _rates(_family(family, how, n))
            silent += s
            row.append(f"{rate:17.2%}")
        print(f"{family:<16} " + " ".join(row) + f"  {silent:6d}")
    for narrow in (False, True):  # render_docx takes seconds a document: a few of them
        rate, silent, _ = _rates(_docx(narrow, min(n, DOCX_DOCS)))
        name = "docx-narrow" if narrow else "docx"
        print(f"{name:<16} {rate:7.2%} " + " ".join(f"{'-':>17}" for _ in damages) + f"  {silent:6d}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
