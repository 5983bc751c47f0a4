"""Vietnam's public holidays for officials (Bộ luật Lao động 2019, Điều 112) as the Government set
them for 2025 and 2026: Tết Dương lịch, Tết Nguyên đán (the working days off; the weekends around
them are off anyway), Giỗ Tổ Hùng Vương (moved to the next Monday when on a Sunday), 30/4 and 1/5,
Quốc khánh (2/9 and the day next to it), with the days swapped by the Prime Minister's decisions.

Loaded by `manage.py load_holidays` (and the demo) through periods.services; the standing office
adds each later year's days, and any swap decided later, on the holidays page."""

from __future__ import annotations

from datetime import date, timedelta

from periods.models import DayKind

TET_DUONG = "Tết Dương lịch"
TET_NGUYEN_DAN = "Tết Nguyên đán"
GIO_TO = "Giỗ Tổ Hùng Vương (10/3 âm lịch)"
GIO_TO_BU = "Nghỉ bù Giỗ Tổ Hùng Vương"
GIAI_PHONG = "Ngày Chiến thắng (30/4)"
LAO_DONG = "Ngày Quốc tế Lao động (1/5)"
HOAN_DOI = "Nghỉ hoán đổi dịp 30/4 – 1/5"
LAM_BU = "Làm việc bù cho ngày nghỉ hoán đổi"
QUOC_KHANH = "Quốc khánh (2/9)"
QUOC_KHANH_LIEN_KE = "Nghỉ lễ Quốc khánh (ngày liền kề)"


def _days(first: date, last: date, name: str) -> list[tuple[date, str, str]]:
    count = (last - first).days + 1
    return [(first + timedelta(days=i), name, DayKind.OFF) for i in range(count)]


PUBLIC_HOLIDAYS: dict[int, list[tuple[date, str, str]]] = {
    2025: [
        (date(2025, 1, 1), TET_DUONG, DayKind.OFF),
        *_days(date(2025, 1, 27), date(2025, 1, 31), TET_NGUYEN_DAN),
        (date(2025, 4, 7), GIO_TO, DayKind.OFF),
        (date(2025, 4, 26), LAM_BU, DayKind.WORKING),
        (date(2025, 4, 30), GIAI_PHONG, DayKind.OFF),
        (date(2025, 5, 1), LAO_DONG, DayKind.OFF),
        (date(2025, 5, 2), HOAN_DOI, DayKind.OFF),
        (date(2025, 9, 1), QUOC_KHANH_LIEN_KE, DayKind.OFF),
        (date(2025, 9, 2), QUOC_KHANH, DayKind.OFF),
    ],
    2026: [
        (date(2026, 1, 1), TET_DUONG, DayKind.OFF),
        *_days(date(2026, 2, 16), date(2026, 2, 20), TET_NGUYEN_DAN),
        (date(2026, 4, 27), GIO_TO_BU, DayKind.OFF),
        (date(2026, 4, 30), GIAI_PHONG, DayKind.OFF),
        (date(2026, 5, 1), LAO_DONG, DayKind.OFF),
        (date(2026, 9, 1), QUOC_KHANH_LIEN_KE, DayKind.OFF),
        (date(2026, 9, 2), QUOC_KHANH, DayKind.OFF),
    ],
}
