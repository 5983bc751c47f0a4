"""The standing office's set-up pages (report forms, schedules, holidays) and a quick report's
board: works / read-only 403 / unknown 404 / wrong method 405, refused writes change nothing,
bounded queries."""

from __future__ import annotations

import io
from datetime import date, time

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from org.tests.conftest import People, Tree
from org.tests.test_views import client_for
from periods.models import Frequency, Holiday, Period, PeriodKind
from reporting import services
from reporting.models import ReportForm, ReportState, Schedule, SectionKind
from reporting.tests.conftest import COMMUNES, answer, report_form, schedule

OTHERS = ["reporter", "head", "communes_admin", "province_viewer", "dept_reporter"]
FORM_POST = {
    "code": "bc-quy", "name": "Báo cáo quý", "kind": PeriodKind.QUARTER,
    "sections": [SectionKind.RESULTS, SectionKind.PROPOSALS], "every_element": "on",
}  # fmt: skip
SCHEDULE_POST = {
    "code": "quy", "name": "Báo cáo quý", "frequency": Frequency.QUARTERLY,
    "starts_on": "01/07/2025", "cutoff_day": "15", "due_rule": "day", "due_day": "18",
    "due_month_offset": "0", "due_time": "17:00", "opens_days_before": "5",
    "unit_types": COMMUNES,
}  # fmt: skip
HOLIDAY_POST = {"day": "24/11/2025", "name": "Ngày Văn hóa Việt Nam", "kind": "off", "year": "2025"}


def _snapshot() -> tuple[list, list, list, list]:
    return (
        list(ReportForm.objects.values_list("code", "name", "sections")),
        list(Schedule.objects.values_list("code", "active", "due_day")),
        list(Holiday.objects.values_list("day", "name")),
        list(Period.objects.values_list("code", flat=True)),
    )


@pytest.fixture
def quarterly(people: People) -> ReportForm:
    return report_form(people, "BC-QUY-CU", kind=PeriodKind.QUARTER)


@pytest.fixture
def kept(people: People, quarterly: ReportForm) -> Schedule:
    Holiday.objects.create(day=date(2025, 9, 2), name="Quốc khánh")
    return schedule(people, quarterly, code="CU", frequency=Frequency.QUARTERLY)


def _writes(tree: Tree, quarterly: ReportForm, kept: Schedule) -> list[tuple[str, dict]]:
    holiday = Holiday.objects.get()
    return [
        (reverse("reporting:form_create"), FORM_POST),
        (reverse("reporting:form_edit", args=[quarterly.code]), FORM_POST),
        (reverse("reporting:schedule_create"), SCHEDULE_POST | {"form": quarterly.pk}),
        (
            reverse("reporting:schedule_edit", args=[kept.code]),
            SCHEDULE_POST | {"form": quarterly.pk},
        ),
        (reverse("reporting:schedule_active", args=[kept.code]), {"active": "0"}),
        (reverse("reporting:schedule_run"), {}),
        (reverse("reporting:holidays"), HOLIDAY_POST),
        (reverse("reporting:holiday_load"), {"year": "2025"}),
        (reverse("reporting:holiday_delete", args=[holiday.pk]), {}),
    ]  # fmt: skip


PAGES = ["form_list", "form_create", "schedule_list", "schedule_create", "holidays"]


@pytest.mark.parametrize("person", OTHERS)
def test_others_are_refused_and_nothing_changes(
    people: People, tree: Tree, quarterly: ReportForm, kept: Schedule, person: str
) -> None:
    client = client_for(getattr(people, person))
    for name in PAGES:
        assert client.get(reverse(f"reporting:{name}")).status_code == 403, name
    assert client.get(reverse("reporting:schedule_edit", args=[kept.code])).status_code == 403
    assert client.get(reverse("reporting:form_edit", args=[quarterly.code])).status_code == 403
    before = _snapshot()
    for path, data in _writes(tree, quarterly, kept):
        assert client.post(path, data).status_code == 403, path
    assert _snapshot() == before


