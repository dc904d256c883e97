"""Paths the tests share. The dev corpus is read from ../shared (beside the repo, in CI too); never copied."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("XXGK_SHARED", REPO.parent / "shared"))
DEV_DOCS = SHARED / "corpus" / "dev" / "docs"
DEV_TRUTH = SHARED / "corpus" / "dev" / "truth"


def dev_documents() -> list[Path]:
    """Every labelled dev document (a doc with a label beside it)."""
    return sorted(p for p in DEV_DOCS.iterdir() if (DEV_TRUTH / f"{p.stem}.json").exists())


def dev_labels() -> list[Path]:
    return sorted(DEV_TRUTH.glob("*.json"))
