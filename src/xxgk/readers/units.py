"""Money cells printed in another unit than the template's: given a read cell, return it in 万元.

The template fixes 万元 for its amount cells (annual-report.md A.3 第二十条第（八）项; 2019
采购总金额 per the report's header, "Units in 2019"). Real reports write the unit inside the
cell (`251000元`, Shanghai 2019) or in the row's or column's header (`采购总金额（元）`). Such a
cell is converted exactly (Decimal, no rounding) and marked ``inferred`` with basis ``unit``:
the number printed is not the number stored, so a person can see why. A `万元` suffix, or no
unit anywhere, leaves the cell as read.
"""

from __future__ import annotations

import re
from decimal import Decimal

from xxgk.model import CellSource, Number

_YUAN = Decimal(10000)  # 元 per 万元
# the header of the amount column or row names a unit in brackets: （元） (单位：元) (万元)
_HEADER_UNIT = re.compile(r"金额\s*[（(]\s*(?:单位\s*[:：]\s*)?(万元|元)\s*[)）]")
_HEADER_REACH = 400  # characters before the cell in which its header is looked for


def header_unit(text: str, offset: int | None) -> str | None:
    """The unit the nearest amount header before ``offset`` names (万元 or 元), if any."""
    if offset is None:
        return None
    found = None
    for m in _HEADER_UNIT.finditer(text, max(0, offset - _HEADER_REACH), offset):
        found = m.group(1)
    return found


def printed_unit(source: CellSource, text: str) -> str | None:
    """The unit a cell is printed in: its own suffix first, else its header's."""
    printed = (source.text or "").replace(" ", "")
    offset = source.offset if isinstance(source.offset, int) else None
    if offset is not None and source.text and text.startswith(source.text, offset):
        # the text readers keep the number as the token; its unit follows it in the text
        printed += text[offset + len(source.text) : offset + len(source.text) + 4].strip()
    for unit in ("万元", "元"):
        if printed.endswith(unit) or printed.lstrip("+-0123456789.,").startswith(unit):
            return unit
    return header_unit(text, offset)


def in_wan_yuan(value: Number, source: CellSource, text: str) -> tuple[Number, CellSource]:
    """A 万元 cell's value and provenance, converted when it was printed in 元."""
    if source.status not in ("read", "inferred") or printed_unit(source, text) != "元":
        return value, source
    converted = Decimal(value) / _YUAN
    if converted == converted.to_integral_value():
        converted = converted.quantize(Decimal(1))
    else:
        converted = converted.normalize()
    note = f"printed in 元 ({source.text}); the template's unit is 万元: {value} 元 = {converted} 万元"
    return converted, source.model_copy(update={"status": "inferred", "basis": "unit", "note": note})
