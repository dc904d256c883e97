"""`xxgk audit` as a library: extract + check every document into the database, link agencies
across years, run the cross-year rules (issue 5 items 1, 2, 6).

Phases, each restartable, each streaming in bounded batches (issue 16):
1. **ingest** — the inputs are listed lazily and looked up in the database a chunk at a time; a
   (path, sha256) already stored is skipped, a known path with new content becomes a new
   version. Workers (`process_batch`) read, extract and check each file; the parent stores
   documents, compact reports (storage/compact.py), their cross-year facts (storage/facts.py)
   and findings, one transaction per batch — or, into PostgreSQL, each worker stores its own
   batches (`ingest_batch`). An interrupted audit loses at most the batches in flight and the
   unique (path, sha256) constraint keeps re-runs free of duplicates. Unreadable files become
   `failed` documents.
2. **link** (audit/link.py) — agency identities, then the cross-year rules from stored facts for
   every report whose previous-year report changed since they last ran. Skipped when nothing
   was stored and the database and identity inputs are as the last finished run left them
   (audit/relink.py).
Every report stored, re-linked or re-checked gets `changed_run` = this run: the outputs'
incremental interface (`query.changes_since`).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, partial
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from xxgk.audit.agencies import agency_key
from xxgk.audit.executors import Executor, SerialExecutor
from xxgk.audit.link import FACTS, FINDINGS, link
from xxgk.audit.link import current_document_ids as current_document_ids  # query.py imports it here
from xxgk.audit.manifest import ManifestEntry, manifest_key
from xxgk.audit.relink import inputs_digest, last_stamp, link_stamp
from xxgk.audit.sandbox import Limits, close_all, sandbox_for
from xxgk.audit.site_agency import AGENCY_RULE, SITE_NOTE, apply_site_agencies
from xxgk.audit.stored import StoredDigests
from xxgk.files import METADATA_FILES, InputTooLarge, SkippedInput, display_path, iter_inputs, read_bounded
from xxgk.model import Report, parse_report
from xxgk.storage.bulk import insert_rows
from xxgk.storage.compact import compact
from xxgk.storage.db import Database, JsonText, stored_json
from xxgk.storage.facts import Fact, facts_of
from xxgk.storage.models import (
    DOCUMENT_FAILED,
    DOCUMENT_OK,
    SCOPE_REPORT,
    Agency,
    AuditRun,
    Document,
    FindingRow,
    ReportRow,
)

T = TypeVar("T")

Progress = Callable[[str, int, int], None]  # (phase, done, total)


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


# --------------------------------------------------------------------------- worker side
@dataclass
class DocResult:
    """What a worker sends back for one file: plain data, cheap to pickle."""

    path: str
    sha256: str
    size: int
    format: str
    report: dict[str, Any] | None = None
    findings: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    # Set by `prepare`: `path` is then in its display form, `report` is None and `stored` is the
    # report's compact stored form as JSON text, `head` its indexed fields, `facts` its facts.
    facts: list[Fact] | None = None
    prepared: bool = False
    stored: str | None = None
    head: ReportHead | None = None

    @property
    def stored_report(self) -> dict[str, Any] | None:
        """The report in its stored (compact) form, as a dict."""
        return json.loads(self.stored) if self.stored is not None else self.report


@dataclass(frozen=True)
class ReportHead:
    """The fields of a report the `reports` table indexes, taken from it where it was read."""

    agency: str | None
    year: int | None
    template: str | None
    published: str | None

    @classmethod
    def of(cls, report: Mapping[str, Any]) -> ReportHead:
        return cls(
            report.get("agency") or None, report.get("year"), report.get("template"), report.get("published")
        )


def _format_of(path: Path) -> str:
    return (path.suffix.lower().lstrip(".") or "none")[:16]


class _Unreadable(Exception):
    """A document the extractor refused; str() is the reason without the path."""


@cache  # asked for every file a re-run hashes: an import statement a call was 0.65 s at 30,000
def _max_bytes() -> int:
    try:
        from xxgk.extract import MAX_BYTES
    except ImportError:
        return 50 * 1024 * 1024
    return MAX_BYTES


def _extract(data: bytes, path: str) -> Report:
    """`xxgk.extract.extract_bytes`; report JSON files still work while the extractor is unavailable."""
    try:
        from xxgk.extract import ExtractError, extract_bytes
    except ImportError:
        if not path.lower().endswith(".json"):
            raise _Unreadable("no extractor available for this format") from None
        try:
            return parse_report(json.loads(data.decode("utf-8-sig")), path)
        except (ValueError, UnicodeDecodeError) as exc:
            raise _Unreadable(str(exc).removeprefix(f"{path}: ")) from None
    try:
        return extract_bytes(data, path)
    except ExtractError as exc:
        raise _Unreadable(exc.reason) from None


def failed_result(path: str, reason: str) -> DocResult:
    """A file that could not be read: its content digest when the file can be hashed (bounded),
    so an unchanged failing file is recognised on the next run."""
    digest, size = content_digest(Path(path))
    return DocResult(path, digest, size, _format_of(Path(path)), error=reason)


def content_digest(p: Path) -> tuple[str, int]:
    """(sha256, size) of a file's content; for a file past the size limit or one that cannot be
    read, a digest of its name (with the size read) — never an unbounded read (/dev/zero)."""
    h = hashlib.sha256()
    size = 0
    limit = _max_bytes()
    try:
        with p.open("rb") as fh:
            while size <= limit and (chunk := fh.read(min(1 << 20, limit + 1 - size))):
                h.update(chunk)
                size += len(chunk)
    except OSError:
        return hashlib.sha256(b"unreadable:" + os.fsencode(str(p))).hexdigest(), size
    if size > limit:
        return hashlib.sha256(b"oversize:" + os.fsencode(str(p))).hexdigest(), size
    return h.hexdigest(), size


def process_path(path: str) -> DocResult:
    """Read, extract and check one file. Never raises: every failure becomes `error`."""
    from xxgk.check import check

    p = Path(path)
    result = DocResult(path, "", 0, _format_of(p))
    try:
        data = read_bounded(p, _max_bytes())  # bounded: /dev/zero and pipes report size 0
    except (OSError, InputTooLarge) as exc:
        reason = str(exc) if isinstance(exc, InputTooLarge) else f"cannot read: {exc.strerror or exc}"
        return failed_result(path, reason)
    result.size = len(data)
    result.sha256 = hashlib.sha256(data).hexdigest()
    try:
        report = _extract(data, path)
        findings = check(report)
    except _Unreadable as exc:
        result.error = str(exc)
        return result
    except Exception as exc:  # an extractor/checker bug must not stop a 10,000-file audit
        result.error = f"internal error: {type(exc).__name__}: {_last_word(exc)}"
        return result
    report.findings = []
    result.report = report.to_dict()
    result.findings = [f.model_dump(mode="json") for f in findings]
    return result


def _last_word(exc: BaseException) -> str:
    """An exception's message as one line: a library that embeds a whole traceback in its message
    (onnxruntime does) is represented by the traceback's last line, which names the error."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    if not lines:
        return ""
    return lines[-1] if lines[0].startswith("Traceback") else lines[0]


