"""Fixtures of the register tests: the database URL per backend (SQLite, throwaway PostgreSQL)
comes from the audit tests' conftest; ledgers are written with xlsxwriter."""

from __future__ import annotations

from tests.audit.conftest import db_url, postgresql, postgresql_proc  # noqa: F401  (fixtures)
