"""Benchmark: the register's web pages and API on a large register (issue 14 item 7).

A random register (bench_register.random_register) is saved into a fresh SQLite database; the
app is driven in-process (FastAPI's TestClient, an office user's API token and session). Timed:
the baseline `store.load` of the whole register (what any page must pay once), then the list
page and API cold (first request: loads the register) and warm (the app's RegisterCache), the
due list, and compile + explain of one year cold and warm. Ratios are against the baseline of
the same run.
Run: .venv/bin/python benchmarks/bench_register_web.py [ROWS]   (default 20,000)
"""

from __future__ import annotations

import os
import platform
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from bench_register import AGENCY, random_register
from xxgk.register.store import load, save
from xxgk.storage.db import open_db
from xxgk.web.accounts import add_user, issue_token, use_password_hasher
from xxgk.web.app import create_app
from xxgk.web.settings import Settings

PASSWORD = "benchmark password"


def timed(label: str, fn: Any, base: float | None = None) -> float:
    start = time.perf_counter()
    fn()
    took = time.perf_counter() - start
    ratio = f"  ({took / base:.2f}× load)" if base else ""
    print(f"{label:<44} {took * 1000:9.0f} ms{ratio}", flush=True)
    return took


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    print(f"{platform.node()} · {platform.processor() or platform.machine()} · {os.cpu_count()} cores · "
          f"load average {os.getloadavg()[0]:.1f} · {time.strftime('%Y-%m-%d %H:%M')}")  # fmt: skip
    use_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    register = random_register(random.Random(7), rows)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(f"sqlite:///{Path(tmp) / 'web.db'}")
        save(db, AGENCY, [*register.applications, *register.cases], author="bench")
        add_user(db, "office", "office", PASSWORD, AGENCY)
        token = issue_token(db, "office")
        app = create_app(Settings(db_url=db.url, upload_dir=Path(tmp) / "uploads"), db)
        api = TestClient(app, base_url="http://127.0.0.1")
        api.headers["Authorization"] = f"Bearer {token}"
        page = TestClient(app, base_url="http://127.0.0.1")
        form = page.get("/login").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert csrf
        page.post("/login", data={"name": "office", "password": PASSWORD, "csrf_token": csrf.group(1)})
        print(f"register: {len(register.applications):,} applications, {len(register.cases):,} cases")

        def ok(client: TestClient, url: str) -> None:
            r = client.get(url)
            assert r.status_code == 200, (url, r.status_code, r.text[:200])

        base = timed("baseline: store.load (whole register)", lambda: load(db, AGENCY))
        timed(
            "API list, open, cold (loads the register)",
            lambda: ok(api, "/api/register/applications?status=open"),
            base,
        )
        timed("API list, open, warm", lambda: ok(api, "/api/register/applications?status=open"), base)
        timed("list page 2023, warm", lambda: ok(page, "/register?year=2023&page=3"), base)
        number = register.applications[len(register.applications) // 2].number
        timed("case page, warm", lambda: ok(page, f"/register/cases/{number}"), base)
        timed(
            "due list (today 2024-12-20, 10 days), warm",
            lambda: ok(page, "/register/due?today=2024-12-20&within=10"),
            base,
        )
        timed("compile 2023 preview, cold", lambda: ok(page, "/register/compile?year=2023"), base)
        timed("compile 2023 preview, warm", lambda: ok(page, "/register/compile?year=2023"), base)
        timed(
            "explain table3.new.total, warm",
            lambda: ok(page, "/register/explain?year=2023&cell=table3.new.total"),
            base,
        )
        timed("DOCX download 2023, warm", lambda: ok(page, "/register/compile.docx?year=2023"), base)
        app.state.worker.close()
        db.close()


if __name__ == "__main__":
    main()