def process_batch(paths: Sequence[str], limits: Limits | None = None) -> list[DocResult]:
    """Each path read and checked; with `limits`, each in this process's sandbox (sandbox.py),
    whose reader child returns its results already `prepare`d."""
    if limits is None:
        return [process_path(p) for p in paths]
    box = sandbox_for(limits)
    return [box.read(p) for p in paths]


def prepare(result: DocResult) -> DocResult:
    """The result's path in the form stored and shown (display_path), its report in its stored
    form with its facts: done where the document was read (the sandbox's child or the worker),
    so the parent (or the worker storing) only inserts rows, and less crosses each process pipe
    (the full report JSON is pickled once less per document: issue 16)."""
    if result.prepared:
        return result
    result.path = display_path(result.path)
    if result.report is not None:
        result.facts = facts_of(result.report)
        result.head = ReportHead.of(result.report)
        # Serialised here, not in the parent: a JSON string crosses the pipes and is unpickled
        # at C speed, where the nested dict took ~1.8 ms a report to unpickle in the parent and
        # ~1.4 ms more to serialise for its column (issue 16, profiled at 10,000 reports).
        result.stored = stored_json(compact(result.report))
        result.report = None
    result.prepared = True
    return result


def read_prepared(path: str) -> DocResult:
    """`process_path`, `prepare`d: what a sandbox's reader child answers for each path."""
    return prepare(process_path(path))


def prepare_batch(paths: Sequence[str], limits: Limits | None = None) -> list[DocResult | bytes]:
    """`process_batch`, every result `prepare`d. Read in a sandbox, each result is the bytes its
    reader child pickled, passed on undecoded: the worker relays, the parent decodes once
    (`received`). Decoding and re-pickling every report in the worker cost CPU for nothing
    (issue 16)."""
    if limits is None:
        return [prepare(process_path(p)) for p in paths]
    box = sandbox_for(limits)
    return [box.read_pickled(p) for p in paths]


