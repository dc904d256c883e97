"""Small report-JSON corpora for the audit tests (valid reports from xxgk.samples.random_report)."""

from __future__ import annotations

import random
from pathlib import Path

from xxgk.model import Report
from xxgk.samples import random_report
from xxgk.templates import template_for_year


def make_report(rng: random.Random, agency: str, year: int) -> Report:
    template = template_for_year(year)
    return random_report(rng, template.id if template else "2021", agency=agency, year=year)


def write_reports(directory: Path, plan: list[tuple[str, int]], seed: int = 7) -> list[Path]:
    """One report JSON per (printed agency, year), named NNN_YEAR.json."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, (agency, year) in enumerate(plan):
        path = directory / f"{i:04d}_{year}.json"
        path.write_text(make_report(rng, agency, year).to_json(), encoding="utf-8")
        paths.append(path)
    return paths


# Three agencies over three years; two print their name differently in some years.
PLAN: list[tuple[str, int]] = [
    ("青山区人民政府", 2021),
    ("江南省青山区人民政府", 2022),
    ("青山区 人民政府", 2023),
    ("临江市市场监督管理局", 2021),
    ("臨江市市場監督管理局", 2022),
    ("临江市市场监管局", 2023),
    ("石桥镇人民政府", 2020),
    ("石桥镇人民政府", 2022),
]


def write_generated(directory: Path, count: int, seed: int = 11, ambiguous_every: int = 9) -> list[Path]:
    """`count` report JSON files from xxgk's sample generator (agencies over consecutive years,
    planted errors), without rendering them; every `ambiguous_every`-th report has one ambiguous
    cell with two candidate readings, as a reader leaves a glued "1411"."""
    from xxgk.model import Candidate, CellSource
    from xxgk.samples import generate_corpus

    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, sample in enumerate(generate_corpus(count, seed, layouts=("pipe",))):
        report = sample.report
        if ambiguous_every and i % ambiguous_every == 0 and report.template:
            key = "table3.new.natural_person"
            report.set(
                key,
                None,
                CellSource(
                    status="ambiguous",
                    text="1411",
                    candidates=[Candidate(cell=key, value=1), Candidate(cell=key, value=14)],
                ),
            )
        path = directory / f"{i:05d}_{report.year}.json"
        path.write_text(report.to_json(indent=None), encoding="utf-8")
        paths.append(path)
    return paths
