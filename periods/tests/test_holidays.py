"""The holiday calendar's writes: the standing office's, once per day, history kept."""

from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from org.tests.conftest import People
from periods import services
from periods.holidays_vn import PUBLIC_HOLIDAYS
from periods.models import DayKind, Holiday


def test_the_built_in_holidays_load_once(people: People) -> None:
    added = services.load_public_holidays(actor=people.standing, years=[2025, 2026])
    assert added == len(PUBLIC_HOLIDAYS[2025]) + len(PUBLIC_HOLIDAYS[2026])
    assert services.load_public_holidays(actor=people.standing, years=[2025, 2026]) == 0
    assert Holiday.objects.count() == added
    assert Holiday.objects.get(day=date(2026, 4, 27)).name == "Nghỉ bù Giỗ Tổ Hùng Vương"


def test_a_day_the_office_changed_is_kept(people: People) -> None:
    services.add_holiday(actor=people.standing, day=date(2025, 9, 2), name="Quốc khánh 80 năm")
    services.load_public_holidays(actor=people.standing, years=[2025])
    assert Holiday.objects.get(day=date(2025, 9, 2)).name == "Quốc khánh 80 năm"


def test_one_row_per_day_and_history(people: People) -> None:
    holiday = services.add_holiday(
        actor=people.standing, day=date(2025, 10, 11), name="Làm bù", kind=DayKind.WORKING
    )
    with pytest.raises(ValidationError) as refused:
        services.add_holiday(actor=people.standing, day=date(2025, 10, 11), name="Lặp")
    assert refused.value.message_dict == {"day": ["Ngày 11/10/2025 đã có trong lịch."]}
    assert holiday.history.get().history_user == people.standing
    services.remove_holiday(actor=people.standing, holiday=holiday)
    assert not Holiday.objects.exists()
    assert Holiday.history.filter(history_type="-").get().history_user == people.standing


@pytest.mark.parametrize("person", ["reporter", "head", "communes_admin", "province_viewer"])
def test_only_the_standing_office_keeps_the_calendar(people: People, person: str) -> None:
    kept = services.add_holiday(actor=people.standing, day=date(2025, 12, 24), name="Giữ")
    actor = getattr(people, person)
    with pytest.raises(PermissionDenied):
        services.add_holiday(actor=actor, day=date(2025, 12, 25), name="X")
    with pytest.raises(PermissionDenied):
        services.remove_holiday(actor=actor, holiday=kept)
    with pytest.raises(PermissionDenied):
        services.load_public_holidays(actor=actor, years=[2025])
    assert list(Holiday.objects.values_list("day", flat=True)) == [date(2025, 12, 24)]


def test_load_holidays_command(people: People) -> None:
    out = StringIO()
    call_command("load_holidays", stdout=out)  # the clock's year (2025) and the next
    assert out.getvalue().strip() == f"Holidays added: {Holiday.objects.count()}."
    assert Holiday.objects.filter(day__year=2026).exists()
    call_command("load_holidays", "--year", "2025", stdout=out)
    assert out.getvalue().strip().endswith("Holidays added: 0.")
    with pytest.raises(Exception, match="No built-in holidays for 1999"):
        call_command("load_holidays", "--year", "1999")
