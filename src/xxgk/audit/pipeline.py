"""`xxgk audit` as a library: extract + check every document into the database, link agencies
across years, run the cross-year rules (issue 5 items 1, 2, 6).

Phases, each restartable:
1. **ingest** — hash every input; a (path, sha256) already stored is skipped, a known path with
   new content becomes a new version. Workers (`process_batch`) read, extract and check each file;
   the parent stores documents, reports and findings, committing one transaction per batch, so
   an interrupted audit loses at most the batch in flight and the unique (path, sha256)
   constraint keeps re-runs free of duplicates. Unreadable files become `failed` documents.
2. **link** — agency identities over all current reports (`agencies.resolve`); every report whose
   previous-year report changed since the cross-year rules last ran is re-checked against it.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from xxgk.audit.agencies import agency_key, resolve
from xxgk.audit.executors import Executor, SerialExecutor
from xxgk.audit.sandbox import Limits, close_all, sandbox_for
from xxgk.files import InputTooLarge, SkippedInput, display_path, iter_inputs, read_bounded
from xxgk.model import Report, parse_report
from xxgk.storage.db import Database
from xxgk.storage.models import (
    DECISIONS,
    DOCUMENT_FAILED,
    DOCUMENT_OK,
    SCOPE_CROSS_YEAR,
    SCOPE_REPORT,
    Agency,
    AgencyAlias,
    AuditRun,
    Correction,
    Decision,
    Document,
    FindingRow,
    ReportRow,
)

Progress = Callable[[str, int, int], None]  # (phase, done, total)
METADATA_FILES = frozenset({"manifest.json"})  # sample-corpus manifests are not documents


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


def _format_of(path: Path) -> str:
    return (path.suffix.lower().lstrip(".") or "none")[:16]


class _Unreadable(Exception):
    """A document the extractor refused; str() is the reason without the path."""


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
        result.error = f"internal error: {type(exc).__name__}: {exc}".splitlines()[0]
        return result
    report.findings = []
    result.report = report.to_dict()
    result.findings = [f.model_dump(mode="json") for f in findings]
    return result


def process_batch(paths: Sequence[str], limits: Limits | None = None) -> list[DocResult]:
    """Each path read and checked; with `limits`, each in this process's sandbox (sandbox.py)."""
    if limits is None:
        return [process_path(p) for p in paths]
    box = sandbox_for(limits)
    return [box.read(p) for p in paths]


def cross_check_batch(
    pairs: Sequence[tuple[int, dict[str, Any], dict[str, Any]]],
) -> list[tuple[int, list[dict[str, Any]]]]:
    """Cross-year rules of each (report id, report, previous year's report)."""
    from xxgk.check import check, rules
    from xxgk.model import parse_report

    only = [r.id for r in rules() if r.scope == "cross-year"]
    out = []
    for report_id, data, prev in pairs:
        found = check(parse_report(data), parse_report(prev), only=only)
        out.append((report_id, [f.model_dump(mode="json") for f in found]))
    return out


# --------------------------------------------------------------------------- helpers
def finding_identity(agency: str | None, path: str, year: int | None, rule: str, cells: Iterable[str]) -> str:
    """The same finding across document versions: agency (or path) + year + rule + cells."""
    who = agency_key(agency) if agency and agency_key(agency) else f"@{path}"
    raw = f"{who}|{year}|{rule}|{','.join(sorted(cells))}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()


def _text(value: Any) -> str | None:
    return None if value is None else str(value)[:255]


def _finding_row(report_id: int, identity: str, scope: str, f: Mapping[str, Any]) -> FindingRow:
    return FindingRow(
        report_id=report_id,
        identity=identity,
        scope=scope,
        rule=f["rule"],
        severity=f["severity"],
        cells=list(f.get("cells") or []),
        expected=_text(f.get("expected")),
        actual=_text(f.get("actual")),
        message=f.get("message") or "",
        message_en=f.get("message_en"),
    )


