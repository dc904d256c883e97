"""CellSource and Candidate built without re-validating what the readers built themselves.

A report holds ~200 cell sources; pydantic validation was ~a tenth of the reading time. The
shortcut is on only if it builds exactly what validation builds (checked once, on first use).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from xxgk.model import Basis, Candidate, CellSource, Number, PagePosition, Status

_new = object.__new__
_set = object.__setattr__
EXACT_FIELDS = ("status", "text", "offset")
ALL_FIELDS = (*EXACT_FIELDS, "candidates", "note", "basis")


def unchecked_source(
    status: Status,
    text: str | None,
    offset: int | PagePosition | None,
    candidates: list[Candidate] | None,
    note: str | None,
    basis: Basis | None,
    given: tuple[str, ...],
) -> CellSource:
    """CellSource(**given fields) without re-validating what this module built itself.

    A report holds ~200 of these; pydantic validation was ~a tenth of the reading time. This is
    what ``model_construct`` does (which is slower than validating for so small a model), and
    ``_FAST`` is only on if the result is indistinguishable from a validated instance.
    """
    if _FAST is None:
        _decide_fast()
    if not _FAST:
        values = dict(zip(ALL_FIELDS, (status, text, offset, candidates, note, basis), strict=True))
        return CellSource(**{k: values[k] for k in given})
    obj = _new(CellSource)
    _set(
        obj,
        "__dict__",
        {
            "status": status,
            "text": text,
            "offset": offset,
            "candidates": candidates,
            "note": note,
            "basis": basis,
        },
    )
    _set(obj, "__pydantic_fields_set__", set(given))
    _set(obj, "__pydantic_extra__", {})
    _set(obj, "__pydantic_private__", None)
    return obj


def exact_source(status: Status, text: str | None, offset: int | PagePosition | None) -> CellSource:
    """``unchecked_source(status, text, offset, None, None, None, EXACT_FIELDS)`` — a cell read as
    laid out, most of a report's ~200 — without that call's general path (text throughput)."""
    if not _FAST:  # undecided yet, or off: the general path decides and builds
        return unchecked_source(status, text, offset, None, None, None, EXACT_FIELDS)
    obj = _new(CellSource)
    _set(
        obj,
        "__dict__",
        {"status": status, "text": text, "offset": offset, "candidates": None, "note": None, "basis": None},
    )
    _set(obj, "__pydantic_fields_set__", {"status", "text", "offset"})
    _set(obj, "__pydantic_extra__", {})
    _set(obj, "__pydantic_private__", None)
    return obj


def unchecked_candidate(cell: str, value: Number) -> Candidate:
    """Candidate(cell=…, value=…) without validation (values come from parse_number / int())."""
    if _FAST is None:
        _decide_fast()
    if not _FAST or (isinstance(value, Decimal) and value.as_tuple().exponent == 0):
        return Candidate(cell=cell, value=value)  # let the model normalise an integral Decimal
    obj = _new(Candidate)
    _set(obj, "__dict__", {"cell": cell, "value": value})
    _set(obj, "__pydantic_fields_set__", {"cell", "value"})
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


def _same_model(a: Any, b: Any) -> bool:
    return bool(
        type(a) is type(b)
        and a.__dict__ == b.__dict__
        and a.__pydantic_fields_set__ == b.__pydantic_fields_set__
        and a.__pydantic_extra__ == b.__pydantic_extra__
        and a.__pydantic_private__ == b.__pydantic_private__
        and a.model_dump_json() == b.model_dump_json()
    )


def _fast_is_safe() -> bool:
    """The shortcut builds exactly what validation builds (guards against a pydantic upgrade)."""
    global _FAST
    _FAST = True
    try:
        cand = unchecked_candidate("table3.new.total", Decimal("1.5"))
        pairs = [
            (cand, Candidate(cell="table3.new.total", value=Decimal("1.5"))),
            (
                unchecked_source("read", "3", 7, None, None, None, EXACT_FIELDS),
                CellSource(status="read", text="3", offset=7),
            ),
            (
                unchecked_source(
                    "ambiguous", None, PagePosition(page=1), [cand], "n", "arithmetic", ALL_FIELDS
                ),
                CellSource(
                    status="ambiguous",
                    text=None,
                    offset=PagePosition(page=1),
                    candidates=[Candidate(cell="table3.new.total", value=Decimal("1.5"))],
                    note="n",
                    basis="arithmetic",
                ),
            ),
        ]
        return not CellSource.__pydantic_post_init__ and all(_same_model(a, b) for a, b in pairs)
    except Exception:  # any surprise in pydantic's internals: validate as usual
        return False
    finally:
        _FAST = False


_FAST: bool | None = None  # decided on first use (the check costs ~10 ms of import time)


def _decide_fast() -> None:
    global _FAST
    _FAST = _fast_is_safe()


def make_source(
    status: Status,
    text: str | None = None,
    offset: int | PagePosition | None = None,
    candidates: list[Candidate] | None = None,
    note: str | None = None,
    basis: Basis | None = None,
) -> CellSource:
    return unchecked_source(status, text, offset, candidates, note, basis, ALL_FIELDS)
