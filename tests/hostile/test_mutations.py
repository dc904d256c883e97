"""Property (issue 11): random byte mutations of valid reports of every format never produce a
traceback, a read beyond the time limit, or a stored report with a value the outputs cannot write.

Each mutated file goes through `process_path`, the audit's own worker function (what the sandbox
child runs); the report it returns must read back through the model, whose bounds are what every
writer can write (model.MAX_DIGITS).
"""

from __future__ import annotations

import time
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.hostile.corpus import FIXTURES, report_docx, report_html, valid_report

from xxgk.audit.pipeline import process_path
from xxgk.model import in_range, parse_report
from xxgk.render import render

LIMIT_SECONDS = 20.0  # the per-document limit the sandbox would enforce; no read may come near it


@cache
def originals() -> dict[str, bytes]:
    report = valid_report()
    return {
        "html": report_html(report),
        "txt": render(report, "pipe") if "pipe" in _layouts() else report.to_json().encode(),
        "json": report.to_json().encode(),
        "docx": report_docx(report),
        "pdf": (FIXTURES / "pdf" / "101_pingtan-junshan-2022.pdf").read_bytes(),
    }


def _layouts() -> list[str]:
    from xxgk.render import layout_names

    return layout_names()


mutation = st.tuples(
    st.sampled_from(["flip", "insert", "delete", "digits"]),
    st.floats(0, 1),
    st.binary(min_size=1, max_size=64),
)


def mutate(data: bytes, edits: list[tuple[str, float, bytes]]) -> bytes:
    out = bytearray(data)
    for kind, where, payload in edits:
        at = int(where * max(len(out) - 1, 0))
        if kind == "flip":
            out[at : at + len(payload)] = payload
        elif kind == "insert":
            out[at:at] = payload
        elif kind == "delete":
            del out[at : at + len(payload)]
        else:  # a run of digits: the 25- and 401-digit cells of the issue, anywhere
            out[at:at] = b"9" * (len(payload) * 7)
    return bytes(out)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fmt=st.sampled_from(["html", "txt", "json", "docx", "pdf"]),
    edits=st.lists(mutation, min_size=1, max_size=4),
)
def test_mutated_reports_fail_cleanly_or_store_only_writable_values(
    fmt: str, edits: list[tuple[str, float, bytes]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("mut") / f"r.{fmt}"
    path.write_bytes(mutate(originals()[fmt], edits))
    started = time.monotonic()
    result = process_path(str(path))
    assert time.monotonic() - started < LIMIT_SECONDS
    if result.error is not None:
        assert "\n" not in result.error
        assert not result.error.startswith("internal error"), result.error
        return
    assert result.report is not None
    report = parse_report(result.report)  # what would be stored reads back through the model
    assert all(v is None or in_range(v) for _, v in report.iter_cells())


def test_the_originals_read_as_reports(tmp_path: Path) -> None:
    for fmt, data in originals().items():
        path = tmp_path / f"r.{fmt}"
        path.write_bytes(data)
        result = process_path(str(path))
        assert result.error is None and result.report is not None, (fmt, result.error)
