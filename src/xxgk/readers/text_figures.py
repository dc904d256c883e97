"""The report's own text decides what its table cannot (issue 10 item 3): given a report and its
text, return the ambiguous cells a sentence of the text decides.

A sentence such as `现行有效规范性文件665件`, `共收到申请75件` or `行政复议55件` states a cell's
figure (text_figures.toml names which). Where that cell is `ambiguous` and exactly one of its
candidates agrees, it takes that figure — `inferred`, basis `text`, the offset of the sentence.
A text figure never overrides a read cell: a disagreement there is the checker's finding.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

from xxgk.model import CellSource, Number, Report


@cache
def figure_patterns() -> tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]:
    """(cell, compiled patterns) per figure of text_figures.toml."""
    raw = tomllib.loads(resources.files("xxgk.readers").joinpath("text_figures.toml").read_text("utf-8"))
    return tuple((f["cell"], tuple(re.compile(p) for p in f["patterns"])) for f in raw["figure"])


def stated_figure(text: str, patterns: tuple[re.Pattern[str], ...]) -> re.Match[str] | None:
    """The first sentence in ``text`` stating the figure (the earliest match of any pattern)."""
    found = [m for p in patterns if (m := p.search(text)) is not None]
    return min(found, key=lambda m: m.start()) if found else None


def decide_from_text(report: Report, text: str) -> dict[str, tuple[Number, CellSource]]:
    """Cell → (value, provenance) for the ambiguous cells of ``report`` that ``text`` decides."""
    out: dict[str, tuple[Number, CellSource]] = {}
    for cell, patterns in figure_patterns():
        source = report.cells.get(cell)
        if source is None or source.status != "ambiguous" or not source.candidates:
            continue
        m = stated_figure(text, patterns)
        if m is None:
            continue
        stated = int(m.group(1))
        if stated not in {c.value for c in source.candidates if c.cell == cell}:
            continue
        out[cell] = (
            stated,
            source.model_copy(
                update={
                    "status": "inferred",
                    "basis": "text",
                    "text": m.group(0),
                    "offset": m.start(),
                    "note": f"the report's text states it ({m.group(0)}); the table's layout allowed it",
                }
            ),
        )
    return out
