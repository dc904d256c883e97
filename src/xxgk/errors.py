"""The one base class of xxgk's errors.

An ``XxgkError`` is a user-facing error: the input, the database, the account or the request is
wrong, not xxgk. Its message is the one line the CLI prints (``xxgk: <message>``, exit 2, no
traceback; xxgk.cli catches this class in one place). Every error class of the library derives
from it — keeping its own name, and ValueError where callers catch that — except the ones that
report a bug in xxgk itself (audit.pipeline.AccountingError): those must surface as a traceback.
"""

from __future__ import annotations

__all__ = ["XxgkError"]


class XxgkError(Exception):
    """A user's mistake or an unusable input; ``str(error)`` is the line shown to the user."""