def received(item: DocResult | bytes) -> DocResult:
    """A `prepare_batch` result as a DocResult, decoding the reader child's bytes."""
    return pickle.loads(item) if isinstance(item, bytes) else item


def ingest_batch(
    url: str, run_id: int, paths: Sequence[str], limits: Limits | None = None
) -> list[DocResult]:
    """Worker side of a distributed audit: process the batch and store it from this worker.

    One transaction per batch on the worker's own connection (the engine is opened once per
    worker process), so with several workers into PostgreSQL the writes are spread over the
    workers instead of funnelled through the parent. Returns the results without their report
    and findings: the parent only counts them.
    """
    results = [received(r) for r in prepare_batch(paths, limits)]
    with _worker_db(url).session() as s:
        store(s, results, run_id)
    return [DocResult(r.path, r.sha256, r.size, r.format, error=r.error) for r in results]


_WORKER_DBS: dict[str, Database] = {}


def _worker_db(url: str) -> Database:
    """This process's connection to the shared store (migrated already by the parent)."""
    if url not in _WORKER_DBS:
        from xxgk.storage.db import make_engine

        _WORKER_DBS[url] = Database(url, make_engine(url))
    return _WORKER_DBS[url]


# --------------------------------------------------------------------------- helpers
def finding_identity(agency: str | None, path: str, year: int | None, rule: str, cells: Iterable[str]) -> str:
    """The same finding across document versions: agency (or path) + year + rule + cells."""
    who = agency_key(agency) if agency and agency_key(agency) else f"@{path}"
    raw = f"{who}|{year}|{rule}|{','.join(sorted(cells))}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()


def _text(value: Any) -> str | None:
    return None if value is None else str(value)[:255]


def finding_row(report_id: int, identity: str, scope: str, f: Mapping[str, Any]) -> dict[str, Any]:
    """The `findings` row of one checker finding, for a bulk insert."""
    return {
        "report_id": report_id,
        "identity": identity,
        "scope": scope,
        "rule": f["rule"],
        "severity": f["severity"],
        "cells": list(f.get("cells") or []),
        "expected": _text(f.get("expected")),
        "actual": _text(f.get("actual")),
        "message": f.get("message") or "",
        "message_en": f.get("message_en"),
    }


FACT_COLUMNS = ("report_id", "cell", "value", "status")
FINDING_COLUMNS = (
    "report_id",
    "identity",
    "scope",
    "rule",
    "severity",
    "cells",
    "expected",
    "actual",
    "message",
    "message_en",
)


def finding_tuple(report_id: int, identity: str, scope: str, f: Mapping[str, Any]) -> tuple[Any, ...]:
    """`finding_row` as a tuple in FINDING_COLUMNS' order, its cells serialised: for `insert_rows`."""
    row = finding_row(report_id, identity, scope, f)
    row["cells"] = stored_json(row["cells"])
    return tuple(row[c] for c in FINDING_COLUMNS)


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _work_batches(paths: Iterable[str], size: int) -> Iterator[list[str]]:
    """Fast documents in batches of ``size`` first, then slow ones (OCR, LibreOffice) one per task.

    A scanned page costs seconds of CPU where a text report costs milliseconds: in a shared batch
    the scans would hold up every other document. So they form their own queue, behind the fast
    one, one document per task (issue 15).
    """
    slow: list[str] = []

    def fast() -> Iterator[str]:
        for path in paths:
            if _is_slow(path):
                slow.append(path)
            else:
                yield path

    yield from _batches(fast(), size)
    for path in slow:
        yield [path]


_SLOW_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp", ".doc", ".wps", ".rtf", ".xls", ".et"}
)


def _is_slow(path: str) -> bool:
    """Read by OCR or converted by LibreOffice: an image, a legacy office file, a PDF with no fonts."""
    suffix = Path(path).suffix.lower()
    if suffix in _SLOW_SUFFIXES:
        return True
    if suffix != ".pdf":
        return False
    try:
        with open(path, "rb") as fh:
            return b"/Font" not in fh.read(8 << 20)  # no font anywhere: pages are images
    except OSError:
        return False


# --------------------------------------------------------------------------- the audit
MAX_FAILURES_KEPT = 100  # the summary lists the first ones; the database keeps them all


