"""A web correction updates the cross-year facts (storage/facts.py) and re-checks next year.

Regression: a correction made a new report version, but `report_facts` kept the value as read,
so next year's X-CARRIED-OVER (annual-report.md C.3 Q7) compared against the stale number —
both right after the correction and in every later audit.
"""

from __future__ import annotations

import json
import random
import re

from sqlalchemy import select
from tests.web.helpers import AGENCY, Web, upload

from xxgk.audit.link import link
from xxgk.samples import random_report
from xxgk.storage.models import FindingRow, ReportFact, ReportRow
from xxgk.web.versions import correct

CELL = "natural_person"


def _two_years() -> list[tuple[str, bytes]]:
    first = random_report(random.Random(5), "2021", agency=AGENCY, year=2022).to_dict()
    second = random_report(random.Random(6), "2021", agency=AGENCY, year=2023).to_dict()
    return [
        (f"{y}.json", json.dumps(d, ensure_ascii=False).encode()) for y, d in ((2022, first), (2023, second))
    ]


def _carry_findings(web: Web, report_id: int) -> set[str]:
    with web.db.session() as s:
        rows = s.execute(
            select(FindingRow.rule, FindingRow.cells).where(
                FindingRow.report_id == report_id, FindingRow.rule == "X-CARRIED-OVER"
            )
        ).all()
    return {c for _, cells in rows for c in cells}


def test_a_correction_updates_the_facts_and_next_years_cross_year_check(web: Web) -> None:
    html = upload(web.client("sup"), _two_years())
    ids = sorted({int(i) for i in re.findall(r'href="/reports/(\d+)"', html)})
    with web.db.session() as s:
        rows = {r.year: r for r in s.scalars(select(ReportRow).where(ReportRow.id.in_(ids)))}
        first, second = rows[2022].id, rows[2023].id
        assert rows[2023].previous_id == first
        carried_over = int(
            s.scalar(
                select(ReportFact.value).where(
                    ReportFact.report_id == second, ReportFact.cell == f"table3.carried_over.{CELL}"
                )
            )
            or 0
        )
    cell = f"table3.carried_forward.{CELL}"
    before = _carry_findings(web, second)
    # Make 2022's carried-forward agree with 2023's carried-over if it did not, or disagree if it did.
    agreed = f"table3.carried_over.{CELL}" not in before
    value = carried_over + 3 if agreed else carried_over
    correct(web.db, first, cell, str(value), "与原件核对", "sup")

    with web.db.session() as s:
        fact = s.scalar(
            select(ReportFact.value).where(ReportFact.report_id == first, ReportFact.cell == cell)
        )
        assert fact == str(value)  # the facts follow the new version
        assert s.get_one(ReportRow, second).previous_id == first  # re-linked after the re-check
    after = _carry_findings(web, second)
    assert (f"table3.carried_over.{CELL}" in after) == agreed  # next year re-checked at once

    # And a later audit's link phase, which reads the facts only, keeps the corrected answer.
    link(web.db)
    assert _carry_findings(web, second) == after


def test_followers_left_unchecked_are_rechecked_by_the_next_link(web: Web) -> None:
    """Should the re-check after a correction never run (a crash between the two), the followers
    are unlinked in the correction's transaction, so the next audit's link re-checks them."""
    from xxgk.audit.link import replace_facts
    from xxgk.storage.versions import current_version

    html = upload(web.client("sup"), _two_years())
    ids = sorted({int(i) for i in re.findall(r'href="/reports/(\d+)"', html)})
    with web.db.session() as s:
        rows = {r.year: r.id for r in s.scalars(select(ReportRow).where(ReportRow.id.in_(ids)))}
    first, second = rows[2022], rows[2023]
    before = _carry_findings(web, second)
    with web.db.session() as s:
        found = current_version(s, first)
        assert found is not None
        data = found.data
        over = s.scalar(
            select(ReportFact.value).where(
                ReportFact.report_id == second, ReportFact.cell == f"table3.carried_over.{CELL}"
            )
        )
        agreed = f"table3.carried_over.{CELL}" not in before
        data["table3"]["carried_forward"][CELL] = int(over or 0) + (3 if agreed else 0)
        assert replace_facts(s, first, data) == [second]
    with web.db.session() as s:
        assert s.get_one(ReportRow, second).previous_id is None  # marked stale
    assert link(web.db) >= 1
    with web.db.session() as s:
        assert s.get_one(ReportRow, second).previous_id == first
    assert (f"table3.carried_over.{CELL}" in _carry_findings(web, second)) == agreed
