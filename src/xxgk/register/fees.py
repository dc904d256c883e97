"""信息处理费 by the tiers of 国办函〔2020〕109号 (register.md R.6, applications.md B.8): computed
from the register, never typed.

- 按件 (per application): per applicant, per calendar month, by order of receipt: the 1st–10th
  free, the 11th–30th 100 元 each, then bands of ten at +100 元 (31–40: 200, 41–50: 300, …).
- 按量 (per page), per application: pages 1–30 free, 31–100 10 元/页, 101–200 20 元/页, 201+ 40 元/页.

One method per application. 45 applications in a month → 5,500 元; 250 pages → 4,700 元.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from xxgk.register.cases import Application

PAGE_TIERS: tuple[tuple[int, int], ...] = ((30, 0), (100, 10), (200, 20))  # (last page of tier, 元/页)
TOP_PAGE_RATE = 40
FREE_PIECES = 10


def piece_fee(rank: int) -> int:
    """The fee of an applicant's `rank`-th application (1-based) in one calendar month, in 元."""
    if rank < 1:
        raise ValueError("the rank of an application starts at 1")
    if rank <= FREE_PIECES:
        return 0
    if rank <= 30:
        return 100
    return 100 * ((rank - 31) // 10 + 2)


def pieces_fee(count: int) -> int:
    """The total 按件 fee of `count` applications by one applicant in one month, in 元."""
    return sum(piece_fee(rank) for rank in range(1, count + 1))


def pages_fee(pages: int) -> int:
    """The 按量 fee of one application of `pages` pages, in 元."""
    if pages < 0:
        raise ValueError("a number of pages is not negative")
    fee = 0
    floor = 0
    for last, rate in PAGE_TIERS:
        fee += max(0, min(pages, last) - floor) * rate
        floor = last
    return fee + max(0, pages - floor) * TOP_PAGE_RATE


def applicant_identity(app: Application) -> str:
    """Who "the same applicant" is: the ID number when recorded, else the name (R.6 counts per applicant)."""
    return (app.id_number or app.applicant or f"#{app.number}").strip()


def computed_fees(apps: Iterable[Application]) -> dict[str, Decimal]:
    """The fee each charged application owes (number → 元): 按件 by its monthly rank, 按量 by pages.

    The rank counts all of the applicant's applications in the month of receipt (the free ones
    too), in order of receipt, then number.
    """
    months: dict[tuple[str, int, int], list[Application]] = defaultdict(list)
    all_apps = list(apps)
    for app in all_apps:
        months[(applicant_identity(app), app.received.year, app.received.month)].append(app)
    fees: dict[str, Decimal] = {}
    for group in months.values():
        group.sort(key=lambda a: (a.received, a.number))
        for rank, app in enumerate(group, start=1):
            if app.fee_method == "按件":
                fees[app.number] = Decimal(piece_fee(rank))
    for app in all_apps:
        if app.fee_method == "按量":
            fees[app.number] = Decimal(pages_fee(app.pages or 0))
    return fees


def collected_in(year: int, apps: Iterable[Application]) -> tuple[Decimal, list[str]]:
    """The fees paid in `year` (元) and the applications they came from (table 2's 收费 cell)."""
    all_apps = list(apps)
    fees = computed_fees(all_apps)
    paid = [a.number for a in all_apps if a.fee_paid and a.fee_paid.year == year and fees.get(a.number)]
    return sum((fees[n] for n in paid), Decimal(0)), paid


def to_wan(yuan: Decimal) -> Decimal:
    """元 → 万元, exact (no float)."""
    wan = yuan / Decimal(10000)
    return wan.quantize(Decimal(1)) if wan == wan.to_integral_value() else wan.normalize()
