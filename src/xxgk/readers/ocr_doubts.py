"""Given a report read from OCR'd pages and each cell's OCR confidence, mark doubtful numbers.

OCR can misread a digit, and a misread digit is a silent wrong number unless something says so.
The rules (issue 15; report-json.md "Cell provenance": ``ambiguous`` lists candidates, never a
guess):

- every OCR'd cell keeps the recogniser's confidence in its provenance (``confidence``, 0..1,
  next to page and box);
- a cell whose confidence is below ``THRESHOLD`` is doubtful; its candidates are the value read
  and the readings a common OCR confusion gives (1/7, 0/8, 5/6 — one digit changed; l/1 and O/0
  were already read as digits by the adapter, with the confidence lowered);
- the table's identities (the checker's arithmetic rules: row sums, column sums, balances —
  annual-report.md A.4/A.5) may decide between the candidates of a doubtful cell the identities
  constrain: exactly one fitting → ``inferred``, basis ``arithmetic``; otherwise ``ambiguous``;
- a confident reading is never overridden: it stays ``read`` when it fits the identities (or no
  identity covers it), and becomes ``ambiguous`` (value withheld, candidates listed) only when it
  breaks one that a confusable alternative — or the same digits with one glyph dropped or
  doubled, a confident detector's typical slip ("1548" read as "148") — would satisfy: a misread,
  or the report's own error, which the page alone cannot tell apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from xxgk.check import check, rules
from xxgk.model import Candidate, CellSource, Number, PagePosition, Report

THRESHOLD = 0.9  # below this the recogniser itself is unsure (clean digits score ≥ 0.97)
CONFUSIONS = {"1": "7", "7": "1", "0": "8", "8": "0", "5": "6", "6": "5"}
ARITHMETIC_KINDS = frozenset({"row_sum", "balance", "column_sum"})
Readings = dict[tuple[int, tuple[float, float, float, float]], tuple[str, float]]

NOTE_LOW = "OCR confidence {conf:.2f} is low: the value read and its look-alike readings are the candidates"
NOTE_UNREAD = "the cell has print on the page but OCR could not read it: not known to be blank"
NOTE_FIXED = (
    "OCR confidence {conf:.2f} is low; of the look-alike readings only this one fits the table's arithmetic"
)
NOTE_BREAKS = (
    "OCR read {value} (confidence {conf:.2f}), which breaks the table's arithmetic, while a "
    "look-alike reading fits it: a misread or an error in the report, not decided"
)


def one_glyph_off(value: int) -> list[int]:
    """Readings with one digit more or one digit fewer (a glyph the detector dropped or doubled)."""
    text = str(value)
    out: list[int] = []
    variants = [text[:i] + text[i + 1 :] for i in range(len(text))]
    variants += [text[:i] + d + text[i:] for i in range(len(text) + 1) for d in "0123456789"]
    for v in variants:
        if v and (v == "0" or not v.startswith("0")) and int(v) != value and int(v) not in out:
            out.append(int(v))
    return out


def confusable(value: int) -> list[int]:
    """Readings one OCR confusion away (1↔7, 0↔8, 5↔6 in one digit), no leading zeros."""
    text = str(value)
    out: list[int] = []
    for i, ch in enumerate(text):
        other = CONFUSIONS.get(ch)
        if other is None or (i == 0 and other == "0" and len(text) > 1):
            continue
        alt = int(text[:i] + other + text[i + 1 :])
        if alt not in out and alt != value:
            out.append(alt)
    return out


@cache
def _arithmetic_rules() -> tuple[str, ...]:
    return tuple(r.id for r in rules() if r.kind in ARITHMETIC_KINDS)


def _broken(report: Report) -> set[str]:
    """Cells named by an arithmetic finding of the report as it stands."""
    return {c for f in check(report, only=_arithmetic_rules()) for c in f.cells}


def _fits(report: Report, cell: str, value: Number | None) -> bool:
    """Whether the identities naming ``cell`` hold with ``value`` in it (the others as they are)."""
    old = report.value(cell)
    report.set(cell, value)
    try:
        return cell not in _broken(report)
    finally:
        report.set(cell, old)


def _candidates(cell: str, values: Iterable[Number]) -> list[Candidate]:
    return [Candidate(cell=cell, value=v) for v in dict.fromkeys(values)]


def settle_doubts(report: Report, readings: Readings, threshold: float = THRESHOLD) -> None:
    """Confidence into every OCR'd cell's provenance; doubtful numbers inferred or ambiguous."""
    if not readings:
        return
    ocr_cells: list[tuple[str, CellSource, float]] = []
    for cell, src in report.cells.items():
        where = src.offset
        if isinstance(where, PagePosition) and where.bbox is not None:
            reading = readings.get((where.page, where.bbox))
            if reading is not None:
                src.confidence = reading[1]  # type: ignore[attr-defined]  # extra field (extra="allow")
                ocr_cells.append((cell, src, reading[1]))
    if report.template is None:
        return
    broken = _broken(report)
    for cell, src, conf in ocr_cells:
        value = report.value(cell)
        if value is None and src.status == "blank" and conf < threshold:
            report.set(
                cell,
                None,
                CellSource(status="ambiguous", offset=src.offset, note=NOTE_UNREAD, confidence=conf),
            )
            continue
        if value is None or src.status not in ("read", "inferred"):
            continue
        doubtful = conf < threshold
        if not doubtful and cell not in broken:
            continue  # confident and consistent (or no identity covers it): as read
        alternatives: list[Number] = list(confusable(value)) if isinstance(value, int) else []
        if not doubtful:
            if isinstance(value, int):
                alternatives += one_glyph_off(value)
            fitting = [v for v in alternatives if _fits(report, cell, v)]
            if fitting:
                _ambiguous(report, cell, src, [value, *fitting], NOTE_BREAKS.format(value=value, conf=conf))
            continue
        options: list[Number] = [value, *alternatives]
        fitting = [v for v in options if _fits(report, cell, v)]
        constrained = not _fits(report, cell, value + 1 if isinstance(value, int) else None)
        if constrained and len(fitting) == 1:
            report.set(
                cell,
                fitting[0],
                CellSource(
                    status="inferred",
                    text=src.text,
                    offset=src.offset,
                    candidates=_candidates(cell, options),
                    note=NOTE_FIXED.format(conf=conf),
                    basis="arithmetic",
                    confidence=conf,
                ),
            )
            broken = _broken(report)
        else:
            shown = fitting if constrained and fitting else options
            _ambiguous(report, cell, src, shown, NOTE_LOW.format(conf=conf))


def _ambiguous(report: Report, cell: str, src: CellSource, values: list[Number], note: str) -> None:
    report.set(
        cell,
        None,
        CellSource(
            status="ambiguous",
            text=src.text,
            offset=src.offset,
            candidates=_candidates(cell, values),
            note=note,
            confidence=getattr(src, "confidence", None),
        ),
    )
