"""Given an agency's applications and a filter, the ones that match, a page at a time, and the
words a list prints for them (register.md R.1 columns; the outcome as the template names its row).

Pure: the CLI, the web pages and the API all list the register through `filter_applications`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from xxgk.register.cases import APPLICANT_TYPES, CASE_KINDS, CASE_RESULTS, Application
from xxgk.templates import all_templates

STATUSES = ("open", "replied")
MAX_PAGE = 500


@dataclass(frozen=True)
class ApplicationFilter:
    """Every field optional: year received, open/replied, handler, applicant type key, outcome key."""

    year: int | None = None
    status: str | None = None
    handler: str | None = None
    applicant_type: str | None = None
    outcome: str | None = None

    def matches(self, app: Application) -> bool:
        if self.year is not None and app.received.year != self.year:
            return False
        if self.status == "open" and not app.open:
            return False
        if self.status == "replied" and app.open:
            return False
        if self.handler and app.handler != self.handler:
            return False
        if self.applicant_type and app.applicant_type != self.applicant_type:
            return False
        return not (self.outcome and app.outcome != self.outcome)


def filter_applications(apps: Iterable[Application], wanted: ApplicationFilter) -> list[Application]:
    """The matching applications, newest received first (then by number)."""
    found = [a for a in apps if wanted.matches(a)]
    found.sort(key=lambda a: (a.received, a.number), reverse=True)
    return found


def handlers(apps: Iterable[Application]) -> list[str]:
    return sorted({a.handler for a in apps if a.handler})


def years(apps: Iterable[Application]) -> list[int]:
    return sorted({a.received.year for a in apps}, reverse=True)


@cache
def applicant_type_names() -> dict[str, str]:
    """Table 3 column key → the ledger's word for it (R.1)."""
    return {key: word for word, key in APPLICANT_TYPES.items()}


@cache
def outcome_names() -> dict[str, str]:
    """Table 3 disposal row key → the row as the newest template that has it prints it (R.2)."""
    out: dict[str, str] = {}
    for template in all_templates():
        for row in template.table3.rows_with_role("disposal"):
            out[row.key] = row.printed
    return out


@cache
def field_names(kind: str) -> dict[str, str]:
    """A field key → the ledger's header for it (R.1), for an application or a review/litigation case."""
    from xxgk.register.ledger import APPLICATION_HEADERS, CASE_HEADERS

    headers = APPLICATION_HEADERS if kind == "application" else CASE_HEADERS
    names = {key: header for header, key in headers.items()}
    if kind == "application":
        names["consultations"] = "征求意见（开始—结束）"
    return names


@cache
def case_words() -> dict[str, str]:
    """A table 4 row or column key (review, upheld, …) → the ledger's word for it (R.1)."""
    return {key: word for word, key in (*CASE_KINDS.items(), *CASE_RESULTS.items())}
