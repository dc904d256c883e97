"""The generator: random reports obey the template arithmetic; the sample corpus plants exactly
the errors its manifest names (checked by the real checker, xxgk.check)."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.check import check
from xxgk.model import Report, parse_report
from xxgk.render.layouts import SAMPLE_LAYOUTS
from xxgk.samples import BOUNDARY_LOST, PLANTERS, VALUE_KINDS, generate_corpus, random_report, write_corpus
from xxgk.templates import get_template

APPLICANTS = ("natural_person", "commercial", "research", "social", "legal", "other")


def n(report: Report, cell: str) -> int | Decimal:
    return report.value(cell) or 0


def assert_identities(report: Report) -> None:
    """annual-report.md A.4 Q3–Q5 and A.5, computed here from the spec, not by the checker."""
    template = get_template(report.template or "")
    for row in template.table3.rows:
        assert n(report, f"table3.{row.key}.total") == sum(
            n(report, f"table3.{row.key}.{c}") for c in APPLICANTS
        )
    leaves = [r.key for r in template.table3.rows if r.role == "disposal"]
    for col in (*APPLICANTS, "total"):
        assert n(report, f"table3.total.{col}") == sum(n(report, f"table3.{r}.{col}") for r in leaves)
        left = n(report, f"table3.new.{col}") + n(report, f"table3.carried_over.{col}")
        assert left == n(report, f"table3.total.{col}") + n(report, f"table3.carried_forward.{col}")
    for row in template.table4.rows:
        parts = sum(n(report, f"table4.{row.key}.{p}") for p in ("upheld", "corrected", "other", "pending"))
        assert n(report, f"table4.{row.key}.total") == parts


@settings(max_examples=150, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1), template_id=st.sampled_from(["2019", "2021"]))
def test_random_report_is_valid_by_construction(seed: int, template_id: str) -> None:
    report = random_report(random.Random(seed), template_id)
    template = get_template(template_id)
    assert report.template == template_id and template.covers_year(report.year or 0)
    assert_identities(report)
    for cell in template.cells():
        value = report.value(cell.key)
        assert report.has(cell.key), cell.key  # every template cell present (blank allowed)
        if cell.column.kind == "count":
            assert value is None or (isinstance(value, int) and value >= 0)
        elif cell.column.kind == "signed":
            assert value is None or isinstance(value, int)
    assert len(report.sections) == 6
    assert [f.rule for f in check(report) if f.severity != "info"] == []
    # the JSON round trip keeps every value (Decimal amounts included)
    again = parse_report(json.loads(report.to_json()))
    assert all(again.value(c.key) == report.value(c.key) for c in template.cells())


def test_random_report_mixes_blanks_zeros_numbers_and_decimals() -> None:
    rng = random.Random(1)
    values = [v for _ in range(60) for _, v in random_report(rng, rng.choice(["2019", "2021"])).iter_cells()]
    assert any(v is None for v in values)
    assert any(v == 0 for v in values)
    assert any(isinstance(v, int) and v > 100 for v in values)
    assert any(isinstance(v, Decimal) for v in values)
    assert any(isinstance(v, int) and v < 0 for v in values)  # 2019 本年增/减


def test_sample_corpus_plants_what_the_manifest_says(tmp_path: Path) -> None:
    manifest = write_corpus(tmp_path, count=36, seed=5)
    on_disk = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    assert on_disk == manifest
    files = manifest["files"]
    assert len(files) == 36
    assert {f["layout"] for f in files} == set(SAMPLE_LAYOUTS)
    assert len({f["agency"] for f in files}) >= 5
    years = {f["year"] for f in files}
    assert min(years) <= 2020 and max(years) >= 2022
    kinds = {e["kind"] for f in files for e in f["errors"]}
    assert kinds >= {*PLANTERS, "wrong-template"}
    assert any(f["printed_agency"] != f["agency"] for f in files)  # alias spellings occur
    previous: dict[tuple[str, int], Report] = {}
    for f in files:
        assert (tmp_path / f["file"]).stat().st_size > 1000
        report = parse_report(f["report"])
        previous[(f["agency"], f["year"])] = report
        template = get_template(f["template"])
        if f["year"] <= 2020:
            assert f["template"] == "2019"
        elif not any(e["kind"] == "wrong-template" for e in f["errors"]):
            assert f["template"] == "2021" and template.covers_year(f["year"])
    for f in files:
        report = previous[(f["agency"], f["year"])]
        prev = previous.get((f["agency"], f["year"] - 1))
        raised = {x.rule for x in check(report, prev) if x.severity in ("error", "warning")}
        planted = {r for e in f["errors"] for r in e["rules"]}
        assert planted <= raised, f["file"]
        assert raised <= planted, (f["file"], raised - planted)  # nothing unplanted


def test_same_seed_same_corpus(tmp_path: Path) -> None:
    a = write_corpus(tmp_path / "a", count=6, seed=9)
    b = write_corpus(tmp_path / "b", count=6, seed=9)
    assert a == b
    for f in a["files"]:
        assert (tmp_path / "a" / f["file"]).read_bytes() == (tmp_path / "b" / f["file"]).read_bytes()


def test_rerun_removes_its_own_stale_files_only(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("not a sample")
    write_corpus(tmp_path, count=10, seed=1)
    second = write_corpus(tmp_path, count=3, seed=2)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(["manifest.json", "mine.txt", *(f["file"] for f in second["files"])])


def test_value_errors_are_decidable_only_where_the_layout_keeps_cell_boundaries() -> None:
    """A table-arithmetic error in a layout that dropped its cell boundaries cannot be decided
    (the values are placed by that very arithmetic): the manifest marks it, the audit is not
    held to it. Everything else must be found (tests/audit/test_cli.py, bench_audit.py)."""
    samples = list(generate_corpus(140, seed=3))
    by_year = {(s.agency, s.report.year): s for s in samples}
    seen = set()
    for s in samples:
        prev = by_year.get((s.agency, (s.report.year or 0) - 1))
        for e in s.errors:
            cells_lost = s.layout in BOUNDARY_LOST or (
                e.kind == "carried-over" and prev is not None and prev.layout in BOUNDARY_LOST
            )
            assert e.decidable == (e.kind not in VALUE_KINDS or not cells_lost), (s.layout, e.kind)
            seen.add((e.kind in VALUE_KINDS, e.decidable))
    assert seen == {(True, True), (True, False), (False, True)}
