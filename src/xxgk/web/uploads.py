"""Accepting uploads (files or .zip archives) and reading them in the background.

`accept` checks the limits and names, stores every file as an `uploads` row (a bad one gets
its one-line reason at once) and returns the batch id; `Worker` reads the queued rows on its
own threads, so a batch never blocks the server. A report upload goes through the audit
pipeline (`xxgk.audit.pipeline.audit`: extract, check, store, link agencies, cross-year rules);
a draft (an office's self-check) is only extracted and checked, and never enters the audit. Both
are read in a sandboxed child (xxgk.audit.sandbox: memory cap, time limit), never in the server.
"""

from __future__ import annotations

import io
import secrets
import shutil
import threading
import zipfile
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import select, update

from xxgk.audit.pipeline import audit
from xxgk.audit.sandbox import Sandbox, lent
from xxgk.errors import XxgkError
from xxgk.storage.db import Database
from xxgk.storage.models import DOCUMENT_FAILED, Document, ReportRow
from xxgk.web.accounts import Account
from xxgk.web.auditlog import record
from xxgk.web.models import UPLOAD_DONE, UPLOAD_FAILED, UPLOAD_QUEUED, UPLOAD_RUNNING, Upload
from xxgk.web.settings import MB, Settings

READABLE = (".html", ".htm", ".txt", ".md", ".pdf", ".docx", ".json")


class UploadError(XxgkError, ValueError):
    """The whole upload is refused (too many files, nothing sent); str() says why."""


class UploadTooLarge(UploadError):
    """The upload (or what a .zip unpacks to) is over the size limit: HTTP 413."""


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def safe_name(name: str) -> str | None:
    """The file name if it is a plain name (no directories, no traversal, no control characters)."""
    if not name or len(name) > 200 or any(ord(c) < 32 for c in name) or name in (".", ".."):
        return None
    if "/" in name or "\\" in name or name.startswith("~"):
        return None
    return name


