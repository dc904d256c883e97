"""Benchmark: `extract` throughput per core on generated reports, against the read+decode floor.

Targets (issue 3): ≥ 300 text reports/s per core, and parse time < 5× the "floor" — only reading
the same files, decoding them (xxgk.adapters.decode.decode) and normalising the text
(xxgk.text.fold + to_simplified), which every reader must do anyway. Both are measured in the
same run on the same files, pinned to one core.

Also printed per layout: the share of template cells the extractor decided, the ambiguous-cell
rate (the rest: `ambiguous`), and the number of cells it read as a DIFFERENT number than the one
rendered (must be 0 but for the documented 自然人 convention).

Last, the same two timings on the real published reports of the dev corpus (../shared/corpus/dev,
read in place, never copied; XXGK_SHARED overrides the location), as a check that the generated
reports are not kinder than real ones.

Run: .venv/bin/python benchmarks/bench_extract.py [N_PER_LAYOUT]

A/B: .venv/bin/python benchmarks/bench_extract.py --ab REF [N_PER_LAYOUT] times the code of git
revision REF (e.g. HEAD~1, exported with `git archive` into a temp dir) and the working tree on
the same generated text reports of the sample families, in alternating rounds, each in its own
process pinned to one core. On a shared machine only figures of one run compare: it prints the
load average before and after and CPU seconds (time.process_time), not wall time.
"""

from __future__ import annotations

import contextlib
import io
import os
import platform
import random
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from xxgk.adapters.decode import decode
from xxgk.extract import ExtractError, extract_file
from xxgk.model import Report
from xxgk.render import LAYOUTS, render
from xxgk.render.layouts import SAMPLE_LAYOUTS
from xxgk.samples import random_report
from xxgk.templates import get_template
from xxgk.text import fold, to_simplified

SHARED = Path(os.environ.get("XXGK_SHARED", Path(__file__).resolve().parent.parent.parent / "shared"))
DEV_DOCS = SHARED / "corpus" / "dev" / "docs"
HTML_LAYOUTS = tuple(name for name, spec in LAYOUTS.items() if spec.suffix == ".html")


def floor(path: Path) -> None:
    text, _ = decode(path.read_bytes())
    to_simplified(fold(text))


def extract(path: Path) -> None:
    with contextlib.suppress(ExtractError):  # a refusal costs time like a success
        extract_file(path)


def timed(fn: Callable[[Path], None], paths: list[Path], repeat: int = 3) -> float:
    """Best of `repeat` passes (the page cache is warm after the first)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for path in paths:
            fn(path)
        best = min(best, time.perf_counter() - start)
    return best


def quality(reports: list[Report], paths: list[Path]) -> tuple[float, int]:
    """(share of template cells decided — not ambiguous —, cells read as a different number)."""
    decided = total = wrong = 0
    for report, path in zip(reports, paths, strict=True):
        try:
            got = extract_file(path)
        except ExtractError:
            total += sum(1 for _ in get_template(report.template or "").cells())
            continue
        for cell in get_template(report.template or "").cells():
            total += 1
            if got.status(cell.key) == "ambiguous":
                continue
            decided += 1
            wrong += (got.value(cell.key) or 0) != (report.value(cell.key) or 0)
    return decided / total, wrong


def import_cost() -> str:
    """Start-up of a text-only run: time to import xxgk.extract, and whether the PDF/DOCX stacks
    (pypdfium2, pdfplumber, python-docx) were pulled in (they must not be: adapters load lazily)."""
    probe = (
        "import sys, time; t = time.perf_counter(); import xxgk.extract; "
        "print(time.perf_counter() - t, any(m in sys.modules for m in ('pypdfium2', 'pdfplumber', 'docx')))"
    )
    runs = [
        subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
        for _ in range(3)
    ]
    best = min(float(r.stdout.split()[0]) for r in runs)
    heavy = runs[0].stdout.split()[1] == "True"
    return f"import xxgk.extract: {best * 1000:.0f} ms (best of 3); PDF/DOCX libraries imported: {'yes' if heavy else 'no'}"


def cpu_model() -> str:
    with open("/proc/cpuinfo") as fh:
        return next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), "?")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core: figures are per core
    print(
        f"machine: {platform.machine()} {cpu_model()}, nproc {os.cpu_count()}, python {platform.python_version()}, "
        f"{date.today().isoformat()}, pinned to 1 core; {n} reports per layout; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(import_cost())
    rng = random.Random(20261121)
    reports = [random_report(rng, rng.choice(["2019", "2021"])) for _ in range(n)]
    with tempfile.TemporaryDirectory() as tmp:
        by_layout: dict[str, list[Path]] = {}
        for name in LAYOUTS:
            paths = []
            for i, report in enumerate(reports):
                path = Path(tmp) / f"{name}_{i:04d}{LAYOUTS[name].suffix}"
                path.write_bytes(render(report, name))
                paths.append(path)
            by_layout[name] = paths
        sizes = [len(p.read_text(encoding="utf-8")) for p in by_layout["pipe"]]
        print(f"generated reports: {sum(sizes) / len(sizes):,.0f} characters on average (pipe layout)")
        extract(by_layout["pipe"][0])  # warm caches (OpenCC, templates) outside the timing
        print(
            f"{'layout':<16}{'floor/s':>10}{'extract/s':>11}{'ratio':>8}{'decided':>9}{'ambiguous':>10}{'wrong':>7}"
        )
        groups: dict[str, list[float]] = {"text": [0.0, 0.0, 0], "html": [0.0, 0.0, 0]}
        for name, paths in by_layout.items():
            base = timed(floor, paths)
            took = timed(extract, paths)
            group = groups["html" if name in HTML_LAYOUTS else "text"]
            group[0] += base
            group[1] += took
            group[2] += len(paths)
            decided, wrong = quality(reports, paths)
            print(
                f"{name:<16}{len(paths) / base:>10,.0f}{len(paths) / took:>11,.0f}{took / base:>7.1f}x"
                f"{decided:>9.1%}{1 - decided:>10.1%}{wrong:>7}"
            )
        for kind, (base, took, count) in groups.items():
            target = " (target >= 300/s)" if kind == "text" else ""
            print(
                f"ALL {kind}: {count / took:,.0f} reports/s/core{target}; floor {count / base:,.0f}/s; "
                f"extract/floor = {took / base:.1f}x (target < 5x)"
            )
    real_reports()


def real_reports() -> None:
    """The dev corpus's published reports, each read 10 times (they are few)."""
    if not DEV_DOCS.is_dir():
        print(f"real reports: {DEV_DOCS} not found, skipped")
        return
    paths = sorted(p for p in DEV_DOCS.iterdir() if p.is_file()) * 10
    base = timed(floor, paths)
    took = timed(extract, paths)
    chars = sum(len(decode(p.read_bytes())[0]) for p in paths) / len(paths)
    print(
        f"REAL reports ({len(paths) // 10} files of the dev corpus, {chars:,.0f} characters on average): "
        f"{len(paths) / took:,.0f} reports/s/core; floor {len(paths) / base:,.0f}/s; "
        f"extract/floor = {took / base:.1f}x"
    )


