"""After a merge, the periods still running ask the successor (org.signals.units_restructured)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from org import services as org_services
from org.models import Unit, UnitType
from org.services import NewUnit
from org.tests.conftest import People, Tree
from periods.models import Period, PeriodKind
from reporting import services

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _period(people: People, code: str, first: date, last: date, units, **more) -> Period:
    return services.create_period(
        actor=people.standing, code=code, kind=PeriodKind.MONTH, title=code, starts_on=first,
        ends_on=last, opens_at=datetime(2025, 6, 1, tzinfo=TZ),
        due_at=datetime(2025, 10, 30, tzinfo=TZ), units=units, **more,
    )  # fmt: skip


def test_running_periods_ask_the_successor_and_keep_started_reports(
    people: People, tree: Tree
) -> None:
    units = [tree.commune, tree.other_commune]
    june = _period(people, "2025-06", date(2025, 6, 1), date(2025, 6, 30), units)
    august = _period(people, "2025-08", date(2025, 8, 1), date(2025, 8, 31), units)
    september = _period(people, "2025-09", date(2025, 9, 1), date(2025, 9, 30), units)
    closed = _period(
        people, "2025-10", date(2025, 10, 1), date(2025, 10, 31), units,
        closes_at=datetime(2025, 10, 30, 1, tzinfo=TZ),
    )  # fmt: skip
    Period.objects.filter(pk=closed.pk).update(closes_at=datetime(2025, 10, 1, tzinfo=TZ))
    started = services.start_report(actor=people.reporter, unit=tree.commune, period=september)
    org_services.merge_units(
        actor=people.standing, predecessors=units, on=date(2025, 8, 1), reason="NQ 1678",
        successor=NewUnit("XM", "Phường Mới", UnitType.WARD, tree.communes),
    )  # fmt: skip
    merged = Unit.objects.get(code="XM")
    assert set(june.required_units.all()) == set(units)  # before the date: as it was
    assert set(august.required_units.all()) == {merged}
    # the report already started stays with its unit; the other commune is no longer asked
    assert set(september.required_units.all()) == {merged, tree.commune}
    assert started.unit == tree.commune
    assert set(closed.required_units.all()) == set(units)  # a closed period is left alone
