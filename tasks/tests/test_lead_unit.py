"""The lead unit of a task given to many units: it sees every assignee's state, evidence and
reason, reminds the late ones (once a day each, on commit) and comments; a coordinating unit
records its part. Role × unit: the lead's reporter and head and the standing office act; a
reader in scope gets 403, an outsider 404; a denied request changes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from notifications.models import Notification
from org.models import Role, Unit, UnitType, User
from org.tests.conftest import People, Tree
from org.tests.factories import UserFactory, make_unit
from org.tests.test_views import client_for
from tasks import services
from tasks.models import Area, CommentKind, Source, Task, TaskComment, TaskReminder
from tasks.tests.test_views import PDF
from tasks.timeliness import Status

NOBODY = "Không có đơn vị thực hiện nào bạn được xem."


class Cast:
    """The people around one task led by the science department (SKHCN), given to both communes,
    with the health department (SYT) coordinating."""

    def __init__(self, people: People, tree: Tree) -> None:
        self.people = people
        self.lead_head = UserFactory(username="lds", unit=tree.dept, role=Role.UNIT_HEAD)
        self.coordinator = UserFactory(username="bcyt", unit=tree.other_dept, role=Role.REPORTER)
        self.outside_unit = make_unit(tree.agencies, "STC", UnitType.DEPARTMENT)
        self.outsider = UserFactory(username="bctc", unit=self.outside_unit, role=Role.REPORTER)
        source = Source.objects.create(code="NQ57-TINH", name="Nhiệm vụ cụ thể hóa NQ57")
        area = Area.objects.create(code="HT", name="Hạ tầng công nghệ")
        self.task = services.create_task(
            actor=people.standing, lead_unit=tree.dept, code="T-CHUNG", title="Nhiệm vụ chung",
            source=source, area=area, year=2025, start_date=date(2025, 1, 1),
            deadline=date(2025, 9, 15), assignees=[tree.commune, tree.other_commune],
            coordinating_units=[tree.other_dept],
        )  # fmt: skip
        done = self.task.assignments.get(unit=tree.commune)
        self.event = services.record_status(
            actor=people.reporter, assignment=done, status=Status.COMPLETED,
            effective_date=date(2025, 9, 10), evidence_number="12/QĐ-UBND",
            evidence_date=date(2025, 9, 10),
        )  # fmt: skip
        paused = self.task.assignments.get(unit=tree.other_commune)
        services.record_status(
            actor=people.other_reporter, assignment=paused, status=Status.IN_PROGRESS,
            effective_date=date(2025, 9, 1), progress=40, reason="Chờ kinh phí bổ sung",
        )  # fmt: skip

    def user(self, name: str) -> User:
        return getattr(self, name, None) or getattr(self.people, name)


@pytest.fixture
def cast(people: People, tree: Tree) -> Cast:
    return Cast(people, tree)


def page(cast: Cast, person: str) -> Any:
    return client_for(cast.user(person)).get(reverse("tasks:task_detail", args=["T-CHUNG"]))


def url(name: str) -> str:
    return reverse(f"tasks:{name}", args=["T-CHUNG"])


# --- seeing every assignee -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "rows"),
    [
        ("dept_reporter", {"16681", "16690"}),  # the lead unit's: every assignee
        ("lead_head", {"16681", "16690"}),
        ("standing", {"16681", "16690"}),
        ("province_viewer", {"16681", "16690"}),
        ("reporter", {"16681"}),  # an assignee: its own part only
        ("other_reporter", {"16690"}),
        ("communes_admin", {"16681", "16690"}),  # both communes are in its subtree
        ("coordinator", set()),  # a coordinating unit reads the task, not the assignees'
    ],
)
def test_who_sees_which_assignees(cast: Cast, person: str, rows: set[str]) -> None:
    response = page(cast, person)
    assert response.status_code == 200
    content = response.content.decode()
    shown = {code for code in ("16681", "16690") if f'<tr data-testid="assignee-{code}"' in content}
    assert shown == rows
    assert (NOBODY in content) is (not rows)
    if "16690" in rows:  # the late one's reason is on its row
        assert "Chờ kinh phí bổ sung" in content
    if "16681" in rows:
        assert "văn bản số 12/QĐ-UBND" in content


@pytest.mark.parametrize(
    ("person", "units"),
    [
        (
            "dept_reporter",
            {"Đơn vị 16681", "Đơn vị 16690"},
        ),  # the lead unit's: every assignee's events
        ("province_viewer", {"Đơn vị 16681", "Đơn vị 16690"}),
        ("reporter", {"Đơn vị 16681"}),  # an assignee: its own only
        ("other_reporter", {"Đơn vị 16690"}),
        ("coordinator", set()),
    ],
)
def test_the_history_page_shows_the_events_the_task_page_shows(
    cast: Cast, person: str, units: set[str]
) -> None:
    """One rule (tasks.queries.timeline) for the task page and its history."""
    response = client_for(cast.user(person)).get(url("task_history"))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("Cập nhật trạng thái") == len(units)
    assert {name for name in ("Đơn vị 16681", "Đơn vị 16690") if name in content} == units


def test_an_outsider_does_not_see_the_task(cast: Cast) -> None:
    assert page(cast, "outsider").status_code == 404


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_the_lead_unit_downloads_every_assignees_evidence(
    cast: Cast, tree: Tree, media: Path
) -> None:
    event = services.record_status(
        actor=cast.people.other_reporter,
        assignment=cast.task.assignments.get(unit=tree.other_commune),
        status=Status.COMPLETED,
        effective_date=date(2025, 9, 20),
        evidence_file=SimpleUploadedFile("bien-ban.pdf", PDF),
    )
    evidence = reverse("tasks:evidence", args=[event.pk])
    for person, status in [
        ("dept_reporter", 200), ("lead_head", 200), ("other_reporter", 200),
        ("reporter", 404), ("coordinator", 404), ("outsider", 404),
    ]:  # fmt: skip
        assert client_for(cast.user(person)).get(evidence).status_code == status, person


def test_the_timeline_shows_the_lead_every_event(cast: Cast) -> None:
    lead = page(cast, "dept_reporter").content.decode()
    assert lead.count('data-testid="event"') == 2
    own = page(cast, "reporter").content.decode()
    assert own.count('data-testid="event"') == 1


# --- reminding the late ones -------------------------------------------------------------------


@pytest.mark.parametrize("person", ["dept_reporter", "lead_head", "standing"])
def test_the_lead_reminds_the_late_ones_once_a_day(
    cast: Cast, person: str, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(cast.user(person))
    assert 'data-testid="remind"' in page(cast, person).content.decode()
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url("task_remind"), follow=True)
    assert "Đã nhắc 1 đơn vị chậm." in response.content.decode()
    assert not Notification.objects.exists()  # the notices leave once the reminder commits
    for callback in callbacks:
        callback()
    told = Notification.objects.get()
    assert told.recipient == cast.people.other_reporter  # the late commune's reporter only
    assert "Nhiệm vụ chung" in told.text and "15/09/2025" in told.text
    assert told.url == reverse("tasks:task_detail", args=["T-CHUNG"])
    with django_capture_on_commit_callbacks(execute=True) as again:
        second = client.post(url("task_remind"), follow=True)
    assert "Không có đơn vị chậm nào chưa được nhắc hôm nay." in second.content.decode()
    assert not again and Notification.objects.count() == 1
    assert TaskReminder.objects.get().unit.code == "16690"


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("reporter", 403),  # an assignee: in scope, not the lead
        ("other_reporter", 403),
        ("province_viewer", 403),  # sees the lead unit, only reads
        ("communes_admin", 403),
        ("coordinator", 403),
        ("outsider", 404),
    ],
)
def test_others_may_not_remind(cast: Cast, person: str, status: int) -> None:
    assert 'data-testid="remind"' not in page(cast, person).content.decode()
    response = client_for(cast.user(person)).post(url("task_remind"))
    assert response.status_code == status
    assert not TaskReminder.objects.exists() and not Notification.objects.exists()


def test_the_remind_button_only_for_today(cast: Cast) -> None:
    client = client_for(cast.user("dept_reporter"))
    past = client.get(reverse("tasks:task_detail", args=["T-CHUNG"]), {"as_of": "01/09/2025"})
    assert 'data-testid="remind"' not in past.content.decode()


def test_the_reminder_query_count_does_not_grow_with_assignees(
    cast: Cast, tree: Tree, django_assert_max_num_queries: Any
) -> None:
    communes = [make_unit(tree.communes, f"X{n:02}", UnitType.COMMUNE) for n in range(30)]
    for unit in communes:
        UserFactory(username=f"bc{unit.code}", unit=unit, role=Role.REPORTER)
    cast.task.assignments.model.objects.bulk_create(
        cast.task.assignments.model(task=cast.task, unit=u) for u in communes
    )
    with django_assert_max_num_queries(12):
        count = services.remind_late(actor=cast.people.dept_reporter, task=cast.task)
    assert count == 31


# --- comments and coordinating parts ---------------------------------------------------------


@pytest.mark.parametrize("person", ["dept_reporter", "lead_head", "standing"])
def test_the_lead_comments(cast: Cast, person: str) -> None:
    assert 'data-testid="comment-form"' in page(cast, person).content.decode()
    client = client_for(cast.user(person))
    response = client.post(url("task_comment"), {"text": "Đề nghị các xã hoàn thành trước 30/10."})
    assert response.status_code == 302 and response["Location"].endswith("#task-words")
    comment = TaskComment.objects.get()
    assert comment.kind == CommentKind.COMMENT and comment.author == cast.user(person)
    expected_unit = "SKHCN" if person != "standing" else "P"
    assert comment.unit.code == expected_unit
    for reader in ("reporter", "other_reporter", "coordinator", "province_viewer"):
        assert "Đề nghị các xã hoàn thành trước 30/10." in page(cast, reader).content.decode()


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("reporter", 403),
        ("province_viewer", 403),
        ("communes_admin", 403),
        ("coordinator", 403),
        ("outsider", 404),
    ],
)
def test_others_may_not_comment(cast: Cast, person: str, status: int) -> None:
    assert 'data-testid="comment-form"' not in page(cast, person).content.decode()
    response = client_for(cast.user(person)).post(url("task_comment"), {"text": "Ý kiến"})
    assert response.status_code == status
    assert not TaskComment.objects.exists()


def test_an_empty_comment_is_refused_in_vietnamese(cast: Cast) -> None:
    client = client_for(cast.people.dept_reporter)
    response = client.post(url("task_comment"), {"text": "   "}, follow=True)
    assert "Trường này là bắt buộc." in response.content.decode()
    assert not TaskComment.objects.exists()


def test_a_comment_too_long_is_refused(cast: Cast) -> None:
    with pytest.raises(Exception, match=r"Tối đa 10\.000 ký tự"):
        services.add_comment(actor=cast.people.dept_reporter, task=cast.task, text="x" * 10_001)
    assert not TaskComment.objects.exists()


def test_a_coordinating_unit_records_its_part(cast: Cast, tree: Tree) -> None:
    assert 'data-testid="part-form"' in page(cast, "coordinator").content.decode()
    client = client_for(cast.coordinator)
    data = {"unit": tree.other_dept.pk, "text": "Đã hỗ trợ kết nối phần mềm y tế cho 2 xã."}
    assert client.post(url("task_part"), data).status_code == 302
    part = TaskComment.objects.get()
    assert part.kind == CommentKind.PART and part.unit == tree.other_dept
    lead_page = page(cast, "dept_reporter").content.decode()
    assert "Phần phối hợp" in lead_page and "Đã hỗ trợ kết nối phần mềm y tế" in lead_page


@pytest.mark.parametrize(
    ("person", "status"),
    [("dept_reporter", 403), ("reporter", 403), ("province_viewer", 403), ("outsider", 404)],
)
def test_only_a_coordinating_unit_records_a_part(
    cast: Cast, tree: Tree, person: str, status: int
) -> None:
    assert 'data-testid="part-form"' not in page(cast, person).content.decode()
    data = {"unit": tree.other_dept.pk, "text": "Phần của người khác"}
    assert client_for(cast.user(person)).post(url("task_part"), data).status_code == status
    assert not TaskComment.objects.exists()


def test_a_part_for_a_unit_not_coordinating_is_refused(cast: Cast, tree: Tree) -> None:
    with pytest.raises(Exception, match=r"Đơn vị không phối hợp thực hiện nhiệm vụ này\."):
        services.add_comment(
            actor=cast.people.standing, task=cast.task, text="x", kind=CommentKind.PART,
            unit=tree.dept,
        )  # fmt: skip
    assert not TaskComment.objects.exists()


def test_the_page_reads_a_bounded_number_of_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    for n in range(30):
        services.add_comment(actor=cast.people.dept_reporter, task=cast.task, text=f"Ý kiến {n}")
    client = client_for(cast.people.dept_reporter)
    with django_assert_max_num_queries(15):  # 14, and the deadline extensions
        content = client.get(reverse("tasks:task_detail", args=["T-CHUNG"])).content.decode()
    assert content.count('data-testid="word"') == 20  # a page of them


# --- the demo: Sở KH&CN leads a task given to all 130 communes --------------------------------


@pytest.mark.clock("2026-01-05T09:00")
def test_the_science_department_sees_all_130_communes(
    db: None, demo_data: None, django_assert_max_num_queries: Any
) -> None:
    task = Task.objects.get(code="BDHVS-001")
    assert task.lead_unit.code == "SKHCN" and task.assignments.count() == 130
    lead = client_for(User.objects.get(username="bc.skhcn"))
    detail = reverse("tasks:task_detail", args=[task.code])
    with django_assert_max_num_queries(16):
        content = lead.get(detail).content.decode()
    assert NOBODY not in content
    assert content.count('<tr data-testid="assignee-') == 50  # the first page of 130
    assert "130/130 đơn vị đã hoàn thành" in content
    last = lead.get(detail, {"page": 3}).content.decode()
    assert last.count('<tr data-testid="assignee-') == 30
    commune = Unit.objects.filter(unit_type__in=["xa", "phuong"]).order_by("path").first()
    assert commune is not None
    own = client_for(User.objects.get(username=f"bc.{commune.code.lower()}"))
    assert own.get(detail).content.decode().count('<tr data-testid="assignee-') == 1
    reminded = lead.post(reverse("tasks:task_remind", args=[task.code]), follow=True)
    assert "Không có đơn vị chậm nào chưa được nhắc hôm nay." in reminded.content.decode()
