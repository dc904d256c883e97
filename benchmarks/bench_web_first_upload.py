"""The first draft after the server starts: how long from upload to findings, with the worker's
warm-up (a reader child started with the app, `Settings.warm_up`) and without it (the baseline,
measured in the same run). Each measurement is a fresh process (imports do not carry over): the
app is created, left idle for PAUSE seconds (a server waits before its first upload), then a
dev-corpus text report is uploaded as a draft, then as a report, then a second draft.

    python benchmarks/bench_web_first_upload.py [ROUNDS] [PAUSE]   (defaults 3 and 3 s)
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def one(warm: bool, pause: float) -> dict[str, float]:
    """In this process: the app, the pause, the first draft, a report, a second draft (seconds)."""
    sys.path.insert(0, str(REPO))
    from tests.paths import DEV_DOCS
    from tests.web.helpers import make_web, upload

    doc = next(p for p in sorted(DEV_DOCS.iterdir()) if p.suffix == ".txt").read_bytes()
    web = make_web(Path(tempfile.mkdtemp(prefix="xxgk-bench-")), warm_up=warm)
    try:
        time.sleep(pause)
        office, sup = web.client("office"), web.client("sup")
        out = {}
        for name, client, draft in (("first draft", office, True), ("first report", sup, False),
                                    ("second draft", office, True)):  # fmt: skip
            started = time.perf_counter()
            html = upload(client, [(f"{name}.txt", doc)], draft=draft)
            out[name] = time.perf_counter() - started
            assert 'data-pending="0"' in html and 'class="upload failed"' not in html, name
        return out
    finally:
        web.app.state.worker.close()
        web.db.close()


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    pause = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
    print(
        f"machine: {platform.machine()} {platform.processor() or ''}, nproc {os.cpu_count()}, "
        f"python {platform.python_version()}, {date.today().isoformat()}; {rounds} rounds, {pause:g} s idle"
    )
    runs: dict[bool, list[dict[str, float]]] = {True: [], False: []}
    for _ in range(rounds):
        for warm in (False, True):  # alternated, so a busy moment hits both
            done = subprocess.run(
                [sys.executable, __file__, "--one", str(warm), str(pause)],
                capture_output=True, text=True, check=True, cwd=REPO,
            )  # fmt: skip
            runs[warm].append(json.loads(done.stdout.strip().splitlines()[-1]))
    for what in ("first draft", "first report", "second draft"):
        cold = statistics.median(r[what] for r in runs[False])
        warm = statistics.median(r[what] for r in runs[True])
        print(
            f"{what}: warm-up {warm:.2f} s, baseline (no warm-up) {cold:.2f} s; warm/baseline = {warm / cold:.2f}x"
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        print(json.dumps(one(sys.argv[2] == "True", float(sys.argv[3]))))
    else:
        main()
