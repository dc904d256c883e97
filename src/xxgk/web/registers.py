"""The register behind the web pages and the API (issue 14 item 7): who may read which agency's
register, and given an agency, its list, one case file, the due list, a compiled year.

Thin over `xxgk.register`: the same functions as `xxgk register …` and `xxgk compile`. The rules
of access, enforced here for every page and API route alike:

- an office user reads (and imports) only its own agency's register — asking for another agency
  is 403, whatever the URL; a case number of another agency is simply not in its register (404);
- admins and supervisors read every agency's register; viewers and anonymous callers none
  (a register holds applicants' requests, even with their personal data masked);
- personal data (applicant, ID number, contact) is shown unmasked only to the agency's own
  registrars — its office users (register.md R.7, issue 14 item 1);
- importing a ledger: the agency's registrars and admins; editing the calendar: admins.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import Request

from xxgk.i18n import Lang, say
from xxgk.register import RegisterError
from xxgk.register.calendar import WorkCalendar
from xxgk.register.cases import Application, Case, Register
from xxgk.register.changes import VersionChanges, version_changes
from xxgk.register.compile import Compiled, differences
from xxgk.register.construct import template_of
from xxgk.register.deadlines import Deadlines, deadlines
from xxgk.register.errors import CalendarGapError, LedgerFileError
from xxgk.register.inputs import CompileInputs, Kind, from_file, load_inputs, save_inputs, validated
from xxgk.register.ledger import LedgerError, LedgerMapping, read_ledger
from xxgk.register.personal import masked
from xxgk.register.store import ImportResult, history, load_calendar, published, save
from xxgk.storage.db import Database
from xxgk.web.accounts import Account, same_agency
from xxgk.web.auditlog import record
from xxgk.web.deps import WebError, get_db
from xxgk.web.register_cache import RegisterCache
from xxgk.web.uploads import safe_name

READER_ROLES = ("admin", "supervisor", "office")


def register_agency(account: Account | None, asked: str | None, lang: Lang = "en") -> str | None:
    """The agency whose register `account` asks for (None: an admin or supervisor who has not
    chosen one yet); WebError 401/403 when the account may not read it."""
    if account is None:
        raise WebError(401, "authentication required")
    if account.role not in READER_ROLES:
        raise WebError(403, say("reg.viewer_denied", lang))
    asked = (asked or "").strip() or None
    if account.role == "office":
        if not account.agency or (asked is not None and not same_agency(asked, account.agency)):
            raise WebError(403, say("reg.other_agency", lang))
        return account.agency
    return asked


def is_registrar(account: Account | None, agency: str) -> bool:
    """The agency's own office users: the only ones who see personal data unmasked."""
    return account is not None and account.role == "office" and same_agency(account.agency, agency)


def can_import(account: Account | None, agency: str) -> bool:
    return account is not None and (account.is_admin or is_registrar(account, agency))


def register_cache(request: Request) -> RegisterCache:
    cache: RegisterCache | None = getattr(request.app.state, "registers", None)
    if cache is None:
        cache = request.app.state.registers = RegisterCache()
    return cache


def open_register(request: Request, agency: str, lang: Lang = "en") -> Register:
    """The agency's register (404 when it has none), from the app's cache while it is unchanged."""
    return register_cache(request).register(get_db(request), agency, lang)[1]


@dataclass
class CaseFile:
    """One application or review/litigation case as a page shows it."""

    kind: str  # application / case
    number: str
    data: dict[str, Any]  # masked unless the reader is a registrar
    events: list[tuple[date, str]] = field(default_factory=list)
    deadlines: Deadlines | None = None
    deadline_problem: str | None = None
    history: list[VersionChanges] = field(default_factory=list)
    masked: bool = True


def case_file(db: Database, register: Register, number: str, reveal: bool, lang: Lang = "en") -> CaseFile:
    """The case `number` of `register`: fields, events, due dates (R.5) and every version."""
    entry: Application | Case | None = next(
        (a for a in register.applications if a.number == number), None
    ) or next((c for c in register.cases if c.number == number), None)
    if entry is None:
        raise WebError(404, say("reg.no_case", lang, agency=register.agency, number=number))
    data = entry.to_data()
    out = CaseFile(
        "application" if isinstance(entry, Application) else "case",
        number,
        data if reveal else masked(data),
        masked=not reveal,
    )
    versions = history(db, register.agency, number)
    out.history = version_changes([v for v in versions if v.kind == out.kind], reveal)
    if isinstance(entry, Application):
        out.events = entry.events
        try:
            out.deadlines = deadlines(entry, calendar(db))
        except CalendarGapError as exc:
            out.deadline_problem = str(exc)
    else:
        out.events = sorted(
            [(entry.filed, "收到"), *([(entry.closed, "审结")] if entry.closed else [])], key=lambda e: e[0]
        )
    return out


LEDGER_SUFFIXES = (".xlsx", ".xls", ".ods", ".csv")


