"""Numbers, dates and period names written the way Vietnamese administrative reports write them:
small counts on two digits (01/82, 08 nhiệm vụ), thousands with "." (229.413), decimals with ","
(87,3%), quarters in Roman numerals (Quý III/2025). Pure functions, tested apart from the data."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from periods import calendar
from periods.models import Period, PeriodKind

ROMAN = ("I", "II", "III", "IV")
# How many months each kind of period spans (a quick report spans its own dates).
MONTHS: dict[str, int] = {
    PeriodKind.MONTH: 1,
    PeriodKind.QUARTER: 3,
    PeriodKind.HALF: 6,
    PeriodKind.YEAR: 12,
}


def number(value: Decimal | int, places: int = 0) -> str:
    """229413 → "229.413"; 87.3177 with one place → "87,3". Rounded half up, as people do."""
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        whole, tail = whole[:-3], whole[-3:]
        groups.insert(0, tail)
    text = ".".join([whole, *groups])
    return f"{sign}{text},{fraction}" if fraction else f"{sign}{text}"


def count(value: int) -> str:
    """A count of things: 1–9 on two digits (01 … 09), as the province's reports write them."""
    return f"{value:02d}" if 0 < value < 10 else number(value)


def ratio(part: int, whole: int) -> str:
    """ "01/82", "40/102"."""
    return f"{count(part)}/{count(whole)}"


def share(part: int, whole: int, places: int = 1) -> str:
    """part of whole as a percentage, one decimal unless whole: 44 of 82 → "53,7%", 130 of 130
    → "100%"; "0%" of nothing. The model report's shares of tasks and indicators are whole
    percents ("chiếm 54%", "(64%)"): those sentences pass places=0."""
    if not whole:
        return "0%"
    return percent(Decimal(100) * part / whole, places)


def percent(value: Decimal, places: int = 1) -> str:
    """87.3177 → "87,3%"; 100 → "100%" (no trailing zeros)."""
    text = number(value, places)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return f"{text}%"


def decimal(value: Decimal) -> str:
    """A figure as it was entered: whole numbers without decimals, others with up to two."""
    if value == value.to_integral_value():
        return number(value)
    return number(value, 2).rstrip("0").rstrip(",")  # 99,74 stays; 3,50 reads 3,5


def day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def quarter_of(value: date) -> int:
    return (value.month - 1) // 3 + 1


def add_months(value: date, months: int) -> date:
    """The same day `months` later, for a first day of a month (periods start on one)."""
    index = value.month - 1 + months
    return value.replace(year=value.year + index // 12, month=index % 12 + 1, day=1)


def span_label(start: date, end: date) -> str:
    """How a report names a span: "tháng 9/2025", "Quý III/2025", "6 tháng đầu năm 2025",
    "năm 2025", else "từ 01/10/2025 đến 15/10/2025"."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    whole = start.day == 1 and end + timedelta(days=1) == add_months(start, months)
    if whole and months == 1:
        return f"tháng {start.month}/{start.year}"
    if whole and months == 3 and start.month % 3 == 1:
        return f"Quý {ROMAN[quarter_of(start) - 1]}/{start.year}"
    if whole and months == 6 and start.month in (1, 7):
        half = "đầu" if start.month == 1 else "cuối"
        return f"6 tháng {half} năm {start.year}"
    if whole and months == 9 and start.month == 1:
        return f"9 tháng đầu năm {start.year}"
    if whole and months == 12 and start.month == 1:
        return f"năm {start.year}"
    return f"từ {day(start)} đến {day(end)}"


def calendar_span(period: Period) -> tuple[date, date]:
    """The months a period is named after: its code's calendar dates (a period whose data run
    from a cut-off day, 15/06 to 14/09, is still Quý III), or its own dates (a quick report)."""
    if period.kind != PeriodKind.QUICK and calendar.is_valid_code(period.kind, period.code):
        return calendar.period_dates(period.code)
    return period.starts_on, period.ends_on


def period_label(period: Period) -> str:
    return span_label(*calendar_span(period))


def upto(period: Period) -> str:
    """ "QUÝ III NĂM 2025", "THÁNG 9 NĂM 2025", "6 THÁNG ĐẦU NĂM 2025", "NĂM 2025"; a period of
    other dates (a quick report) ends on a day: "NGÀY 15/10/2025"."""
    label = period_label(period)
    if label.startswith("từ "):
        return f"NGÀY {day(period.ends_on)}"
    return label.replace("/", " năm ").upper()


def next_span(period: Period) -> tuple[date, date]:
    """The span right after the period, named as the period is (calendar_span), of the same
    length: Q3 → Q4, September → October; after the first nine months of a year, the rest of
    it."""
    first, last = calendar_span(period)
    start = last + timedelta(days=1)
    if period.kind == PeriodKind.NINE_MONTHS:
        return start, date(start.year, 12, 31)
    months = MONTHS.get(period.kind)
    if months is None:
        return start, start + (last - first)
    return start, add_months(start, months) - timedelta(days=1)


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def joined(names: Iterable[str]) -> str:
    """Unit names one after another; ";" since names hold commas ("Sở Văn hóa, Thể thao và Du
    lịch")."""
    return "; ".join(names)
