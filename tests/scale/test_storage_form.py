"""The compact stored form and the cross-year facts (storage/compact.py, storage/facts.py):
the stored form rebuilds the report JSON exactly, and the cross-year rules give the same findings
on reports rebuilt from facts as on the full reports."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.paths import DEV_DOCS

from xxgk.check import check, rules
from xxgk.extract import extract_file
from xxgk.model import Report
from xxgk.samples import random_report
from xxgk.storage.compact import ambiguous, compact, expand, rebuild, source
from xxgk.storage.facts import facts_of, is_fact, report_from_facts

CROSS_YEAR = [r.id for r in rules() if r.scope == "cross-year"]


def _dev_docs() -> list[Path]:
    return sorted(p for p in DEV_DOCS.iterdir() if p.suffix in (".txt", ".html"))[:6]


@pytest.mark.parametrize("path", _dev_docs(), ids=lambda p: p.name)
def test_stored_form_of_a_real_report_rebuilds_it_exactly_and_is_smaller(path: Path) -> None:
    data = extract_file(path).to_dict()
    stored = compact(data)
    assert rebuild(stored) == data
    assert rebuild(json.loads(json.dumps(stored))) == data  # as it comes back from the database
    size = len(json.dumps(stored, ensure_ascii=False, separators=(",", ":")))
    assert size < 0.75 * len(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    assert "cells" not in stored  # every provenance entry went into the nested short form


_TEXT = st.one_of(
    st.none(), st.sampled_from(["12", "0", "1,234", "１２", "", "3.5", "?"]), st.text(max_size=4)
)
_OFFSET = st.one_of(
    st.none(),
    st.integers(0, 10**6),
    st.builds(
        lambda page, box: {"page": page, "bbox": box},
        st.integers(1, 40),
        st.one_of(st.none(), st.tuples(*[st.floats(0, 800, allow_nan=False)] * 4)),
    ),
)
_SOURCE = st.fixed_dictionaries(
    {"status": st.sampled_from(["read", "blank", "inferred", "ambiguous"]), "text": _TEXT, "offset": _OFFSET},
    optional={
        "candidates": st.lists(
            st.fixed_dictionaries({"cell": st.just("table3.new.total"), "value": st.integers(0, 99)}),
            max_size=2,
        ),
        "note": st.text(max_size=6),
        "basis": st.sampled_from(["arithmetic", "convention"]),
        "reader": st.one_of(st.none(), st.text(max_size=3)),  # an extra key a newer reader adds
    },
)


def _with_sources(seed: int, sources: list[dict[str, object]]) -> dict[str, object]:
    """A random report's dict with these provenances on random cells, as extract prints it
    (every field spelled out)."""
    report = random_report(random.Random(seed), random.Random(seed).choice(["2019", "2021"]))
    data = report.to_dict()
    cells = [c for c, _ in report.iter_cells()]
    rng = random.Random(seed)
    for src in sources:
        data["cells"][rng.choice(cells)] = src
    return Report.model_validate(data).to_dict()


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 10_000), sources=st.lists(_SOURCE, min_size=1, max_size=30))
def test_stored_form_rebuilds_any_provenance_exactly(seed: int, sources: list[dict[str, object]]) -> None:
    data = _with_sources(seed, sources)
    assert rebuild(json.loads(json.dumps(compact(data)))) == data


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 10_000), sources=st.lists(_SOURCE, min_size=1, max_size=30))
def test_one_cells_provenance_from_the_stored_form_equals_the_expanded_ones(
    seed: int, sources: list[dict[str, object]]
) -> None:
    """The outputs read a report's cells one at a time from the stored form (issue 16): each
    cell's provenance and the set of ambiguous cells equal what expanding it gives, for the
    compact form, an odd key kept plain beside it, and a plain report dict."""
    data = _with_sources(seed, sources)
    stored = json.loads(json.dumps(compact(data)))
    odd = dict(stored, cells={"table9.x": {"status": "ambiguous", "text": "?"}})
    for form in (stored, odd, data):
        plain = expand(form)["cells"]
        for cell in [*plain, "table3.nothing.here", "table2", "table9.x.y.z"]:
            assert source(form, cell) == plain.get(cell), cell
        assert ambiguous(form) == {c for c, s in plain.items() if s.get("status") == "ambiguous"}


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    template=st.sampled_from(["2019", "2021"]),
    prev_template=st.sampled_from(["2019", "2021"]),
    ambiguous=st.floats(0, 0.3),
    blank=st.floats(0, 0.3),
    nudge=st.floats(0, 0.5),
)
def test_cross_year_findings_from_facts_equal_those_from_the_full_reports(
    seed: int, template: str, prev_template: str, ambiguous: float, blank: float, nudge: float
) -> None:
    from xxgk.model import CellSource

    rng = random.Random(seed)
    reports = []
    for year, tid in ((2022, template), (2021, prev_template)):
        r = random_report(rng, tid, agency="青山区人民政府", year=year)
        for cell, value in list(r.iter_cells()):
            if not is_fact(cell):
                continue
            roll = rng.random()
            if roll < ambiguous:
                r.set(cell, None, CellSource(status="ambiguous", text="1411"))
            elif roll < ambiguous + blank:
                r.set(cell, None, CellSource(status="blank"))
            elif roll < ambiguous + blank + nudge and isinstance(value, int):
                r.set(cell, value + rng.choice((-1, 1, 5)), CellSource(status="read", text=str(value)))
        reports.append(r)
    report, previous = reports
    full = check(report, previous, only=CROSS_YEAR)
    stored = [json.loads(json.dumps(compact(r.to_dict()))) for r in (report, previous)]
    small = [
        report_from_facts(r.year, r.template, r.agency, facts_of(d))
        for r, d in zip(reports, stored, strict=True)
    ]
    from_facts = check(small[0], small[1], only=CROSS_YEAR)
    assert [f.model_dump() for f in from_facts] == [f.model_dump() for f in full]


def test_facts_keep_table_fours_pending_cases_and_blank_apart_from_zero() -> None:
    report = random_report(random.Random(3), "2021", agency="石桥镇人民政府", year=2023)
    report.set("table2.regulations.in_force", None)
    cells = {cell: (value, status) for cell, value, status in facts_of(report.to_dict())}
    assert {"table4.review.pending", "table4.litigation_direct.pending"} <= set(cells)
    assert any(c.startswith("table3.carried_forward.") for c in cells)
    assert any(c.startswith("table3.carried_over.") for c in cells)
    assert cells["table2.regulations.in_force"][0] is None
    assert not any(c.startswith("table3.new.") for c in cells)