def import_upload(
    db: Database,
    agency: str,
    filename: str,
    data: bytes,
    author: str,
    mapping: LedgerMapping | None = None,
) -> tuple[Register, ImportResult]:
    """`xxgk register import [--mapping]` of an uploaded ledger: read it whole (LedgerError naming
    every bad row, LedgerFileError naming the file as uploaded; nothing written), then store it as
    new versions in one transaction."""
    suffix = Path(filename).suffix.lower()
    if suffix not in LEDGER_SUFFIXES:
        raise LedgerFileError(filename or "file", "ledger.file.not_a_ledger_type")
    with tempfile.TemporaryDirectory(prefix="xxgk-ledger-") as tmp:
        # Named as uploaded when that is a plain name: a CSV's one sheet is called by its stem.
        path = Path(tmp) / (safe_name(filename) or f"ledger{suffix}")
        path.write_bytes(data)
        try:
            register = read_ledger(path, agency, mapping)
        except LedgerFileError as exc:
            raise exc.named(filename) from None
        except LedgerError:
            raise
        except RegisterError as exc:
            raise WebError(422, f"{filename}: {str(exc).replace(str(path), '').lstrip(': ')}") from None
    try:
        result = save(db, agency, [*register.applications, *register.cases], author=author, source=filename)
    except RegisterError as exc:
        raise WebError(422, str(exc)) from None
    with db.session() as s:  # counts and numbers only: no personal data in the log
        record(s, author, "register.import", f"register:{agency}", None,
               {"file": filename, "added": len(result.added), "changed": len(result.changed),
                "unchanged": result.unchanged})  # fmt: skip
    return register, result


def calendar(db: Database) -> WorkCalendar:
    return load_calendar(db)


@dataclass
class CompiledYear:
    compiled: Compiled
    differences: list[tuple[str, Any, Any]]  # against the published report, if any
    inputs: CompileInputs = field(default_factory=CompileInputs)
    frozen: bool = False  # published: the inputs can no longer change


def compile_for_web(request: Request, agency: str, year: int, lang: Lang = "en") -> CompiledYear:
    """`xxgk compile` of a year with the office's stored table 2 and section texts (if any); 404
    without a register, 422 when it cannot be compiled (a replied case with no outcome, no template)."""
    cache = register_cache(request)
    db = get_db(request)
    stamp, register = cache.register(db, agency, lang)
    try:
        inputs = load_inputs(db, register.agency, year)
    except RegisterError as exc:
        raise WebError(422, str(exc)) from None
    compiled = cache.compiled(stamp, register, year, inputs)
    try:
        before = published(db, register.agency, year)
    except RegisterError as exc:
        raise WebError(422, str(exc)) from None
    return CompiledYear(
        compiled,
        differences(before, compiled.report) if before is not None else [],
        inputs,
        before is not None,
    )


def year_inputs(db: Database, agency: str, year: int) -> tuple[CompileInputs, bool]:
    """The stored inputs of (agency, year) and whether the year is published (frozen); 404
    for an agency with no register."""
    try:
        return load_inputs(db, agency, year), published(db, agency, year) is not None
    except RegisterError as exc:
        raise WebError(404, str(exc)) from None


@dataclass(frozen=True)
class InputGiven:
    """One compile input as sent: an uploaded file's bytes, or (API) a decoded table 2 object or
    [sections] table; `origin` names it in every message (the file's name, or the body field)."""

    kind: Kind
    origin: str
    upload: bytes | None = None
    raw: Any = None


def store_inputs(
    db: Database, agency: str, year: int, given: list[InputGiven], author: str, lang: Lang = "en"
) -> None:
    """Validate every input as the CLI's --table2/--sections would read it, then store them all
    in one transaction with their log lines (all or nothing): 422 with the library's one-line
    reason naming the file when one is bad (nothing stored), 409 for a published (frozen) year."""
    try:
        template_of(year)
        frozen = published(db, agency, year) is not None
        checked = [
            (
                g,
                from_file(g.kind, g.upload, g.origin, year)
                if g.upload is not None
                else validated(g.kind, g.raw, g.origin, year),
            )
            for g in given
        ]
    except RegisterError as exc:
        raise WebError(422, str(exc)) from None
    if frozen:
        raise WebError(409, say("reg.inputs_frozen", lang, agency=agency, year=year))
    with db.session() as s:  # one transaction: every input and its log line, or nothing
        try:
            save_inputs(s, agency, year, [(g.kind, data, g.origin) for g, data in checked], author=author)
        except RegisterError as exc:
            raise WebError(422, str(exc)) from None
        for g, _ in checked:
            record(s, author, f"register.{g.kind}", f"register:{agency}:{year}", None, {"file": g.origin})


def explain_cell(compiled: Compiled, cell: str) -> list[str]:
    try:
        return compiled.construction.explain(cell)
    except RegisterError as exc:
        raise WebError(422, str(exc)) from None
