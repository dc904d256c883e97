"""What a check sees: the report, its template, last year's report, and the undecidable cells."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from xxgk.check.kinds.structure import cell_kinds
from xxgk.model import Report
from xxgk.templates import Template, get_template

Num = int | Decimal


@dataclass
class Context:
    """What a check sees: the report, its template, last year's report, and the undecidable cells."""

    report: Report
    template: Template | None
    previous: Report | None = None
    ambiguous: frozenset[str] = field(default_factory=frozenset)
    values: dict[str, Num | None] = field(default_factory=dict)

    @classmethod
    def of(cls, report: Report, previous: Report | None = None) -> Context:
        template = get_template(report.template) if report.template else None
        ambiguous = frozenset(k for k, s in report.cells.items() if s.status == "ambiguous")
        return cls(report, template, previous, ambiguous, dict(report.iter_cells()))

    def num(self, cell: str) -> Num:
        """The value for arithmetic: blank and absent cells count as 0."""
        value = self.values.get(cell)
        return 0 if value is None else value

    @cached_property
    def typed(self) -> list[tuple[str, str, Num]]:
        """Every non-blank template cell with its kind (count, signed, amount)."""
        if self.template is None:
            return []
        kinds = cell_kinds(self.template.id)
        return [(c, kinds[c], v) for c, v in self.values.items() if v is not None and c in kinds]

    def decidable(self, cells: Iterable[str]) -> bool:
        return not any(c in self.ambiguous for c in cells)
