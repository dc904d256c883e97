"""Tables 2–4 from laid-out grids (HTML, DOCX, PDF): the "easy" path with exact columns.

A grid row is matched to a template row by its rightmost label cell (letter key equal, or one
containing the other for cut labels); the cells after it are the values, empty cells being real
blanks. Spans were expanded by the adapter, so a colspan cell appears once per column: it is
counted once here. Table 4 is the row of (up to) 15 value cells under its header.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from functools import lru_cache

from xxgk.adapters.base import Grid, GridCell
from xxgk.readers.rows import RowInput, Tok, parse_number
from xxgk.templates import RowPlan, Template
from xxgk.text import letters, strip_numbering


def _unique(cells: list[GridCell | None]) -> list[GridCell]:
    out: list[GridCell] = []
    for c in cells:
        if c is not None and (not out or out[-1] is not c):
            out.append(c)
    return out


_DASHES = ("-", "—", "/", "无")


@lru_cache(maxsize=4096)
def _kind(text: str) -> str:
    """One letter per cell: "L" a label, "N" a number, "-" blank or a dash.

    A row's kinds then form a string that str.find / rfind search in C, and the same texts
    ("", "0", "1", the template's labels) recur in every report: each is classified once.
    """
    t = text.strip()
    if not t:
        return "-"
    if parse_number(t) is not None:
        return "N"
    return "-" if t in _DASHES else "L"


@lru_cache(maxsize=4096)
def _label_letters(label: str) -> str:
    """The letters a label cell is matched on (the same labels recur in every report)."""
    return letters(strip_numbering(label))


@lru_cache(maxsize=4096)
def _cell_letters(text: str) -> str:
    return letters(text)


class _Rows:
    """Tables 2 and 3 of a template, indexed for label matching once per document (not once per
    grid cell), from the label letters the template works out once (Template.label_letters)."""

    def __init__(self, template: Template) -> None:
        labelled = template.label_letters
        self.rows = [(table_key, row) for table_key, row, _ in labelled]
        self.exact: dict[str, list[int]] = {}  # label letters → row indices, ascending
        self.long: list[tuple[str, ...]] = []  # per row: its label letters of 4+ letters
        for i, (_, _, keys) in enumerate(labelled):
            for k in dict.fromkeys(keys):
                self.exact.setdefault(k, []).append(i)
            self.long.append(tuple(k for k in keys if len(k) >= 4))
        self.header_words = template.header_letters

    def match(self, label: str, start: int) -> int | None:
        """The row whose label letters equal the label's (else contain it or are contained in
        it, both 4+ letters), searching from ``start`` onwards and then wrapping around."""
        key = _label_letters(label)
        if not key:
            return None
        hits = self.exact.get(key)
        if hits:
            j = bisect_left(hits, start)
            return hits[j] if j < len(hits) else hits[0]
        if len(key) < 4:
            return None
        n = len(self.rows)
        for i in (*range(start, n), *range(0, start)):
            if any(key in lk or lk in key for lk in self.long[i]):
                return i
        if len(key) >= 8:  # an OCR'd label that lost or misread one character (issue 15)
            for i in (*range(start, n), *range(0, start)):
                if any(_one_edit(key, lk) for lk in self.long[i] if len(lk) >= 8):
                    return i
        return None

    def joined(self, label: str, idx: int) -> int | None:
        """Another row of the same table whose label the cell also holds, apart from row ``idx``'s:
        two row labels in one cell ("行政处罚行政强制"). No template label holds another's
        (4+ letters), so this is two rows run together — a borderless PDF's blank row printed
        empty, its label line joined to the next row's (issue 10): whose values these are cannot
        be told from the cell."""
        key = _label_letters(label)
        table_key = self.rows[idx][0]
        own = [k for k in self.long[idx] if k in key]
        if not own or len(key) < 8:
            return None
        for i, longs in enumerate(self.long):
            if i == idx or self.rows[i][0] != table_key:
                continue
            for lk in longs:
                at = key.find(lk)
                if at >= 0 and all(not _overlap(at, len(lk), key.find(k), len(k)) for k in own):
                    return i
        return None


def _overlap(a: int, n: int, b: int, m: int) -> bool:
    return a < b + m and b < a + n


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by exactly one inserted, deleted or replaced letter."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def _names_review(cells: list[GridCell]) -> bool:
    """The row names 行政复议 or 行政诉讼 (table 4's header), punctuation and cell borders aside."""
    text = "".join([c.text for c in cells])
    # cheap test first: the letters of a row are a subsequence of its text
    return ("议" in text or "讼" in text) and (
        "行政复议" in (joined := letters(text)) or "行政诉讼" in joined
    )


def _value_start(lines: list[tuple[list[GridCell], str]]) -> int | None:
    """The grid's first value column: where the numbers of at least two label rows begin.

    Only cells left of it can be row labels. A stacked column header ("人 | 公益 | 服务 | 其他")
    puts header words into value columns; without this, "其他" would be taken as row （六）3.其他
    and the real row skipped as a duplicate (regression: tests/fixtures/pdfdocx/variants/borderless_break_002.pdf).
    """
    starts: Counter[int] = Counter()
    for cells, kinds in lines:
        first_label = kinds.find("L")
        if first_label < 0:
            continue
        number = kinds.find("N", first_label + 1)
        if number >= 0:
            starts[cells[number].col] += 1
    repeated = [col for col, n in starts.items() if n >= 2]
    return min(repeated) if repeated else None


def read_grid_tables(grids: list[Grid], template: Template) -> dict[str, RowInput]:
    """Row inputs for every template row found in the grids (empty dict when none)."""
    prepared = _Rows(template)
    plans = template.row_plans
    rows = prepared.rows
    out: dict[str, RowInput] = {}
    cursor = 0
    t4_header = False  # the grid before was table 4's header alone (its values in the next grid)
    for grid in grids:
        blank_row: str | None = None  # the last row taken, while all its cells are blank
        is_t4 = t4_header  # a row so far names 行政复议 / 行政诉讼: table 4's grid
        searched = 0  # rows of this grid searched for those names (only once a row needs to know)
        lines = [
            (cells, "".join([_kind(c.text) for c in cells])) for cells in map(_unique, grid.rows) if cells
        ]
        value_start = _value_start(lines)
        header: list[GridCell] | None = None  # the last column header above the row (_spanned)
        for n, (cells, kinds) in enumerate(lines):
            if len(cells) >= 2 and kinds.strip("L") == "":
                header = cells  # 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量
            last_label = kinds.rfind("L")
            if last_label >= 0 and value_start is not None and cells[last_label].col >= value_start:
                continue  # words in a value column: a column-header line, never a row label
            values = cells[last_label + 1 :]
            if last_label < 0:  # only values: table 4's row of numbers, unless all blank
                if blank_row is not None and "N" in kinds and _width(values) < 10:
                    _lose_to(out, blank_row, values)  # the values of the blank row above?
                    blank_row = None
                    continue
                if "table4" not in out and _width(values) >= 10 and any(v.text.strip() for v in values):
                    if not is_t4:
                        is_t4 = any(_names_review(c) for c, _ in lines[searched : n + 1])
                        searched = n + 1
                    if not is_t4:
                        continue
                    t4cells, groups = template.table4_cells
                    toks = _toks(values)
                    toks = toks[-len(t4cells) :] if len(toks) >= len(t4cells) else toks
                    out["table4"] = RowInput(t4cells, toks, groups)
                continue
            if not values:
                continue
            # two label cells or more: maybe a column-header row ("自然人 | 法人或其他组织 | 总计")
            if last_label > 0:
                words = prepared.header_words
                if sum(1 for c in cells[: last_label + 1] if _cell_letters(c.text) in words) >= 2:
                    continue
            idx = prepared.match(cells[last_label].text, cursor)
            if idx is None and last_label > 0:
                idx = prepared.match("".join(c.text for c in cells[: last_label + 1]), cursor)
            numbers = kinds.find("N", last_label + 1) >= 0
            if idx is None:
                if blank_row is not None and numbers:
                    _lose_to(out, blank_row, values)  # a wrapped label's tail with the values?
                    blank_row = None
                continue
            table_key, row = rows[idx]
            key = f"{table_key}.{row.key}"
            other = prepared.joined(cells[last_label].text, idx)
            if other is not None:
                _both_lost(out, [key, f"{rows[other][0]}.{rows[other][1].key}"], plans, values)
                blank_row = None
                continue
            if not numbers and _width(values, header) < len(row.columns):
                continue  # a header fragment ("… | 其他 |"), not a data row with blank cells
            # one label twice (a label wrapped over two grid rows): the occurrence with values
            # wins over a row of blanks (issue 10)
            if key in out and not (numbers and key == blank_row):
                continue
            cursor = idx + 1
            shape_cells, groups, convention = plans[key]
            toks = _toks(values, header)
            if len(values) <= len(shape_cells) < len(toks) and any(not t.blank for t in toks):
                # more cells than the row has only by counting an empty cell once per column it
                # spans: how many blanks it stands for is unknown (a rule the scan invented cut
                # the header too), and dropping some to fit would move the numbers across
                printed = tuple(t for t in toks if not t.blank)
                out[key] = RowInput(shape_cells, [], groups, convention=convention, lost=printed)
            else:
                out[key] = RowInput(shape_cells, toks, groups, convention=convention)
            blank_row = None if numbers else key
        # a header printed as a table of its own above the values' table (issue 10, family
        # html-split-header): table 4's value row comes in the next grid
        t4_header = (
            "table4" not in out
            and not any("N" in kinds for _, kinds in lines)
            and any(_names_review(cells) for cells, _ in lines)
        )
    return out if len(out) >= 3 else {}


def _lose_to(out: dict[str, RowInput], key: str, values: list[GridCell]) -> None:
    """Numbers no label claims, right under a row of blanks (number conservation, issue 10): the
    row's values were perhaps these, perhaps not — it is lost, its candidates these numbers."""
    row = out[key]
    printed = tuple(t for t in _toks(values) if not t.blank)
    out[key] = RowInput(row.cells, [], row.groups, convention=row.convention, lost=printed)


def _both_lost(
    out: dict[str, RowInput], keys: list[str], plans: dict[str, RowPlan], values: list[GridCell]
) -> None:
    """Rows whose labels one cell joins: each is lost, the row's numbers its candidates; with no
    number printed, both rows are blank."""
    toks = _toks(values)
    printed = tuple(t for t in toks if not t.blank)
    for key in keys:
        cells, groups, convention = plans[key]
        if printed:
            out[key] = RowInput(cells, [], groups, convention=convention, lost=printed)
        else:
            out[key] = RowInput(cells, toks, groups, convention=convention)


def _toks(cells: list[GridCell], header: list[GridCell] | None = None) -> list[Tok]:
    """The value tokens of a row; a dash is a blank, like an empty cell.

    An empty cell spanning k columns is k blank cells: the merge is the page's own evidence
    that every column it covers is blank (issue 10, family html-colspan-blanks). Counted once,
    the row had fewer cells than columns and its blanks were ambiguous. A number spanning
    columns stays one cell (table 2's single value under a three-column header). The columns
    are the ones the row's column ``header`` names (``_spanned``)."""
    out: list[Tok] = []
    for cell in cells:
        text = cell.text.strip()
        if text in _DASHES:
            text = ""
        tok = Tok(text, cell.position, not text)
        out.append(tok)
        if not text:
            out.extend([tok] * (_spanned(cell, header) - 1))
    return out


def _spanned(cell: GridCell, header: list[GridCell] | None) -> int:
    """How many of the table's columns ``cell`` covers: the header cells that begin under it.

    A grid's columns are every rule found anywhere in it: on a scan, a stamp's stroke in one
    caption row leaves a rule the rest of the table does not have, and each cell across it then
    spans two grid columns. Counted by grid columns, an empty such cell was two blanks, one too
    many for the row, and a blank dropped to fit moved the next number one column right (issue
    15: table 2's −545 read under 处理决定数量, 本年增/减 blank). The header's cells are the
    columns the table prints; with no header above the row, the grid's columns are taken."""
    if header is None or cell.colspan == 1:
        return cell.colspan
    end = cell.col + cell.colspan
    starts = [h.col for h in header if cell.col <= h.col < end]
    if not starts or starts[0] != cell.col:
        return cell.colspan  # the header is not cut where the cell is: no say on its columns
    return len(starts)


def _width(cells: list[GridCell], header: list[GridCell] | None = None) -> int:
    """How many value cells ``cells`` are: an empty cell counts once per column it spans (_toks)."""
    return sum(_spanned(c, header) if not c.text.strip() or c.text.strip() in _DASHES else 1 for c in cells)
