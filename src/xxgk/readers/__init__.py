"""Readers: pure functions Document → Report, driven by the template definitions.

``read_report(doc)`` runs a pipeline of stages, each given values and returning new ones:

1. the template, from the labels (A.6) — ``_template``;
2. each template row's input (``rows.RowInput``), from the document's grids when they hold
   template tables (HTML, DOCX, PDF: exact columns, blank cells are real — grid_tables.py) and
   from the text otherwise (text_tables.py, anchors.py);
3. each row's readings (``rows.RowResult``) — candidates.py, glued.py; table 3 rows detached
   from their labels (detached.py) and a 2019 row in a 2021 table (mixed_rows.py);
4. the readings table 3 as a whole allows — solve.py;
5. each cell's value and provenance — provenance.py (units.py converts 元 to 万元);
6. the ledger of every table region's number tokens: those no cell took are reported
   (Report.unplaced) and make the cells they could belong to ambiguous — ledger.py;
7. ambiguous cells the report's own text decides — text_figures.py.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import lru_cache

from xxgk.adapters.base import Document, Position
from xxgk.errors import XxgkError
from xxgk.model import CellSource, Number, Report, split_cell
from xxgk.readers.anchors import Anchor, LetterStream
from xxgk.readers.candidates import adds_up, candidates_for, detached_result
from xxgk.readers.detached import read_detached
from xxgk.readers.grid_tables import read_grid_tables
from xxgk.readers.ledger import Ledger, account, unplaced_cells
from xxgk.readers.meta import read_agency, read_published, read_sections, read_year
from xxgk.readers.mixed_rows import PARTS, printed_blank, split_whole_row, unsplit_note, whole_row_anchor
from xxgk.readers.provenance import cell_sources
from xxgk.readers.rows import RowInput, RowResult
from xxgk.readers.site import agency_from_site
from xxgk.readers.solve import solve_table
from xxgk.readers.sources import make_source, unchecked_candidate
from xxgk.readers.text_figures import decide_from_text
from xxgk.readers.text_tables import TextTables, read_text_tables
from xxgk.readers.unheaded import table2_in_prose
from xxgk.readers.units import in_wan_yuan
from xxgk.templates import Template, all_templates, get_template, template_for_year

Rows = dict[str, RowInput]  # "table3.new" / "table4" → what the layout gave for the row
Results = dict[str, RowResult]  # the same keys → the row's readings
Cells = dict[str, tuple[Number | None, CellSource]]  # cell key → value and provenance

__all__ = ["Ledger", "NotAReportError", "read_report", "read_with_ledger"]


class NotAReportError(XxgkError, ValueError):
    """The document is not a disclosure annual report (or has none of its tables)."""


def _template(stream: LetterStream, year: int | None) -> Template | None:
    """The template whose distinctive labels occur (annual-report.md A.6), else the year's.

    Same rule as xxgk.templates.detect_template, counted on the letter stream: calling that
    with a whole document would keep every document text in label_key's cache.
    """
    counts = {t.id: sum(1 for m in t.marker_letters if m in stream.keys) for t in all_templates()}
    best = max(counts.values())
    winners = [tid for tid, n in counts.items() if n == best]
    if best > 0 and len(winners) == 1:
        return get_template(winners[0])
    if year is not None:
        return template_for_year(year)
    return None


def _read_detached(
    text: str, tables: TextTables, template: Template, rows: Rows, results: Results
) -> tuple[Rows, Results, list[str]]:
    """Given the rows read by label, return them with table 3 read from its pinned and floating
    rows (readers/detached.py) instead, and what the report should say.

    Looked at only when reading by label left some table 3 row inexact: a page whose labels
    drifted from its values always leaves one (the first label of a drifted run has nothing
    after it), and an ordinary page is never second-guessed. The note is said only when the
    value rows changed what the labels had given.
    """
    t3 = [f"table3.{r.key}" for r in template.table3.rows]
    if tables.table3_span is None or all(_laid_out(results[k]) for k in t3):
        return rows, results, []
    detached = read_detached(text, tables.table3_span, tables.anchors, template)
    if detached is None:
        return rows, results, []
    rows, results = dict(rows), dict(results)
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
    return rows, results, notes


def _laid_out(result: RowResult) -> bool:
    """Read cell for cell as printed (an approximated cell among them: 约5 is ambiguous, not lost)."""
    return result.how == "exact" or (result.how == "approx" and bool(result.options))


def _adds_up(result: RowResult) -> bool:
    return result.how == "exact" and adds_up(result.options[0], result.row.groups)


def _values(result: RowResult) -> tuple[Number | None, ...] | None:
    """A row's numbers when it has one reading (blank = 0), else None."""
    if len(result.options) != 1:
        return None
    return tuple(value or 0 for value, _ in result.options[0])


