"""The indicator pages over HTTP: who sees which unit (outsiders 404, writes refused 403, wrong
method 405), the figures formatted the Vietnamese way, and a query count that does not grow."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import services, views
from indicators.models import (
    DataElement,
    Evaluation,
    Indicator,
    IndicatorSet,
    RuleKind,
    Severity,
    ValidationRule,
)
from indicators.templatetags.indicator_ui import parse_vn_number, vn_decimal
from indicators.tests.conftest import element, make_period, province_sets
from org.models import Unit
from org.tests.conftest import People, Tree
from org.tests.test_views import client_for
from periods.models import Period, PeriodKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def q3(tree: Tree) -> Period:
    from datetime import date

    period = make_period("2025-Q3", date(2025, 7, 1), date(2025, 9, 30))
    period.required_units.set([tree.commune, tree.other_commune, tree.dept])
    return period


def _indicator(people: People, code: str, formula: str, **fields: object) -> Indicator:
    values: dict[str, object] = {"unit_label": "%", "legal_source": "Quyết định 01/QĐ-UBND"}
    return services.create_indicator(
        actor=people.standing, code=code, name=f"Chỉ tiêu {code}", formula=formula,
        period_kind=PeriodKind.QUARTER, **{**values, **fields},  # type: ignore[arg-type]
    )  # fmt: skip


def _enter(people: People, unit: Unit, period: Period, code: str, value: int) -> None:
    reporter = people.reporter if unit == people.reporter.unit else people.other_reporter
    services.record_value(
        actor=reporter, unit=unit, period=period,
        element=DataElement.objects.get(code=code), value=value,
    )  # fmt: skip


@pytest.fixture
def figures(people: People, tree: Tree, q3: Period) -> Indicator:
    """Party members with a new card: 90.000/100.000 in 16681, 91.580/107.954 in 16690."""
    element(people, "DV_THE")
    element(people, "DV_TONG")
    element(people, "HS")
    long, year = province_sets(people)
    ratio = _indicator(people, "TL_THE", "ratio(DV_THE, DV_TONG)", sets=(year, long))
    services.set_target(actor=people.standing, indicator=ratio, value=Decimal(85))
    _indicator(
        people, "SO_HS", "sum(HS)", unit_label="hồ sơ", evaluation=Evaluation.PROVISIONAL,
        legal_source="", method_note="Đếm hồ sơ theo hướng dẫn tạm thời", sets=(long,),
    )  # fmt: skip
    _enter(people, tree.commune, q3, "DV_THE", 90000)
    _enter(people, tree.commune, q3, "DV_TONG", 100000)
    _enter(people, tree.other_commune, q3, "DV_THE", 91580)
    _enter(people, tree.other_commune, q3, "DV_TONG", 107954)
    return ratio


def get(person: object, name: str, *args: str, **params: str) -> tuple[int, str]:
    client = client_for(person) if person is not None else Client()  # type: ignore[arg-type]
    response = client.get(reverse(f"indicators:{name}", args=args), params)
    return response.status_code, response.content.decode()


# --- the list --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "unit", "status"),
    [
        ("reporter", "", 200),  # its own unit
        ("reporter", "16681", 200),
        ("reporter", "16690", 404),  # a neighbour
        ("reporter", "P", 404),
        ("dept_reporter", "16681", 404),
        ("head", "16681", 200),
        ("communes_admin", "16690", 200),
        ("communes_admin", "SKHCN", 404),
        ("province_viewer", "P", 200),
        ("standing", "", 200),
        ("standing", "NOPE", 404),
    ],
)
def test_list_who_sees_which_unit(
    people: People, figures: Indicator, person: str, unit: str, status: int
) -> None:
    params = {"period": "2025-Q3"} | ({"unit": unit} if unit else {})
    assert get(getattr(people, person), "list", **params)[0] == status


def test_list_refuses_posts_strangers_and_unknown_periods(
    people: People, figures: Indicator
) -> None:
    response = Client().get(reverse("indicators:list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client_for(people.standing).post(reverse("indicators:list")).status_code == 405
    assert get(people.standing, "list", period="2024-Q1")[0] == 404
    assert get(people.dept_reporter, "list", period="2025-Q3", unit="SKHCN")[0] == 200


def test_list_rolls_up_the_province_in_vietnamese_numbers(
    people: People, figures: Indicator
) -> None:
    status, content = get(people.standing, "list")  # default: the latest quarter, the root
    assert status == 200 and "2025-Q3" in content
    assert "87,32" in content  # 181.580 / 207.954, summed first — not the mean of the ratios
    assert "181.580" in content and "207.954" in content
    assert "Đạt" in content and "Chưa có số liệu" in content
    assert 'data-testid="coverage">2/2<' in content
    assert "tạm thời" in content and "Đếm hồ sơ theo hướng dẫn tạm thời" in content
    assert "Quyết định 01/QĐ-UBND" in content
    assert "đạt và vượt 1/2 chỉ tiêu 2025–2045 (50%)" in content
    assert "đạt và vượt 1/1 chỉ tiêu 2025 (100%)" in content
    detail = reverse("indicators:detail", args=["TL_THE"]) + "?period=2025-Q3&amp;unit=P"
    assert detail in content


def test_list_for_a_reporter_is_its_own_unit(people: People, figures: Indicator) -> None:
    status, content = get(people.reporter, "list")
    assert status == 200 and "90.000" in content and "100.000" in content
    assert "181.580" not in content and 'data-testid="coverage">1/1<' in content


def test_list_queries_do_not_grow(people: People, tree: Tree, figures: Indicator) -> None:
    client = client_for(people.standing)
    address = reverse("indicators:list") + "?period=2025-Q3"
    with CaptureQueriesContext(connection) as before:
        assert client.get(address).status_code == 200
    year = IndicatorSet.objects.get(code="2025")
    for n in range(15):
        element(people, f"E{n}")
        _indicator(people, f"I{n}", f"ratio(E{n}, DV_TONG)", sets=(year,))
        _enter(people, tree.commune, figures_period(), f"E{n}", n)
        _enter(people, tree.other_commune, figures_period(), f"E{n}", n)
    with CaptureQueriesContext(connection) as after:
        content = client.get(address).content.decode()
    assert content.count('data-testid="indicator-row"') == 17
    assert len(after) == len(before)


def figures_period() -> Period:
    return Period.objects.get(code="2025-Q3")


# --- one indicator ---------------------------------------------------------------------------


def test_detail_lists_each_units_figures(people: People, figures: Indicator) -> None:
    status, content = get(people.standing, "detail", "TL_THE", period="2025-Q3", unit="P")
    assert status == 200 and content.count('data-testid="unit-row"') == 2
    assert "90.000" in content and "91.580" in content and "107.954" in content
    assert "87,32" in content
    status, content = get(people.reporter, "detail", "TL_THE", period="2025-Q3")
    assert status == 200 and content.count('data-testid="unit-row"') == 1
    assert "91.580" not in content


@pytest.mark.parametrize(
    ("person", "code", "unit", "status"),
    [
        ("reporter", "TL_THE", "16690", 404),
        ("dept_reporter", "TL_THE", "16681", 404),
        ("province_viewer", "TL_THE", "16690", 200),
        ("standing", "NOPE", "P", 404),
    ],
)
def test_detail_access(
    people: People, figures: Indicator, person: str, code: str, unit: str, status: int
) -> None:
    assert get(getattr(people, person), "detail", code, period="2025-Q3", unit=unit)[0] == status


def test_detail_pages_and_refuses_posts(
    people: People, figures: Indicator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "PER_PAGE", 1)
    status, content = get(people.standing, "detail", "TL_THE", period="2025-Q3", unit="P")
    assert content.count('data-testid="unit-row"') == 1 and "1/2" in content
    status, content = get(people.standing, "detail", "TL_THE", period="2025-Q3", unit="P", page="2")
    assert status == 200 and "91.580" in content
    address = reverse("indicators:detail", args=["TL_THE"])
    assert client_for(people.standing).post(address).status_code == 405


# --- violations ------------------------------------------------------------------------------


@pytest.fixture
def broken(people: People, tree: Tree, q3: Period, figures: Indicator) -> None:
    """16690 states parts that do not add up to its total."""
    element(people, "HS_TRUCTUYEN")
    element(people, "HS_TRUCTIEP")
    rule = ValidationRule.objects.create(
        code="R_PARTS", kind=RuleKind.PARTS_SUM, severity=Severity.ERROR,
        total=DataElement.objects.get(code="HS"),
    )  # fmt: skip
    rule.parts.set(DataElement.objects.filter(code__in=["HS_TRUCTUYEN", "HS_TRUCTIEP"]))
    _enter(people, tree.other_commune, q3, "HS", 100)
    _enter(people, tree.other_commune, q3, "HS_TRUCTUYEN", 70)
    _enter(people, tree.other_commune, q3, "HS_TRUCTIEP", 20)


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("standing", 200),
        ("sysadmin", 200),
        ("province_viewer", 403),
        ("communes_admin", 403),
        ("head", 403),
        ("reporter", 403),
    ],
)
def test_violations_are_for_the_standing_office(
    people: People, broken: None, person: str, status: int
) -> None:
    assert get(getattr(people, person), "violations", period="2025-Q3")[0] == status


def test_violations_grouped_by_unit_and_rule_link_to_the_report(
    people: People, broken: None
) -> None:
    status, content = get(people.standing, "violations", period="2025-Q3")
    assert status == 200 and content.count('data-testid="violation-unit"') == 1
    assert "R_PARTS" in content and content.count('data-testid="violation"') == 1
    report = reverse("reporting:report", args=["2025-Q3", "16690"])
    assert f'href="{report}#report-figures"' in content
    assert get(people.standing, "violations", period="2024-Q1")[0] == 404
    client = client_for(people.standing)
    assert client.post(reverse("indicators:violations")).status_code == 405


def test_no_violations(people: People, figures: Indicator) -> None:
    status, content = get(people.standing, "violations")
    assert status == 200 and 'data-testid="no-violations"' in content


# --- number format ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Decimal(229413), None, "229.413"),
        (Decimal("87.3000"), None, "87,3"),
        (Decimal("87.31570"), 2, "87,32"),
        (Decimal("74.13"), 1, "74,1"),
        (Decimal("1234567.5"), None, "1.234.567,5"),
        (Decimal(0), None, "0"),
        (None, None, ""),
    ],
)
def test_vn_number(value: Decimal | None, places: int | None, text: str) -> None:
    assert vn_decimal(value, places) == text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("229.413", Decimal(229413)),
        ("87,3", Decimal("87.3")),
        ("1.234,5", Decimal("1234.5")),
        ("87.3", Decimal("87.3")),
        (" 12 ", Decimal(12)),
    ],
)
def test_parse_vn_number(text: str, value: Decimal) -> None:
    assert parse_vn_number(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "1e5", "nan", "--1"])
def test_parse_vn_number_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_vn_number(text)