@dataclass
class AuditSummary:
    run_id: int
    inputs: int = 0
    processed: int = 0
    skipped: int = 0
    failed: int = 0
    new_versions: int = 0
    cross_checked: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    # Found but not read, each "path: reason" (symbolic-link loops, unreadable folders, paths too
    # long to store): with processed and skipped (unchanged), every input is in exactly one.
    set_aside: list[str] = field(default_factory=list)
    # Whether the link passes ran: skipped when nothing changed since the last run (relink.py).
    linked: bool = True


class AccountingError(RuntimeError):
    """Files given to the workers did not all come back: a bug, never to pass silently (issue 11)."""


# The longest path stored: PostgreSQL cannot index a longer key (about 2.7 KB per btree entry),
# and SQLite is held to the same bound so the two back ends agree (issue 11 item 5).
MAX_PATH_BYTES = 2000


def _parse_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def store(session: Session, results: Sequence[DocResult], run_id: int) -> None:
    """Insert one batch of worker results (documents, compact reports, facts, findings) in the
    open transaction. Versions come from the database, so any worker may store any batch."""
    paths = [r.path for r in results]
    known: set[tuple[str, str]] = set()
    versions: dict[str, int] = {}
    for path, sha, version in session.execute(
        select(Document.path, Document.sha256, Document.version).where(Document.path.in_(paths))
    ):
        known.add((path, sha))
        versions[path] = max(version, versions.get(path, 0))
    fresh = []
    for r in results:
        if (r.path, r.sha256) in known:
            continue
        known.add((r.path, r.sha256))
        versions[r.path] = versions.get(r.path, 0) + 1
        fresh.append((r, versions[r.path]))
    now = _now()
    doc_ids = (
        list(
            session.scalars(
                insert(Document).returning(Document.id, sort_by_parameter_order=True),
                [
                    {
                        "path": r.path,
                        "sha256": r.sha256,
                        "version": version,
                        "format": r.format,
                        "size": r.size,
                        "status": DOCUMENT_FAILED if r.error else DOCUMENT_OK,
                        "error": r.error,
                        "seen_at": now,
                        "run_id": run_id,
                    }
                    for r, version in fresh
                ],
            )
        )
        if fresh
        else []
    )
    readable = [
        (doc_id, r)
        for doc_id, (r, _) in zip(doc_ids, fresh, strict=True)
        if r.report is not None or r.stored is not None
    ]
    if not readable:
        return
    rows: list[dict[str, Any]] = []
    for doc_id, r in readable:
        head = r.head or ReportHead.of(r.report or {})
        rows.append(
            {
                "document_id": doc_id,
                "agency_name": head.agency,
                "year": head.year,
                "template": head.template,
                "published": _parse_date(head.published),
                "data": JsonText(r.stored) if r.stored is not None else compact(r.report or {}),
                "changed_run": run_id,
            }
        )
    report_ids = list(
        session.scalars(insert(ReportRow).returning(ReportRow.id, sort_by_parameter_order=True), rows)
    )
    facts: list[tuple[Any, ...]] = []
    findings: list[tuple[Any, ...]] = []
    for rid, row, (_, r) in zip(report_ids, rows, readable, strict=True):
        for cell, value, status in r.facts if r.facts is not None else facts_of(r.report or {}):
            facts.append((rid, cell, value, status))
        for f in r.findings:
            ident = finding_identity(row["agency_name"], r.path, row["year"], f["rule"], f.get("cells") or [])
            findings.append(finding_tuple(rid, ident, SCOPE_REPORT, f))
    # Driver-level inserts (storage/bulk.py): SQLAlchemy's per-row parameter handling cost more
    # than the inserts themselves (issue 16).
    insert_rows(session, FACTS, FACT_COLUMNS, facts)
    insert_rows(session, FINDINGS, FINDING_COLUMNS, findings)


