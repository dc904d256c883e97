"""The kinds of check a rule can be. Each is a pure function (rule, context) -> findings.

A rule in rules.toml names its kind and parameters; the engine looks the kind up in `KINDS`
(`registry`). Blank cells count as 0 (annual-report.md A.4: "Blank ≠ error"), ambiguous cells
make a check undecidable, so any identity touching one is skipped (and V-AMBIGUOUS lists them).

One module per family of rules; importing this package imports them all, which registers
their kinds. A new family is a new module here, decorated with `@kind`, listed below.
"""

from xxgk.check.kinds.context import Context, Num
from xxgk.check.kinds.findings import finding
from xxgk.check.kinds.naming import TABLE_NAMES, cell_labels, fmt, row_title
from xxgk.check.kinds.registry import KINDS, Kind, kind

# isort: split
# The families, imported for their @kind registrations after the names above are bound, so a
# family may import them from `xxgk.check.kinds` itself.
from xxgk.check.kinds import arithmetic, completeness, cross_year, reading, text, timeliness, values

__all__ = [
    "KINDS",
    "TABLE_NAMES",
    "Context",
    "Kind",
    "Num",
    "arithmetic",
    "cell_labels",
    "completeness",
    "cross_year",
    "finding",
    "fmt",
    "kind",
    "reading",
    "row_title",
    "text",
    "timeliness",
    "values",
]
