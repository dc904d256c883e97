"""Given a spreadsheet ledger (.xlsx, .xls, .ods), return its sheets as rows — read in a child
process under a memory cap and a time limit, so no file can stop `xxgk register import`.

python-calamine reads in Rust, and Rust aborts the whole process when an allocation fails: a
1.5 KB .xlsx with one cell at A1 and one at XFD1048576 asks for 512 GB (calamine makes the range
dense), and the import died with SIGABRT and a Rust backtrace. A zip whose directory understates
its sheet's size, or a sheet of millions of cells, grows the same way. As for an audit's documents
(xxgk.audit.sandbox, issue 11 item 1), the child caps its own address space (RLIMIT_AS); a child
over the cap or the time becomes a LedgerFileError: one line naming the file and the limit.
"""

from __future__ import annotations

import os
import pickle
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

from xxgk.register.errors import LedgerFileError

MEMORY_MB = 1024  # address space of the reader: a ledger of 100,000 rows needs a fraction of it
MAX_CELLS = 2_000_000  # a sheet's rows × columns; a year's ledger has a few thousand rows of ~25
SECONDS = 60.0
_UNREADABLE = 3  # the child's exit code for "calamine refused the file"; stderr says why
_MEMORY = 86  # the child's exit code for a MemoryError (as the audit's sandbox)

Sheets = list[tuple[str, list[list[Any]]]]


def read_sheets(path: Path, memory_mb: int = MEMORY_MB, seconds: float = SECONDS) -> Sheets:
    """(sheet name, rows) for every sheet of the spreadsheet at `path`, or LedgerFileError."""
    env = {**os.environ, "RUST_BACKTRACE": "0"}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "xxgk.register.spreadsheet", os.fspath(path), str(memory_mb << 20)],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=seconds,
            env=env,
        )
    except subprocess.TimeoutExpired:
        raise LedgerFileError(str(path), "ledger.file.too_slow", seconds=f"{seconds:g}") from None
    if done.returncode == 0:
        sheets: Sheets = pickle.loads(done.stdout)
        return sheets
    if done.returncode == _UNREADABLE:
        why = done.stderr.decode(errors="replace").strip().splitlines()
        raise LedgerFileError(
            str(path), "ledger.file.not_a_spreadsheet", why=why[-1] if why else "unknown error"
        )
    raise LedgerFileError(str(path), "ledger.file.over_memory", mb=memory_mb)


def _serve(path: str, memory_bytes: int) -> None:
    """The child: cap the address space, read every sheet, write them pickled to stdout."""
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        from python_calamine import CalamineWorkbook

        try:
            book = CalamineWorkbook.from_path(path)
            sheets = []
            for name in book.sheet_names:
                sheet = book.get_sheet_by_name(name)
                if sheet.total_height * sheet.total_width > MAX_CELLS:
                    size = f"{sheet.total_height:,} rows × {sheet.total_width:,} columns"
                    raise ValueError(f"sheet {name!r} spans {size}, over the {MAX_CELLS:,} cells limit")
                sheets.append((name, sheet.to_python(skip_empty_area=False)))
        except MemoryError:
            raise
        except BaseException as exc:  # CalamineError, or a Rust panic (pyo3's PanicException)
            sys.stderr.write(f"{exc}".replace("\n", " ") + "\n")
            sys.stderr.flush()
            os._exit(_UNREADABLE)
        sys.stdout.buffer.write(pickle.dumps(sheets, protocol=pickle.HIGHEST_PROTOCOL))
        sys.stdout.buffer.flush()
    except MemoryError:
        os._exit(_MEMORY)


if __name__ == "__main__":
    _serve(sys.argv[1], int(sys.argv[2]))
