"""Given a register and a year, the year's report: tables 3/4 and the fee cell by construction
(`construct`), table 2 from the office's input, the six sections from its texts; rendered as DOCX
(the official layout, or the office's own Word template through docxtpl) or HTML.

A published year is frozen: compiling it again shows how the register now differs from what was
published (`differences`), and never replaces the publication.
"""

from __future__ import annotations

import io
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xxgk.check import check
from xxgk.model import CellSource, Finding, Report, Value
from xxgk.register.cases import Register
from xxgk.register.construct import FEE_CELL, Construction, construct
from xxgk.register.errors import RegisterError
from xxgk.register.sections import fill, load_texts
from xxgk.templates import get_template

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "黑体"


@dataclass
class Compiled:
    construction: Construction
    findings: list[Finding] = field(default_factory=list)

    @property
    def report(self) -> Report:
        return self.construction.report


def load_table2(path: Path, template_id: str) -> dict[str, dict[str, Value]]:
    """Table 2's cells from a JSON or TOML file of the year's template keys (report-json.md)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RegisterError(f"{path}: cannot read: {exc.strerror}") from None
    return parse_table2(data, str(path), template_id)


def parse_table2(data: bytes, origin: str, template_id: str) -> dict[str, dict[str, Value]]:
    """Given a table 2 file's bytes (TOML when `origin` ends in .toml, else JSON), its cells;
    RegisterError naming `origin` when it is not one (the CLI's --table2 and the web upload)."""
    try:
        text = data.decode("utf-8")
        raw = tomllib.loads(text) if origin.lower().endswith(".toml") else json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise RegisterError(f"{origin}: not a JSON/TOML table 2 file: {exc}") from None
    return table2_cells(raw, origin, template_id)


def table2_cells(raw: Any, origin: str, template_id: str) -> dict[str, dict[str, Value]]:
    """Given a decoded table 2 object (`{"row": {"column": number}}`, or under a "table2" key),
    the cells, checked against the template: known cells, numbers, never the computed fee cell."""
    raw = raw.get("table2", raw) if isinstance(raw, dict) else raw
    if not isinstance(raw, dict):
        raise RegisterError(
            f'{origin}: table 2 is an object of rows (e.g. {{"licensing": {{"decisions": 12}}}})'
        )
    template = get_template(template_id)
    for row, cols in raw.items():
        if not isinstance(cols, dict):
            raise RegisterError(f"{origin}: table 2 row {row!r} must map columns to numbers")
        for col, value in cols.items():
            cell = f"table2.{row}.{col}"
            if not template.has_cell(cell):
                raise RegisterError(f"{origin}: {cell} is not a cell of the {template_id} template's table 2")
            if cell == FEE_CELL:
                raise RegisterError(f"{origin}: {cell} is computed from the register (R.6), not typed")
            try:
                Report.model_validate({"table2": {row: {col: value}}})
            except ValueError:
                raise RegisterError(f"{origin}: {cell}: {value!r} is not a number") from None
    return raw


def compile_year(
    register: Register,
    year: int,
    *,
    table2: dict[str, dict[str, Any]] | None = None,
    texts: dict[int, str] | None = None,
    texts_origin: str = "default texts",
) -> Compiled:
    """The report of `year`; cells of table 2 the office did not give stay empty (null)."""
    construction = construct(register, year)
    report = construction.report
    template = get_template(report.template or "")
    given = table2 or {}
    for row in template.table2.rows:
        for column in row.columns:
            cell = f"table2.{row.key}.{column.key}"
            if cell == FEE_CELL:
                continue
            value = given.get(row.key, {}).get(column.key)
            note = "本机关填报（表二输入）" if value is not None else "表二输入未填，留空"
            report.set(cell, value, CellSource(status="read" if value is not None else "blank", note=note))
    report.sections = fill(report, texts, texts_origin)
    # Re-validate so the table 2 input is held to the model's number rules.
    construction.report = Report.model_validate(report.model_dump())
    return Compiled(construction, check(construction.report))


def differences(published: Report, current: Report) -> list[tuple[str, Value, Value]]:
    """Cells whose value differs between a published report and the register's report now."""
    cells = {c for c, _ in published.iter_cells()} | {c for c, _ in current.iter_cells()}
    out = []
    for cell in sorted(cells):
        if not cell.startswith(("table3.", "table4.")) and cell != FEE_CELL:
            continue
        before = published.value(cell) if published.has(cell) else None
        after = current.value(cell) if current.has(cell) else None
        if before != after:
            out.append((cell, before, after))
    return out


def render_docx(report: Report, word_template: Path | None = None) -> bytes:
    """The report as DOCX: the official layout (仿宋 body, 黑体 title, A4), or the office's template."""
    if word_template is None:
        from xxgk.render.docx import render_docx as official

        return official(report, font=BODY_FONT, title_font=TITLE_FONT, page="A4")
    from docxtpl import DocxTemplate
    from jinja2.sandbox import SandboxedEnvironment

    try:
        doc = DocxTemplate(str(word_template))
        # autoescape: text is XML inside the DOCX, and an agency such as 甲&乙 cut the paragraph
        # silently; sandboxed: a template is a file from elsewhere, and Jinja can reach Python.
        doc.render(template_context(report), jinja_env=SandboxedEnvironment(), autoescape=True)
    except Exception as exc:  # docxtpl raises jinja2 and zip errors alike: name the file
        raise RegisterError(f"{word_template}: cannot fill the Word template: {exc}") from None
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def template_context(report: Report) -> dict[str, Any]:
    """What an office's Word template may use: agency, year, t2/t3/t4[row][column], sections[n]."""
    data = report.to_dict()
    return {
        "agency": report.agency,
        "year": report.year,
        "t2": data["table2"],
        "t3": data["table3"],
        "t4": data["table4"],
        "sections": {s.number: s.text for s in report.sections},
        "headings": {s.number: s.heading for s in report.sections},
    }


def render_html(report: Report) -> bytes:
    from xxgk.render import render

    return render(report, "html")


__all__ = [
    "Compiled",
    "compile_year",
    "differences",
    "load_table2",
    "load_texts",
    "parse_table2",
    "render_docx",
    "render_html",
    "table2_cells",
]
