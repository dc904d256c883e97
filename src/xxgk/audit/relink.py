"""Given an audit's identity inputs and the database, return the stamp that says whether its
link passes (manifest, site agencies, agencies and cross-year rules) can be skipped.

Each finished run records the stamp of the state its link passes left (`AuditRun.linked`). A
later run whose stamp is the same — no document stored since, no correction, the same aliases
and manifest, the same code of the passes — would find nothing to change, so it skips them: at
100,000 reports they were ~15 s of a no-change re-run (issue 16). Anything else re-links.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from sqlalchemy import func, select

import xxgk
from xxgk.audit.manifest import ManifestEntry
from xxgk.storage.db import Database
from xxgk.storage.models import Agency, AgencyAlias, AuditRun, Document, ReportRow, ReportVersion

# The code the link passes run, relative to the package: a change to any of it re-links.
LINK_CODE = (
    "audit/agencies.py",
    "audit/abbreviations.toml",
    "audit/agency_forms.toml",
    "audit/link.py",
    "audit/manifest.py",
    "audit/pipeline.py",
    "audit/relink.py",
    "audit/site_agency.py",
    "readers/previous.py",
    "storage/facts.py",
    "check",
)


@cache
def code_digest() -> str:
    """A digest of the link passes' code and rules (LINK_CODE) and the package version."""
    root = Path(xxgk.__file__).parent
    h = hashlib.sha256(xxgk.__version__.encode())
    for name in LINK_CODE:
        where = root / name
        files = sorted(where.rglob("*")) if where.is_dir() else [where]
        for f in files:
            if f.is_file() and f.suffix in (".py", ".toml"):
                h.update(f.relative_to(root).as_posix().encode() + b"\0")
                h.update(f.read_bytes())
    return h.hexdigest()


def inputs_digest(aliases: Mapping[str, str] | None, manifest: Mapping[str, ManifestEntry] | None) -> str:
    """A digest of what shapes identities besides the reports: the aliases and the manifest."""
    h = hashlib.sha256(code_digest().encode())
    for alias, canonical in sorted((aliases or {}).items()):
        h.update(f"a\0{alias}\0{canonical}\n".encode("utf-8", "surrogateescape"))
    for path, e in (manifest or {}).items():  # in the file's order: a reordered file re-links
        h.update(f"m\0{path}\0{e.url}\0{e.agency}\0{e.year}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def database_state(db: Database) -> str:
    """What the link passes read and write, as counts and largest ids (each from an index)."""
    parts = []
    with db.session() as s:
        for table in (Document, ReportRow, ReportVersion, Agency, AgencyAlias):
            n, top = s.execute(select(func.count(), func.max(table.id))).one()
            parts.append(f"{table.__tablename__}={n}/{top}")
    return " ".join(parts)


def link_stamp(db: Database, inputs: str) -> str:
    """The stamp of the database as it is now under these identity inputs (`inputs_digest`)."""
    return f"{inputs} {database_state(db)}"


def last_stamp(db: Database) -> str | None:
    """The stamp the newest finished audit run left (None: none left one)."""
    with db.session() as s:
        return s.scalar(
            select(AuditRun.linked)
            .where(AuditRun.finished_at.is_not(None))
            .order_by(AuditRun.id.desc())
            .limit(1)
        )