@pytest.mark.parametrize("person", ["standing", "sysadmin"])
def test_the_office_sets_up_forms_schedules_and_holidays(
    people: People, tree: Tree, quarterly: ReportForm, person: str, django_assert_max_num_queries
) -> None:
    client = client_for(getattr(people, person))
    for name in PAGES:
        with django_assert_max_num_queries(12):
            assert client.get(reverse(f"reporting:{name}")).status_code == 200, name
    assert client.post(reverse("reporting:form_create"), FORM_POST).status_code == 302
    made = ReportForm.objects.get(code="BC-QUY")
    assert made.sections == [SectionKind.RESULTS, SectionKind.PROPOSALS] and made.every_element
    data = SCHEDULE_POST | {"form": made.pk}
    assert client.post(reverse("reporting:schedule_create"), data).status_code == 302
    saved = Schedule.objects.get(code="QUY")
    assert (saved.cutoff_day, saved.due_day, saved.due_time) == (15, 18, time(17))
    with django_assert_max_num_queries(20):
        page = client.get(reverse("reporting:schedule_edit", args=["QUY"])).content.decode()
    assert "Quý IV/2025" in page  # the next period, not yet made: data from 15/09
    assert "15/09/2025 – 14/12/2025" in page
    assert client.post(reverse("reporting:schedule_run")).status_code == 302
    assert list(Period.objects.values_list("code", flat=True)) == ["2025-Q4", "2025-Q3"]
    assert client.post(reverse("reporting:holidays"), HOLIDAY_POST).status_code == 302
    assert Holiday.objects.get().name == "Ngày Văn hóa Việt Nam"
    listed = client.get(reverse("reporting:holidays"), {"year": "2025"}).content.decode()
    assert "24/11/2025" in listed


def test_a_bad_schedule_is_shown_again_with_its_messages(
    people: People, quarterly: ReportForm
) -> None:
    client = client_for(people.standing)
    data = SCHEDULE_POST | {"form": quarterly.pk, "due_rule": "working_days", "due_day": ""}
    response = client.post(reverse("reporting:schedule_create"), data)
    assert response.status_code == 200
    assert "Chọn một cách tính hạn nộp" in response.content.decode()
    assert not Schedule.objects.exists()


def test_unknown_codes_are_404_and_reads_are_get_only(people: People) -> None:
    client = client_for(people.standing)
    assert client.get(reverse("reporting:form_edit", args=["KHONG"])).status_code == 404
    assert client.get(reverse("reporting:schedule_edit", args=["KHONG"])).status_code == 404
    assert client.post(reverse("reporting:holiday_delete", args=[999])).status_code == 404
    assert client.post(reverse("reporting:form_list")).status_code == 405
    assert client.get(reverse("reporting:schedule_run")).status_code == 405


def test_a_quick_board_shows_the_grid_and_exports_it(
    people: People,
    tree: Tree,
    storm: Period,
    django_assert_max_num_queries,
) -> None:
    sent = answer(people.reporter, storm, tree.commune, 12, "Sập 12 nhà", "Gạo")
    services.submit_report(actor=people.reporter, report=sent)
    client = client_for(people.standing)
    with django_assert_max_num_queries(15):  # fixed: the grid reads each kind of row once
        page = client.get(reverse("reporting:board", args=[storm.code])).content.decode()
    assert 'data-testid="answer-grid"' in page and "Sập 12 nhà" in page
    assert "Đã trả lời: 1/2 đơn vị." in page
    assert 'data-testid="grid-row-16690" class="table-warning"' in page
    export = client.get(reverse("reporting:board_export", args=[storm.code]))
    content = b"".join(export.streaming_content)
    lines = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert lines[-1] == (None, "Toàn tỉnh", "Đã trả lời 1/2 đơn vị", 1, 1, 12)
    assert (
        client_for(people.reporter).get(reverse("reporting:board", args=[storm.code])).status_code
        == 403
    )


def test_a_quick_report_page_says_no_approval_is_needed(
    people: People,
    tree: Tree,
    storm: Period,
) -> None:
    client = client_for(people.reporter)
    client.post(reverse("reporting:report_start", args=[storm.code, tree.commune.code]))
    url = reverse("reporting:report_move", args=[storm.code, tree.commune.code, "submit"])
    page = client.get(reverse("reporting:report", args=[storm.code, tree.commune.code]))
    assert 'data-testid="quick-note"' in page.content.decode()
    response = client.post(url, follow=True)
    assert "Đã gửi báo cáo nhanh cho cơ quan thường trực." in response.content.decode()
    assert storm.reports.get().state == ReportState.RECEIVED


def test_the_set_up_pages_read_in_english(people: People, quarterly: ReportForm) -> None:
    client = client_for(people.standing)
    client.cookies["django_language"] = "en"
    pages = {
        reverse("reporting:schedule_list"): ("Schedules", "New schedule"),
        reverse("reporting:schedule_create"): ("Data cut-off day", "Deadline rule"),
        reverse("reporting:form_edit", args=[quarterly.code]): (
            "Edit report form",
            "Parts of text",
        ),
        reverse("reporting:holidays"): ("Holidays", "Add a day"),
        reverse("org:unit_merge"): ("Merge units", "Effective date"),
    }
    for path, words in pages.items():
        page = client.get(path).content.decode()
        assert all(word in page for word in words), path
