"""Opening an audit database: engine, automatic migrations, sessions.

`open_db(url)` is the one entry point. It creates the engine, applies the Alembic migrations
shipped in this package (so a fresh or older database is brought to the current schema with
no manual step), and returns a `Database` whose `session()` is a context-managed transaction.
SQLite gets WAL journaling and foreign keys; PostgreSQL URLs use psycopg 3
(`postgresql+psycopg://user@host/db`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from xxgk.errors import XxgkError

DEFAULT_URL = "sqlite:///xxgk.db"


class DatabaseError(XxgkError):
    """The database cannot be opened or migrated; str() is a one-line reason."""


class DatabaseBusy(DatabaseError):
    """Another audit is writing into the same database."""


# pg_advisory_lock key of "an audit is writing" (any constant: it only has to be the same everywhere)
_AUDIT_LOCK_KEY = 0x78786B67  # "xxkg"


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("xxgk.storage") / "migrations"))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")  # readers never block the audit's writer
    cur.execute("PRAGMA synchronous=NORMAL")  # durable at each checkpoint; fast commits per batch
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


class JsonText(str):
    """JSON serialised already (by `stored_json`, e.g. in the process that read the document): a
    JSON column stores it as it is, not as a JSON string of it (issue 16: the audit's parent
    serialised every stored report again)."""


def stored_json(obj: Any) -> str:
    """`obj` as a JSON column stores it."""
    # Chinese as UTF-8 (3 bytes a character, not a 6-byte \uXXXX escape) and no spaces: the
    # stored report JSON is most of the database (issue 16).
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _json(obj: Any) -> str:
    # Both back ends' JSON columns serialise through here (SQLite's JSON type, psycopg's dumps).
    return obj if obj.__class__ is JsonText else stored_json(obj)


def make_engine(url: str) -> Engine:
    """An engine for `url`; for SQLite files, the parent directory is created."""
    try:
        parsed = make_url(url)
        parsed.get_dialect()
    except NoSuchModuleError:
        raise DatabaseError(
            f"{url}: unknown database type (use sqlite:///… or postgresql+psycopg://…)"
        ) from None
    except ArgumentError:
        raise DatabaseError(
            f"{url}: not a database URL (try sqlite:///xxgk.db or postgresql+psycopg://…)"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, json_serializer=_json)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if backend == "postgresql" and parsed.get_driver_name() in ("psycopg2", "pg8000", "asyncpg"):
        raise DatabaseError(f"{url}: use the psycopg 3 driver: postgresql+psycopg://…")
    if backend == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        return create_engine(parsed, pool_pre_ping=True, json_serializer=_json)
    except (ArgumentError, ImportError) as exc:
        raise DatabaseError(f"{url}: {exc}") from None


def migrate(engine: Engine) -> None:
    """Apply every pending migration (idempotent)."""
    cfg = _alembic_config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            # Batch migrations copy and drop tables; with foreign keys on, SQLite's implicit
            # DELETE on DROP TABLE would cascade into the dependent tables. The pragma only
            # works outside a transaction, so before begin().
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()  # ends SQLAlchemy's autobegun transaction (sqlite3 opened none)
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@dataclass
class Database:
    """An open, migrated audit database."""

    url: str
    engine: Engine

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on any exception."""
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        """Held while an audit writes: a second audit into the same database fails at once with
        DatabaseBusy (one clear line) instead of a UNIQUE-constraint traceback halfway (issue 11).

        SQLite: an exclusive flock on `<file>.lock` beside the database; PostgreSQL: a
        session-level advisory lock. Both are released if the process dies.
        """
        busy = DatabaseBusy(
            f"{make_url(self.url).render_as_string(hide_password=True)}: another audit is writing "
            "into this database; wait for it to finish"
        )
        url = make_url(self.url)
        if url.get_backend_name() == "sqlite":
            if not url.database or url.database == ":memory:":
                yield
                return
            import fcntl

            with open(f"{url.database}.lock", "a+b") as fh:
                try:
                    fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    raise busy from None
                try:
                    yield
                finally:
                    fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
            return
        with self.engine.connect() as conn:
            if not conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": _AUDIT_LOCK_KEY}).scalar():
                raise busy
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _AUDIT_LOCK_KEY})
                conn.commit()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_db(url: str = DEFAULT_URL) -> Database:
    """Open (creating and migrating as needed) the database at `url`."""
    engine = make_engine(url)
    try:
        migrate(engine)
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(
            f"{make_url(url).render_as_string(hide_password=True)}: cannot open database: {reason}"
        ) from None
    return Database(url, engine)
