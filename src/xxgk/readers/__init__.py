"""Readers: pure functions Document → Report, driven by the template definitions.

``read_report(doc)`` picks the template from the labels (xxgk.templates.detect_template, A.6),
reads tables 2–4 from the document's grids when they hold template tables (HTML, DOCX, PDF:
exact columns, blank cells are real) and from the text otherwise, settles leftovers with the
table arithmetic (xxgk.readers.place), and records provenance for every template cell.
"""

from __future__ import annotations

from datetime import date
from functools import cache, lru_cache

from xxgk.adapters.base import Document
from xxgk.model import CellSource, Number, Report, split_cell
from xxgk.readers.anchors import LetterStream, letters
from xxgk.readers.detached import read_detached
from xxgk.readers.grid_tables import read_grid_tables
from xxgk.readers.meta import read_agency, read_published, read_sections, read_year
from xxgk.readers.mixed_rows import PARTS, split_whole_row, whole_row_anchor
from xxgk.readers.place import (
    RowInput,
    RowResult,
    Table3Shape,
    adds_up,
    candidates_for,
    cell_sources,
    detached_result,
    solve_table,
)
from xxgk.readers.site import agency_from_site
from xxgk.readers.text_figures import decide_from_text
from xxgk.readers.text_tables import TextTables, read_text_tables
from xxgk.readers.units import in_wan_yuan, wan_yuan_cells
from xxgk.templates import Template, all_templates, get_template, template_for_year

__all__ = ["NotAReportError", "read_report"]


class NotAReportError(ValueError):
    """The document is not a disclosure annual report (or has none of its tables)."""


def _template(stream: LetterStream, year: int | None) -> Template | None:
    """The template whose distinctive labels occur (annual-report.md A.6), else the year's.

    Same rule as xxgk.templates.detect_template, counted on the letter stream: calling that
    with a whole document would keep every document text in label_key's cache.
    """
    counts = {tid: sum(1 for m in markers if m in stream.keys) for tid, markers in _marker_letters()}
    best = max(counts.values())
    winners = [tid for tid, n in counts.items() if n == best]
    if best > 0 and len(winners) == 1:
        return get_template(winners[0])
    if year is not None:
        return template_for_year(year)
    return None


@cache
def _marker_letters() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each template's distinctive labels as letter-stream keys (computed once per process)."""
    return tuple((t.id, tuple(letters(m) for m in t.markers)) for t in all_templates())


@cache
def _wanted(template_id: str) -> frozenset[str]:
    """Row keys of tables 2 and 3, plus "table4": what a document's grids must hold in full."""
    template = get_template(template_id)
    return frozenset(
        {f"{t.key}.{r.key}" for t in (template.table2, template.table3) for r in t.rows} | {"table4"}
    )


@cache
def _shape(template_id: str) -> Table3Shape:
    t3 = get_template(template_id).table3
    return Table3Shape(
        intake=tuple(r.key for r in t3.rows if r.role == "intake"),
        disposal=tuple(r.key for r in t3.rows if r.role == "disposal"),
        total_row=next(r.key for r in t3.rows if r.role == "disposal_total"),
        carry=next(r.key for r in t3.rows if r.role == "carry_forward"),
        columns=tuple(c.key for c in t3.columns),
    )


