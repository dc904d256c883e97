"""Audit storage: SQLAlchemy models, Alembic migrations and the database handle."""

from xxgk.storage.db import DEFAULT_URL, Database, DatabaseError, open_db

__all__ = ["DEFAULT_URL", "Database", "DatabaseError", "open_db"]
