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