def _read_detached(
    text: str,
    tables: TextTables,
    template: Template,
    rows: dict[str, RowInput],
    results: dict[str, RowResult],
) -> list[str]:
    """Table 3 from its pinned and floating rows (readers/detached.py); what the report should say.

    Looked at only when reading by label left some table 3 row inexact: a page whose labels
    drifted from its values always leaves one (the first label of a drifted run has nothing
    after it), and an ordinary page is never second-guessed. The note is said only when the
    value rows changed what the labels had given.
    """
    t3 = [f"table3.{r.key}" for r in template.table3.rows]
    if tables.table3_span is None or all(results[k].how == "exact" for k in t3):
        return []
    detached = read_detached(text, tables.table3_span, tables.anchors, template)
    if detached is None:
        return []
    notes = []
    changed = False
    conflicts = []
    for key, cells in detached.rows.items():
        label = rows[key]
        by_label = _values(results[key])
        rows[key] = RowInput(label.cells, cells, label.groups, convention=True)
        results[key] = candidates_for(rows[key])
        own = detached.own_numbers(label.tokens)
        given = [t.text for t in cells if not t.blank]
        if own and own != given and (len(own) >= len(given) or not _adds_up(results[key])):
            # the label's own lines hold a reading of their own (a row wrapped over lines) and
            # the value row it is given is another, or does not even add up (a stray row of
            # numbers): which is right cannot be told. A lone stray number (103's "1") is no
            # reading of its own.
            results[key] = detached_result(rows[key], [cells])
            conflicts.append(key.split(".", 1)[1])
            continue
        changed = changed or _values(results[key]) != by_label
    if changed:
        notes.append("table 3 read row by row in template order (labels detached from values)")
    if conflicts:
        notes.append(
            "table 3 rows whose labelled values and loose value rows disagree: "
            + ", ".join(conflicts)
            + ": left ambiguous"
        )
    for part in detached.unsure:
        for position, key in enumerate(part.keys):
            results[key] = detached_result(rows[key], part.choices(position))
        first, last = (k.split(".", 1)[1] for k in (part.keys[0], part.keys[-1]))
        notes.append(
            f"table 3 rows {first} to {last}: {len(part.value_rows)} value rows for {len(part.keys)} "
            "template rows, labels detached from values: left ambiguous"
        )
    return notes


def _adds_up(result: RowResult) -> bool:
    return result.how == "exact" and adds_up(result.options[0], result.row.groups)


def _values(result: RowResult) -> tuple[Number | None, ...] | None:
    """A row's numbers when it has one reading (blank = 0), else None."""
    if len(result.options) != 1:
        return None
    return tuple(value or 0 for value, _ in result.options[0])


def _candidates(rows: dict[str, RowInput]) -> dict[str, RowResult]:
    """Every row's readings (in row order).

    Glued text where some table-3/4 row has no full split that adds up: the page dropped empty
    cells as well, so every glued row is read allowing missing cells (more ambiguity, no false
    certainty). Pages that print every cell (101, 102) keep the full-split reading. The deciding
    rows are read first and the first misfit stops that pass, so no row is split twice for
    nothing.
    """
    glued = [k for k, r in rows.items() if r.glued and r.tokens]
    early: dict[str, RowResult] = {}
    for k in glued:
        if k.startswith("table3.") or k == "table4":
            early[k] = candidates_for(rows[k])
            if not early[k].fits:
                for g in glued:
                    rows[g].blanks_dropped = True
                early = {}
                break
    return {k: early[k] if k in early else candidates_for(r) for k, r in rows.items()}


