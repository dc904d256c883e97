"""Damaged documents (a crawler's truncated page, lines lost or swapped, junk pasted in): the
extractor returns a report or refuses the file with a message — never any other exception.

Found by this kind of input: a page cut inside table 2's header crashed the row loop
(tests/extract/test_layout_regressions.py keeps that case as an example).
"""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xxgk.extract import ExtractError, extract_bytes
from xxgk.model import Report
from xxgk.render import LAYOUTS, render
from xxgk.samples import random_report

# pasted into a line: separators, numbers, labels, and characters str.isdigit() accepts but int()
# does not (superscripts, circled numbers: "0²0" once crashed the glued-run search)
JUNK = [
    "",
    "|",
    "||||",
    " 0 ",
    "２０２４年",
    "总计",
    "（七）总计",
    "行政复议",
    "第二十条第（一）项",
    "\u00a0",
    "-",
]
JUNK += ["0²0", "²", "①", " 1①2 ", "| 0² |", "١٢"]


def _damage(data: bytes, rng: random.Random, how: str) -> bytes:
    lines = data.split(b"\n")
    if how == "truncate":
        return data[: rng.randint(0, len(data))]
    if how == "drop" and len(lines) > 1:
        del lines[rng.randrange(len(lines))]
    elif how == "swap":
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif how == "junk":
        lines.insert(rng.randrange(len(lines) + 1), rng.choice(JUNK).encode())
    elif how == "junk-inline":
        i = rng.randrange(len(lines))
        cut = rng.randint(0, len(lines[i]))
        lines[i] = lines[i][:cut] + rng.choice(JUNK).encode() + lines[i][cut:]
    elif how == "cut-line":
        i = rng.randrange(len(lines))
        lines[i] = lines[i][: rng.randint(0, len(lines[i]))]
    return b"\n".join(lines)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    layout=st.sampled_from(sorted(LAYOUTS)),
    damage=st.lists(
        st.sampled_from(["truncate", "drop", "swap", "junk", "junk-inline", "cut-line"]),
        min_size=1,
        max_size=4,
    ),
)
def test_a_damaged_document_is_read_or_refused_never_a_crash(
    seed: int, layout: str, damage: list[str]
) -> None:
    rng = random.Random(seed)
    data = render(random_report(rng, rng.choice(["2019", "2021"])), layout)
    for how in damage:
        data = _damage(data, rng, how)
    try:
        report = extract_bytes(data, f"damaged{LAYOUTS[layout].suffix}")
    except ExtractError as exc:
        assert str(exc).startswith("damaged")  # one line naming the file
        assert "\n" not in str(exc)
    else:
        assert isinstance(report, Report)
        report.to_json()  # and it serialises
