"""The figure lock, one rule (reporting.services.check_figures_editable) on every path that writes
a unit's figures: the report page, the XLSX import through its page and through the
`import_values` command, and the services called directly. Once the report is submitted (or
received) or the period closed, each path refuses and the stored figure stays as it was."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from indicators import services as indicator_services
from indicators.imports import parse_value_file
from indicators.models import DataElement, DataValue, ValueType
from indicators.tests.test_imports import workbook
from nq57.xlsx import XLSX_CONTENT_TYPE, ImportRejected
from org.models import UnitType
from org.tests.conftest import People, Tree
from periods.models import Period, PeriodKind
from reporting import services
from reporting.models import UnitReport
from reporting.tests import test_views as base
from reporting.tests.test_views import as_user, move, url

pytestmark = pytest.mark.django_db

# The report pages' fixtures: a 2025-Q3 period for 16681, 16690 and SKHCN, and 16681's draft.
period = base.period
report = base.report
_fresh_clients = base._fresh_clients

ROWS = [("16681", "HS_TONG", 120)]


@pytest.fixture
def element(people: People, report: UnitReport) -> DataElement:
    """HS_TONG of the communes, stored as 100 for 16681 while its report was a draft."""
    made = indicator_services.create_element(
        actor=people.standing, code="HS_TONG", name="Hồ sơ", value_type=ValueType.COUNT,
        period_kind=PeriodKind.QUARTER, unit_types=[UnitType.COMMUNE, UnitType.WARD],
    )  # fmt: skip
    services.record_report_figures(actor=people.reporter, report=report, values={"HS_TONG": 100})
    return made


LOCKS = ["submitted", "received", "closed period"]


@pytest.fixture(params=LOCKS)
def locked(request: Any, people: People, report: UnitReport, element: DataElement) -> UnitReport:
    if request.param == "submitted":
        move(people, report, "submit")
    elif request.param == "received":
        move(people, report, "submit", "approve", "receive")
    else:
        services.close_period(actor=people.standing, period=report.period)
    return UnitReport.objects.select_related("unit", "period").get(pk=report.pk)


def stored() -> dict[str, Decimal | None]:
    return dict(DataValue.objects.values_list("element__code", "value"))


UNCHANGED = {"HS_TONG": Decimal(100)}


def test_open_report_takes_figures_on_every_path(
    people: People, tree: Tree, report: UnitReport, element: DataElement, tmp_path: Path
) -> None:
    """The control: the same writes pass while the report is a draft and the period open."""
    assert services.figures_editable(people.reporter, tree.commune, report.period)
    services.import_figures(
        actor=people.reporter, rows=parse_value_file(workbook({"2025-Q3": ROWS}))
    )
    assert stored() == {"HS_TONG": Decimal(120)}
    response = as_user(people.reporter).post(url("figures_save"), {"e_HS_TONG": "130"})
    assert response.status_code == 302 and stored() == {"HS_TONG": Decimal(130)}


def test_page_hides_the_form_and_refuses_the_post(people: People, locked: UnitReport) -> None:
    content = as_user(people.reporter).get(url("report")).content.decode()
    assert 'data-testid="figures-form"' not in content
    response = as_user(people.reporter).post(url("figures_save"), {"e_HS_TONG": "120"})
    assert response.status_code == 403
    assert "bản nháp hoặc bị trả lại" in response.content.decode()
    assert stored() == UNCHANGED


def test_import_page_refuses_the_rows(people: People, locked: UnitReport) -> None:
    data = workbook({"2025-Q3": ROWS}).getvalue()
    upload = SimpleUploadedFile("so-lieu.xlsx", data, content_type=XLSX_CONTENT_TYPE)
    response = as_user(people.reporter).post(
        reverse("reporting:figure_import"), {"file": upload}, follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="import-errors"' in page
    assert "Dòng 2" in page and "bản nháp hoặc bị trả lại" in page
    assert 'data-testid="import-summary"' not in page
    assert stored() == UNCHANGED


def test_import_command_refuses_the_rows(
    people: People, locked: UnitReport, tmp_path: Path
) -> None:
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes(workbook({"2025-Q3": ROWS}).getvalue())
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_values", str(path), "--user", "bc", stdout=io.StringIO(), stderr=err)
    assert "Dòng 2" in err.getvalue() and "bản nháp hoặc bị trả lại" in err.getvalue()
    assert stored() == UNCHANGED


def test_an_unchanged_row_is_refused_too(people: People, locked: UnitReport) -> None:
    rows = parse_value_file(workbook({"2025-Q3": [("16681", "HS_TONG", 100)]}))
    with pytest.raises(ImportRejected):
        services.import_figures(actor=people.reporter, rows=rows)
    assert stored() == UNCHANGED


def test_services_refuse(people: People, tree: Tree, locked: UnitReport) -> None:
    assert not services.figures_editable(people.reporter, tree.commune, locked.period)
    assert not services.report_figures_editable(people.reporter, locked)
    with pytest.raises(ValidationError, match="bản nháp hoặc bị trả lại"):
        services.check_figures_editable(people.reporter, tree.commune, locked.period)
    with pytest.raises(ValidationError, match="bản nháp hoặc bị trả lại"):
        services.record_report_figures(
            actor=people.reporter, report=locked, values={"HS_TONG": Decimal(120)}
        )
    with pytest.raises(ImportRejected, match="bản nháp hoặc bị trả lại"):
        services.import_figures(
            actor=people.standing, rows=parse_value_file(workbook({"2025-Q3": ROWS}))
        )
    assert stored() == UNCHANGED


def test_the_lock_opens_again_when_the_report_is_returned(
    people: People, tree: Tree, report: UnitReport, element: DataElement
) -> None:
    move(people, report, "submit")
    services.return_report(actor=people.head, report=report, comment="Bổ sung số liệu.")
    assert services.figures_editable(people.reporter, tree.commune, report.period)
    services.import_figures(
        actor=people.reporter, rows=parse_value_file(workbook({"2025-Q3": ROWS}))
    )
    assert stored() == {"HS_TONG": Decimal(120)}


def test_a_unit_not_started_has_nothing_locked_until_the_period_closes(
    people: People, tree: Tree, period: Period, element: DataElement
) -> None:
    """16690 has not started its report: its figures may be imported, until the period closes."""
    rows = [("16690", "HS_TONG", 5)]
    services.import_figures(
        actor=people.other_reporter, rows=parse_value_file(workbook({"2025-Q3": rows}))
    )
    period = services.close_period(actor=people.standing, period=period)
    assert not services.figures_editable(people.other_reporter, tree.other_commune, period)
    with pytest.raises(ImportRejected):
        services.import_figures(
            actor=people.other_reporter,
            rows=parse_value_file(workbook({"2025-Q3": [("16690", "HS_TONG", 6)]})),
        )
    assert DataValue.objects.get(unit=tree.other_commune).value == Decimal(5)