def _batches(items: Iterable[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def current_document_ids() -> Any:
    """Subquery: the newest version of every path."""
    return select(func.max(Document.id)).group_by(Document.path)


# --------------------------------------------------------------------------- the audit
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


def _store(session: Session, results: list[DocResult], versions: dict[str, int], run_id: int) -> None:
    """Insert one batch of worker results (documents, reports, findings) in the open transaction."""
    known: set[tuple[str, str]] = {
        (path, sha)
        for path, sha in session.execute(
            select(Document.path, Document.sha256).where(Document.path.in_([r.path for r in results]))
        )
    }
    fresh = [r for r in results if (r.path, r.sha256) not in known]
    docs = []
    for r in fresh:
        known.add((r.path, r.sha256))
        versions[r.path] = versions.get(r.path, 0) + 1
        docs.append(
            Document(
                path=r.path,
                sha256=r.sha256,
                version=versions[r.path],
                format=r.format,
                size=r.size,
                status=DOCUMENT_FAILED if r.error else DOCUMENT_OK,
                error=r.error,
                seen_at=_now(),
                run_id=run_id,
            )
        )
    session.add_all(docs)
    session.flush()
    reports = []
    for doc, r in zip(docs, fresh, strict=True):
        if r.report is None:
            continue
        reports.append(
            (
                ReportRow(
                    document_id=doc.id,
                    agency_name=(r.report.get("agency") or None),
                    year=r.report.get("year"),
                    template=r.report.get("template"),
                    published=_parse_date(r.report.get("published")),
                    data=r.report,
                ),
                r,
            )
        )
    session.add_all([row for row, _ in reports])
    session.flush()
    for row, r in reports:
        for f in r.findings:
            ident = finding_identity(row.agency_name, r.path, row.year, f["rule"], f.get("cells") or [])
            session.add(_finding_row(row.id, ident, SCOPE_REPORT, f))


def audit(
    paths: Iterable[str | Path],
    db: Database,
    *,
    executor: Executor | None = None,
    aliases: Mapping[str, str] | None = None,
    batch_size: int = 16,
    commit_every: int = 64,
    progress: Progress | None = None,
    limits: Limits | None = Limits(),  # noqa: B008 - frozen, so one shared default is safe
) -> AuditSummary:
    """Audit every document under `paths` into `db`; see the module docstring for the phases.

    `limits`: each document is read in a sandboxed child under these (sandbox.py); None reads
    in the worker itself (no isolation: for benchmarks of the reading alone). Only one audit
    writes into a database at a time: a second one fails at once with DatabaseBusy.
    """
    with db.writer_lock():
        return _audit(paths, db, executor, aliases, batch_size, commit_every, progress, limits)


def _account(todo: list[str], returned: list[str], summary: AuditSummary) -> None:
    """Every file sent to the workers came back exactly once, and the summary adds up."""
    if sorted(todo) != sorted(returned):
        missing = len(set(todo) - set(returned))
        raise AccountingError(
            f"{len(todo)} files sent to the workers, {len(returned)} results back ({missing} missing)"
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
    batch_size: int,
    commit_every: int,
    progress: Progress | None,
    limits: Limits | None,
) -> AuditSummary:
    started = time.perf_counter()
    executor = executor or SerialExecutor()
    with db.session() as s:
        run = AuditRun(started_at=_now(), inputs=0, processed=0, skipped=0, failed=0)
        s.add(run)
        s.flush()
        summary = AuditSummary(run_id=run.id)
        known = {(path, sha) for path, sha in s.execute(select(Document.path, Document.sha256))}
        versions = dict(
            s.execute(select(Document.path, func.max(Document.version)).group_by(Document.path)).all()
        )

    todo: list[str] = []
    problems: list[SkippedInput] = []
    for p in iter_inputs([str(x) for x in paths], problems):
        if p.name in METADATA_FILES:
            continue
        summary.inputs += 1
        shown = display_path(p)  # the stored and printed form; the file is opened by `p`
        if len(shown.encode("utf-8")) > MAX_PATH_BYTES:
            summary.set_aside.append(f"{shown[:200]}…: path longer than {MAX_PATH_BYTES} bytes, not stored")
            continue
        if shown not in versions:  # never seen: no need to hash here, the worker does
            todo.append(str(p))
            continue
        digest, _ = content_digest(p)
        if (shown, digest) in known:
            summary.skipped += 1
            continue
        summary.new_versions += 1
        todo.append(str(p))
    for problem in problems:
        summary.inputs += 1
        summary.set_aside.append(f"{problem.path}: {problem.reason}")

    total = len(todo)
    if progress:
        progress("extract", 0, total)
    pending: list[DocResult] = []
    returned: list[str] = []

    def flush() -> None:
        if not pending:
            return
        with db.session() as s:
            _store(s, pending, versions, summary.run_id)
        pending.clear()

    work = partial(process_batch, limits=limits)
    try:
        for results in executor.map_unordered(work, _batches(todo, batch_size)):
            for r in results:
                returned.append(r.path)
                r.path = display_path(r.path)
                summary.processed += 1
                if r.error:
                    summary.failed += 1
                    summary.failures.append(f"{r.path}: {r.error}")
            pending.extend(results)
            if len(pending) >= commit_every:
                flush()
            if progress:
                progress("extract", summary.processed, total)
        flush()
        _account(todo, returned, summary)
        summary.cross_checked = link(db, executor=executor, aliases=aliases, progress=progress)
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
            )
        )
    return summary


