"""Given a table, its column names and rows as tuples, insert them in one driver-level executemany.

SQLAlchemy's executemany processes every row's parameters in Python (a dict per row, bind
processors, type coercion): at 10,000 reports that cost more than the insert itself for the
~22 fact rows and ~1 finding row of each report (issue 16, profiled). The rows given here are
already what the driver takes — text, numbers, None, JSON serialised by `db.stored_json` — so
they go to the DBAPI cursor as they are, in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session


def insert_rows(
    session: Session, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """INSERT every row of `rows` (values in the order of `columns`) into `table`."""
    if not rows:
        return
    conn = session.connection()
    quote = conn.dialect.identifier_preparer.quote
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join([mark] * len(columns))})"
    )
    conn.exec_driver_sql(sql, list(rows))
