"""Issue 11's promises on the web's upload path (added since): every uploaded file, a draft too, is
read in a sandboxed child under the settings' limits; a zip bomb — a DOCX whose zip directory
understates its parts, or a .zip upload whose members do — is one line on its upload row, and the
server goes on serving."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.hostile.corpus import report_docx, understated, understated_zip_bomb
from tests.web.helpers import Web, make_web, report_json, upload

from xxgk.audit.sandbox import Limits, children_started
from xxgk.web.settings import MB


def _rows(html: str) -> list[str]:
    return re.findall(r"<tr[^>]*>.*?</tr>", html, flags=re.S)


@pytest.fixture
def tight(tmp_path: Path) -> Iterator[Web]:
    """An app whose read limits no reading can meet: 10 ms per file."""
    w = make_web(tmp_path, max_upload_bytes=2 * MB, max_files=20, read_limits=Limits(seconds=0.01))
    try:
        yield w
    finally:
        w.app.state.worker.close()
        w.db.close()


def test_a_draft_is_read_in_the_sandbox_under_the_read_limits(tight: Web) -> None:
    """Regression: drafts were extracted in the server's own thread, with no memory cap or time
    limit; a draft that reads for ever held a worker thread for ever."""
    office = tight.client("office")
    html = upload(office, [("draft.json", report_json())], draft=True)
    assert "took longer than the 0.01 s limit per document" in html, html[-3000:]
    sup = tight.client("sup")
    assert "took longer than the 0.01 s limit per document" in upload(sup, [("a.json", report_json())])


def test_a_draft_reads_as_before_through_the_sandbox(web: Web) -> None:
    office = web.client("office")
    html = upload(office, [("草稿.docx", report_docx())], draft=True)
    draft_id = int(re.search(r'href="/drafts/(\d+)"', html).group(1))  # type: ignore[union-attr]
    page = office.get(f"/drafts/{draft_id}").text
    assert "草稿.docx" in page
    assert not list(Path(web.settings.upload_dir).rglob("草稿.docx"))  # a draft's file is not kept


@pytest.mark.slow
def test_zip_bombs_through_the_upload_path_are_one_line_each(web: Web) -> None:
    bomb = understated_zip_bomb(80)  # inflates to 80 MB, says 1 KB
    assert len(bomb) < web.settings.max_upload_bytes
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.json", report_json())
        z.writestr("big.html", "x")
    spaces = b" " * MB
    packed = understated(archive.getvalue(), "big.html", [b"<html>", *[spaces] * 200, b"</html>"])
    assert len(packed) < web.settings.max_upload_bytes

    sup, office = web.client("sup"), web.client("office")
    html = upload(sup, [("bomb.docx", bomb), ("packed.zip", packed)])
    rows = {name: row for row in _rows(html) for name in ("bomb.docx", "big.html", "a.json") if name in row}
    assert set(rows) == {"bomb.docx", "big.html", "a.json"}, html[-3000:]
    # Python's zipfile stops inflating at the declared size, where the CRC then fails
    assert 'class="upload failed"' in rows["bomb.docx"] and "Bad CRC-32" in rows["bomb.docx"]
    assert 'class="upload failed"' in rows["big.html"] and "cannot unpack" in rows["big.html"]
    assert "/reports/" in rows["a.json"]
    draft = upload(office, [("bomb.docx", bomb)], draft=True)
    assert "bomb.docx" in draft and 'data-pending="0"' in draft
    assert not re.search(r'href="/drafts/\d+"', draft)  # refused, with its reason
    assert office.get("/drafts").status_code == 200  # and the server goes on


def test_the_web_findings_csv_neutralises_formulas(web: Web) -> None:
    """Regression: /export/findings.csv wrote agency names, messages and notes as they were (the
    audit's findings.csv already prefixed them); an agency named `=1+2` was a live formula."""
    import csv

    sup = web.client("sup")
    upload(sup, [("a.json", report_json(agency="=1+2区人民政府", **{"table3": {}}))])
    text = sup.get("/export/findings.csv").text.lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    agencies = {row[3] for row in rows[1:]}
    assert agencies == {"'=1+2区人民政府"}, agencies
    assert not [cell for row in rows[1:] for cell in row if cell.startswith(("=", "+", "-", "@"))]


def test_an_audit_of_a_server_folder_reads_under_the_read_limits_too(tmp_path: Path) -> None:
    """Regression: the admin's folder audit ran `audit` without the settings' limits (the
    defaults, whatever `xxgk serve --doc-memory/--doc-timeout` said)."""
    import time

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.json").write_bytes(report_json())
    w = make_web(tmp_path, audit_folders={"county": folder}, read_limits=Limits(seconds=0.01))
    try:
        job = w.app.state.worker.start_audit("county", "sup")
        deadline = time.monotonic() + 60
        while not job.finished and time.monotonic() < deadline:
            time.sleep(0.1)
        assert job.finished and job.error is None and "1 unreadable" in (job.summary or ""), job.summary
    finally:
        w.app.state.worker.close()
        w.db.close()


@pytest.fixture
def warm(tmp_path: Path) -> Iterator[Web]:
    """An app whose warm-up (a reader child started with the server) has finished."""
    w = make_web(tmp_path, warm_up=True)
    try:
        assert w.app.state.worker.warmed is not None
        w.app.state.worker.warmed.result(timeout=120)
        yield w
    finally:
        w.app.state.worker.close()
        w.db.close()


def test_the_reader_child_starts_with_the_server_and_reads_the_first_draft(warm: Web) -> None:
    """The warm-up starts a pool thread's sandboxed reader (and its readers' imports) when the
    app starts; the first draft is then read by that child, not by one it has to wait for. It
    used to import the readers into the server, where nothing reads."""
    worker = warm.app.state.worker
    (box,) = worker._sandboxes
    child = box._proc
    assert child is not None and child.poll() is None
    assert not (warm.settings.upload_dir / "warm-up").exists()  # its one-line document is gone
    html = upload(warm.client("office"), [("draft.json", report_json())], draft=True)
    assert 'href="/drafts/' in html, html[-2000:]
    assert worker._sandboxes == [box] and box._proc is child and child.poll() is None


def _reader_children() -> set[int]:
    """Process ids of this process's running reader children (`python -m xxgk.audit.sandbox`)."""
    pids: set[int] = set()
    for task in Path("/proc/self/task").iterdir():
        for pid in (task / "children").read_text().split():
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"xxgk.audit.sandbox" in cmdline:
                pids.add(int(pid))
    return pids


def test_report_uploads_are_read_by_the_warm_reader_child(warm: Web) -> None:
    """Regression (review item 2): a report upload went through `audit`, which reads in a child of
    its own and ends it at its close, so every report upload paid the child's start (~2.5 s)
    and the warm-up helped drafts only. Now the warm child reads report uploads — by the API in
    the request's thread and by the form on the pool's — and keeps running between them."""
    worker = warm.app.state.worker
    (box,) = worker._sandboxes
    pid, started = box.pid, children_started()
    assert pid is not None and _reader_children() == {pid}
    api = warm.api("sup")
    for year in (2022, 2023):
        r = api.post("/api/reports", files={"file": (f"{year}.json", report_json(year=year))})
        assert r.status_code == 201, r.text
        assert box.pid == pid and _reader_children() == {pid}
    html = upload(warm.client("sup"), [("2024.json", report_json(year=2024))])
    assert "/reports/" in html, html[-2000:]
    assert worker._sandboxes == [box] and box.pid == pid and _reader_children() == {pid}
    assert children_started() == started  # no child was started (and ended) for them
    worker.close()
    assert box.pid is None and not _reader_children()


def test_the_audit_cli_path_still_ends_its_reader_child(tmp_path: Path) -> None:
    """`audit` outside the server (the CLI's path) starts its reader child and ends it at its close."""
    from xxgk.audit.pipeline import audit
    from xxgk.storage.db import open_db

    (tmp_path / "a.json").write_bytes(report_json())
    db = open_db(f"sqlite:///{tmp_path / 'cli.db'}")
    started = children_started()
    try:
        assert audit([tmp_path / "a.json"], db).processed == 1
    finally:
        db.close()
    assert children_started() == started + 1 and not _reader_children()
