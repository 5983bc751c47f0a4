"""The "Số liệu chỉ tiêu" panel of the unit report: who sees inputs, who may save, and that a
refused save (permission, state, blocking rule, unconfirmed warning, bad number) stores nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators import services as indicator_services
from indicators.models import (
    ConfirmedWarning,
    DataElement,
    DataValue,
    RuleKind,
    Severity,
    ValidationRule,
    ValueType,
)
from org.models import UnitType
from org.tests.conftest import People
from periods.models import Period, PeriodKind
from reporting import services
from reporting.models import UnitReport
from reporting.tests import test_views as base
from reporting.tests.test_views import as_user, move, page, url

# The report pages' fixtures: a 2025-Q3 period for 16681, 16690 and SKHCN, and 16681's draft.
period = base.period
report = base.report
_fresh_clients = base._fresh_clients

COMMUNES = (UnitType.COMMUNE, UnitType.WARD)


def _element(
    people: People,
    code: str,
    value_type: str = ValueType.COUNT,
    unit_types: tuple[str, ...] = COMMUNES,
    kind: str = PeriodKind.QUARTER,
) -> DataElement:
    return indicator_services.create_element(
        actor=people.standing, code=code, name=f"Tên {code}", value_type=value_type,
        period_kind=kind, unit_types=unit_types,
    )  # fmt: skip


@pytest.fixture
def elements(people: People) -> dict[str, DataElement]:
    made = {
        "HS_TONG": _element(people, "HS_TONG"),
        "HS_TRUCTUYEN": _element(people, "HS_TRUCTUYEN"),
        "HS_TRUCTIEP": _element(people, "HS_TRUCTIEP"),
        "TL_DANG_VIEN": _element(people, "TL_DANG_VIEN", ValueType.PERCENT),
        "SO_DN": _element(people, "SO_DN", unit_types=(UnitType.DEPARTMENT,)),  # not communes'
        "HS_THANG": _element(people, "HS_THANG", kind=PeriodKind.MONTH),  # other period kind
    }
    parts = ValidationRule.objects.create(
        code="R_PARTS", kind=RuleKind.PARTS_SUM, severity=Severity.ERROR, total=made["HS_TONG"]
    )
    parts.parts.set([made["HS_TRUCTUYEN"], made["HS_TRUCTIEP"]])
    ValidationRule.objects.create(
        code="R_RANGE", kind=RuleKind.RANGE, severity=Severity.WARNING,
        element=made["TL_DANG_VIEN"], max_value=Decimal(95),
    )  # fmt: skip
    return made


def figures(**values: str) -> dict[str, str]:
    return {f"e_{code}": value for code, value in values.items()}


GOOD = figures(HS_TONG="229.413", HS_TRUCTUYEN="200.000", HS_TRUCTIEP="29.413", TL_DANG_VIEN="87,3")


def stored(report: UnitReport) -> dict[str, Decimal | None]:
    rows = DataValue.objects.filter(unit=report.unit, period=report.period)
    return dict(rows.values_list("element__code", "value"))


def test_panel_lists_the_units_elements_with_inputs_for_its_reporter(
    people: People, report: UnitReport, elements: dict[str, DataElement]
) -> None:
    content = page(people.reporter)
    assert "Số liệu chỉ tiêu" in content and 'data-testid="figures-form"' in content
    assert content.count('data-testid="figure-row"') == 4
    assert "HS_TONG" in content and "TL_DANG_VIEN" in content
    assert "SO_DN" not in content and "HS_THANG" not in content
    assert 'name="e_HS_TONG"' in content
    assert 'data-testid="figures-confirm"' not in content  # only once warnings are shown
    for person in ("head", "province_viewer", "standing", "communes_admin"):
        other = page(getattr(people, person))
        assert "Số liệu chỉ tiêu" in other and 'data-testid="figures-form"' not in other


def test_reporter_saves_vietnamese_numbers_shown_the_vietnamese_way(
    people: People, report: UnitReport, elements: dict[str, DataElement]
) -> None:
    response = as_user(people.reporter).post(url("figures_save"), GOOD)
    assert response.status_code == 302 and response.url == url("report") + "#report-figures"
    assert stored(report) == {
        "HS_TONG": Decimal(229413),
        "HS_TRUCTUYEN": Decimal(200000),
        "HS_TRUCTIEP": Decimal(29413),
        "TL_DANG_VIEN": Decimal("87.3"),
    }
    content = page(people.reporter)
    assert "Đã lưu số liệu chỉ tiêu." in content
    assert "229.413" in content and "87,3" in content and "87,3000" not in content
    assert 'value="229.413"' in content  # the input offers the stored value, same format
    assert "229.413" in page(people.head)


def test_blank_inputs_change_nothing(
    people: People, report: UnitReport, elements: dict[str, DataElement]
) -> None:
    assert as_user(people.reporter).post(url("figures_save"), GOOD).status_code == 302
    data = figures(HS_TONG="", HS_TRUCTUYEN="", HS_TRUCTIEP="", TL_DANG_VIEN="90")
    assert as_user(people.reporter).post(url("figures_save"), data).status_code == 302
    assert stored(report)["HS_TONG"] == Decimal(229413)
    assert stored(report)["TL_DANG_VIEN"] == Decimal(90)


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("head", 403),
        ("province_viewer", 403),
        ("communes_admin", 403),
        ("standing", 403),  # reads every report, enters no unit's figures
        ("other_reporter", 404),
        ("dept_reporter", 404),
    ],
)
def test_save_refused_stores_nothing(
    people: People,
    report: UnitReport,
    elements: dict[str, DataElement],
    person: str,
    status: int,
) -> None:
    response = as_user(getattr(people, person)).post(url("figures_save"), GOOD)
    assert response.status_code == status
    assert not DataValue.objects.exists()


def test_get_is_405_before_start_404_unknown_unit_404(
    people: People, period: Period, elements: dict[str, DataElement]
) -> None:
    client = as_user(people.reporter)
    assert client.get(url("figures_save")).status_code == 405
    assert client.post(url("figures_save"), GOOD).status_code == 404  # no report yet
    assert client.post(url("figures_save", unit="NOPE"), GOOD).status_code == 404
    assert client.post(url("figures_save", period="2024-Q1"), GOOD).status_code == 404
    assert not DataValue.objects.exists()


def test_submitted_report_locks_the_figures(
    people: People, report: UnitReport, elements: dict[str, DataElement]
) -> None:
    move(people, report, "submit")
    content = page(people.reporter)
    assert 'data-testid="figures-form"' not in content
    response = as_user(people.reporter).post(url("figures_save"), GOOD)
    assert response.status_code == 403
    assert "bản nháp hoặc bị trả lại" in response.content.decode()
    assert not DataValue.objects.exists()


def test_closed_period_locks_the_figures(
    people: People, report: UnitReport, period: Period, elements: dict[str, DataElement]
) -> None:
    services.close_period(actor=people.standing, period=period)
    assert 'data-testid="figures-form"' not in page(people.reporter)
    assert as_user(people.reporter).post(url("figures_save"), GOOD).status_code == 403
    assert not DataValue.objects.exists()


def test_blocking_violation_saves_nothing_and_shows_the_message_by_its_element(
    people: People, report: UnitReport, elements: dict[str, DataElement]
) -> None:
    data = GOOD | figures(HS_TONG="230.000")  # 200.000 + 29.413 ≠ 230.000
    response = as_user(people.reporter).post(url("figures_save"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('data-testid="figure-error"') == 1
    row = content.split('name="e_HS_TONG"')[1].split('data-testid="figure-row"')[0]
    assert 'data-testid="figure-error"' in row
    assert 'value="230.000"' in content  # what was typed is kept
    assert not DataValue.objects.exists()


def test_bad_numbers_are_refused_next_to_their_element(
    people: People, report: UnitReport, elements: dict[str, DataElement]
) -> None:
    data = GOOD | figures(HS_TRUCTIEP="nhiều", TL_DANG_VIEN="120")
    response = as_user(people.reporter).post(url("figures_save"), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Không phải là số" in content and "Tỷ lệ phần trăm phải từ 0 đến 100." in content
    negative = GOOD | figures(HS_TRUCTIEP="-5")
    content = as_user(people.reporter).post(url("figures_save"), negative).content.decode()
    assert "Số đếm phải là số nguyên không âm." in content
    assert not DataValue.objects.exists()


def test_warning_needs_confirmation_then_saves(
    people: People, report: UnitReport, elements: dict[str, DataElement]
) -> None:
    data = GOOD | figures(TL_DANG_VIEN="97,5")  # above the 95 of the warning rule
    client = as_user(people.reporter)
    first = client.post(url("figures_save"), data)
    content = first.content.decode()
    assert first.status_code == 200
    assert 'data-testid="figures-warnings"' in content and "chưa được lưu" in content
    assert 'data-testid="figures-confirm"' in content and 'name="confirm"' in content
    assert 'data-testid="figure-warning-inline"' in content
    assert 'data-testid="figures-comment"' in content and 'name="comment"' in content
    assert not DataValue.objects.exists()
    # confirmed without saying why: nothing saved, the warnings and the comment asked again
    blank = client.post(url("figures_save"), data | {"confirm": "on", "comment": " "})
    again = blank.content.decode()
    assert blank.status_code == 200 and 'data-testid="figures-warnings"' in again
    assert "Ghi rõ vì sao số liệu có cảnh báo vẫn đúng" in again
    assert not DataValue.objects.exists() and not ConfirmedWarning.objects.exists()
    comment = "Đảng bộ phường đã rà soát, số liệu đúng"
    second = client.post(url("figures_save"), data | {"confirm": "on", "comment": comment})
    assert second.status_code == 302
    assert stored(report)["TL_DANG_VIEN"] == Decimal("97.5")
    after = page(people.reporter)
    assert "Đã lưu số liệu chỉ tiêu." in after and "Cảnh báo đã xác nhận" in after
    assert "97,5" in after
    confirmation = ConfirmedWarning.objects.get()
    assert confirmation.comment == comment and confirmation.confirmed_by == people.reporter
    assert confirmation.element == elements["TL_DANG_VIEN"] and confirmation.unit == report.unit
    figure = DataValue.objects.get(element=elements["TL_DANG_VIEN"])
    assert figure.history.get().history_change_reason == comment


def test_confirmation_does_not_pass_an_error(
    people: People, report: UnitReport, elements: dict[str, DataElement]
) -> None:
    data = GOOD | figures(HS_TONG="1", TL_DANG_VIEN="97,5") | {"confirm": "on"}
    response = as_user(people.reporter).post(url("figures_save"), data)
    assert response.status_code == 200
    assert 'data-testid="figure-error"' in response.content.decode()
    assert not DataValue.objects.exists()


def test_panel_costs_one_query_whatever_the_number_of_elements(
    people: People, report: UnitReport, elements: dict[str, DataElement]
) -> None:
    client = as_user(people.reporter)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url("report")).status_code == 200
    for n in range(20):
        _element(people, f"THEM_{n}")
    assert client.post(url("figures_save"), GOOD).status_code == 302
    client.get(url("report"))  # the saved message shown
    with CaptureQueriesContext(connection) as after:
        content = client.get(url("report")).content.decode()
    assert content.count('data-testid="figure-row"') == 24
    assert len(after) == len(before)


def test_a_yes_no_figure_is_a_choice_of_yes_or_no(
    people: People, report: UnitReport, elements: dict[str, DataElement]
) -> None:
    _element(people, "CO_BCD", ValueType.YES_NO)
    content = page(people.reporter)
    assert '<select name="e_CO_BCD"' in content and '<option value="1">Có</option>' in content
    wrong = as_user(people.reporter).post(url("figures_save"), GOOD | figures(CO_BCD="2"))
    assert "chỉ nhận 1 (có) hoặc 0 (không)" in wrong.content.decode()
    assert not DataValue.objects.exists()
    saved = as_user(people.reporter).post(url("figures_save"), GOOD | figures(CO_BCD="1"))
    assert saved.status_code == 302 and stored(report)["CO_BCD"] == 1
    assert '<option value="1" selected>Có</option>' in page(people.reporter)