def _candidates(rows: Rows) -> tuple[Rows, Results]:
    """Given the rows' inputs, return them (marked blanks_dropped where the page dropped empty
    cells) with every row's readings (in row order).

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
                rows = {k: replace(r, blanks_dropped=True) if k in glued else r for k, r in rows.items()}
                early = {}
                break
    return rows, {k: early[k] if k in early else candidates_for(r) for k, r in rows.items()}


def read_report(doc: Document) -> Report:
    """Document → Report. Raises NotAReportError when no template table is found."""
    return read_with_ledger(doc)[0]


def read_with_ledger(doc: Document) -> tuple[Report, Ledger]:
    """Document → (Report, the ledger of the number tokens of its table regions: readers/ledger.py).

    Raises NotAReportError when no template table is found."""
    text = doc.text
    year = read_year(text)
    stream = LetterStream.of(text)
    template = _template(stream, year)
    if template is None:
        raise NotAReportError(
            "not a government information disclosure annual report (no template labels found)"
        )
    grid_rows = read_grid_tables(doc.grids, template) if doc.grids else {}
    # A PDF's text layer prints no empty cell, whatever the report printed: a table 3 row read
    # from it has dropped its blanks because of the format, not the report's layout, so the 自然人
    # convention is a guess there and its cells stay ambiguous (the word geometry could not
    # tell; issue 10).
    # the grids hold every table: the text path has nothing to add
    if template.printed_rows <= grid_rows.keys():
        tables = TextTables(dict(grid_rows), glued=False)
    else:
        tables = read_text_tables(stream, template)
        if doc.kind == "pdf":
            tables = replace(tables, rows={k: replace(r, convention=False) for k, r in tables.rows.items()})
        tables = replace(tables, rows={**tables.rows, **grid_rows})  # exact columns win over the text
    found = sum(1 for r in tables.rows.values() if r.anchored)
    if found < 3:
        raise NotAReportError("no statistics tables of an annual report found (tables 2–4 missing)")
    rows, results = _candidates(tables.rows)
    notes = list(doc.warnings)  # what the adapter could not read (scanned pages, …) is said, not lost
    if not doc.grids:
        rows, results, said = _read_detached(text, tables, template, rows, results)
        notes.extend(said)
    results, mixed, kept = _whole_row(stream, tables.anchors, rows, template, results)
    if mixed is not None:
        notes.append("table 3 prints the 2019 template's single row （六）其他处理 (kept as table3.other)")
    t3 = {k.split(".", 1)[1]: v for k, v in results.items() if k.startswith("table3.")}
    solved = solve_table(t3, template.table3_shape)
    results = {k: solved[k.split(".", 1)[1]] if k.startswith("table3.") else v for k, v in results.items()}
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
        url=doc.meta.get("url"),
        sections=read_sections(text, template),
    )
    for table in template.tables:
        report.table_data(table.key).update({row.key: {} for row in table.rows})
    missing = [k for k, r in results.items() if r.how == "missing"]
    if missing:
        notes.append("rows not found in the document: " + ", ".join(missing))
    pictured = _pictured_tables(doc, template, missing)
    if pictured:
        notes.append(
            f"{', '.join(pictured)} not in the page's text; it has {doc.meta['pictures']} pictures (<img>), "
            "the table may be printed as one: its cells are not read (ambiguous)"
        )
    text_rows = [a for a in tables.anchors if a.key.startswith("table2.") and a.key not in grid_rows]
    in_prose = table2_in_prose(stream, text_rows)
    if in_prose:
        notes.append("table 2's rows were found only in prose (no header or 第二十条 caption near them)")
    report.notes = "; ".join(notes) or None
    report_cells = report.cells
    data_of = {"table2": report.table2, "table3": report.table3, "table4": report.table4}
    money = template.money_cells
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
    report.cells.update(_missing_cells(report, template))
    ledger = account(rows, results, kept)
    if ledger.unplaced:
        report.unplaced = ledger.report()
        for cell, src in unplaced_cells(ledger, rows, results, report.cells).items():
            report.set(cell, None, src)
    for cell, (value, source) in decide_from_text(report, text).items():
        report.set(cell, value, source)
    for key in pictured:
        for cell in template.cell_keys:
            if cell.startswith(f"{key}."):
                report.set(cell, None, CellSource(status="ambiguous", note=f"{key} printed as a picture?"))
    if in_prose:
        for anchor in text_rows:
            for cell in template.row_plans[anchor.key][0]:
                _as_mention(report, cell)
    return report, ledger


def _as_mention(report: Report, cell: str) -> None:
    """A cell read from a label named in prose: its figure is a candidate, not a reading."""
    value = report.value(cell)
    was = report.cells.get(cell)
    candidates = list(was.candidates or []) if was is not None else []
    if value is not None:
        candidates.append(unchecked_candidate(cell, value))
    report.set(
        cell,
        None,
        make_source(
            status="ambiguous",
            note="table 2 not printed as a table here: this row's label was found in prose",
            candidates=candidates or None,
        ),
    )


def _pictured_tables(doc: Document, template: Template, missing: list[str]) -> list[str]:
    """Given a document and the rows not found, return the tables none of whose rows is in the
    text while the page shows pictures: such a table is most likely one of them (issue 10,
    family html-images), so its cells are ambiguous, never blank."""
    if not doc.meta.get("pictures"):
        return []
    gone = set(missing)
    return [
        t.key for t in template.tables if all(f"{t.key}.{r.key}" in gone or t.key in gone for r in t.rows)
    ]


def _whole_row(
    stream: LetterStream, anchors: list[Anchor], rows: Rows, template: Template, results: Results
) -> tuple[Results, Cells | None, list[Position]]:
    """A 2021 table 3 printing 2019's single （六）其他处理 row (readers/mixed_rows.py): given the
    rows' readings, return them with its three sub-rows left out of the solver, the cells to
    set once the report is built (None: no such row) and where the tokens it placed were printed."""
    at = whole_row_anchor(stream, anchors, rows) if template.id == "2021" else None
    if at is None:
        return results, None, []
    whole = rows[at.key]
    if not whole.tokens and (blank := printed_blank(stream.text, at, anchors, len(whole.cells))) is not None:
        whole = replace(whole, tokens=blank)  # printed with every cell empty: blank, on evidence
    split = split_whole_row(whole, template)
    left_out = {f"table3.{p}": RowResult(rows[f"table3.{p}"], [], "overfull") for p in PARTS}
    results = {k: left_out.get(k, r) for k, r in results.items()}
    if split is None:  # its sub-rows ambiguous, saying what the page shows (a cut, most often)
        note = unsplit_note(whole, len(whole.cells))
        unknown = make_source(status="ambiguous", note=note)
        return results, {cell: (None, unknown) for p in PARTS for cell in rows[f"table3.{p}"].cells}, []
    kept, parts = split
    return results, {**parts, **kept}, [t.pos for t in rows[at.key].tokens]


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


def _missing_cells(report: Report, template: Template) -> dict[str, CellSource]:
    """Provenance for every template cell no reader produced (its value left absent)."""
    return {
        key: CellSource(status="blank", note="not found in the document")
        for key in template.cell_keys
        if key not in report.cells
    }
