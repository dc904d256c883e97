"""Atomic writes and input expansion (xxgk.files)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from xxgk.files import iter_inputs, write_atomic


def test_write_atomic_replaces_whole_file_with_normal_permissions(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(b"old")
    write_atomic(target, b"new contents")
    assert target.read_bytes() == b"new contents"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary left behind


def test_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(b"old")

    with pytest.raises(TypeError):  # the write itself fails after the temporary file exists
        write_atomic(target, "text, not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_iter_inputs_recurses_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("x")
    (tmp_path / "a.html").write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("x")
    (tmp_path / "b" / ".hidden.txt").write_text("x")
    single = tmp_path / "b" / "2.txt"
    assert list(iter_inputs([tmp_path, single])) == [tmp_path / "a.html", tmp_path / "b" / "2.txt", single]