def _members(filename: str, data: bytes, settings: Settings) -> list[tuple[str, bytes | None, str | None]]:
    """(name, bytes or None, refusal reason) for every file a .zip holds."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        return [(filename, None, "not a readable .zip archive")]
    out: list[tuple[str, bytes | None, str | None]] = []
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(infos) > settings.max_files:
        raise UploadError(f"{filename}: {len(infos)} files in the archive; the limit is {settings.max_files}")
    if sum(i.file_size for i in infos) > settings.max_upload_bytes:
        raise UploadError(f"{filename}: unpacks to more than the {settings.max_upload_bytes // MB} MB limit")
    for info in infos:
        raw = info.filename
        parts = PurePosixPath(raw.replace("\\", "/")).parts
        if raw.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
            out.append((raw[:200], None, "unsafe path in the archive (absolute or with ..); refused"))
            continue
        name = parts[-1] if parts else raw
        if name.startswith(".") or "__MACOSX" in parts:
            continue
        try:
            out.append((name, archive.read(info), None))
        except (zipfile.BadZipFile, RuntimeError, OSError, EOFError) as exc:
            out.append((name, None, f"cannot unpack: {exc}".splitlines()[0]))
    return out


def accept(
    db: Database,
    settings: Settings,
    files: Sequence[tuple[str, bytes]],
    account: Account,
    *,
    draft: bool,
) -> tuple[str, list[int]]:
    """Store an upload as queued rows; returns (batch id, ids of the rows to process)."""
    if not files:
        raise UploadError("no file was sent")
    total = sum(len(d) for _, d in files)
    if total > settings.max_upload_bytes:
        raise UploadTooLarge(f"the upload is larger than the {settings.max_upload_bytes // MB} MB limit")
    entries: list[tuple[str, bytes | None, str | None]] = []
    for filename, sent in files:
        name = safe_name(filename)
        if name is None:
            entries.append(
                (filename[:200] or "(no name)", None, "file name with a path or control characters; refused")
            )
        elif name.lower().endswith(".zip"):
            entries.extend(_members(name, sent, settings))
        elif not name.lower().endswith(READABLE):
            entries.append(
                (name, None, "not a format xxgk reads (HTML, text, Markdown, PDF, DOCX, report JSON)")
            )
        else:
            entries.append((name, sent, None))
    if len(entries) > settings.max_files:
        raise UploadError(f"{len(entries)} files in one upload; the limit is {settings.max_files}")
    batch = secrets.token_hex(8)
    queued: list[int] = []
    with db.session() as s:
        for name, data, reason in entries:
            row = Upload(
                batch=batch,
                user_id=account.id,
                agency=account.agency if draft else None,
                draft=draft,
                filename=name,
                size=len(data or b""),
                content=data or b"",
                status=UPLOAD_FAILED if reason else UPLOAD_QUEUED,
                error=reason,
                created_at=_now(),
                finished_at=_now() if reason else None,
            )
            s.add(row)
            s.flush()
            if reason is None:
                queued.append(row.id)
        record(
            s,
            account.name,
            "draft.upload" if draft else "report.upload",
            f"batch:{batch}",
            None,
            {"files": [e[0] for e in entries]},
        )
    return batch, queued


@dataclass
class AuditJob:
    """An audit of a configured folder, run in the background; progress is read by the pages."""

    id: int
    folder: str
    phase: str = "queued"
    done: int = 0
    total: int = 0
    finished: bool = False
    summary: str | None = None
    error: str | None = None


@dataclass
class Worker:
    """Reads uploads and runs audits on background threads."""

    db: Database
    settings: Settings
    _pool: ThreadPoolExecutor = field(init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    jobs: dict[int, AuditJob] = field(default_factory=dict, init=False)
    _sandboxes: list[Sandbox] = field(default_factory=list, init=False)  # every reader child made
    _idle: list[Sandbox] = field(default_factory=list, init=False)  # those no thread is using
    _readers_lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def __post_init__(self) -> None:
        self._pool = ThreadPoolExecutor(max(1, self.settings.workers), thread_name_prefix="xxgk-upload")
        self.warmed: Future[None] | None = self._pool.submit(self._warm_up) if self.settings.warm_up else None
        self.submit(self._interrupted())

    def _warm_up(self) -> None:
        """Start a pool thread's reader child and have it read a one-line document, so the first
        draft does not wait for the child to start and import the readers: measured 2.7-3.0 s for
        the first draft without this, 0.1-0.2 s with it (benchmarks/README.md, web first upload).
        Importing the readers in the server, as this once did, bought nothing: they run in the
        child. A report upload's audit reads in that same child (`_reader`), so it is warm too."""
        folder = self.settings.upload_dir / "warm-up"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "warm-up.txt"
        try:
            path.write_text("政府信息公开工作年度报告\n", "utf-8")
            with self._reader() as box:
                box.read(str(path))
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _interrupted(self) -> list[int]:
        """Uploads a previous server left queued or half-read (stopped mid-batch): read them again."""
        with self.db.session() as s:
            ids = list(s.scalars(select(Upload.id).where(Upload.status.in_((UPLOAD_QUEUED, UPLOAD_RUNNING)))))
            if ids:
                s.execute(update(Upload).where(Upload.id.in_(ids)).values(status=UPLOAD_QUEUED))
        return ids

    def submit(self, upload_ids: Sequence[int]) -> None:
        for upload_id in upload_ids:
            self._pool.submit(self._guarded, upload_id)

    def _guarded(self, upload_id: int) -> None:
        try:
            self.process(upload_id)
        except Exception as exc:  # a reader bug must mark the upload, not kill the worker
            self._finish(upload_id, error=f"internal error: {type(exc).__name__}: {exc}".splitlines()[0])

    def _finish(self, upload_id: int, *, error: str | None = None, **values: object) -> None:
        with self.db.session() as s:
            s.execute(
                update(Upload)
                .where(Upload.id == upload_id)
                .values(
                    status=UPLOAD_FAILED if error else UPLOAD_DONE, error=error, finished_at=_now(), **values
                )
            )

    def process(self, upload_id: int) -> None:
        """Read one queued upload (in the calling thread)."""
        with self.db.session() as s:
            row = s.get(Upload, upload_id)
            if row is None or row.status != UPLOAD_QUEUED:
                return
            row.status = UPLOAD_RUNNING
            name, data, draft = row.filename, row.content, row.draft
        if draft:
            report, error = self._read_draft(upload_id, name, data)
            if error is not None:
                self._finish(upload_id, error=error)
            else:
                self._finish(upload_id, result=report)
            return
        target = self.settings.upload_dir / str(upload_id) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        # One audit at a time (the link phase works on the whole database), read in one of the
        # server's reader children: `audit` alone would start a child and end it at its close.
        with self._lock, self._reader() as box, lent(box):
            audit([target], self.db, limits=self.settings.read_limits)
        with self.db.session() as s:
            doc = s.execute(
                select(Document.id, Document.status, Document.error)
                .where(Document.path == str(target))
                .order_by(Document.id.desc())
            ).first()
            report_id = s.scalar(select(ReportRow.id).where(ReportRow.document_id == doc.id)) if doc else None
        if doc is None or doc.status == DOCUMENT_FAILED or report_id is None:
            self._finish(upload_id, error=(doc.error if doc else None) or "not read")
            return
        self._finish(upload_id, report_id=report_id)

    def _read_draft(self, upload_id: int, name: str, data: bytes) -> tuple[dict[str, Any] | None, str | None]:
        """(checked report JSON, None) or (None, reason) for a draft, read like every audited
        document: in a child process under a memory cap and a time limit (xxgk.audit.sandbox), so
        a hostile draft costs the server a child, never itself (issue 11 item 1). The file is kept
        only while it is read; the report names it as uploaded."""
        folder = self.settings.upload_dir / f"draft-{upload_id}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        try:
            path.write_bytes(data)
            with self._reader() as box:
                result = box.read(str(path))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        report = result.stored_report
        if result.error is not None or report is None:
            return None, result.error or "not read"
        return dict(report, source=name, findings=result.findings), None

    @contextmanager
    def _reader(self) -> Iterator[Sandbox]:
        """An idle reader child of the server's, or a new one, for the caller alone (a Sandbox
        serves one caller at a time), then idle again. Not one per thread: an API upload is read
        in the request's thread, and it too should find the warm child the warm-up started."""
        with self._readers_lock:
            box = self._idle.pop() if self._idle else None
            if box is None:
                box = Sandbox(self.settings.read_limits)
                self._sandboxes.append(box)
        try:
            yield box
        finally:
            with self._readers_lock:
                self._idle.append(box)

    def start_audit(self, folder: str, actor: str) -> AuditJob:
        path = self.settings.audit_folders[folder]
        with self._lock:
            job = AuditJob(id=len(self.jobs) + 1, folder=folder)
            self.jobs[job.id] = job
        with self.db.session() as s:
            record(s, actor, "audit.start", f"folder:{folder}")
        self._pool.submit(self._run_audit, job, path)
        return job

    def _run_audit(self, job: AuditJob, path: Path) -> None:
        def progress(phase: str, done: int, total: int) -> None:
            job.phase, job.done, job.total = phase, done, total

        try:
            with self._lock:
                summary = audit([path], self.db, progress=progress, limits=self.settings.read_limits)
            job.summary = (
                f"{summary.inputs} files, {summary.processed} processed, {summary.skipped} unchanged, "
                f"{summary.failed} unreadable"
            )
        except Exception as exc:
            job.error = f"{type(exc).__name__}: {exc}".splitlines()[0]
        job.finished = True

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        for box in self._sandboxes:
            box.close()
