"""`xxgk serve --doc-memory/--doc-timeout`: the read limits of `xxgk audit`, given to the server
that reads every upload in a sandboxed child. A real `xxgk serve` process on 127.0.0.1, a user
made by `xxgk users add`, a draft uploaded through the login and the form: a 6 MB text report
that the reader reads under the default limits needs more than a 128 MB address space, and the
draft's row says so (the limit is the option's, not the default)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from tests.paths import DEV_DOCS
from tests.web.helpers import AGENCY, PASSWORD, csrf_of, free_port


@pytest.mark.slow
def test_serve_reads_uploads_under_its_doc_memory_limit(tmp_path: Path) -> None:
    text = next(p for p in sorted(DEV_DOCS.iterdir()) if p.suffix == ".txt").read_bytes()
    big = (text + b"\n") * (6_000_000 // len(text))
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    xxgk = [sys.executable, "-m", "xxgk"]
    added = subprocess.run(
        [
            *xxgk,
            "users",
            "add",
            "office",
            "--role",
            "office",
            "--agency",
            AGENCY,
            "--password-stdin",
            "--db",
            url,
        ],
        input=PASSWORD,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert added.returncode == 0, added.stderr
    port = free_port()
    server = subprocess.Popen(
        [*xxgk, "serve", "--db", url, "--port", str(port), "--uploads", str(tmp_path / "up"),
         "--doc-memory", "128", "--doc-timeout", "30"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        c = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
        deadline = time.monotonic() + 60
        while True:
            try:
                form = c.get("/login")
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, "xxgk serve did not start"
                time.sleep(0.2)
        c.post("/login", data={"name": "office", "password": PASSWORD, "csrf_token": csrf_of(form.text)})
        r = c.post(
            "/drafts",
            data={"csrf_token": csrf_of(c.get("/drafts").text)},
            files={"files": ("draft.txt", big)},
        )
        assert r.status_code == 303, r.text
        while 'data-pending="0"' not in (html := c.get(r.headers["location"]).text):
            assert time.monotonic() < deadline + 120, html[-2000:]
            time.sleep(0.2)
        assert "128 MB memory limit" in html, html[-2000:]
    finally:
        server.terminate()
        server.wait(timeout=30)
