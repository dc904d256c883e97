"""Fixtures of the PDF/DOCX tests (paths in helpers.py)."""

from __future__ import annotations

import shutil

import pytest


@pytest.fixture(scope="session")
def soffice() -> str:
    path = shutil.which("soffice")
    if path is None:
        pytest.skip("LibreOffice (soffice) is not installed: run scripts/system-deps.sh")
    return path