def read_report(doc: Document) -> Report:
    """Document → Report. Raises NotAReportError when no template table is found."""
    text = doc.text
    year = read_year(text)
    stream = LetterStream.of(text)
    template = _template(stream, year)
    if template is None:
        raise NotAReportError(
            "not a government information disclosure annual report (no template labels found)"
        )
    grid_rows = read_grid_tables(doc.grids, template) if doc.grids else {}
    # the grids hold every table: the text path has nothing to add
    if _wanted(template.id) <= grid_rows.keys():
        tables = TextTables(dict(grid_rows), glued=False)
    else:
        tables = read_text_tables(stream, template)
        tables.rows.update(grid_rows)  # exact columns win over the text reading
    rows = tables.rows
    found = sum(1 for r in rows.values() if r.anchored)
    if found < 3:
        raise NotAReportError("no statistics tables of an annual report found (tables 2–4 missing)")
    results = _candidates(rows)
    notes = list(doc.warnings)  # what the adapter could not read (scanned pages, …) is said, not lost
    if not doc.grids:
        notes.extend(_read_detached(text, tables, template, rows, results))
    mixed = _whole_row(stream, tables, template, results)
    if mixed is not None:
        notes.append("table 3 prints the 2019 template's single row （六）其他处理 (kept as table3.other)")
    t3 = {k.split(".", 1)[1]: v for k, v in results.items() if k.startswith("table3.")}
    solve_table(t3, _shape(template.id))
    for k, v in results.items():
        if not k.startswith("table3."):
            solve_table({k: v}, None)
    agency = read_agency(text)
    if agency is None and (agency := agency_from_site(doc.meta, text)) is not None:
        # the audit's crawl manifest ranks above the site: it looks for this note (apply_manifest)
        notes.append("agency from the page's <meta> tags (no title, statement or signature names it)")
    if agency is None:  # never a fragment: a person (or a crawl manifest) names the body
        notes.append("agency not identified: no title, statement or signature names the reporting body")
    report = Report(
        agency=agency,
        year=year,
        template=template.id,
        published=_published(doc),
        source=doc.source,
        sections=read_sections(text, template),
    )
    for table in template.tables:
        report.table_data(table.key).update({row.key: {} for row in table.rows})
    missing = [k for k, r in results.items() if r.how == "missing"]
    if missing:
        notes.append("rows not found in the document: " + ", ".join(missing))
    report.notes = "; ".join(notes) or None
    report_cells = report.cells
    data_of = {"table2": report.table2, "table3": report.table3, "table4": report.table4}
    money = wan_yuan_cells(template.id)
    for res in results.values():
        sources = cell_sources(res)
        if res.how == "missing":  # a row the document lacks stays absent: check's C-TEMPLATE-CELLS
            for cell, (_, src) in sources.items():
                report_cells[cell] = src
            continue
        for (t_key, r_key, c_key), (cell, (value, src)) in zip(
            _split_cells(res.row.cells), sources.items(), strict=True
        ):
            if value is not None and cell in money:
                value, src = in_wan_yuan(value, src, text)
            report_cells[cell] = src
            data_of[t_key][r_key][c_key] = value
    for table in template.tables:
        data = report.table_data(table.key)
        for key in [k for k, cols in data.items() if not cols]:
            del data[key]
    for cell, (value, src) in (mixed or {}).items():
        report.set(cell, value, src)
    _fill_missing(report, template)
    for cell, (value, source) in decide_from_text(report, text).items():
        report.set(cell, value, source)
    return report


def _whole_row(
    stream: LetterStream, tables: TextTables, template: Template, results: dict[str, RowResult]
) -> dict[str, tuple[Number | None, CellSource]] | None:
    """A 2021 table 3 printing 2019's single （六）其他处理 row (readers/mixed_rows.py): its three
    sub-rows are left out of the solver, and the cells to set once the report is built."""
    at = whole_row_anchor(stream, tables.anchors, tables.rows) if template.id == "2021" else None
    if at is None:
        return None
    split = split_whole_row(tables.rows[at.key], template)
    for part in PARTS:
        key = f"table3.{part}"
        results[key] = RowResult(tables.rows[key], [], "overfull")
    if split is None:
        return {}
    kept, parts = split
    return {**parts, **kept}


def _published(doc: Document) -> date | None:
    raw = doc.meta.get("published")
    if raw:
        try:
            return date.fromisoformat(raw[:10])
        except ValueError:
            pass
    return read_published(doc.text)


@lru_cache(maxsize=1024)
def _split_cells(cells: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    """("table3.new.total", …) → (("table3", "new", "total"), …), once per template row."""
    return tuple(split_cell(c) for c in cells)


@cache
def _cell_keys(template_id: str) -> tuple[str, ...]:
    return tuple(c.key for c in get_template(template_id).cells())


def _fill_missing(report: Report, template: Template) -> None:
    """Provenance for every template cell, even one no reader produced (value left absent)."""
    for key in _cell_keys(template.id):
        if key not in report.cells:
            report.cells[key] = CellSource(status="blank", note="not found in the document")
