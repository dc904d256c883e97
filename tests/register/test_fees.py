"""Fees by the tiers of R.6: the worked examples and properties of the tiers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from xxgk.register.cases import Application
from xxgk.register.fees import collected_in, computed_fees, pages_fee, piece_fee, pieces_fee, to_wan


def test_45_applications_in_a_month_cost_5500_yuan() -> None:
    assert pieces_fee(45) == 5500


def test_a_250_page_request_costs_4700_yuan() -> None:
    assert pages_fee(250) == 4700


@given(st.integers(min_value=1, max_value=500))
def test_piece_tiers(rank: int) -> None:
    fee = piece_fee(rank)
    if rank <= 10:
        assert fee == 0
    elif rank <= 30:
        assert fee == 100
    else:
        assert fee == 100 * (2 + (rank - 31) // 10)
        assert fee == piece_fee(rank - 10) + 100  # each band of ten costs 100 more than the last
    assert pieces_fee(rank) - pieces_fee(rank - 1) == fee


@given(st.integers(min_value=0, max_value=5000))
def test_page_tiers_are_marginal(pages: int) -> None:
    step = pages_fee(pages + 1) - pages_fee(pages)
    page = pages + 1
    assert step == (0 if page <= 30 else 10 if page <= 100 else 20 if page <= 200 else 40)
    assert pages_fee(pages) >= 0


def _app(
    n: int, received: date, who: str, method: str | None = "按件", paid: date | None = None
) -> Application:
    return Application(
        number=f"A{n:03d}", received=received, applicant_type="natural_person", id_number=who,
        fee_method=method, fee_paid=paid,
    )  # fmt: skip


def test_piece_rank_counts_per_applicant_per_month() -> None:
    apps = [_app(i, date(2025, 3, 1 + i % 28), "X") for i in range(45)]
    apps += [_app(100 + i, date(2025, 4, 1), "X") for i in range(5)]  # a new month: free again
    apps += [_app(200 + i, date(2025, 3, 2), "Y") for i in range(12)]  # another applicant
    fees = computed_fees(apps)
    assert sum(fees[a.number] for a in apps[:45]) == 5500
    assert all(fees[a.number] == 0 for a in apps[45:50])
    assert sum(fees[a.number] for a in apps[50:]) == 200


def test_collected_fees_feed_table_2_in_wan_yuan_exactly() -> None:
    apps = [_app(i, date(2025, 3, 1), "X", paid=date(2025, 3, 20)) for i in range(45)]
    apps.append(
        Application(number="P1", received=date(2025, 12, 1), applicant_type="legal", fee_method="按量", pages=250,
                    fee_paid=date(2026, 1, 5))
    )  # fmt: skip
    yuan, numbers = collected_in(2025, apps)
    assert yuan == Decimal(5500) and len(numbers) == 35
    assert to_wan(yuan) == Decimal("0.55")
    assert collected_in(2026, apps)[0] == Decimal(4700)
    assert to_wan(Decimal(100000)) == Decimal(10) and str(to_wan(Decimal(100000))) == "10"
