"""Helpers the command modules share: consoles, output formats, one-line errors."""

from __future__ import annotations

import sys
from enum import StrEnum

from rich.console import Console

stdout = Console(soft_wrap=False, highlight=False)
stderr = Console(stderr=True, highlight=False)


class Lang(StrEnum):
    zh = "zh"
    en = "en"


def fail(message: str, code: int = 2) -> None:
    """A user's mistake: one line on stderr, a non-zero exit, no traceback."""
    sys.stderr.write(f"xxgk: {message}\n")
    raise SystemExit(code)
