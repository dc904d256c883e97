"""Fixtures for the web tests: an app on a fresh SQLite database with one user per role
(tests/web/helpers.py), and a live uvicorn server for the browser tests — bound to 127.0.0.1 on a
free port and stopped by the fixture."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.web.helpers import Web, free_port, make_web

from xxgk.web.settings import MB


@pytest.fixture
def web(tmp_path: Path) -> Iterator[Web]:
    w = make_web(tmp_path, max_upload_bytes=2 * MB, max_files=20)
    try:
        yield w
    finally:
        w.app.state.worker.close()
        w.db.close()


@dataclass
class Live:
    url: str
    web: Web


@pytest.fixture
def live(web: Web) -> Iterator[Live]:
    """The app served by uvicorn on 127.0.0.1:<free port>, stopped afterwards."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(web.app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield Live(f"http://127.0.0.1:{port}", web)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
