"""Given the listed inputs in listing order, return the sha256 digests the database holds for
each path: what the audit's plan needs to skip an unchanged file.

The listing is sorted (files.iter_inputs), so the documents table is read beside it in path
order — a merge join, a page of `PAGE` rows at a time by keyset (`(path, sha256) >` the last
row), on the unique (path, sha256) index: constant memory, one index range read per page. It
replaced a lookup of every 500 listed names with `path IN (…)`: 15 s of a 33 s no-change re-run
at 100,000 reports (issue 16). Each page is its own short query, so no read transaction stays
open while the audit writes (a long one would keep SQLite's WAL from being checkpointed).

The merge needs the database to order paths as Python orders strings (by code point). SQLite's
default BINARY collation does (UTF-8 bytes sort as their code points; stored paths are
display_path's form: no lone surrogates); PostgreSQL does under the "C"/"POSIX" collation only,
so elsewhere the paths are looked up (`path IN`). Where the listing steps back (a folder `a`
listed before the file `a.txt`, since `/` sorts after `.`, or inputs given out of order) the
merge seeks again from that path; where the database's rows come out of Python's order after
all, it falls back to lookups for the rest of the run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from itertools import pairwise

from sqlalchemy import select, text, tuple_

from xxgk.storage.db import Database
from xxgk.storage.models import Document

PAGE = 2000


def orders_like_python(db: Database) -> bool:
    """Whether `ORDER BY documents.path` is code point order (the merge's premise)."""
    backend = db.engine.url.get_backend_name()
    if backend == "sqlite":
        return True
    if backend != "postgresql":
        return False
    with db.engine.connect() as conn:
        row = conn.execute(
            text("SELECT datcollate FROM pg_database WHERE datname = current_database()")
        ).one_or_none()
        provider = conn.execute(
            text(
                "SELECT collprovider FROM pg_collation c JOIN pg_attribute a ON a.attcollation = c.oid "
                "WHERE a.attrelid = 'documents'::regclass AND a.attname = 'path'"
            )
        ).scalar()
        if provider not in (None, "d"):  # the column has a collation of its own
            return False
    return row is not None and row[0] in ("C", "POSIX", "C.UTF-8", "C.utf8")


class StoredDigests:
    """`lookup(names)` → {path: its stored digests} for the paths of `names` the database has;
    called with successive parts of the listing (display paths), in listing order."""

    def __init__(self, db: Database, *, merge: bool | None = None, page: int = PAGE) -> None:
        self.db = db
        self.merge = orders_like_python(db) if merge is None else merge
        self.page = page
        self.pages = 0  # queries run: a test reads it
        self._rows: list[tuple[str, str]] = []  # the current page, from `_at`
        self._at = 0
        self._after: tuple[str, str] | None = None  # the keyset of the next page
        self._past = False  # the next page starts past `_after` (else at it)
        self._done = False  # no rows past `_after`
        self._last = ""  # the last name asked

    def lookup(self, names: Sequence[str]) -> dict[str, set[str]]:
        if not self.merge:
            return self._lookup(names)
        out: dict[str, set[str]] = defaultdict(set)
        for name in names:
            if name <= self._last:  # the listing stepped back (or repeats a path): seek again
                self._seek(name)
            self._last = name
            while True:
                row = self._peek(name)
                if row is None or row[0] > name:
                    break
                if row[0] == name:
                    out[name].add(row[1])
                self._at += 1
            if not self.merge:  # the database's order was not Python's: lookups from here
                return self._lookup(names)
        return out

    def _seek(self, name: str) -> None:
        self._rows, self._at, self._after, self._past, self._done = [], 0, (name, ""), False, False

    def _peek(self, name: str) -> tuple[str, str] | None:
        """The next row, reading a page when the current one is used up (None: no more)."""
        if self._at < len(self._rows):
            return self._rows[self._at]
        if self._done:
            return None
        after = self._after or (name, "")
        key = tuple_(Document.path, Document.sha256)
        query = select(Document.path, Document.sha256).where(
            key > tuple_(*after) if self._past else key >= tuple_(*after)
        )
        with self.db.session() as s:
            page = s.execute(query.order_by(Document.path, Document.sha256).limit(self.page))
            rows = [(p, h) for p, h in page]
        self.pages += 1
        if any(a >= b for a, b in pairwise(rows)) or (
            rows and (rows[0] <= after if self._past else rows[0] < after)
        ):
            self.merge = False  # not code point order after all
            self._rows, self._at = [], 0
            return None
        if rows:
            self._after, self._past = rows[-1], True
        self._done = len(rows) < self.page
        self._rows, self._at = rows, 0
        return rows[0] if rows else None

    def _lookup(self, names: Sequence[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        with self.db.session() as s:
            for path, sha in s.execute(
                select(Document.path, Document.sha256).where(Document.path.in_(names))
            ):
                out[path].add(sha)
        return out
