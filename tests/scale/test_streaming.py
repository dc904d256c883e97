"""Streaming (issue 16): inputs are listed lazily in rglob's sorted order, and `xxgk extract
--format json` prints each report of an array as soon as it is read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.paths import DEV_DOCS

from xxgk.files import iter_inputs

_NAMES = st.sampled_from(["a", "ab", "a.txt", "a-b", "B", ".h", "z.html", "a b", "甲", "1", "10", "2"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(_NAMES, min_size=1, max_size=4), min_size=1, max_size=12))
def test_folders_are_walked_in_sorted_rglob_order_hidden_skipped(
    tmp_path_factory: pytest.TempPathFactory, trees: list[list[str]]
) -> None:
    root = tmp_path_factory.mktemp("tree")
    for parts in trees:
        path = root.joinpath(*parts)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                path.write_text("x", encoding="utf-8")
        except (FileExistsError, NotADirectoryError, IsADirectoryError):
            continue  # a name already used as a file (or folder) on this path
    expected = [
        p
        for p in sorted(root.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    ]
    assert list(iter_inputs([root])) == expected


def test_extract_prints_each_report_of_an_array_before_reading_the_next_input() -> None:
    docs = [DEV_DOCS / "101_pingtan-junshan-2022.txt", DEV_DOCS / "102_pingtan-guozi-2019.txt"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "xxgk", "extract", *map(str, docs), "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None and proc.stdout is not None
    seen = b""
    while b"102_pingtan-guozi-2019" not in seen or not seen.rstrip().endswith(b"}"):
        chunk = os.read(proc.stdout.fileno(), 65536)
        assert chunk, "extract ended before reading standard input"
        seen += chunk
    # Both file reports are out while the last input (stdin) is still unread.
    assert proc.poll() is None
    assert seen.startswith(b"[")
    out, _ = proc.communicate(docs[0].read_bytes(), timeout=120)
    reports = json.loads(seen + out)
    assert [r["source"] for r in reports] == [str(docs[0]), str(docs[1]), "-"]
    assert proc.returncode == 0


def test_extract_of_a_folder_skips_the_sample_manifest(tmp_path: Path) -> None:
    from xxgk.samples import write_corpus

    write_corpus(tmp_path, count=3, seed=5)
    run = subprocess.run(
        [sys.executable, "-m", "xxgk", "extract", str(tmp_path), "-f", "jsonl"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "manifest" not in run.stderr
    assert len(run.stdout.splitlines()) == 3
