"""Personal data (applicant, ID number, contact) never appears in the report, the exports or the
logs unless explicitly asked for (R.7). The search is proven able to fail by the unmasked export."""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

import pytest
from tests.register.ledgers import PERSONAL, clean_cases, clean_rows, write_ledger, xxgk

from xxgk.register.personal import mask_contact, mask_id, mask_name

AGENCY = "福州市某某区人民政府办公室"


def _text_of(path: Path) -> str:
    """Every character a file holds: the XML parts of a zip (xlsx, docx), else the bytes as UTF-8."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return path.read_bytes().decode("utf-8", "replace")


def _leaks(text: str) -> list[str]:
    return [p for p in PERSONAL if p in text]


def test_personal_data_never_leaves_unless_asked(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    db = f"sqlite:///{tmp_path / 'r.db'}"
    ledger = write_ledger(tmp_path / "ledger.xlsx", clean_rows(), clean_cases())
    assert _leaks(_text_of(ledger)) == list(PERSONAL)  # the planted data is there to be found
    logs: list[str] = []
    runs = [
        ("register", "import", str(ledger), "--agency", AGENCY, "--db", db),
        ("register", "due", "--agency", AGENCY, "--db", db, "--today", "2025-12-15", "--within", "30"),
        ("register", "due", "--agency", AGENCY, "--db", db, "--today", "2025-12-15", "--format", "json"),
        ("register", "check", "--agency", AGENCY, "--db", db),
        ("register", "deadline", "2025-0001", "--agency", AGENCY, "--db", db),
        ("register", "history", "2025-0001", "--agency", AGENCY, "--db", db),
        ("register", "export", "--agency", AGENCY, "--db", db, "--out", str(tmp_path / "out.xlsx")),
        ("register", "export", "--agency", AGENCY, "--db", db, "--out", str(tmp_path / "out.csv")),
        ("compile", "--agency", AGENCY, "--year", "2025", "--db", db, "--format", "json"),
        ("compile", "--agency", AGENCY, "--year", "2025", "--db", db, "--out", str(tmp_path / "r.docx")),
        ("compile", "--agency", AGENCY, "--year", "2025", "--db", db, "--out", str(tmp_path / "r.html")),
        ("compile", "--agency", AGENCY, "--year", "2025", "--db", db, "--out", str(tmp_path / "r.json")),
        (
            "compile",
            "--agency",
            AGENCY,
            "--year",
            "2025",
            "--db",
            db,
            "--explain",
            "table3.new.natural_person",
        ),
    ]
    for args in runs:
        result = xxgk(*args)
        assert result.exit_code in (0, 1), (args, result.stderr)
        logs += [result.stdout, result.stderr]
    logs.append(caplog.text)
    outputs = [p for p in tmp_path.iterdir() if p.name.startswith(("out", "r.")) and p.suffix != ".db"]
    assert len(outputs) == 6  # xlsx, two csv, docx, html, json
    for text in logs:
        assert _leaks(text) == [], text
    for path in outputs:
        assert _leaks(_text_of(path)) == [], path
    # masked, not dropped: the export still shows whose case it is, partly
    assert "3501**********1234" in _text_of(tmp_path / "out.xlsx")
    # asked for explicitly: there it is (so the searches above could have failed)
    revealed = tmp_path / "revealed.xlsx"
    xxgk("register", "export", "--agency", AGENCY, "--db", db, "--out", str(revealed), "--reveal-personal")
    assert _leaks(_text_of(revealed)) == list(PERSONAL)


def test_masks() -> None:
    assert mask_id("350102199001011234") == "3501**********1234"
    assert mask_name("王小明") == "王**"
    assert mask_contact("13812345678") == "138****5678"
    assert "example" not in mask_contact("zhao@example.com")
