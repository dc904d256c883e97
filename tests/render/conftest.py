"""Helpers for the render tests: expected cell values straight from the report and the template."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from xxgk.model import Report
from xxgk.samples import random_report


def printed(value: int | Decimal | None) -> str:
    """How a value must appear in a document (independent of the renderer's own formatter)."""
    if value is None:
        return ""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


@pytest.fixture(params=["2019", "2021"])
def report(request: pytest.FixtureRequest) -> Report:
    """A busy report with blanks, explicit zeros and large numbers mixed."""
    rng = random.Random(7 if request.param == "2021" else 11)
    while True:
        r = random_report(rng, request.param, zero_style="mixed")
        values = [v for _, v in r.iter_cells()]
        if any(v is None for v in values) and sum(1 for v in values if v) > 15:
            return r
