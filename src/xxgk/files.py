"""File-system helpers every command shares: which inputs a path names, and writes no one sees half of."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

METADATA_FILES = frozenset({"manifest.json", "manifest.csv"})  # corpus and crawl manifests are no documents


def iter_inputs(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given; directories recursively, in sorted order, hidden files and folders skipped.

    Directories are walked one at a time (each one's entries sorted), which yields the order of
    `sorted(dir.rglob("*"))` without holding a whole corpus's paths in memory (issue 16).
    """
    for item in paths:
        p = Path(item)
        if p.is_dir():
            yield from _walk(p)
        else:
            yield p


def _walk(directory: Path) -> Iterator[Path]:
    try:
        with os.scandir(directory) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:  # unreadable folder: rglob skips it too
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = directory / entry.name
        if entry.is_dir() and not entry.is_symlink():
            yield from _walk(path)
        elif entry.is_file():
            yield path


def temp_beside(target: Path) -> Path:
    """An empty temporary file in `target`'s folder (so the final rename is atomic), with normal permissions."""
    directory = target.parent if str(target.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=target.suffix)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; an output file should look like any other
    return Path(tmp)


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` all at once: a failure leaves the old file (or none), never a partial one."""
    tmp = temp_beside(path)
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
