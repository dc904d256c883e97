"""Every document of an audit is read in a child process with a memory cap and a time limit.

The adapters bound their own work (bytes read, bytes inflated, grid cells, nesting), but a
hostile or unlucky file can still find a path no cap covers: a PDF page that takes minutes, a
library that allocates gigabytes in C. Isolation is the design that covers those too (issue 11
item 1): a `Sandbox` keeps one long-lived reader process (`python -m xxgk.audit.sandbox`), sends
it one path at a time and waits at most `Limits.seconds` for the answer. The child caps its own
address space (`RLIMIT_AS`), so an allocation past `Limits.memory_mb` fails inside it
(MemoryError, or the child dies); a child over time is killed. Either way the file is recorded as
unreadable with the reason, a fresh child is started for the next file, and the audit goes on.

A Sandbox works the same in the CLI process (--jobs 1), a process-pool worker or a Dask worker:
it uses `subprocess`, not `multiprocessing`, so it needs no fork of a threaded process and is
allowed inside daemonic workers.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import resource
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.util import Finalize
from typing import IO, Any

_HEADER = struct.Struct("!I")  # a path's length, parent → child
_ANSWER = struct.Struct("!IB")  # an answer's length and flags, child → parent
_FRESH_CHILD = 1  # flag: the child hit its memory limit; start a fresh one for the next file
MEMORY_EXIT = 86  # the child's exit code for "a MemoryError outside a document's reading"


@dataclass(frozen=True)
class Limits:
    """Per-document limits of an audit; the defaults suit a 年报 (a few MB, read in well under 10 s)."""

    # Address space of the reader process, not what it uses: libraries reserve far more than they
    # touch. OCR (onnxruntime) needs more than 1.5 GB of it for one page; 3 GB leaves room.
    memory_mb: int = 3072
    seconds: float = 60.0

    @property
    def memory_bytes(self) -> int:
        return self.memory_mb * 1024 * 1024


def _pickled(obj: Any) -> bytes:
    return pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)


def _send(stream: IO[bytes], obj: Any) -> None:
    payload = _pickled(obj)
    stream.write(_HEADER.pack(len(payload)) + payload)
    stream.flush()


class _Timeout(Exception):
    pass


class _Ended(Exception):
    pass


def _read_exact(fd: int, n: int, deadline: float) -> bytes:
    """`n` bytes from `fd` before `deadline`; _Timeout if late, _Ended if the child is gone."""
    parts: list[bytes] = []
    while n > 0:
        left = deadline - time.monotonic()
        if left <= 0:
            raise _Timeout
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            raise _Timeout
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            raise _Ended
        parts.append(chunk)
        n -= len(chunk)
    return b"".join(parts)


class Sandbox:
    """One reader child process; `read(path)` is `pipeline.read_prepared(path)` under the limits."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._proc: subprocess.Popen[bytes] | None = None

    def _start(self) -> subprocess.Popen[bytes]:
        global _STARTED
        _STARTED += 1
        env = dict(os.environ)
        # One thread per numeric library: threads reserve address space against the cap.
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(var, "1")
        return subprocess.Popen(
            [sys.executable, "-m", "xxgk.audit.sandbox", str(self.limits.memory_bytes)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # a dying child's traceback is not the user's to read
            env=env,
            close_fds=True,
        )

    def read(self, path: str) -> Any:
        """The DocResult for `path`; a child over a limit becomes a DocResult with the reason."""
        return pickle.loads(self.read_pickled(path))

    def read_pickled(self, path: str) -> bytes:
        """`read(path)` as the child pickled it, not decoded: a pool worker forwards these bytes
        to the parent as they are (issue 16: decoding and re-pickling each report in the worker
        was CPU spent only to relay it). A limit the child hit becomes a pickled DocResult with
        the reason."""
        from xxgk.audit.pipeline import failed_result

        if self._proc is None or self._proc.poll() is not None:
            self._proc = self._start()
        proc = self._proc
        assert proc.stdin is not None and proc.stdout is not None
        deadline = time.monotonic() + self.limits.seconds
        try:
            _send(proc.stdin, path)
            fd = proc.stdout.fileno()
            length, flags = _ANSWER.unpack(_read_exact(fd, _ANSWER.size, deadline))
            payload = _read_exact(fd, length, deadline)
        except _Timeout:
            self.close()
            reason = f"took longer than the {self.limits.seconds:g} s limit per document"
            return _pickled(failed_result(path, reason))
        except (_Ended, BrokenPipeError, OSError):
            return _pickled(failed_result(path, self._why_ended(self._stop())))
        if flags & _FRESH_CHILD:
            self.close()  # a fresh child for the next file: this one's heap may be fragmented
        return payload

    def _why_ended(self, code: int | None) -> str:
        """The one-line reason for a child that ended while reading a document."""
        if code == MEMORY_EXIT:
            return f"needs more than the {self.limits.memory_mb} MB memory limit"
        if code is not None and code < 0 and -code in (signal.SIGKILL, signal.SIGSEGV, signal.SIGABRT):
            how = signal.Signals(-code).name
            return f"reader ended by {how}, probably over the {self.limits.memory_mb} MB memory limit"
        return f"reader ended unexpectedly (exit code {code})"

    def _stop(self) -> int | None:
        proc, self._proc = self._proc, None
        if proc is None:
            return None
        if proc.poll() is None:
            proc.kill()
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        return proc.wait()

    def close(self) -> None:
        self._stop()

    @property
    def pid(self) -> int | None:
        """The reader child's process id while it runs, else None."""
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None


def children_started() -> int:
    """How many reader children this process has started: each costs ~2.5 s of CPU (imports)."""
    return _STARTED


_STARTED = 0
_SANDBOXES: dict[Limits, Sandbox] = {}
_REAPER: list[Finalize] = []  # registered once per process
_LENT = threading.local()  # a sandbox lent to this thread's audit (`lent`)


@contextlib.contextmanager
def lent(box: Sandbox) -> Iterator[Sandbox]:
    """Within, this thread's `sandbox_for(box.limits)` is `box`, and `close_all` leaves it running.

    A server keeps a warm reader child across uploads (web/uploads.py); an audit run there reads
    in that child instead of starting one and ending it at its close, as the CLI's audit does."""
    before = getattr(_LENT, "box", None)
    _LENT.box = box
    try:
        yield box
    finally:
        _LENT.box = before


def sandbox_for(limits: Limits) -> Sandbox:
    """This process's sandbox for `limits` (kept for the life of the process: one child per
    worker), or the one lent to this thread (`lent`)."""
    borrowed: Sandbox | None = getattr(_LENT, "box", None)
    if borrowed is not None and borrowed.limits == limits:
        return borrowed
    box = _SANDBOXES.get(limits)
    if box is None:
        if not _REAPER:
            # A pool worker (process pool or Dask) exits through multiprocessing, which runs no
            # atexit hooks but does run these finalizers: the reader child is ended and waited
            # for, not left to init, so its CPU time is accounted to the audit (issue 16).
            _REAPER.append(Finalize(None, close_all, exitpriority=10))
        box = _SANDBOXES[limits] = Sandbox(limits)
    return box


def close_all() -> None:
    """End this process's reader children (at the end of an audit run in the CLI process)."""
    for box in _SANDBOXES.values():
        box.close()
    _SANDBOXES.clear()


def _serve(memory_bytes: int) -> None:
    """The child: cap the address space, then answer paths with DocResults until stdin closes.

    A MemoryError anywhere outside a document's reading (imports, pickling) ends the child with
    MEMORY_EXIT, which the parent reports as the memory limit.
    """
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        from xxgk.audit.pipeline import read_prepared

        stdin = sys.stdin.buffer
        # Answers go to a private copy of fd 1; fd 1 itself becomes stderr, so a library that
        # prints (from Python or from C) cannot corrupt them.
        stdout = os.fdopen(os.dup(1), "wb")
        os.dup2(2, 1)
        while True:
            header = stdin.read(_HEADER.size)
            if len(header) < _HEADER.size:
                return
            (length,) = _HEADER.unpack(header)
            path = pickle.loads(stdin.read(length))
            result = read_prepared(path)
            flags = 0
            if result.error and result.error.startswith("internal error: MemoryError"):
                result.error = f"needs more than the {memory_bytes // 2**20} MB memory limit"
                flags = _FRESH_CHILD
            payload = _pickled(result)
            stdout.write(_ANSWER.pack(len(payload), flags) + payload)
            stdout.flush()
    except MemoryError:
        os._exit(MEMORY_EXIT)


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
