"""The cross-year pass reads a report's *current* version (issue 16 item 4).

Regression: `link.cross_check` reloads a report whole when last year's figures may decide its
ambiguous 上年结转 (readers/previous.py). It reloaded version 1 — the reading — and stored that
back with the decision, so a person's correction (a new version, web/versions.py) vanished from
the report's facts and every later cross-year check compared against the value as read
(annual-report.md C.3 Q7).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from sqlalchemy import select
from tests.web.helpers import make_web

from xxgk.audit.pipeline import audit
from xxgk.model import Candidate, CellSource, parse_report
from xxgk.samples import _chain, random_report
from xxgk.storage.db import open_db
from xxgk.storage.models import ReportFact, ReportRow
from xxgk.storage.versions import current_version
from xxgk.web.versions import correct

AMBIGUOUS = "table3.carried_over.natural_person"
LAST = "table3.carried_forward.natural_person"
CORRECTED = "table3.carried_forward.commercial"


def _facts(db_url: str, report_id: int) -> dict[str, tuple[str | None, str | None]]:
    db = open_db(db_url)
    with db.session() as s:
        rows = s.execute(
            select(ReportFact.cell, ReportFact.value, ReportFact.status).where(
                ReportFact.report_id == report_id
            )
        ).all()
    return {cell: (value, status) for cell, value, status in rows}


def test_a_decision_from_last_year_keeps_a_persons_correction(tmp_path: Path) -> None:
    rng = random.Random(3)
    prev = random_report(rng, "2021", agency="云溪县教育局", year=2022)
    this = random_report(rng, "2021", agency="云溪县教育局", year=2023)
    prev.set(LAST, 4)
    prev.set("table3.carried_forward.total", None)
    _chain(prev, this)
    # Last year's 4 is not among the candidates: nothing is decided at the first audit.
    this.set(AMBIGUOUS, None)
    this.cells[AMBIGUOUS] = CellSource(
        status="ambiguous", candidates=[Candidate(cell=AMBIGUOUS, value=v) for v in (5, 7)]
    )
    docs = tmp_path / "docs"
    docs.mkdir()
    for r in (prev, this):
        (docs / f"{r.year}.json").write_text(json.dumps(r.to_dict(), ensure_ascii=False), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'a.db'}"
    db = open_db(url)
    assert audit([docs], db).cross_checked == 1
    with db.session() as s:
        ids = {r.year: r.id for r in s.scalars(select(ReportRow))}
    assert _facts(url, ids[2023])[AMBIGUOUS][1] == "ambiguous"

    read = this.value(CORRECTED)
    fixed = (read or 0) + 11
    correct(db, ids[2023], CORRECTED, str(fixed), "与原件核对", "sup")
    assert _facts(url, ids[2023])[CORRECTED][0] == str(fixed)

    # Last year's figure corrected to one of the candidates: 2023 is re-checked and its
    # ambiguous cell decided — on the corrected version, which keeps the person's value.
    correct(db, ids[2022], LAST, "5", "与原件核对", "sup")
    facts = _facts(url, ids[2023])
    assert facts[AMBIGUOUS] == ("5", "inferred")
    assert facts[CORRECTED][0] == str(fixed)  # was the value as read before the fix
    with db.session() as s:
        found = current_version(s, ids[2023])
    assert found is not None and found.row_id is not None  # the newest version, not the reading
    current = parse_report(found.data)
    assert current.value(AMBIGUOUS) == 5 and current.cells[AMBIGUOUS].basis == "previous"
    assert current.value(CORRECTED) == fixed and "人工更正" in (current.cells[CORRECTED].note or "")
    # The reading (version 1) is left as read.
    with db.session() as s:
        stored = s.scalar(select(ReportRow.data).where(ReportRow.id == ids[2023]))
    from xxgk.storage.compact import rebuild

    assert parse_report(rebuild(stored)).value(CORRECTED) == read

    # The web shows that same version — the API's report JSON and the report page alike
    # (storage/versions.py is the one place that finds it; review item 1).
    web = make_web(tmp_path, url)
    try:
        api = web.api("sup").get(f"/api/reports/{ids[2023]}").json()
        assert api["version"] == found.version == 2  # the reading, then the correction
        assert api["table3"]["carried_forward"]["commercial"] == fixed
        assert api["cells"][AMBIGUOUS]["basis"] == "previous"
        page = web.client("sup").get(f"/reports/{ids[2023]}").text
        assert '<b id="version">2</b>' in page
    finally:
        web.app.state.worker.close()
