"""Who may enter figures and set up indicators, the type checks, and the history of a value."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from indicators import services
from indicators.models import DataElement, DataValue, Indicator, ValueType
from indicators.tests.conftest import element, make_period
from org.models import UnitType
from org.tests.conftest import People, Tree
from periods.models import Period, PeriodKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def online(people: People) -> DataElement:
    return element(people, "DVC_ONLINE")


def test_reporter_records_own_units_value_and_history_is_kept(
    tree: Tree, people: People, q3: Period, online: DataElement
) -> None:
    first = services.record_value(
        actor=people.reporter, unit=tree.commune, period=q3, element=online, value=90
    )
    again = services.record_value(
        actor=people.reporter, unit=tree.commune, period=q3, element=online, value=95
    )
    assert first.pk == again.pk and again.value == 95 and again.entered_by == people.reporter
    assert DataValue.objects.count() == 1
    history = list(again.history.order_by("history_date"))
    assert [h.value for h in history] == [90, 95]
    assert {h.history_user for h in history} == {people.reporter}


@pytest.mark.parametrize(
    ("who", "unit", "error"),
    [
        ("reporter", "other_commune", Http404),  # another commune: out of sight
        ("province_viewer", "commune", PermissionDenied),  # sees it, may not enter
        ("head", "commune", PermissionDenied),
        ("communes_admin", "commune", PermissionDenied),
    ],
)
def test_only_the_units_reporter_records(
    tree: Tree,
    people: People,
    q3: Period,
    online: DataElement,
    who: str,
    unit: str,
    error: type[Exception],
) -> None:
    with pytest.raises(error):
        services.record_value(
            actor=getattr(people, who),
            unit=getattr(tree, unit),
            period=q3,
            element=online,
            value=1,
        )
    assert not DataValue.objects.exists()


def test_unit_type_and_period_kind_must_fit_the_element(
    tree: Tree, people: People, q3: Period, online: DataElement
) -> None:
    with pytest.raises(ValidationError, match="không báo cáo số liệu DVC_ONLINE"):
        services.record_value(
            actor=people.dept_reporter, unit=tree.dept, period=q3, element=online, value=1
        )
    year = make_period("2025", q3.starts_on.replace(month=1), q3.ends_on.replace(month=12, day=31))
    Period.objects.filter(pk=year.pk).update(kind=PeriodKind.YEAR)
    year.refresh_from_db()
    with pytest.raises(ValidationError, match="kỳ loại khác"):
        services.record_value(
            actor=people.reporter, unit=tree.commune, period=year, element=online, value=1
        )
    assert not DataValue.objects.exists()


@pytest.mark.parametrize(
    ("value_type", "value", "text", "message"),
    [
        (ValueType.COUNT, Decimal(-1), "", "số nguyên không âm"),
        (ValueType.COUNT, Decimal("1.5"), "", "số nguyên không âm"),
        (ValueType.PERCENT, Decimal("100.01"), "", "từ 0 đến 100"),
        (ValueType.PERCENT, Decimal(-1), "", "từ 0 đến 100"),
        (ValueType.AMOUNT_VND, Decimal(-5), "", "không được âm"),
        (ValueType.COUNT, None, "", "Chưa nhập giá trị"),
        (ValueType.TEXT, Decimal(1), "", "văn bản"),
        (ValueType.DECIMAL, Decimal("1.00001"), "", "tối đa 4 chữ số thập phân"),
        (ValueType.AMOUNT_VND, Decimal(10) ** 21, "", "nhỏ hơn 10"),
    ],
)
def test_type_checks(
    tree: Tree,
    people: People,
    q3: Period,
    value_type: str,
    value: Decimal | None,
    text: str,
    message: str,
) -> None:
    el = element(people, "X", value_type)
    with pytest.raises(ValidationError, match=message):
        services.record_value(
            actor=people.reporter, unit=tree.commune, period=q3, element=el, value=value, text=text
        )
    assert not DataValue.objects.exists()


def test_a_closed_unit_records_nothing(
    tree: Tree, people: People, q3: Period, online: DataElement
) -> None:
    units = type(tree.commune).objects.filter(pk=tree.commune.pk)
    units.update(active_to=q3.starts_on - timedelta(days=1))
    tree.commune.refresh_from_db()
    with pytest.raises(ValidationError, match="ngừng hoạt động"):
        services.record_value(
            actor=people.reporter, unit=tree.commune, period=q3, element=online, value=1
        )
    assert not DataValue.objects.exists()
    units.update(active_to=q3.starts_on)  # closed during the period: its figures still count
    tree.commune.refresh_from_db()
    services.record_value(
        actor=people.reporter, unit=tree.commune, period=q3, element=online, value=1
    )


def test_accepted_values(tree: Tree, people: People, q3: Period) -> None:
    cases = [
        (ValueType.COUNT, Decimal(0), ""),
        (ValueType.PERCENT, Decimal("74.13"), ""),
        (ValueType.AMOUNT_VND, Decimal("1500000000"), ""),
        (ValueType.DECIMAL, Decimal("-2.5"), ""),
        (ValueType.TEXT, None, "Đã ban hành kế hoạch"),
    ]
    for i, (value_type, value, text) in enumerate(cases):
        el = element(people, f"E{i}", value_type)
        services.record_value(
            actor=people.reporter, unit=tree.commune, period=q3, element=el, value=value, text=text
        )
    assert DataValue.objects.count() == len(cases)


def test_setting_up_elements_and_indicators_is_for_the_standing_office(
    people: People, online: DataElement
) -> None:
    for actor in (people.reporter, people.province_viewer, people.communes_admin):
        with pytest.raises(PermissionDenied):
            services.create_element(
                actor=actor,
                code="Y",
                name="Y",
                value_type=ValueType.COUNT,
                period_kind=PeriodKind.QUARTER,
            )
        with pytest.raises(PermissionDenied):
            services.create_indicator(
                actor=actor,
                code="I",
                name="I",
                formula="DVC_ONLINE",
                period_kind=PeriodKind.QUARTER,
                legal_source="NQ 57",
            )
    assert DataElement.objects.count() == 1 and not Indicator.objects.exists()


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ("ratio(DVC_ONLINE)", "Hàm ratio cần đúng 2 đối số"),
        ("DVC_ONLINE > 3", "chỉ dùng bên trong count_units"),
        ("ratio(DVC_ONLINE, DVC_TOTAL)", "mã số liệu chưa có: DVC_TOTAL"),
        ("", "Công thức trống"),
    ],
)
def test_indicator_formula_is_checked(
    people: People, online: DataElement, formula: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        services.create_indicator(
            actor=people.standing,
            code="I",
            name="I",
            formula=formula,
            period_kind=PeriodKind.QUARTER,
            legal_source="NQ 57",
        )
    assert "formula" in caught.value.message_dict
    assert not Indicator.objects.exists()


def test_evaluation_method_needs_its_source_or_description(
    people: People, online: DataElement
) -> None:
    base = {"actor": people.standing, "name": "I", "formula": "DVC_ONLINE"}
    with pytest.raises(ValidationError, match="căn cứ pháp lý"):
        services.create_indicator(code="I1", period_kind=PeriodKind.QUARTER, **base)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="tạm thời"):
        services.create_indicator(
            code="I2",
            period_kind=PeriodKind.QUARTER,
            evaluation="provisional",
            **base,  # type: ignore[arg-type]
        )


def test_element_code_and_unit_types_are_checked(people: People) -> None:
    with pytest.raises(ValidationError, match="Mã bắt đầu bằng chữ cái"):
        element(people, "1ABC")
    with pytest.raises(ValidationError, match="Loại đơn vị không có"):
        element(people, "ABC", unit_types=("nowhere",))
    el = element(people, "ABC", unit_types=(UnitType.WARD, UnitType.COMMUNE, UnitType.WARD))
    assert el.unit_types == sorted({UnitType.WARD, UnitType.COMMUNE})
