"""The two official templates (2019 试行 and 2021), loaded once from the TOML data in `spec/`.

Every other part of xxgk — readers, the checker, renderers, storage — asks this module which
rows, columns and cells a template has, instead of spelling them out again.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Literal

from xxgk.text import label_key, text_key

TemplateId = Literal["2019", "2021"]
TEMPLATE_IDS: tuple[TemplateId, ...] = ("2019", "2021")
TABLES = ("table2", "table3", "table4")
TableKey = Literal["table2", "table3", "table4"]
CellKind = Literal["count", "signed", "amount"]
RowRole = Literal["item", "intake", "disposal", "disposal_total", "carry_forward", "case"]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: CellKind = "count"
    unit: str | None = None
    parent: str | None = None
    variants: tuple[str, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.variants)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    columns: tuple[Column, ...]
    role: RowRole = "item"
    number: str = ""
    group: str | None = None
    group_label: str | None = None
    caption: str | None = None
    parent: str | None = None
    variants: tuple[str, ...] = ()

    @property
    def printed(self) -> str:
        """The label as the template prints it, numbering included (e.g. "1.属于国家秘密")."""
        return f"{self.number}{self.label}"

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.variants)

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(f"{self.key} has no column {key!r}")


@dataclass(frozen=True)
class Table:
    key: TableKey
    title: str
    rows: tuple[Row, ...]
    note: str | None = None
    groups: tuple[tuple[str, str, str], ...] = ()  # (key, number, label)

    def row(self, key: str) -> Row:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(f"{self.key} has no row {key!r}")

    def rows_with_role(self, role: RowRole) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.role == role)

    @property
    def columns(self) -> tuple[Column, ...]:
        """The shared columns of a uniform table (3 and 4); table 2's first block for table 2."""
        return self.rows[0].columns


@dataclass(frozen=True)
class Section:
    number: int
    heading: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class CellDef:
    """One cell of a template: where it is and what it may hold."""

    table: TableKey
    row: Row
    column: Column

    @property
    def key(self) -> str:
        return f"{self.table}.{self.row.key}.{self.column.key}"


@dataclass(frozen=True)
class Template:
    id: TemplateId
    name: str
    document: str
    first_year: int
    last_year: int | None
    markers: tuple[str, ...]
    sections: tuple[Section, ...]
    table2: Table
    table3: Table
    table4: Table
    _cells: dict[str, CellDef] = field(default_factory=dict, compare=False, repr=False)

    def table(self, key: str) -> Table:
        if key not in TABLES:
            raise KeyError(f"no table {key!r}")
        table: Table = getattr(self, key)
        return table

    @property
    def tables(self) -> tuple[Table, Table, Table]:
        return (self.table2, self.table3, self.table4)

    def cells(self) -> Iterator[CellDef]:
        for table in self.tables:
            for row in table.rows:
                for col in row.columns:
                    yield CellDef(table.key, row, col)

    def cell(self, key: str) -> CellDef:
        """The cell definition for a key like "table3.new.total" (KeyError if the template lacks it)."""
        if not self._cells:
            self._cells.update({c.key: c for c in self.cells()})
        return self._cells[key]

    def has_cell(self, key: str) -> bool:
        try:
            self.cell(key)
        except KeyError:
            return False
        return True

    def covers_year(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)


def _columns(raw: list[dict[str, object]]) -> tuple[Column, ...]:
    cols = []
    for c in raw:
        cols.append(
            Column(
                key=str(c["key"]),
                label=str(c["label"]),
                kind=c.get("kind", "count"),  # type: ignore[arg-type]
                unit=c.get("unit"),  # type: ignore[arg-type]
                parent=c.get("parent"),  # type: ignore[arg-type]
                variants=tuple(c.get("variants", ())),  # type: ignore[arg-type]
            )
        )
    return tuple(cols)


def _load(template_id: TemplateId) -> Template:
    raw = tomllib.loads(
        resources.files("xxgk.spec").joinpath(f"template_{template_id}.toml").read_text("utf-8")
    )
    t2 = raw["table2"]
    blocks = {name: (b["caption"], _columns(b["columns"])) for name, b in t2["blocks"].items()}
    table2 = Table(
        key="table2",
        title=t2["title"],
        rows=tuple(
            Row(
                key=r["key"],
                label=r["label"],
                columns=blocks[r["block"]][1],
                caption=blocks[r["block"]][0],
                variants=tuple(r.get("variants", ())),
            )
            for r in t2["rows"]
        ),
    )
    t3 = raw["table3"]
    cols3 = _columns(t3["columns"])
    groups = {g["key"]: (g["number"], g["label"]) for g in t3["groups"]}
    table3 = Table(
        key="table3",
        title=t3["title"],
        note=t3.get("note"),
        groups=tuple((k, n, lab) for k, (n, lab) in groups.items()),
        rows=tuple(
            Row(
                key=r["key"],
                label=r["label"],
                number=r.get("number", ""),
                columns=cols3,
                role=r["role"],
                group=r.get("group"),
                group_label=groups[r["group"]][1] if r.get("group") else None,
                variants=tuple(r.get("variants", ())),
            )
            for r in t3["rows"]
        ),
    )
    t4 = raw["table4"]
    cols4 = _columns(t4["columns"])
    table4 = Table(
        key="table4",
        title=t4["title"],
        rows=tuple(
            Row(key=r["key"], label=r["label"], columns=cols4, role="case", parent=r.get("parent"))
            for r in t4["rows"]
        ),
    )
    return Template(
        id=template_id,
        name=raw["name"],
        document=raw["document"],
        first_year=raw["first_year"],
        last_year=raw.get("last_year"),
        markers=tuple(raw["markers"]),
        sections=tuple(Section(s["number"], s["heading"], tuple(s["keywords"])) for s in raw["sections"]),
        table2=table2,
        table3=table3,
        table4=table4,
    )


@cache
def get_template(template_id: str) -> Template:
    """The template "2019" or "2021" (ValueError for anything else)."""
    if template_id not in TEMPLATE_IDS:
        raise ValueError(f"unknown template {template_id!r}; known: {', '.join(TEMPLATE_IDS)}")
    return _load(template_id)


def all_templates() -> tuple[Template, ...]:
    return tuple(get_template(t) for t in TEMPLATE_IDS)


def template_for_year(year: int) -> Template | None:
    """The template a report on `year` must use; None before 2019 (no national table layout)."""
    for template in reversed(all_templates()):
        if template.covers_year(year):
            return template
    return None


def marker_counts(text: str) -> dict[TemplateId, int]:
    """How many of each template's distinctive labels occur in `text` (any script or width)."""
    key = text_key(text)  # uncached: a whole document must not stay in label_key's cache
    return {t.id: sum(1 for m in t.markers if label_key(m) in key) for t in all_templates()}


def detect_template(text: str) -> TemplateId | None:
    """The template whose distinctive labels the document uses (annual-report.md A.6); None if neither."""
    counts = marker_counts(text)
    best = max(counts.values())
    if best == 0:
        return None
    winners = [t for t, n in counts.items() if n == best]
    return winners[0] if len(winners) == 1 else None
