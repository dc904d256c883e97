"""Helpers of the web tests: users of every role, login through the real form, uploads."""

from __future__ import annotations

import json
import random
import re
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from xxgk.model import Report
from xxgk.samples import random_report
from xxgk.storage import open_db
from xxgk.storage.db import Database
from xxgk.web.accounts import add_user, issue_token, use_password_hasher
from xxgk.web.app import create_app
from xxgk.web.settings import Settings

# Cheap argon2 parameters: each test makes five users and logs in several times.
use_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))

PASSWORD = "correct horse battery"
AGENCY = "青山区人民政府"
OTHER_AGENCY = "临江市市场监督管理局"
USERS = {
    "admin": ("admin", None),
    "sup": ("supervisor", None),
    "viewer": ("viewer", None),
    "office": ("office", AGENCY),
    "office2": ("office", OTHER_AGENCY),
}
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pdfdocx"


def report_json(agency: str = AGENCY, year: int = 2022, seed: int = 3, **changes: Any) -> bytes:
    report: Report = random_report(random.Random(seed), "2021", agency=agency, year=year)
    data = report.to_dict()
    data.update(changes)
    return json.dumps(data, ensure_ascii=False).encode()


@dataclass
class Web:
    app: Any
    db: Database
    settings: Settings
    tokens: dict[str, str]

    def client(self, user: str | None = None) -> TestClient:
        c = TestClient(self.app, base_url="http://127.0.0.1")
        if user:
            login(c, user)
        return c

    def api(self, user: str | None) -> TestClient:
        c = TestClient(self.app, base_url="http://127.0.0.1")
        if user:
            c.headers["Authorization"] = f"Bearer {self.tokens[user]}"
        return c


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "the page has no CSRF field"
    return m.group(1)


def login(c: TestClient, user: str, password: str = PASSWORD) -> Any:
    form = c.get("/login")
    return c.post(
        "/login",
        data={"name": user, "password": password, "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )


def make_web(tmp_path: Path, url: str | None = None, **settings: Any) -> Web:
    # No reader child started with each test's app (2-3 s of CPU each, and closing the app
    # waits for it); the warm-up's own test asks for it.
    settings.setdefault("warm_up", False)
    db = open_db(url or f"sqlite:///{tmp_path / 'web.db'}")
    s = Settings(db_url=db.url, upload_dir=tmp_path / "uploads", **settings)
    for name, (role, agency) in USERS.items():
        add_user(db, name, role, PASSWORD, agency)
    tokens = {name: issue_token(db, name) for name in USERS}
    return Web(create_app(s, db), db, s, tokens)


def wait_batch(c: TestClient, location: str, timeout: float = 60) -> str:
    """Poll a batch page until nothing is pending; returns its HTML."""
    deadline = time.monotonic() + timeout
    while True:
        html = c.get(location).text
        if 'data-pending="0"' in html or time.monotonic() > deadline:
            return html
        time.sleep(0.1)


def upload(c: TestClient, files: list[tuple[str, bytes]], *, draft: bool = False) -> str:
    page = c.get("/drafts" if draft else "/upload")
    r = c.post(
        "/drafts" if draft else "/upload",
        data={"csrf_token": csrf_of(page.text)},
        files=[("files", (name, data)) for name, data in files],
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return wait_batch(c, r.headers["location"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port
