"""File-system helpers every command shares: which inputs a path names, and writes no one sees half of."""

from __future__ import annotations

import heapq
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from xxgk.errors import XxgkError

# Control characters, DEL, and the Unicode line/paragraph separators: a file name holding one of
# them could forge or break a line of output, so they are shown escaped (issue 11 item 3).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")

METADATA_FILES = frozenset({"manifest.json", "manifest.csv"})  # corpus and crawl manifests are no documents


def display_path(path: str | Path) -> str:
    """A path as one printable line: bytes that are not UTF-8 as \\xNN, control characters escaped.

    File names are bytes; Python carries the undecodable ones as lone surrogates, which no
    database or terminal accepts. This is the form stored and shown; the file is opened by the
    original path.
    """
    text = os.fsencode(str(path)).decode("utf-8", "backslashreplace")
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True)
class SkippedInput:
    """An input that was found but cannot be read as a file: `reason` says why (no path in it)."""

    path: str  # display_path form
    reason: str


# Names sorted in memory at once; a larger folder is sorted in runs of this many on disk.
SORT_RUN = 20_000


def sorted_names(folder: Path, run: int = SORT_RUN) -> Iterator[str]:
    """The names in `folder` in sorted order, holding at most `run` of them in memory.

    A sorted list of a folder's names is ~70 bytes a file for as long as the folder is walked: at
    100,000 reports in one folder, 7 MB of the auditing process that grows with the corpus
    (issue 16). Past `run` names, each run is sorted and spilled to an anonymous temporary file,
    and the runs are merged as the walk goes. Lists the folder now (OSError here); the merge is
    lazy."""
    names: list[str] = []
    runs: list[BinaryIO] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                names.append(entry.name)
                if len(names) >= run:
                    runs.append(_spill(sorted(names)))
                    names = []
        if not runs:
            return iter(sorted(names))
        if names:
            runs.append(_spill(sorted(names)))
    except BaseException:
        for f in runs:
            f.close()
        raise
    return _merged(runs)


def _spill(names: list[str]) -> BinaryIO:
    """Sorted names in an anonymous temporary file, NUL-separated (no name holds a NUL)."""
    # Unbuffered, read in small blocks: what the merge holds is a block a run.
    f = tempfile.TemporaryFile(buffering=0)  # noqa: SIM115 - closed by _merged, or on a listing error
    f.write(b"\0".join(n.encode("utf-8", "surrogatepass") for n in names) + b"\0")
    f.seek(0)
    return f


def _merged(runs: list[BinaryIO]) -> Iterator[str]:
    try:
        yield from heapq.merge(*(_read_run(f) for f in runs))
    finally:
        for f in runs:
            f.close()


def _read_run(f: BinaryIO) -> Iterator[str]:
    rest = b""
    while block := f.read(4096):
        *names, rest = (rest + block).split(b"\0")
        for name in names:
            yield name.decode("utf-8", "surrogatepass")


def _walk(folder: Path, skipped: list[SkippedInput] | None) -> Iterator[Path]:
    """Files below `folder` in sorted order; hidden entries skipped, folder symlinks not followed.

    Only the names are held while the folder is walked, and of a large folder only a run of them
    (sorted_names): a sorted list of `os.DirEntry` was ~300 bytes a file for the whole audit (a
    folder of 100,000 reports: ~30 MB in the auditing process, issue 16). The entries are looked
    at one by one.
    """
    try:
        names = sorted_names(folder)
    except OSError as exc:
        if skipped is not None:
            skipped.append(SkippedInput(display_path(folder), f"cannot list folder: {exc.strerror or exc}"))
        return
    for name in names:
        if name.startswith("."):
            continue
        child = folder / name
        try:
            mode = os.lstat(child).st_mode
            if stat.S_ISDIR(mode):
                yield from _walk(child, skipped)
                continue
            if stat.S_ISLNK(mode):
                mode = os.stat(child).st_mode  # a link to a file is read; to a folder, set aside
            if stat.S_ISREG(mode):
                yield child
            elif skipped is not None:
                skipped.append(SkippedInput(display_path(child), _why_not_a_file(child)))
        except OSError as exc:
            if skipped is not None:
                skipped.append(SkippedInput(display_path(child), _why_not_a_file(child, exc)))


def _why_not_a_file(path: Path, error: OSError | None = None) -> str:
    """The reason a directory entry that is neither a folder nor a regular file is not read."""
    try:
        if error is not None:
            raise error
        info = path.stat()
    except OSError as exc:
        if path.is_symlink():
            return f"broken symbolic link or link loop ({exc.strerror or exc})"
        return f"cannot inspect: {exc.strerror or exc}"
    if stat.S_ISDIR(info.st_mode):
        return "symbolic link to a folder, not followed (avoids loops)"
    return "not a regular file (device, pipe or socket)"


def iter_inputs(paths: Iterable[str | Path], skipped: list[SkippedInput] | None = None) -> Iterator[Path]:
    """Files as given; directories recursively, in sorted order, hidden files and folders skipped.

    What is found but cannot be a file to read (symbolic-link loops, folder links, unreadable
    folders, devices inside a folder) is appended to `skipped` with its reason, never dropped
    silently. A path given by name is yielded as is, whatever it is (the reader says what is wrong).
    """
    for item in paths:
        p = Path(item)
        try:
            is_dir = p.is_dir()
        except OSError:  # cannot even be inspected: the reader says why, with the path
            is_dir = False
        if is_dir:
            yield from _walk(p, skipped)
        else:
            yield p


class InputTooLarge(XxgkError):
    """More bytes than the limit; str() is the reason."""


def read_bounded(source: str | Path | BinaryIO, limit: int) -> bytes:
    """At most `limit` bytes from a file, device, pipe or stream; InputTooLarge past that.

    The size a file reports is not trusted (/dev/zero and pipes say 0, /proc files lie), so the
    read itself is bounded: one byte past the limit is proof enough.
    """
    if isinstance(source, str | Path):
        with open(source, "rb") as fh:
            return read_bounded(fh, limit)
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = source.read(min(1 << 20, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > limit:
        raise InputTooLarge(f"file is larger than the {limit // (1024 * 1024)} MB limit")
    return b"".join(chunks)


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
