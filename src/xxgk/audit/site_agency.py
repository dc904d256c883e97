"""The last step of agency identity (issue 10 item 5: title, the text's own statements, a crawl
manifest, then the site/URL): given the current reports of an audit, return the agency of each
report that names none, from the other reports published under the same site path.

A government site files its annual reports in one column (`www.x.gov.cn/xxgk/ndbg/`); a report
whose title the crawl cut is still under that column. Its URL comes from the crawl manifest's
`url`, else from the page itself (`<link rel=canonical>`, `og:url`: Report.url). Its agency is
taken only when the reports of that site path that name their agency confidently — by title,
text or manifest, not by a site's `<meta>` tags nor by this rule — name exactly one agency
(agency_key: spellings of one body count as one). Two agencies under one column (a portal
filing its departments' reports together) decide nothing: the report stays `agency: null` with
its C-AGENCY finding, never a guess.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import delete, select, update

from xxgk.audit.agencies import agency_key, display_name
from xxgk.audit.link import current_document_ids
from xxgk.audit.manifest import ManifestEntry, manifest_key
from xxgk.storage.db import Database
from xxgk.storage.models import Document, FindingRow, ReportRow

AGENCY_RULE = "C-AGENCY"  # check/rules.toml: agency not identified
SITE_NOTE = "agency from the page's <meta> tags"  # readers/__init__: named by the site's <meta> tags

# trailing path segments a CMS adds under its column: dates and numeric ids (202301/, 2023-01/, t20230105_1.html)
_DATED = re.compile(r"^[a-z]?[\d_\-]+$", re.IGNORECASE)
SITE_PATH_NOTE = "agency from the site path"  # the report's notes say it, and agency_links shows it


def site_path(url: str | None) -> str | None:
    """host + column path of a URL (lower-case host, no scheme, query, file name, or trailing
    date folders): `http://www.x.gov.cn/xxgk/ndbg/202301/t2023_1.html` → `www.x.gov.cn/xxgk/ndbg/`.
    None for what is not an http(s) URL with a host."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    folders = parts.path.split("/")[1:-1]  # the last segment is the page itself
    while folders and (not folders[-1] or _DATED.match(folders[-1])):
        folders.pop()
    return parts.hostname.lower() + "/" + "".join(f + "/" for f in folders)


@dataclass(frozen=True)
class Placed:
    """A report that names no agency, and the one its site path's other reports name."""

    report_id: int
    agency: str
    path: str  # the site path
    others: int  # how many reports there name that agency

    @property
    def why(self) -> str:
        return f"{SITE_PATH_NOTE} {self.path}: its {self.others} other reports there are all this agency's"


def agencies_by_site(reports: Iterable[tuple[int, str | None, bool, str | None]]) -> list[Placed]:
    """Given (report id, agency name, named confidently, URL) of the current reports, return the
    agency each report naming none takes from its site path (module docstring)."""
    named: dict[str, Counter[str]] = defaultdict(Counter)  # site path → agency key → reports
    spelled: dict[str, Counter[str]] = defaultdict(Counter)  # agency key → printed names
    unnamed: list[tuple[int, str]] = []
    for rid, agency, confident, url in reports:
        path = site_path(url)
        if path is None:
            continue
        if agency is None:
            unnamed.append((rid, path))
        elif confident and (key := agency_key(agency)):
            named[path][key] += 1
            spelled[key][display_name(agency)] += 1
    out = []
    for rid, path in unnamed:
        keys = named.get(path)
        if keys is None or len(keys) != 1:
            continue  # nobody there, or two agencies under one column: not decided
        ((key, count),) = keys.items()
        name = spelled[key].most_common(1)[0][0]
        out.append(Placed(rid, name, path, count))
    return out


def url_of(data: Mapping[str, object], listed: str | None) -> str | None:
    """A stored report's URL: the crawl manifest's, else the one the page stated."""
    own = data.get("url")
    return listed or (own if isinstance(own, str) else None)


def apply_site_agencies(db: Database, run_id: int, manifest: Mapping[str, ManifestEntry] | None) -> int:
    """In the database, after the manifest (pipeline.apply_manifest): current reports naming no
    agency take the one their site path's other reports name (agencies_by_site); the reason is
    added to the report's notes (agency_links shows it) and its C-AGENCY finding goes. Returns
    how many reports were named."""
    listed = manifest or {}
    with db.session() as s:
        current = current_document_ids()
        if not s.scalar(
            select(ReportRow.id)
            .where(ReportRow.document_id.in_(current), ReportRow.agency_name.is_(None))
            .limit(1)
        ):
            return 0  # every report names its agency: nothing to look up
        rows = s.execute(
            select(ReportRow.id, ReportRow.agency_name, ReportRow.data, Document.path)
            .join(Document, Document.id == ReportRow.document_id)
            .where(ReportRow.document_id.in_(current))
        ).all()
        entries = {rid: listed.get(manifest_key(path)) for rid, _, _, path in rows} if listed else {}
        data_of = {rid: data or {} for rid, _, data, _ in rows}

        def confident(rid: int) -> bool:
            notes = str(data_of[rid].get("notes") or "")
            return SITE_NOTE not in notes and SITE_PATH_NOTE not in notes

        placed = agencies_by_site(
            (
                rid,
                agency,
                agency is not None and confident(rid),
                url_of(data_of[rid], (e.url if (e := entries.get(rid)) is not None else None)),
            )
            for rid, agency, _, _ in rows
        )
        for p in placed:
            data = dict(data_of[p.report_id])
            data["notes"] = "; ".join(n for n in (data.get("notes"), p.why) if n)
            s.execute(
                update(ReportRow)
                .where(ReportRow.id == p.report_id)
                .values(agency_name=p.agency, data=data, changed_run=run_id)
            )
        if placed:
            s.execute(
                delete(FindingRow).where(
                    FindingRow.report_id.in_([p.report_id for p in placed]), FindingRow.rule == AGENCY_RULE
                )
            )
    return len(placed)


def site_links(db: Database) -> list[tuple[str, str, str]]:
    """(agency, the report's path, why) for every current report named by its site path."""
    with db.session() as s:
        rows = s.execute(
            select(ReportRow.agency_name, ReportRow.data, Document.path)
            .join(Document, Document.id == ReportRow.document_id)
            .where(ReportRow.document_id.in_(current_document_ids()), ReportRow.agency_name.is_not(None))
        ).all()
    out = []
    for agency, data, path in rows:
        notes = str((data or {}).get("notes") or "")
        at = notes.find(SITE_PATH_NOTE)
        if at >= 0:
            out.append((display_name(agency), path, notes[at:].split("; ")[0]))
    return out