# the timing child of --ab: extract every file of a list, warm once, best of 3 passes in CPU seconds
_AB_CHILD = """
import contextlib, os, sys, time
os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
import xxgk.extract as x
paths = open(sys.argv[1], encoding="utf-8").read().split("\\n")
def run():
    for p in paths:
        with contextlib.suppress(x.ExtractError):
            x.extract_file(p)
run()
best = float("inf")
for _ in range(3):
    t = time.process_time()
    run()
    best = min(best, time.process_time() - t)
print(best, x.__file__)
"""


def ab(ref: str, n: int, rounds: int = 3) -> None:
    """The code of revision ``ref`` against the working tree on the same files, in alternation."""
    repo = Path(__file__).resolve().parent.parent
    print(
        f"machine: {platform.machine()} {cpu_model()}, nproc {os.cpu_count()}, python {platform.python_version()}, "
        f"{date.today().isoformat()}; A/B {ref} vs working tree; {n} reports per text layout; "
        f"load average before {os.getloadavg()[0]:.1f}"
    )
    rng = random.Random(20261121)
    reports = [random_report(rng, rng.choice(["2019", "2021"])) for _ in range(n)]
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "-C", str(repo), "archive", "--format=tar", ref, "src"], capture_output=True, check=True
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(Path(tmp) / "base", filter="data")
        paths = []
        for name in SAMPLE_LAYOUTS:
            if LAYOUTS[name].suffix == ".html":
                continue
            for i, report in enumerate(reports):
                path = Path(tmp) / f"{name}_{i:04d}{LAYOUTS[name].suffix}"
                path.write_bytes(render(report, name))
                paths.append(str(path))
        listing = Path(tmp) / "paths.txt"
        listing.write_text("\n".join(paths), encoding="utf-8")
        sides = {ref: str(Path(tmp) / "base" / "src"), "working tree": str(repo / "src")}
        best: dict[str, float] = {}
        for r in range(rounds):
            for side, src in sides.items() if r % 2 == 0 else reversed(sides.items()):
                env = {**os.environ, "PYTHONPATH": src}
                out = subprocess.run(
                    [sys.executable, "-c", _AB_CHILD, str(listing)],
                    capture_output=True,
                    text=True,
                    check=True,
                    env=env,
                ).stdout.split()
                assert out[1].startswith(src), f"{side}: imported {out[1]}, not {src}"
                cpu = float(out[0])
                best[side] = min(best.get(side, cpu), cpu)
                print(
                    f"round {r + 1} {side:<14} {len(paths) / cpu:>6,.0f} text reports/s/core (CPU {cpu:.2f} s)"
                )
    base, new = best[ref], best["working tree"]
    print(
        f"best: {ref} {len(paths) / base:,.0f}/s, working tree {len(paths) / new:,.0f}/s "
        f"({base / new:.2f}x); {len(paths)} files; load average after {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--ab"]:
        ab(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 40)
    else:
        main()
