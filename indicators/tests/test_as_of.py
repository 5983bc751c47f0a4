"""Indicator values as of a date: the figures as they were stored at the end of that day, read
from the values' history, so a report built for Q3 on 15/10 gives the same figures when rebuilt
a year later (issue 14, item 3)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators import services
from indicators.models import DataElement, DataValue, Indicator
from indicators.queries import indicator_overview, indicator_values, unit_indicators
from indicators.tests.conftest import TZ, element
from org.models import Unit, User
from org.tests.conftest import People, Tree
from org.tests.test_views import client_for
from periods.models import Period, PeriodKind

pytestmark = pytest.mark.django_db

OCT_15 = date(2025, 10, 15)
A_YEAR_LATER = date(2026, 10, 15)


def at(day: date, hour: int = 10) -> Iterator[None]:
    """The clock moved to `day` (Vietnam time)."""
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=TZ), tick=False)  # type: ignore[return-value]


def record(actor: User, unit: Unit, period: Period, code: str, value: int) -> None:
    services.record_value(
        actor=actor,
        unit=unit,
        period=period,
        element=DataElement.objects.get(code=code),
        value=value,
    )


@pytest.fixture
def online(tree: Tree, people: People, q3: Period) -> Indicator:
    """The online-filing rate of the issue: filed online over all filings, for two communes."""
    element(people, "HS_TT")
    element(people, "HS_TONG")
    rate = services.create_indicator(
        actor=people.standing, code="TL_TT", name="Tỷ lệ hồ sơ trực tuyến",
        formula="ratio(HS_TT, HS_TONG)", period_kind=PeriodKind.QUARTER, unit_label="%",
        legal_source="Nghị quyết 57-NQ/TW", order=1,
    )  # fmt: skip
    with at(date(2025, 10, 3)):
        for actor, unit, filed, total in (
            (people.reporter, tree.commune, 1_382, 2_000),
            (people.other_reporter, tree.other_commune, 800, 1_000),
        ):
            record(actor, unit, q3, "HS_TT", filed)
            record(actor, unit, q3, "HS_TONG", total)
    return rate


def _rate(q3: Period, tree: Tree, as_of: date | None) -> tuple[Decimal | None, ...]:
    [result] = indicator_values(q3, tree.province, as_of=as_of)
    return result.value, result.numerator, result.denominator


def test_a_later_overwrite_leaves_the_past_as_it_was(
    online: Indicator, people: People, tree: Tree, q3: Period
) -> None:
    with at(OCT_15):
        before = _rate(q3, tree, OCT_15)
    assert before[1:] == (Decimal(2_182), Decimal(3_000))
    with at(date(2025, 11, 20)):  # the standing office overwrites the figure directly
        record(people.standing, tree.commune, q3, "HS_TT", 55_555)
    with at(A_YEAR_LATER):
        assert _rate(q3, tree, OCT_15) == before
        assert _rate(q3, tree, date(2025, 11, 19)) == before
        assert _rate(q3, tree, date(2025, 11, 20))[1] == Decimal(56_355)
        assert _rate(q3, tree, None)[1] == Decimal(56_355)  # now: the live table
        # before any figure was entered there is none
        assert _rate(q3, tree, date(2025, 10, 2)) == (None, None, None)


def test_the_overview_and_a_unit_alone_read_as_of_too(
    online: Indicator, people: People, tree: Tree, q3: Period
) -> None:
    with at(date(2025, 12, 1)):
        record(people.reporter, tree.commune, q3, "HS_TT", 1_500)
    with at(A_YEAR_LATER):
        [then] = indicator_overview(q3, tree.province, as_of=OCT_15).values
        assert then.numerator == Decimal(2_182) and then.coverage.reported == 2
        [own] = unit_indicators(q3, tree.commune, as_of=OCT_15)
        assert own.numerator == Decimal(1_382)
        [own_now] = unit_indicators(q3, tree.commune)
        assert own_now.numerator == Decimal(1_500)


def test_a_deleted_value_is_gone_from_its_deletion_on(
    online: Indicator, tree: Tree, q3: Period
) -> None:
    with at(date(2025, 11, 1)):
        DataValue.objects.get(unit=tree.other_commune, element__code="HS_TT").delete()
    with at(A_YEAR_LATER):
        assert _rate(q3, tree, OCT_15)[1] == Decimal(2_182)
        assert _rate(q3, tree, date(2025, 11, 1))[1] == Decimal(1_382)


def test_the_day_ends_at_midnight_in_vietnam(
    online: Indicator, people: People, tree: Tree, q3: Period
) -> None:
    late = datetime(2025, 10, 20, 23, 30, tzinfo=TZ)  # 16:30 UTC: still the 20th in Vietnam
    with time_machine.travel(late, tick=False):
        record(people.reporter, tree.commune, q3, "HS_TT", 1_400)
    with at(A_YEAR_LATER):
        assert _rate(q3, tree, date(2025, 10, 19))[1] == Decimal(2_182)
        assert _rate(q3, tree, date(2025, 10, 20))[1] == Decimal(2_200)


def test_the_as_of_read_is_a_fixed_number_of_queries(
    online: Indicator,
    people: People,
    tree: Tree,
    q3: Period,
    django_assert_max_num_queries: object,
) -> None:
    for day in range(4, 10):  # many history rows, for both communes and elements
        with at(date(2025, 10, day)):
            record(people.reporter, tree.commune, q3, "HS_TT", 1_000 + day)
            record(people.other_reporter, tree.other_commune, q3, "HS_TONG", 1_000 + day)
    with at(A_YEAR_LATER):
        # indicators (as defined then), element rules, values, required units, targets
        with django_assert_max_num_queries(5):  # type: ignore[operator]
            indicator_values(q3, tree.province, as_of=date(2025, 10, 6))
        # and the set's members as they were then
        with django_assert_max_num_queries(6):  # type: ignore[operator]
            indicator_overview(q3, tree.province, sets=("2025",), as_of=OCT_15)


def test_indicator_values_command_as_of(
    online: Indicator, people: People, tree: Tree, q3: Period
) -> None:
    with at(date(2025, 11, 20)):
        record(people.standing, tree.commune, q3, "HS_TT", 55_555)

    def run(*args: str) -> dict[str, object]:
        out = StringIO()
        call_command("indicator_values", "--period", "2025-Q3", *args, "--json", stdout=out)
        [row] = json.loads(out.getvalue())
        return row  # type: ignore[no-any-return]

    with at(A_YEAR_LATER):
        assert run("--as-of", "2025-10-15")["numerator"] == 2_182
        assert run("--as-of", "2025-11-20")["numerator"] == 56_355
        assert run()["numerator"] == 56_355
        commune = run("--as-of", "2025-10-15", "--unit", tree.commune.code)
        assert commune["numerator"] == 1_382
        out = StringIO()
        call_command("indicator_values", "--period", "2025-Q3", "--as-of", "2025-10-02", stdout=out)
        assert out.getvalue() == "TL_TT\tNone\tNone\tno_data\t0/2\n"


# --- the definitions as of the day too (issue 14 item 3, issue 13 item 4) ----------------------


def _json(*args: str) -> list[dict[str, object]]:
    out = StringIO()
    call_command("indicator_values", "--period", "2025-Q3", *args, "--json", stdout=out)
    rows: list[dict[str, object]] = json.loads(out.getvalue())
    return rows


def test_a_target_changed_later_leaves_the_quarter_as_it_was(
    online: Indicator, people: People, q3: Period
) -> None:
    with at(date(2025, 10, 5)):
        services.set_target(actor=people.standing, indicator=online, value=Decimal(70), year=2025)
    with at(OCT_15):
        reported = _json("--as-of", "2025-10-15")
    assert reported[0]["target"] == 70.0 and reported[0]["achieved"] == "met"  # 72,7% ≥ 70%
    with at(A_YEAR_LATER):
        services.set_target(actor=people.standing, indicator=online, value=Decimal(90), year=2025)
        assert _json("--as-of", "2025-10-15") == reported  # rebuilt a year later: the same
        now = _json()
        assert now[0]["target"] == 90.0 and now[0]["achieved"] == "not_met"
        # a target removed later is still the quarter's as of the day
        services.remove_target(actor=people.standing, target=online.targets.get())
        assert _json("--as-of", "2025-10-15") == reported
        assert _json()[0]["target"] is None


def test_a_formula_changed_later_leaves_the_quarter_as_it_was(
    online: Indicator, people: People, q3: Period
) -> None:
    with at(OCT_15):
        reported = _json("--as-of", "2025-10-15")
    with at(A_YEAR_LATER):
        services.update_indicator(
            actor=people.standing, indicator=online, name=online.name,
            formula="ratio(HS_TONG - HS_TT, HS_TONG)", period_kind=PeriodKind.QUARTER,
            unit_label="%", legal_source="Nghị quyết 57-NQ/TW", order=1,
        )  # fmt: skip
        assert _json("--as-of", "2025-10-15") == reported
        assert _json()[0]["numerator"] == 818.0  # 3.000 − 2.182, the new formula


def test_set_membership_changed_later_leaves_the_achievement_as_it_was(
    online: Indicator, people: People, tree: Tree, q3: Period
) -> None:
    with at(date(2025, 10, 5)):
        services.set_target(actor=people.standing, indicator=online, value=Decimal(70), year=2025)
        services.save_indicator_set(
            actor=people.standing, code="2025", name="năm 2025", first_year=2025,
            last_year=2025, indicators=[online],
        )  # fmt: skip
    with at(A_YEAR_LATER):
        services.save_indicator_set(
            actor=people.standing, code="2025", name="năm 2025", first_year=2025,
            last_year=2025, indicators=[],
        )  # fmt: skip
        then = indicator_overview(q3, tree.province, sets=("2025",), as_of=OCT_15)
        assert then.achievement == {"2025": (1, 1)}
        now = indicator_overview(q3, tree.province, sets=("2025",))
        assert now.achievement == {"2025": (0, 0)}
        # before the set had members, it had none
        early = indicator_overview(q3, tree.province, sets=("2025",), as_of=date(2025, 10, 4))
        assert early.achievement == {"2025": (0, 0)}


def test_definitions_set_up_after_the_day_are_read_as_first_recorded(
    online: Indicator, people: People, q3: Period
) -> None:
    """The indicator was defined on 02/10 and its figures entered on 03/10; a target first set
    on 01/12 (a programme loaded late) judges the quarter as of 15/10 as it was set, until it
    changes."""
    with at(date(2025, 12, 1)):
        services.set_target(actor=people.standing, indicator=online, value=Decimal(75), year=2025)
    with at(A_YEAR_LATER):
        assert _json("--as-of", "2025-10-15")[0]["target"] == 75.0


# --- the property: an as-of read is the last write on or before the day ----------------------

START = date(2025, 10, 3)
writes = st.lists(
    st.tuples(
        st.integers(0, 20),  # days after START
        st.sampled_from(["commune", "other_commune"]),
        st.sampled_from(["HS_TT", "HS_TONG"]),
        st.integers(1, 10_000),
    ),
    max_size=12,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(writes=writes)
def test_as_of_reads_the_last_write_on_or_before_the_day(
    writes: list[tuple[int, str, str, int]], people: People, tree: Tree, q3: Period
) -> None:
    if not DataElement.objects.filter(code="HS_TT").exists():
        element(people, "HS_TT")
        element(people, "HS_TONG")
        services.create_indicator(
            actor=people.standing, code="S_TT", name="S", formula="sum(HS_TT)",
            period_kind=PeriodKind.QUARTER, legal_source="NQ 57", order=1,
        )  # fmt: skip
        services.create_indicator(
            actor=people.standing, code="S_TONG", name="S", formula="sum(HS_TONG)",
            period_kind=PeriodKind.QUARTER, legal_source="NQ 57", order=2,
        )  # fmt: skip
    DataValue.objects.all().delete()
    DataValue.history.all().delete()  # type: ignore[attr-defined]
    actors = {"commune": people.reporter, "other_commune": people.other_reporter}
    model: dict[date, dict[tuple[str, str], int]] = {}
    state: dict[tuple[str, str], int] = {}
    for offset, where, code, value in sorted(writes, key=lambda w: w[0]):
        day = START + timedelta(days=offset)
        with at(day, hour=8 + len(state) % 10):
            record(actors[where], getattr(tree, where), q3, code, value)
        state[(where, code)] = value
        model[day] = dict(state)
    expected: dict[tuple[str, str], int] = {}
    with at(date(2026, 1, 1)):
        for offset in range(-1, 22):
            day = START + timedelta(days=offset)
            expected = model.get(day, expected)
            got = {r.code: r.value for r in indicator_values(q3, tree.province, as_of=day)}
            for code, indicator in (("HS_TT", "S_TT"), ("HS_TONG", "S_TONG")):
                values = [v for (_, c), v in expected.items() if c == code]
                assert got[indicator] == (Decimal(sum(values)) if values else None), (day, code)


# --- the pages: ?as_of=dd/mm/yyyy, default today ------------------------------------------------


def test_the_indicator_pages_read_as_of_the_date_asked(
    online: Indicator, people: People, tree: Tree, q3: Period
) -> None:
    with at(date(2025, 11, 20)):
        record(people.standing, tree.commune, q3, "HS_TT", 55_555)
    query = {"period": "2025-Q3", "unit": tree.province.code}
    with at(A_YEAR_LATER):
        client = client_for(people.standing)
        then = client.get(reverse("indicators:list"), {**query, "as_of": "15/10/2025"})
        now = client.get(reverse("indicators:list"), query)
        detail_then = client.get(
            reverse("indicators:detail", args=["TL_TT"]), {**query, "as_of": "15/10/2025"}
        )
        detail_now = client.get(reverse("indicators:detail", args=["TL_TT"]), query)
    assert "Số liệu tính đến ngày 15/10/2025." in then.content.decode()
    assert "Số liệu tính đến ngày 15/10/2026." in now.content.decode()
    assert "2.182 / 3.000" in then.content.decode()
    assert "56.355 / 3.000" in now.content.decode()
    assert "as_of=15%2F10%2F2025" in then.content.decode()  # the value links keep the date
    # the units' own figures as of the date, like the result above them
    assert ">1.382<" in detail_then.content.decode()
    assert ">55.555<" not in detail_then.content.decode()
    # a year on, 16681's figure was never updated again: shown, flagged as not kept live
    assert ">55.555 <span" in detail_now.content.decode()
    assert 'data-testid="stale"' in detail_now.content.decode()
    assert 'data-testid="stale"' not in detail_then.content.decode()
    assert then.context["as_of"] == OCT_15 and now.context["as_of"] == A_YEAR_LATER