# --------------------------------------------------------------------------- linking
def _sync_agencies(s: Session, aliases: Mapping[str, str] | None) -> dict[int, tuple[int | None, int | None]]:
    """Resolve agency identities for current reports; returns report id → (agency id, year)."""
    rows = s.execute(
        select(ReportRow.id, ReportRow.agency_name, ReportRow.agency_id, ReportRow.year).where(
            ReportRow.document_id.in_(current_document_ids())
        )
    ).all()
    identities = resolve((r.agency_name for r in rows if r.agency_name), aliases)
    agencies = {a.key: a for a in s.scalars(select(Agency))}
    for ident in {i for i in identities.values()}:
        agency = agencies.get(ident.key)
        if agency is None:
            agency = Agency(key=ident.key, name=ident.name)
            s.add(agency)
            agencies[ident.key] = agency
        elif agency.name != ident.name:
            agency.name = ident.name
    s.flush()
    alias_rows = {a.alias: a for a in s.scalars(select(AgencyAlias))}
    for name, ident in identities.items():
        agency_id = agencies[ident.key].id
        row = alias_rows.get(name)
        if row is None:
            s.add(AgencyAlias(alias=name, agency_id=agency_id))
        elif row.agency_id != agency_id:
            row.agency_id = agency_id
    changes = []
    out: dict[int, tuple[int | None, int | None]] = {}
    for r in rows:
        new_id = agencies[identities[r.agency_name].key].id if r.agency_name in identities else None
        if new_id != r.agency_id:
            changes.append({"id": r.id, "agency_id": new_id})
        out[r.id] = (new_id, r.year)
    if changes:
        s.execute(update(ReportRow), changes)
    return out


def primary_reports(current: Mapping[int, tuple[int | None, int | None]]) -> dict[tuple[int, int], int]:
    """(agency, year) → the report that stands for it (the newest, when an agency has several)."""
    primary: dict[tuple[int, int], int] = {}
    for report_id, (agency_id, year) in sorted(current.items()):
        if agency_id is not None and year is not None:
            primary[(agency_id, year)] = report_id
    return primary


