"""Render a report JSON into the layouts real annual reports come in (test documents, samples).

`render(report, "pipe")` gives the bytes of one layout family (UTF-8 unless the layout itself
is an encoding, e.g. `html-gbk`); `layout_names()` lists them. DOCX output belongs to
`xxgk.render.docx` (imported lazily by the CLI).
"""

from __future__ import annotations

from xxgk.model import Report
from xxgk.render.grid import RenderError, report_template
from xxgk.render.layouts import LAYOUTS, Layout

__all__ = ["LAYOUTS", "Layout", "RenderError", "layout_names", "render"]


def layout_names() -> list[str]:
    return list(LAYOUTS)


def render(report: Report, layout: str) -> bytes:
    """The document for `report` in `layout`, as bytes ready to write to a file."""
    spec = LAYOUTS.get(layout)
    if spec is None:
        raise RenderError(f"unknown layout {layout!r}; known: {', '.join(LAYOUTS)}")
    report_template(report)  # fail early with a clear reason when the tables have no layout
    out = spec(report)
    return out.encode("utf-8", errors="replace") if isinstance(out, str) else out
