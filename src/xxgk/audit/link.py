"""Given the stored reports, link each agency's years and run the cross-year rules from facts.

1. **Agencies** — `resolve` runs over the distinct printed names (with their counts), not over
   the reports, so its memory grows with the number of bodies, not of reports; the reports'
   `agency_id` is then set by one UPDATE through the alias table.
2. **Pairs** — one query: for every (agency, year) the newest current report (the primary), and
   the primary of year − 1. Only pairs whose stored `previous_id` differs are returned, which is
   exactly the reports that are new, or whose previous year is new or changed: a re-run re-checks
   the changed reports and their cross-year neighbours and nothing else.
3. **Cross-year rules** — on reports rebuilt from `report_facts` (storage/facts.py), a batch at
   a time; the report JSON is never loaded (issue 16, item 3).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Table, and_, delete, func, insert, select, update
from sqlalchemy.orm import Session, aliased

from xxgk.audit.agencies import resolve
from xxgk.storage.compact import compact
from xxgk.storage.db import Database
from xxgk.storage.facts import Fact, fact_rows, report_from_facts
from xxgk.storage.models import (
    SCOPE_CROSS_YEAR,
    Agency,
    AgencyAlias,
    Document,
    FindingRow,
    ReportFact,
    ReportRow,
    ReportVersion,
)
from xxgk.storage.versions import current_version

Progress = Callable[[str, int, int], None]  # (phase, done, total)
BATCH = 500
# Facts and findings are inserted through Core (executemany), not the ORM's bulk path: ~25 rows
# a report, and the ORM's per-row bookkeeping cost twice the insert itself (issue 16: 0.25
# against 0.11 ms a report in SQLite).
FACTS = cast(Table, ReportFact.__table__)
FINDINGS = cast(Table, FindingRow.__table__)


def current_document_ids() -> Any:
    """Subquery: the newest version of every path."""
    return select(func.max(Document.id)).group_by(Document.path)


def sync_agencies(db: Database, run_id: int | None, aliases: Mapping[str, str] | None) -> None:
    """Agency identities for the printed names of current reports; reports re-pointed in SQL."""
    current = current_document_ids()
    with db.session() as s:
        names = s.execute(
            select(ReportRow.agency_name, func.count())
            .where(ReportRow.document_id.in_(current), ReportRow.agency_name.is_not(None))
            .group_by(ReportRow.agency_name)
        ).all()
        # The years each printed name reports for: a 县 and a 区 form are one body only if they
        # never report for the same year (agencies.resolve, step 3).
        years: dict[str, set[int]] = defaultdict(set)
        for name, year in s.execute(
            select(ReportRow.agency_name, ReportRow.year)
            .where(
                ReportRow.document_id.in_(current),
                ReportRow.agency_name.is_not(None),
                ReportRow.year.is_not(None),
            )
            .distinct()
        ):
            if year is not None:
                years[str(name)].add(year)
        identities = resolve((str(name) for name, n in names for _ in range(n)), aliases, years)
        # Rows as tuples and writes by executemany, not ORM objects: an Agency and an AgencyAlias
        # object each per body held ~2.6 KB an agency at the link's peak (issue 16: 25,000 bodies
        # at 100,000 reports).
        agencies = {
            key: (aid, name) for aid, key, name in s.execute(select(Agency.id, Agency.key, Agency.name))
        }
        named = {ident.key: ident.name for ident in identities.values()}
        fresh = [{"key": k, "name": n} for k, n in named.items() if k not in agencies]
        renamed = [
            {"id": agencies[k][0], "name": n}
            for k, n in named.items()
            if k in agencies and agencies[k][1] != n
        ]
        if fresh:
            s.execute(insert(Agency), fresh)
        if renamed:
            s.execute(update(Agency), renamed)
        ids = (
            {key: aid for aid, key in s.execute(select(Agency.id, Agency.key))}
            if fresh
            else {k: v[0] for k, v in agencies.items()}
        )
        del agencies, named, fresh, renamed
        alias_rows = {
            alias: (rid, aid, why)
            for rid, alias, aid, why in s.execute(
                select(AgencyAlias.id, AgencyAlias.alias, AgencyAlias.agency_id, AgencyAlias.reason)
            )
        }
        added, changed = [], []
        for name, ident in identities.items():
            agency_id = ids[ident.key]
            row = alias_rows.get(name)
            if row is None:
                added.append({"alias": name, "agency_id": agency_id, "reason": ident.why})
            elif row[1] != agency_id or row[2] != ident.why:
                changed.append({"id": row[0], "agency_id": agency_id, "reason": ident.why})
        if added:
            s.execute(insert(AgencyAlias), added)
        if changed:
            s.execute(update(AgencyAlias), changed)
        del ids, added, changed
        # A name that no longer resolves (empty key) has an alias row pointing nowhere useful.
        unresolved = [a for a in alias_rows if a not in identities]
        wanted = (
            select(AgencyAlias.agency_id)
            .where(AgencyAlias.alias == ReportRow.agency_name, AgencyAlias.alias.not_in(unresolved))
            .scalar_subquery()
        )
        s.execute(
            update(ReportRow)
            .where(ReportRow.document_id.in_(current), ReportRow.agency_id.is_distinct_from(wanted))
            .values(agency_id=wanted, changed_run=run_id)
            .execution_options(synchronize_session=False)
        )


def _relinks(db: Database) -> Iterator[list[tuple[int, int | None]]]:
    """(report id, previous-year report id or None) where the stored link differs, in batches."""
    current = current_document_ids()
    prim = (
        select(ReportRow.agency_id, ReportRow.year, func.max(ReportRow.id).label("rid"))
        .where(
            ReportRow.document_id.in_(current), ReportRow.agency_id.is_not(None), ReportRow.year.is_not(None)
        )
        .group_by(ReportRow.agency_id, ReportRow.year)
        .subquery()
    )
    prev = aliased(prim)
    linked = (
        select(ReportRow.id, prev.c.rid)
        .select_from(prim)
        .join(ReportRow, ReportRow.id == prim.c.rid)
        .outerjoin(prev, and_(prev.c.agency_id == prim.c.agency_id, prev.c.year == prim.c.year - 1))
        .where(ReportRow.previous_id.is_distinct_from(prev.c.rid))
    )
    # Current reports that are not the primary of their (agency, year) lose a stale link.
    stale = select(ReportRow.id, ReportRow.previous_id).where(
        ReportRow.document_id.in_(current),
        ReportRow.previous_id.is_not(None),
        ReportRow.id.not_in(select(prim.c.rid)),
    )
    # Streamed on a connection of its own, so the batches (written through other connections)
    # never hold the corpus: the read sees the snapshot taken when it started, in SQLite's WAL
    # as in PostgreSQL, so rewriting previous_id below does not disturb it. An in-memory SQLite
    # database has a single connection: there the pairs are listed first.
    if db.engine.url.get_backend_name() == "sqlite" and db.engine.url.database in (None, "", ":memory:"):
        with db.session() as s:
            todo = [tuple(r) for r in s.execute(linked)] + [(r, None) for r, _ in s.execute(stale)]
        for i in range(0, len(todo), BATCH):
            yield todo[i : i + BATCH]
        return
    with db.engine.connect() as conn:
        for query, keep_prev in ((stale, False), (linked, True)):
            result = conn.execution_options(yield_per=BATCH).execute(query)
            for part in result.partitions():
                yield [(r, p if keep_prev else None) for r, p in part]


def _facts(db: Database, ids: set[int]) -> dict[int, tuple[Any, list[Fact]]]:
    """report id → ((year, template, printed agency, path), facts)."""
    out: dict[int, tuple[Any, list[Fact]]] = {}
    with db.session() as s:
        for row in s.execute(
            select(ReportRow.id, ReportRow.year, ReportRow.template, ReportRow.agency_name, Document.path)
            .join(Document, Document.id == ReportRow.document_id)
            .where(ReportRow.id.in_(ids))
        ):
            out[row.id] = (row, [])
        for rid, cell, value, status in s.execute(
            select(ReportFact.report_id, ReportFact.cell, ReportFact.value, ReportFact.status).where(
                ReportFact.report_id.in_(ids)
            )
        ):
            out[rid][1].append((cell, value, status))
    return out


def _undecided_carry_over(cells: Sequence[Fact]) -> bool:
    """Whether a report's 上年结转 has an ambiguous cell last year's report might decide."""
    return any(c.startswith("table3.carried_over.") and status == "ambiguous" for c, _, status in cells)


Changed = tuple[int | None, dict[str, Any]]  # (report_versions row id or None, the report JSON)


def cross_check(
    db: Database, pairs: Sequence[tuple[int, int]], facts: Mapping[int, tuple[Any, list[Fact]]]
) -> Iterator[tuple[int, list[dict[str, Any]], Changed | None]]:
    """Given (report, previous report) ids and their facts, the cross-year findings of each
    report, and its current version's JSON again where last year's figures decided some of its
    ambiguous cells (readers/previous.py, issue 10). Only such a report — rare — is loaded whole;
    every other pair is checked on facts alone. The version loaded is the newest: a person's
    correction (a new version, web/versions.py) is what the rules and the decision see, never
    the reading it corrected (issue 16 item 4)."""
    from xxgk.check import check, rules
    from xxgk.model import parse_report
    from xxgk.readers.previous import apply_decisions, decide_from_previous

    only = [r.id for r in rules() if r.scope == "cross-year"]
    for rid, prev in pairs:
        (m, cells), (pm, pcells) = facts[rid], facts[prev]
        report = report_from_facts(m.year, m.template, m.agency_name, cells)
        previous = report_from_facts(pm.year, pm.template, pm.agency_name, pcells)
        changed = None
        if _undecided_carry_over(cells):
            with db.session() as s:
                whole = current_version(s, rid)
            if whole is not None:
                full = parse_report(whole.data)
                decided = decide_from_previous(full, previous)
                if decided:
                    apply_decisions(full, decided)
                    report, changed = full, (whole.row_id, full.to_dict())
        yield rid, [f.model_dump(mode="json") for f in check(report, previous, only=only)], changed


def link(
    db: Database,
    *,
    run_id: int | None = None,
    aliases: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> int:
    """Agency identities + cross-year rules where the previous-year report changed; returns reports re-checked."""

    sync_agencies(db, run_id, aliases)
    done = 0
    for batch in _relinks(db):
        with db.session() as s:
            _recheck(db, s, batch)
            s.execute(
                update(ReportRow),
                [{"id": rid, "previous_id": prev, "changed_run": run_id} for rid, prev in batch],
            )
        done += len(batch)
        if progress:
            progress("cross-year", done, done)
    return done


def _recheck(db: Database, s: Session, batch: Sequence[tuple[int, int | None]]) -> None:
    """Replace the cross-year findings of each (report, previous report or None) in `batch`."""
    from xxgk.audit.pipeline import finding_identity, finding_row

    linked = [(rid, prev) for rid, prev in batch if prev is not None]
    facts = _facts(db, {i for pair in linked for i in pair})
    ids = [rid for rid, _ in batch]
    s.execute(delete(FindingRow).where(FindingRow.report_id.in_(ids), FindingRow.scope == SCOPE_CROSS_YEAR))
    rows = []
    for rid, found, changed in cross_check(db, linked, facts):
        m = facts[rid][0]
        for f in found:
            ident = finding_identity(m.agency_name, m.path, m.year, f["rule"], f.get("cells") or [])
            rows.append(finding_row(rid, ident, SCOPE_CROSS_YEAR, f))
        if changed is not None:  # cells last year's report decided (basis "previous")
            version_id, data = changed
            if version_id is None:  # the reading itself
                s.execute(update(ReportRow).where(ReportRow.id == rid).values(data=compact(data)))
            else:  # the person's newest version: the decision is stored where it was made
                s.execute(update(ReportVersion).where(ReportVersion.id == version_id).values(data=data))
            s.execute(delete(ReportFact).where(ReportFact.report_id == rid))
            s.execute(insert(FACTS), list(fact_rows(rid, data)))
    if rows:
        s.execute(insert(FINDINGS), rows)


def replace_facts(s: Session, report_id: int, report: dict[str, Any]) -> list[int]:
    """Given a report whose cells changed after it was stored (a person's correction makes a new
    version), store its facts anew and mark the reports that follow it (next year's, linked by
    `previous_id`) stale by unlinking them; returns their ids. In the caller's transaction, so a
    correction and its facts land together; `recheck_followers` then re-runs their cross-year
    rules, and should that not happen the next `link` re-checks them (their link differs).
    Without this next year's 上年结转 is compared with the value as read (annual-report.md C.3 Q7).
    """
    s.execute(delete(ReportFact).where(ReportFact.report_id == report_id))
    rows = list(fact_rows(report_id, report))
    if rows:
        s.execute(insert(FACTS), rows)
    followers = list(s.scalars(select(ReportRow.id).where(ReportRow.previous_id == report_id)))
    if followers:
        s.execute(update(ReportRow).where(ReportRow.id.in_(followers)).values(previous_id=None))
    return followers


def recheck_followers(db: Database, report_id: int, followers: Sequence[int]) -> None:
    """Re-run the cross-year rules of `followers` against `report_id`'s stored facts and link them again."""
    if not followers:
        return
    batch = [(rid, report_id) for rid in followers]
    with db.session() as s:
        _recheck(db, s, batch)
        s.execute(update(ReportRow), [{"id": rid, "previous_id": prev} for rid, prev in batch])
