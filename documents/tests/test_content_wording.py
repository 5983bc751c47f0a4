"""Numbers and period names in administrative style (documents.wording)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from documents import wording as w
from periods.models import Period, PeriodKind


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (229413, 0, "229.413"),
        (0, 0, "0"),
        (999, 0, "999"),
        (1000, 0, "1.000"),
        (Decimal("3712000"), 0, "3.712.000"),
        (Decimal("87.3177"), 1, "87,3"),
        (Decimal("87.35"), 1, "87,4"),  # half up, as people round
        (Decimal("-1234.5"), 1, "-1.234,5"),
    ],
)
def test_number(value: Decimal | int, places: int, text: str) -> None:
    assert w.number(value, places) == text


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_number_reads_back(value: int) -> None:
    assert int(w.number(value).replace(".", "")) == value


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False),
    st.integers(min_value=0, max_value=3),
)
def test_decimal_number_reads_back(value: Decimal, places: int) -> None:
    text = w.number(value, places)
    back = Decimal(text.replace(".", "").replace(",", "."))
    assert abs(back - value) <= Decimal(1).scaleb(-places) / 2


@pytest.mark.parametrize(
    ("value", "text"), [(0, "0"), (1, "01"), (8, "08"), (9, "09"), (10, "10"), (1250, "1.250")]
)
def test_count_pads_small_counts(value: int, text: str) -> None:
    assert w.count(value) == text


def test_ratio_share_percent() -> None:
    assert w.ratio(1, 82) == "01/82"
    assert w.ratio(40, 102) == "40/102"
    assert w.share(44, 82) == "53,7%"
    assert w.share(39, 65) == "60%"
    assert w.share(29, 45) == "64,4%"
    assert w.share(111, 130) == "85,4%"
    assert w.share(1, 0) == "0%"
    assert w.percent(Decimal("87.31767")) == "87,3%"
    assert w.percent(Decimal("100.0000")) == "100%"
    assert w.decimal(Decimal("99.7400")) == "99,74"
    assert w.decimal(Decimal("181580.0000")) == "181.580"


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=10_000))
def test_share_has_at_most_one_decimal(part: int, whole: int) -> None:
    text = w.share(part, whole)
    whole_part, _, fraction = text.removesuffix("%").partition(",")
    assert text.endswith("%") and len(fraction) <= 1
    value = float(whole_part.replace(".", "") + "." + (fraction or "0"))
    assert abs(value - 100 * part / whole) <= 0.05 + 1e-9


def _period(kind: str, start: str, end: str) -> Period:
    return Period(kind=kind, starts_on=date.fromisoformat(start), ends_on=date.fromisoformat(end))


@pytest.mark.parametrize(
    ("kind", "start", "end", "label", "after"),
    [
        (
            PeriodKind.QUARTER,
            "2025-07-01",
            "2025-09-30",
            "Quý III/2025",
            ("2025-10-01", "2025-12-31"),
        ),
        (
            PeriodKind.QUARTER,
            "2025-10-01",
            "2025-12-31",
            "Quý IV/2025",
            ("2026-01-01", "2026-03-31"),
        ),
        (
            PeriodKind.MONTH,
            "2025-09-01",
            "2025-09-30",
            "tháng 9/2025",
            ("2025-10-01", "2025-10-31"),
        ),
        (
            PeriodKind.MONTH,
            "2025-12-01",
            "2025-12-31",
            "tháng 12/2025",
            ("2026-01-01", "2026-01-31"),
        ),
        (
            PeriodKind.HALF,
            "2025-01-01",
            "2025-06-30",
            "6 tháng đầu năm 2025",
            ("2025-07-01", "2025-12-31"),
        ),
        (PeriodKind.YEAR, "2025-01-01", "2025-12-31", "năm 2025", ("2026-01-01", "2026-12-31")),
        (
            PeriodKind.QUICK,
            "2025-10-01",
            "2025-10-15",
            "từ 01/10/2025 đến 15/10/2025",
            ("2025-10-16", "2025-10-30"),
        ),
    ],
)
def test_period_label_and_next_span(
    kind: str, start: str, end: str, label: str, after: tuple[str, str]
) -> None:
    period = _period(kind, start, end)
    assert w.period_label(period) == label
    assert w.next_span(period) == tuple(date.fromisoformat(d) for d in after)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 1)), st.integers(0, 240))
def test_add_months_lands_on_a_first_day(start: date, months: int) -> None:
    first = start.replace(day=1)
    later = w.add_months(first, months)
    assert later.day == 1
    assert (later.year - first.year) * 12 + later.month - first.month == months