def link(
    db: Database,
    *,
    executor: Executor | None = None,
    aliases: Mapping[str, str] | None = None,
    batch_size: int = 32,
    progress: Progress | None = None,
) -> int:
    """Agency identities + cross-year rules where the previous-year report changed; returns reports re-checked."""
    executor = executor or SerialExecutor()
    with db.session() as s:
        current = _sync_agencies(s, aliases)
        primary = primary_reports(current)
        stored_prev: dict[int, int | None] = {
            rid: prev for rid, prev in s.execute(select(ReportRow.id, ReportRow.previous_id))
        }
    wanted: dict[int, int | None] = {}
    for (agency, year_of), report_id in primary.items():
        prev = primary.get((agency, year_of - 1))
        if stored_prev.get(report_id) != prev:
            wanted[report_id] = prev
    for report_id, (agency_id, year) in current.items():  # duplicates and unlinked reports lose stale links
        stale = stored_prev.get(report_id) is not None and report_id not in wanted
        if stale and (agency_id is None or year is None or primary.get((agency_id, year)) != report_id):
            wanted[report_id] = None
    if not wanted:
        return 0
    todo = sorted(wanted.items())
    if progress:
        progress("cross-year", 0, len(todo))

    def load(chunk: list[tuple[int, int]]) -> list[tuple[int, dict[str, Any], dict[str, Any]]]:
        ids = {i for pair in chunk for i in pair}
        with db.session() as s:
            data: dict[int, dict[str, Any]] = {
                rid: d
                for rid, d in s.execute(select(ReportRow.id, ReportRow.data).where(ReportRow.id.in_(ids)))
            }
        return [(rid, data[rid], data[prev]) for rid, prev in chunk]

    linked: list[tuple[int, int]] = [(rid, prev) for rid, prev in todo if prev is not None]
    chunks = [linked[i : i + batch_size] for i in range(0, len(linked), batch_size)]
    meta: dict[int, Any] = {}
    with db.session() as s:
        for row in s.execute(
            select(ReportRow.id, ReportRow.agency_name, ReportRow.year, Document.path).join(
                Document, Document.id == ReportRow.document_id
            )
        ):
            if row.id in wanted:
                meta[row.id] = row
    done = 0
    # Chunks are loaded lazily as the executor asks for work, so only its window is in memory.
    for results in executor.map_unordered(cross_check_batch, (load(c) for c in chunks)):
        found = dict(results)
        batch = list(found)
        with db.session() as s:
            s.execute(
                delete(FindingRow).where(
                    FindingRow.report_id.in_(batch), FindingRow.scope == SCOPE_CROSS_YEAR
                )
            )
            for rid in batch:
                m = meta[rid]
                for f in found[rid]:
                    ident = finding_identity(m.agency_name, m.path, m.year, f["rule"], f.get("cells") or [])
                    s.add(_finding_row(rid, ident, SCOPE_CROSS_YEAR, f))
            s.execute(update(ReportRow), [{"id": rid, "previous_id": wanted[rid]} for rid in batch])
        done += len(batch)
        if progress:
            progress("cross-year", done, len(todo))
    # Reports that lost their previous year (no cross-year rules to run): drop stale findings.
    unlinked = [rid for rid, prev in todo if prev is None]
    if unlinked:
        with db.session() as s:
            s.execute(
                delete(FindingRow).where(
                    FindingRow.report_id.in_(unlinked), FindingRow.scope == SCOPE_CROSS_YEAR
                )
            )
            s.execute(update(ReportRow), [{"id": rid, "previous_id": None} for rid in unlinked])
        done += len(unlinked)
        if progress:
            progress("cross-year", done, len(todo))
    return len(todo)


# --------------------------------------------------------------------------- decisions
class DecisionError(ValueError):
    """Unknown finding or decision; str() is the user-facing reason."""


def set_decision(db: Database, finding_id: int, decision: str, note: str | None = None) -> str:
    """Record a person's verdict on a finding; it applies to every version where the finding recurs.

    Returns the finding's identity. `decision` is "confirmed" or "dismissed".
    """
    if decision not in DECISIONS:
        raise DecisionError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
    with db.session() as s:
        identity = s.scalar(select(FindingRow.identity).where(FindingRow.id == finding_id))
        if identity is None:
            raise DecisionError(f"no finding with id {finding_id}")
        row = s.scalar(select(Decision).where(Decision.identity == identity))
        if row is None:
            s.add(Decision(identity=identity, decision=decision, note=note, decided_at=_now()))
        else:
            row.decision, row.note, row.decided_at = decision, note, _now()
    return identity


def add_correction(
    db: Database, report_id: int, cell: str, value: str | None, note: str | None = None
) -> int:
    """Record a person's corrected value for one cell; the extracted data is left as read. Returns its id."""
    from xxgk.templates import get_template

    with db.session() as s:
        template = s.scalar(select(ReportRow.template).where(ReportRow.id == report_id))
        if template is None and s.get(ReportRow, report_id) is None:
            raise DecisionError(f"no report with id {report_id}")
        if template in ("2019", "2021") and not get_template(template).has_cell(cell):
            raise DecisionError(f"the {template} template has no cell {cell!r}")
        row = Correction(report_id=report_id, cell=cell, value=value, note=note, created_at=_now())
        s.add(row)
        s.flush()
        return row.id


def decision_of(db: Database, finding_id: int) -> str | None:
    """The decision that applies to a finding (via its identity), or None if undecided."""
    with db.session() as s:
        return s.scalar(
            select(Decision.decision)
            .join(FindingRow, FindingRow.identity == Decision.identity)
            .where(FindingRow.id == finding_id)
        )


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
