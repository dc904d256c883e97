"""What an operator configures for `xxgk serve`: database, limits, public reading, audit folders."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from xxgk.audit.sandbox import Limits
from xxgk.storage.db import DEFAULT_URL

MB = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    db_url: str = DEFAULT_URL
    upload_dir: Path = Path("xxgk-uploads")  # uploaded files are kept here (the audit reads paths)
    max_upload_bytes: int = 50 * MB  # one request (a file, or a .zip with its members)
    max_files: int = 200  # files in one upload (a .zip counts its members)
    public_read: bool = False  # reading without logging in: off unless the operator says so
    # Server-side folders an admin may audit, by name; a request names a folder, never a path.
    audit_folders: dict[str, Path] = field(default_factory=dict)
    session_hours: int = 12
    login_attempts: int = 5  # failed logins per name and address ...
    login_window_seconds: int = 300  # ... within this window, then refused until it passes
    secure_cookies: bool = False  # set when served over HTTPS
    workers: int = 1  # background readers; the server itself never waits for them
    # Each uploaded file (report or draft) is read in a child process under these (issue 11).
    read_limits: Limits = field(default_factory=Limits)
    # Start a reader child when the server starts, so the first draft does not wait for it.
    warm_up: bool = True
