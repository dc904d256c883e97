"""A crawl manifest: given a CSV of (path, url, agency, year), return what it says per document.

A crawler knows whose page it fetched even where the page's title was cut off; the audit takes
the manifest's agency (and year) for a report whose text names none (issue 10 item 5: title,
then the text's own statements, then the manifest). Paths are relative to the CSV's folder.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from xxgk.errors import XxgkError

COLUMNS = ("path", "url", "agency", "year")


class ManifestError(XxgkError, ValueError):
    """The manifest is unreadable or malformed; str() names the file (and the line)."""


@dataclass(frozen=True)
class ManifestEntry:
    url: str | None
    agency: str | None
    year: int | None


def manifest_key(path: str | Path) -> str:
    """How a document is looked up in a manifest: its resolved absolute path."""
    return str(Path(path).resolve())


def load_manifest(path: str | Path) -> dict[str, ManifestEntry]:
    """Read a manifest CSV (header path,url,agency,year; url/agency/year may be empty)."""
    p = Path(path)
    try:
        text = p.read_text("utf-8-sig")
    except FileNotFoundError:
        raise ManifestError(f"{p}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{p}: not a UTF-8 CSV manifest ({exc})") from None
    rows = csv.DictReader(text.splitlines())
    if rows.fieldnames is None or "path" not in rows.fieldnames:
        raise ManifestError(f"{p}: expected a CSV header with the columns {','.join(COLUMNS)}")
    out: dict[str, ManifestEntry] = {}
    for line, row in enumerate(rows, start=2):
        where = (row.get("path") or "").strip()
        if not where:
            raise ManifestError(f"{p}: line {line}: no path")
        year_text = (row.get("year") or "").strip()
        if year_text and not (year_text.isdigit() and 2000 <= int(year_text) <= 2100):
            raise ManifestError(f"{p}: line {line}: year {year_text!r} is not a year")
        out[manifest_key(p.parent / where)] = ManifestEntry(
            url=(row.get("url") or "").strip() or None,
            agency=(row.get("agency") or "").strip() or None,
            year=int(year_text) if year_text else None,
        )
    return out