def _plan(
    db: Database, paths: Iterable[str | Path], summary: AuditSummary, sent: _Tally, chunk: int = 500
) -> Iterator[str]:
    """The inputs that need reading, streamed: the listing is merged with the stored paths
    (stored.StoredDigests: never the whole table in memory); a known path is hashed to see if it
    changed.

    Paths are looked up and stored in their display form (display_path); the file is opened by
    its own name. What cannot be read as a file, and paths too long to store, are set aside with
    their reason; every input ends in exactly one of processed / unchanged / set aside."""
    problems: list[SkippedInput] = []
    listed = (p for p in iter_inputs([str(x) for x in paths], problems) if p.name not in METADATA_FILES)
    digests = StoredDigests(db)
    for part in _batches(listed, chunk):
        shown = [display_path(p) for p in part]
        stored = digests.lookup(shown)
        for p, name in zip(part, shown, strict=True):
            summary.inputs += 1
            if len(name.encode("utf-8")) > MAX_PATH_BYTES:
                summary.set_aside.append(
                    f"{name[:200]}…: path longer than {MAX_PATH_BYTES} bytes, not stored"
                )
                continue
            if name in stored:
                digest, _ = content_digest(p)
                if digest in stored[name]:
                    summary.skipped += 1
                    continue
                summary.new_versions += 1
            sent.add(name)
            yield str(p)
        for problem in problems:
            summary.inputs += 1
            summary.set_aside.append(f"{problem.path}: {problem.reason}")
        problems.clear()
    for problem in problems:
        summary.inputs += 1
        summary.set_aside.append(f"{problem.path}: {problem.reason}")


def _named_by_site(s: Session, report_id: int) -> bool:
    data = s.scalar(select(ReportRow.data).where(ReportRow.id == report_id)) or {}
    return SITE_NOTE in (data.get("notes") or "")


def apply_manifest(db: Database, run_id: int, manifest: Mapping[str, ManifestEntry]) -> None:
    """Reports stored in this run whose text names no agency (or year) take the crawl manifest's
    (audit/manifest.py), and so do those named only by their site's `<meta>` tags, which come
    after the manifest (issue 10 item 5). Done in the database after ingestion, so workers that
    store their own batches need not carry the manifest."""
    with db.session() as s:
        rows = s.execute(
            select(ReportRow.id, ReportRow.agency_name, ReportRow.year, Document.path)
            .join(Document, Document.id == ReportRow.document_id)
            .where(ReportRow.changed_run == run_id)
        ).all()
        changes = []
        for rid, agency, year, path in rows:
            listed = manifest.get(manifest_key(path))
            if listed is None:
                continue
            change: dict[str, Any] = {"id": rid}
            if listed.agency and agency != listed.agency and (agency is None or _named_by_site(s, rid)):
                change["agency_name"] = listed.agency
            if year is None and listed.year is not None:
                change["year"] = listed.year
            if len(change) > 1:
                changes.append(change)
        if changes:
            s.execute(update(ReportRow), changes)
            named = [c["id"] for c in changes if "agency_name" in c]
            if named:  # the manifest names the body: C-AGENCY no longer holds for these reports
                s.execute(
                    delete(FindingRow).where(FindingRow.report_id.in_(named), FindingRow.rule == AGENCY_RULE)
                )


def audit(
    paths: Iterable[str | Path],
    db: Database,
    *,
    executor: Executor | None = None,
    aliases: Mapping[str, str] | None = None,
    manifest: Mapping[str, ManifestEntry] | None = None,
    batch_size: int = 16,
    commit_every: int = 64,
    progress: Progress | None = None,
    store_in_workers: bool | None = None,
    limits: Limits | None = Limits(),  # noqa: B008 - frozen, so one shared default is safe
) -> AuditSummary:
    """Audit every document under `paths` into `db`; see the module docstring for the phases.

    `store_in_workers`: each worker stores its own batches (`ingest_batch`) instead of the
    parent storing everything. Default: on for a server database (PostgreSQL), where writers
    run side by side; off for SQLite, which takes one writer at a time.

    `limits`: each document is read in a sandboxed child under these (sandbox.py); None reads
    in the worker itself (no isolation: for benchmarks of the reading alone). Only one audit
    writes into a database at a time: a second one fails at once with DatabaseBusy.
    """
    with db.writer_lock():
        return _audit(
            paths,
            db,
            executor,
            aliases,
            manifest,
            batch_size,
            commit_every,
            progress,
            store_in_workers,
            limits,
        )


@dataclass
class _Tally:
    """How many paths, and an order-free checksum of them: what was sent to the workers must
    come back, each exactly once, without keeping a corpus's paths in memory."""

    count: int = 0
    checksum: int = 0

    def add(self, path: str) -> None:
        digest = hashlib.blake2b(path.encode("utf-8", "surrogateescape"), digest_size=8).digest()
        self.count += 1
        self.checksum = (self.checksum + int.from_bytes(digest, "big")) % (1 << 64)


