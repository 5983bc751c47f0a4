"""The unit report editor: what each person is offered on the page matches what the services let
them do (issue 18, finding 9), two sessions of one unit never silently undo each other's figures
(issue 18, finding 4), and every section is saved on its own without touching the others."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indicators import services as indicator_services
from indicators.models import DataElement, DataValue, ValueType
from org.models import UnitType
from org.tests.conftest import People
from periods.models import PeriodKind
from reporting import services
from reporting.models import ReportState, UnitReport
from reporting.tests import test_views as base
from reporting.tests.test_views import HTMX, as_user, fresh, move, page, save_data, url
from tasks.models import Assignment

period = base.period
report = base.report
assignment = base.assignment
area = base.area
_fresh_clients = base._fresh_clients

COMMUNES = (UnitType.COMMUNE, UnitType.WARD)
FORMS = (
    'data-testid="report-form"',
    'data-testid="attachment-form"',
    'data-testid="status-form"',
    'data-testid="move-submit"',
)


@pytest.fixture
def elements(people: People) -> dict[str, DataElement]:
    def element(code: str, name: str, value_type: str = ValueType.COUNT) -> DataElement:
        return indicator_services.create_element(
            actor=people.standing, code=code, name=name, value_type=value_type,
            period_kind=PeriodKind.QUARTER, unit_types=COMMUNES,
        )  # fmt: skip

    return {
        "HS_TT": element("HS_TT", "Hồ sơ nộp trực tuyến"),
        "HS_TTIEP": element("HS_TTIEP", "Hồ sơ nộp trực tiếp"),
        "BCD": element("BCD", "Đã thành lập Ban Chỉ đạo", ValueType.YES_NO),
    }


def stored(report: UnitReport) -> dict[str, Decimal | None]:
    rows = DataValue.objects.filter(unit=report.unit, period=report.period)
    return dict(rows.values_list("element__code", "value"))


def opened(**values: str) -> dict[str, str]:
    """The figures form as a browser posts it: each input with the value it was opened with."""
    data: dict[str, str] = {}
    for code, (typed, was) in values.items():
        data |= {f"e_{code}": typed, f"o_{code}": was}
    return data


# --- finding 9: the page offers only what the services accept ------------------------------


@pytest.mark.parametrize("state", ["draft", "returned"])
def test_standing_office_reads_a_units_report_without_its_forms(
    people: People, report: UnitReport, assignment: Assignment, state: str
) -> None:
    if state == "returned":
        report = move(people, report, "submit", "approve")
        services.return_report(actor=people.standing, report=report, comment="Bổ sung số liệu")
    content = page(people.standing)
    for form in FORMS:
        assert form not in content, form
    assert 'data-testid="stored-text"' in content  # it reads the text instead
    # and the services refuse exactly what is no longer offered
    client = as_user(people.standing)
    saved = client.post(url("report_save"), save_data(fresh(report).version, "Sửa"))
    assert saved.status_code == 403 and not fresh(report).sections.exists()
    assert client.post(url("report_move", "submit")).status_code == 403
    assert fresh(report).state == (ReportState.DRAFT if state == "draft" else "returned")


def test_standing_office_is_not_offered_to_start_a_units_report(
    people: People, period: object
) -> None:
    assert 'data-testid="report-start"' not in page(people.standing)
    assert as_user(people.standing).post(url("report_start")).status_code == 403
    assert not UnitReport.objects.exists()


def test_the_units_reporter_keeps_every_form_of_a_returned_report(
    people: People, report: UnitReport, assignment: Assignment
) -> None:
    report = move(people, report, "submit")
    services.return_report(actor=people.head, report=report, comment="Viết lại phần khó khăn")
    content = page(people.reporter)
    for form in FORMS:
        assert form in content, form


# --- finding 4: a form opened earlier never puts an old figure back ------------------------


def test_an_older_form_saves_only_its_own_change(
    people: People, report: UnitReport, elements: dict[str, DataElement]
) -> None:
    """A and B open the page while nothing is stored; A saves HS_TT, then B (opened earlier)
    saves HS_TTIEP: A's figure stays, B's is added."""
    first, second = as_user(people.reporter), base.client_for(people.reporter)
    a = opened(HS_TT=("120", ""), HS_TTIEP=("", ""), BCD=("", ""))
    assert first.post(url("figures_save"), a).status_code == 302
    b = opened(HS_TT=("", ""), HS_TTIEP=("30", ""), BCD=("", ""))
    assert second.post(url("figures_save"), b).status_code == 302
    assert stored(report) == {"HS_TT": Decimal(120), "HS_TTIEP": Decimal(30)}


def test_an_older_form_does_not_revert_a_figure_it_shows_unchanged(
    people: People, report: UnitReport, elements: dict[str, DataElement]
) -> None:
    """The reproduction of finding 4: both forms prefilled with HS_TT=100; A saves 120; B,
    opened earlier, changes only HS_TTIEP but posts its prefilled HS_TT=100 too."""
    indicator_services.record_values(
        actor=people.reporter, unit=report.unit, period=report.period,
        values={"HS_TT": Decimal(100), "HS_TTIEP": Decimal(20)},
    )  # fmt: skip
    first, second = as_user(people.reporter), base.client_for(people.reporter)
    a = opened(HS_TT=("120", "100"), HS_TTIEP=("20", "20"), BCD=("", ""))
    assert first.post(url("figures_save"), a).status_code == 302
    b = opened(HS_TT=("100", "100"), HS_TTIEP=("25", "20"), BCD=("", ""))
    assert second.post(url("figures_save"), b).status_code == 302
    assert stored(report) == {"HS_TT": Decimal(120), "HS_TTIEP": Decimal(25)}


def test_both_changing_the_same_figure_is_refused_then_a_deliberate_replacement(
    people: People, report: UnitReport, elements: dict[str, DataElement]
) -> None:
    first, second = as_user(people.reporter), base.client_for(people.reporter)
    assert first.post(url("figures_save"), opened(HS_TT=("120", ""))).status_code == 302
    response = second.post(url("figures_save"), opened(HS_TT=("90", ""), HS_TTIEP=("5", "")))
    assert response.status_code == 409
    content = response.content.decode()
    assert "Vừa có người khác lưu số liệu này là 120" in content
    assert 'name="e_HS_TT" value="90"' in content  # what B typed is kept
    assert 'name="o_HS_TT" value="120"' in content  # saving again replaces 120 knowingly
    assert stored(report) == {"HS_TT": Decimal(120)}  # nothing of B's saved, not even HS_TTIEP
    again = second.post(url("figures_save"), opened(HS_TT=("90", "120"), HS_TTIEP=("5", "")))
    assert again.status_code == 302
    assert stored(report) == {"HS_TT": Decimal(90), "HS_TTIEP": Decimal(5)}


def test_the_service_refuses_a_stale_expected_value(
    people: People, report: UnitReport, elements: dict[str, DataElement]
) -> None:
    services.record_report_figures(
        actor=people.reporter, report=report, values={"HS_TT": Decimal(7)}, expected={}
    )
    with pytest.raises(services.StaleFigures) as refused:
        services.record_report_figures(
            actor=people.reporter, report=report, values={"HS_TT": Decimal(8)},
            expected={"HS_TT": None},
        )  # fmt: skip
    assert refused.value.current == {"HS_TT": Decimal(7)}
    assert stored(report) == {"HS_TT": Decimal(7)}


def test_yes_no_figure_is_a_choice_not_a_number(
    people: People, report: UnitReport, elements: dict[str, DataElement]
) -> None:
    content = page(people.reporter)
    choice = content.split('name="e_BCD"')[1].split("</select>")[0]
    assert '<option value="1">Có</option>' in choice
    assert '<option value="0">Không</option>' in choice
    saved = as_user(people.reporter).post(url("figures_save"), opened(BCD=("1", "")))
    assert saved.status_code == 302
    assert stored(report) == {"BCD": Decimal(1)}
    refused = as_user(people.reporter).post(url("figures_save"), opened(BCD=("2", "1")))
    assert refused.status_code == 200 and stored(report) == {"BCD": Decimal(1)}


# --- each section saved on its own -----------------------------------------------------------


def test_saving_figures_in_place_returns_only_the_figures_section(
    people: People, report: UnitReport, elements: dict[str, DataElement]
) -> None:
    response = as_user(people.reporter).post(
        url("figures_save"), opened(HS_TT=("1.428", "")), **HTMX
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert content.startswith('<section class="card mb-3" id="report-figures"')
    assert "Đã lưu số liệu chỉ tiêu." in content and 'name="o_HS_TT" value="1428"' in content
    assert 'data-testid="report-form"' not in content  # the text section is not replaced


def test_saving_text_in_place_answers_without_replacing_what_is_typed(
    people: People, report: UnitReport
) -> None:
    client = as_user(people.reporter)
    response = client.post(url("report_save"), save_data(0, "Kết quả"), **HTMX)
    assert response.status_code == 200
    content = response.content.decode()
    assert "<textarea" not in content  # the editor stays as the user is typing in it
    assert 'id="report-version"' in content and 'value="1"' in content  # the next save's version
    assert 'data-testid="text-status"' in content
    assert [s.text for s in fresh(report).sections.all()] == ["Kết quả"]
    stale = client.post(url("report_save"), save_data(0, "Bản cũ"), **HTMX)
    assert stale.status_code == 409 and base.STALE in stale.content.decode()
    assert [s.text for s in fresh(report).sections.all()] == ["Kết quả"]
