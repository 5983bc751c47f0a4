"""A report's indicator figures as of its date (documents.composer.facts.figures_as_of): the
Q3 report built on 15/10 states the same figures when rebuilt a year later, though the standing
office overwrote one since; rebuilt as of a later date, it states the new one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time

import pytest
import time_machine

from documents.composer import build_content
from documents.composer.facts import figures_as_of
from documents.content import Kind, Paragraph
from indicators import services
from indicators.models import DataElement
from indicators.tests.conftest import TZ, element
from org.models import Unit, User
from org.tests.conftest import People, Tree
from periods.models import Period, PeriodKind
from tasks.models import Area

pytestmark = pytest.mark.django_db

OCT_15, NOV_20, A_YEAR_LATER = date(2025, 10, 15), date(2025, 11, 20), date(2026, 10, 15)


def at(day: date) -> Iterator[None]:
    moment = datetime.combine(day, time(10), tzinfo=TZ)
    return time_machine.travel(moment, tick=False)  # type: ignore[return-value]


def record(actor: User, unit: Unit, period: Period, code: str, value: int) -> None:
    element_ = DataElement.objects.get(code=code)
    services.record_value(actor=actor, unit=unit, period=period, element=element_, value=value)


@pytest.fixture
def online(people: People, tree: Tree, quarter: Period) -> None:
    element(people, "HS_TT")
    element(people, "HS_TONG")
    services.create_indicator(
        actor=people.standing, code="TL_TT", name="Tỷ lệ hồ sơ trực tuyến",
        formula="ratio(HS_TT, HS_TONG)", period_kind=PeriodKind.QUARTER, unit_label="%",
        legal_source="Nghị quyết 57-NQ/TW", order=1,
        area=Area.objects.create(code="CDS", name="Chuyển đổi số"),
    )  # fmt: skip
    with at(date(2025, 10, 3)):
        record(people.reporter, tree.commune, quarter, "HS_TT", 1_382)
        record(people.reporter, tree.commune, quarter, "HS_TONG", 2_000)
        record(people.other_reporter, tree.other_commune, quarter, "HS_TT", 800)
        record(people.other_reporter, tree.other_commune, quarter, "HS_TONG", 1_000)


def _line(quarter: Period, tree: Tree, as_of: date | None) -> Paragraph:
    content = build_content(kind=Kind.QUARTERLY, period=quarter, unit=tree.province, as_of=as_of)
    [line] = [p for p in content.statements() if p.key == "indicator.TL_TT"]
    return line


def _rate(quarter: Period, tree: Tree, as_of: date | None) -> str:
    return _line(quarter, tree, as_of).text


def test_the_report_rebuilt_a_year_later_states_the_same_figure(
    online: None, people: People, tree: Tree, quarter: Period
) -> None:
    with at(OCT_15):
        built = _rate(quarter, tree, OCT_15)
    assert "72,7" in built
    with at(NOV_20):  # the standing office changes the figure directly
        record(people.standing, tree.commune, quarter, "HS_TT", 55_555)
    with at(A_YEAR_LATER):
        assert _rate(quarter, tree, OCT_15) == built
        # its link opens the indicator's page as of the same date
        assert "as_of=15%2F10%2F2025" in _line(quarter, tree, OCT_15).links[0].url
        assert "as_of" not in _line(quarter, tree, None).links[0].url
        later = _rate(quarter, tree, NOV_20)
        # dated inside the period (its default, 30/09): the figures as they stand when built
        assert _rate(quarter, tree, None) == later
    assert later != built and "1.878" in later


def test_figures_are_read_as_of_the_report_date_once_the_period_is_over(quarter: Period) -> None:
    assert figures_as_of(quarter, OCT_15) == OCT_15
    assert figures_as_of(quarter, date(2025, 9, 30)) is None
    assert figures_as_of(quarter, date(2025, 8, 31)) is None