def _account(sent: _Tally, returned: _Tally, summary: AuditSummary) -> None:
    """Every file sent to the workers came back exactly once, and the summary adds up."""
    if sent != returned:
        raise AccountingError(
            f"{sent.count} files sent to the workers, {returned.count} results back"
            + (" (not the same files)" if sent.count == returned.count else "")
        )
    if summary.inputs != summary.processed + summary.skipped + len(summary.set_aside):
        raise AccountingError(
            f"{summary.inputs} inputs but {summary.processed} processed + {summary.skipped} unchanged"
            f" + {len(summary.set_aside)} set aside"
        )


def _audit(
    paths: Iterable[str | Path],
    db: Database,
    executor: Executor | None,
    aliases: Mapping[str, str] | None,
    manifest: Mapping[str, ManifestEntry] | None,
    batch_size: int,
    commit_every: int,
    progress: Progress | None,
    store_in_workers: bool | None,
    limits: Limits | None,
) -> AuditSummary:
    started = time.perf_counter()
    executor = executor or SerialExecutor()
    if store_in_workers is None:
        store_in_workers = db.engine.url.get_backend_name() != "sqlite"
    with db.session() as s:
        run = AuditRun(started_at=_now(), inputs=0, processed=0, skipped=0, failed=0)
        s.add(run)
        s.flush()
        summary = AuditSummary(run_id=run.id)

    executor.start()  # forked workers: before the listing grows this process (executors.py)
    total = 0
    if progress:  # one listing pass for the bar's total; the audit itself streams
        total = sum(1 for p in iter_inputs([str(x) for x in paths]) if p.name not in METADATA_FILES)
        progress("extract", 0, total)
    pending: list[DocResult] = []

    def flush() -> None:
        if pending:
            with db.session() as s:
                store(s, pending, summary.run_id)
            pending.clear()

    work: Callable[[list[str]], Sequence[DocResult | bytes]] = (
        partial(ingest_batch, db.url, summary.run_id, limits=limits)
        if store_in_workers
        else partial(prepare_batch, limits=limits)
    )
    sent, returned = _Tally(), _Tally()
    try:
        planned = _plan(db, paths, summary, sent)
        for batch in executor.map_unordered(work, _work_batches(planned, batch_size)):
            results = [received(r) for r in batch]
            for r in results:
                returned.add(r.path)  # already in its display form (prepare_batch)
                summary.processed += 1
                if r.error:
                    summary.failed += 1
                    if len(summary.failures) < MAX_FAILURES_KEPT:
                        summary.failures.append(f"{r.path}: {r.error}")
            if not store_in_workers:
                pending.extend(results)
                if len(pending) >= commit_every:
                    flush()
            if progress:
                progress("extract", summary.processed + summary.skipped, total)
        flush()
        if progress:
            progress("extract", summary.processed + summary.skipped, total)
        _account(sent, returned, summary)
        inputs = inputs_digest(aliases, manifest)
        stamp = link_stamp(db, inputs)
        summary.linked = summary.processed > 0 or stamp != last_stamp(db)
        if summary.linked:
            if manifest:
                apply_manifest(db, summary.run_id, manifest)
            apply_site_agencies(db, summary.run_id, manifest)  # the last step of agency identity
            summary.cross_checked = link(db, run_id=summary.run_id, aliases=aliases, progress=progress)
            stamp = link_stamp(db, inputs)
    finally:
        executor.close()
        close_all()
    summary.seconds = time.perf_counter() - started
    with db.session() as s:
        s.execute(
            update(AuditRun)
            .where(AuditRun.id == summary.run_id)
            .values(
                finished_at=_now(),
                inputs=summary.inputs,
                processed=summary.processed,
                skipped=summary.skipped,
                failed=summary.failed,
                linked=stamp,
            )
        )
    return summary


def findings_by_agency_year(db: Database) -> dict[tuple[str | None, int | None], list[str]]:
    """Rule ids found on current reports, by (agency display name, year); handy for summaries and tests."""
    out: dict[tuple[str | None, int | None], list[str]] = defaultdict(list)
    with db.session() as s:
        rows = s.execute(
            select(Agency.name, ReportRow.year, FindingRow.rule)
            .join(ReportRow, ReportRow.id == FindingRow.report_id)
            .join(Agency, Agency.id == ReportRow.agency_id, isouter=True)
            .where(ReportRow.document_id.in_(current_document_ids()))
        ).all()
    for name, year, rule in rows:
        out[(name, year)].append(rule)
    return dict(out)


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str)
