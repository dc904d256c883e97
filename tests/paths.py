"""Paths the tests share. The dev corpus is read from ../shared (beside the repo, in CI too); never copied."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The `xxgk` script of the environment running the tests (beside its python), not a path in the
# checkout: the suite also runs from an installed environment (issue 11 item 8).
XXGK_SCRIPT = Path(sys.executable).parent / "xxgk"


def _find_shared() -> Path:
    """``XXGK_SHARED`` if set; else ../shared beside this checkout; for a clone made somewhere
    else (a temp dir), ../shared beside the local repository it was cloned from (git's origin)."""
    if "XXGK_SHARED" in os.environ:
        return Path(os.environ["XXGK_SHARED"])
    beside = REPO.parent / "shared"
    if beside.is_dir():
        return beside
    origin = subprocess.run(
        ["git", "-C", str(REPO), "config", "--get", "remote.origin.url"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    origin = origin.removeprefix("file://")
    if origin.startswith("/"):  # a local path, not a URL or host:path
        cloned_from = Path(origin).resolve().parent / "shared"
        if cloned_from.is_dir():
            return cloned_from
    return beside


SHARED = _find_shared()
DEV_DOCS = SHARED / "corpus" / "dev" / "docs"
DEV_TRUTH = SHARED / "corpus" / "dev" / "truth"


def dev_documents() -> list[Path]:
    """Every labelled dev document (a doc with a label beside it)."""
    if not DEV_DOCS.is_dir():
        raise FileNotFoundError(
            f"the dev corpus is not at {DEV_DOCS}: put shared/ beside the repository or set XXGK_SHARED"
        )
    return sorted(p for p in DEV_DOCS.iterdir() if (DEV_TRUTH / f"{p.stem}.json").exists())


def dev_labels() -> list[Path]:
    return sorted(DEV_TRUTH.glob("*.json"))
