"""The two official templates (2019 试行 and 2021), loaded once from the TOML data in `spec/`.

Every other part of xxgk — readers, the checker, renderers, storage — asks this module which
rows, columns and cells a template has, instead of spelling them out again. The views the
readers need of a template (its row plans, label letters, table 3's shape, …) are cached
properties of the Template object: worked out once per process, never keyed by a hash of it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Literal

from xxgk.text import label_key, letters, text_key

TemplateId = Literal["2019", "2021"]
TEMPLATE_IDS: tuple[TemplateId, ...] = ("2019", "2021")
TABLES = ("table2", "table3", "table4")
TableKey = Literal["table2", "table3", "table4"]
CellKind = Literal["count", "signed", "amount"]
RowRole = Literal["item", "intake", "disposal", "disposal_total", "carry_forward", "case"]
Groups = tuple[tuple[tuple[int, ...], int], ...]  # (item columns, total column) per group of a row
# A printed row's plan: its cell keys, its groups (each 总计 = its items), and whether the 自然人
# convention applies to it (table 3, annual-report.md A.4)
RowPlan = tuple[tuple[str, ...], Groups, bool]


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
    # (row key an older template prints, the rows this one splits it into): a report mixing the
    # templates prints the whole row, e.g. 2019's （六）其他处理 in a 2021 table 3
    whole_rows: tuple[tuple[str, tuple[str, ...]], ...] = ()

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
class Table3Shape:
    """Table 3's rows by role and its columns: what the column identities name (A.4)."""

    intake: tuple[str, ...]
    disposal: tuple[str, ...]
    total_row: str
    carry: str
    columns: tuple[str, ...]


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

    @cached_property
    def cells_by_key(self) -> dict[str, CellDef]:
        return {c.key: c for c in self.cells()}

    @cached_property
    def cell_keys(self) -> tuple[str, ...]:
        """Every cell key, in template order."""
        return tuple(self.cells_by_key)

    def cell(self, key: str) -> CellDef:
        """The cell definition for a key like "table3.new.total" (KeyError if the template lacks it)."""
        return self.cells_by_key[key]

    @cached_property
    def money_cells(self) -> frozenset[str]:
        """Keys of the cells held in 万元."""
        return frozenset(c.key for c in self.cells() if c.column.unit == "万元")

    @cached_property
    def marker_letters(self) -> tuple[str, ...]:
        """The distinctive labels (A.6) as letter-stream keys."""
        return tuple(letters(m) for m in self.markers)

    @cached_property
    def printed_rows(self) -> frozenset[str]:
        """Row keys of tables 2 and 3, plus "table4": what a document's grids must hold in full."""
        return frozenset(
            {f"{t.key}.{r.key}" for t in (self.table2, self.table3) for r in t.rows} | {"table4"}
        )

    @cached_property
    def table3_shape(self) -> Table3Shape:
        t3 = self.table3
        return Table3Shape(
            intake=tuple(r.key for r in t3.rows if r.role == "intake"),
            disposal=tuple(r.key for r in t3.rows if r.role == "disposal"),
            total_row=next(r.key for r in t3.rows if r.role == "disposal_total"),
            carry=next(r.key for r in t3.rows if r.role == "carry_forward"),
            columns=tuple(c.key for c in t3.columns),
        )

    @cached_property
    def table4_cells(self) -> tuple[tuple[str, ...], Groups]:
        """Table 4 as one printed row of 15 cells, with each group's 总计 = its four parts (A.5)."""
        cells: list[str] = []
        groups: list[tuple[tuple[int, ...], int]] = []
        for row in self.table4.rows:
            base = len(cells)
            keys = [c.key for c in row.columns]
            cells.extend(f"table4.{row.key}.{k}" for k in keys)
            if "total" in keys:
                t = keys.index("total")
                groups.append((tuple(base + i for i in range(len(keys)) if i != t), base + t))
        return tuple(cells), tuple(groups)

    @cached_property
    def row_plans(self) -> dict[str, RowPlan]:
        """Per printed row (tables 2 and 3 in template order, then "table4"): its plan."""
        plans: dict[str, RowPlan] = {}
        for table in (self.table2, self.table3):
            for row in table.rows:
                cells, groups = _row_shape(table.key, row)
                plans[f"{table.key}.{row.key}"] = (cells, groups, table.key == "table3")
        plans["table4"] = (*self.table4_cells, False)
        return plans

    @cached_property
    def label_letters(self) -> tuple[tuple[TableKey, Row, tuple[str, ...]], ...]:
        """Tables 2 and 3's rows in order, each with the letter keys of its labels."""
        return tuple(
            (t.key, r, tuple(letters(lab) for lab in r.labels))
            for t in (self.table2, self.table3)
            for r in t.rows
        )

    @cached_property
    def header_letters(self) -> frozenset[str]:
        """Letter keys of the column headers (and the header words every template prints)."""
        words = {"申请人情况", "法人或其他组织", "信息内容"}
        for table in self.tables:
            for row in table.rows:
                words.update(letters(lab) for col in row.columns for lab in col.labels)
        return frozenset(w for w in words if w)

    def has_cell(self, key: str) -> bool:
        try:
            self.cell(key)
        except KeyError:
            return False
        return True

    def covers_year(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)


def _row_shape(table_key: str, row: Row) -> tuple[tuple[str, ...], Groups]:
    """Cell keys of a row, and table 3's row identity 总计 = the six applicant columns (A.4)."""
    cells = tuple(f"{table_key}.{row.key}.{c.key}" for c in row.columns)
    keys = [c.key for c in row.columns]
    if table_key == "table3" and "total" in keys:
        t = keys.index("total")
        return cells, ((tuple(i for i in range(len(keys)) if i != t), t),)
    return cells, ()


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
        whole_rows=tuple(
            (g["whole"], tuple(r["key"] for r in t3["rows"] if r.get("group") == g["key"]))
            for g in t3["groups"]
            if "whole" in g
        ),
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
