"""A slow upload does not freeze the server: the upload handlers read the form on the event loop
and do their blocking work (reading a ledger, storing files, database writes) on a worker thread, so other
requests are served meanwhile. Shown on a real uvicorn server and a real SQLite database whose
write lock another connection holds, which keeps the import waiting as a slow one would."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from tests.register.ledgers import clean_cases, clean_rows, write_ledger
from tests.web.conftest import Live
from tests.web.helpers import PASSWORD, csrf_of, report_json

from xxgk.register.models import RegisterVersion


def _logged_in(live: Live, user: str) -> httpx.Client:
    c = httpx.Client(base_url=live.url, timeout=60)
    form = c.get("/login")
    r = c.post("/login", data={"name": user, "password": PASSWORD, "csrf_token": csrf_of(form.text)})
    assert r.status_code in (200, 303), r.text
    return c


def _import(c: httpx.Client, tmp_path: Path) -> httpx.Response:
    ledger = write_ledger(tmp_path / "台账.xlsx", clean_rows(), clean_cases()).read_bytes()
    csrf = csrf_of(c.get("/register/import").text)
    return c.post("/register/import", data={"csrf_token": csrf}, files={"ledger": ("台账.xlsx", ledger)})


def _draft(c: httpx.Client, tmp_path: Path) -> httpx.Response:
    csrf = csrf_of(c.get("/drafts").text)
    return c.post("/drafts", data={"csrf_token": csrf}, files={"files": ("r.json", report_json())})


@pytest.mark.parametrize("send", [_import, _draft], ids=["ledger import", "draft upload"])
def test_other_requests_are_served_while_an_upload_waits(
    live: Live, tmp_path: Path, send: Callable[[httpx.Client, Path], httpx.Response]
) -> None:
    office = _logged_in(live, "office")
    done: dict[str, httpx.Response] = {}
    path = make_url(live.web.db.url).database
    assert path
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # the write lock: the upload's writes wait for it (WAL: reads go on)
    sending = threading.Thread(target=lambda: done.update(sent=send(office, tmp_path)))
    try:
        sending.start()
        reader = httpx.Client(base_url=live.url, timeout=5)
        served = 0
        deadline = time.monotonic() + 2.5  # the upload reaches its writes within this, and waits
        while time.monotonic() < deadline:
            assert reader.get("/login").status_code == 200  # a frozen event loop: ReadTimeout here
            served += 1
            time.sleep(0.2)
        assert sending.is_alive() and "sent" not in done  # still waiting for the lock
        assert served >= 5
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        sending.join(timeout=60)
    r = done["sent"]
    if send is _import:
        assert r.status_code == 200 and 'id="import-done"' in r.text
        with live.web.db.session() as s:
            versions = s.scalar(select(func.count()).select_from(RegisterVersion))
        assert versions == len(clean_rows()) + len(clean_cases())
    else:
        assert r.status_code == 303 and r.headers["location"].startswith("/uploads/")
