"""Which periods each role sees (periods.queries.periods_visible_to): a period is seen where one
of the units it asks is; a period no unit is asked (the province's own six-month, nine-month and
year reports) is seen by whoever sees the tree's root — the province's leaders included, who
used to get 404 on its pages — and by no one below."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from org.models import Role, Unit
from org.tests.conftest import People, Tree
from org.tests.factories import UserFactory
from periods.calendar import period_dates
from periods.models import Period, PeriodKind
from periods.queries import periods_visible_to
from reporting import services

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _period(people: People, code: str, kind: str, units: list[Unit]) -> Period:
    start, end = period_dates(code)
    return services.create_period(
        actor=people.standing, code=code, kind=kind, title=code, starts_on=start, ends_on=end,
        opens_at=datetime(2026, 6, 1, tzinfo=TZ), due_at=datetime(2026, 7, 5, 17, tzinfo=TZ),
        units=units,
    )  # fmt: skip


@pytest.fixture
def periods(people: People, tree: Tree) -> dict[str, Period]:
    return {
        "province": _period(people, "2026-H1", PeriodKind.HALF, []),
        "commune": _period(people, "2026-01", PeriodKind.MONTH, [tree.commune]),
    }


@pytest.mark.parametrize(
    ("person", "seen"),
    [
        ("sysadmin", {"2026-H1", "2026-01"}),
        ("standing", {"2026-H1", "2026-01"}),
        ("province_viewer", {"2026-H1", "2026-01"}),  # a leader of the province reads every one
        ("communes_admin", {"2026-01"}),
        ("reporter", {"2026-01"}),
        ("head", {"2026-01"}),
        ("other_reporter", set()),
        ("dept_reporter", set()),
    ],
)
def test_periods_by_role_and_unit(
    people: People, periods: dict[str, Period], person: str, seen: set[str]
) -> None:
    user = getattr(people, person)
    assert set(periods_visible_to(user).values_list("code", flat=True)) == seen


def test_a_leader_scoped_below_the_root_does_not_see_the_provinces_own_period(
    tree: Tree, periods: dict[str, Period]
) -> None:
    scoped = UserFactory(username="ldxa", unit=tree.province, scope=tree.communes, role=Role.VIEWER)
    assert set(periods_visible_to(scoped).values_list("code", flat=True)) == {"2026-01"}


def test_no_period_is_counted_twice(people: People, tree: Tree, periods: dict[str, Period]) -> None:
    _period(people, "2026-02", PeriodKind.MONTH, [tree.commune, tree.other_commune, tree.dept])
    codes = list(periods_visible_to(people.province_viewer).values_list("code", flat=True))
    assert sorted(codes) == ["2026-01", "2026-02", "2026-H1"]
