"""Given a stored report's cell and its provenance, return what a person reads about it.

Shared by the HTML site and the workbook: the value shown (a number, 未填 for a blank the
document printed, 存疑 with its candidates for an ambiguous one), the status in words, and where
the cell is in the source — the page of a PDF, else the printed row and column labels — with a
short quote of what the source printed there.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from xxgk.check.describe import describe_cell
from xxgk.check.kinds import cell_labels, fmt
from xxgk.i18n import Lang, say
from xxgk.templates import get_template

QUOTE_CHARS = 24


@dataclass(frozen=True)
class CellView:
    name: str  # 表三 · （三）不予公开 1.属于国家秘密 · 商业企业
    shown: str  # "12", "未填", "存疑"
    status: str  # 读出 / 推算 / 存疑 / 未填
    where: str  # 第 3 页 / 「（三）不予公开 1.属于国家秘密」行「商业企业」列
    quote: str  # what the source printed, shortened
    candidates: list[str]


def candidates_of(src: dict[str, Any] | None) -> list[str]:
    """The readings an ambiguous cell allows, as text ("1", "14")."""
    out = []
    for c in (src or {}).get("candidates") or []:
        value = c.get("value") if isinstance(c, dict) else c
        if value is not None and fmt(value) not in out:
            out.append(fmt(value))
    return out


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@lru_cache(maxsize=4096)
def cell_name(template: str | None, key: str) -> str:
    """`describe_cell`, remembered: the outputs name the same few hundred cells for every report
    (issue 16: looked up again for each flagged or cited cell, it was a tenth of the pages' time)."""
    return describe_cell(template, key)


@lru_cache(maxsize=4096)
def _labels(template: str | None, key: str) -> dict[str, str]:
    """The cell's row and column labels in the template (empty when it has none); not to be changed."""
    with contextlib.suppress(KeyError, ValueError):
        return cell_labels(get_template(template or "2021"), key)
    return {}


def view_cell(
    template: str | None, key: str, value: Any, src: dict[str, Any] | None, lang: Lang = "zh"
) -> CellView:
    status = (src or {}).get("status") or ("blank" if value is None else "read")
    if status == "ambiguous":
        shown = say("value.ambiguous", lang)
    elif value is None:
        shown = say("value.blank", lang)
    else:
        shown = fmt(value)
    offset = (src or {}).get("offset")
    labels = _labels(template, key)
    if isinstance(offset, dict) and offset.get("page"):
        where = say("where.page", lang, page=offset["page"])
    elif labels:
        where = say("where.label", lang, row=labels["row"], column=labels["column"])
    else:
        where = ""
    text = str((src or {}).get("text") or "")
    quote = shorten(f"{labels.get('row', '')} … {text}" if text and labels else text)
    try:
        status_word = say(f"status.{status}", lang)
    except KeyError:
        status_word = status
    return CellView(cell_name(template, key), shown, status_word, where, quote, candidates_of(src))
