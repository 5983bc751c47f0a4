"""Rules of the register: who may write, what is refused, and that refused writes change nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.db.models import QuerySet
from django.http import Http404

from directives import services
from directives.models import Directive, Kind
from directives.tests.conftest import Committee, register
from org.tests.conftest import People, Tree
from tasks.models import Task

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_create_links_tasks_and_keeps_history(people: People, committee: Committee) -> None:
    directive = register(
        people, committee.steering, " 12-cv/bcđ ", date(2025, 9, 5), subject="Đôn đốc nhiệm vụ",
        tasks=[committee.dept_task, committee.commune_task],
    )  # fmt: skip
    assert directive.number == "12-CV/BCĐ"  # a symbol is written in capitals, without spaces
    assert set(directive.tasks.values_list("code", flat=True)) == {"T-SO", "T-XA2"}
    assert directive.entered_by == people.standing
    assert directive.search_text == "12-cv/bcd don doc nhiem vu"
    services.update_directive(actor=people.sysadmin, directive=directive, subject="Đôn đốc")
    history = directive.history.order_by("history_id")  # type: ignore[attr-defined]
    assert [h.subject for h in history] == ["Đôn đốc nhiệm vụ", "Đôn đốc"]


def test_a_future_date_is_refused(people: People, committee: Committee) -> None:
    with pytest.raises(ValidationError) as exc:
        register(people, committee.steering, "13-CV/BCĐ", date(2025, 10, 3))
    assert exc.value.message_dict == {"issued_on": ["Ngày ban hành không được sau hôm nay."]}
    assert not Directive.objects.exists()


def test_the_same_document_is_not_registered_twice(people: People, committee: Committee) -> None:
    register(people, committee.steering, "12-CV/BCĐ", date(2025, 3, 3))
    with pytest.raises(ValidationError) as exc:
        register(people, committee.steering, "12-cv/bcđ", date(2025, 9, 5))
    assert exc.value.messages == [
        "Văn bản có số, ký hiệu này của cơ quan ban hành trong năm đã được nhập."
    ]
    register(people, committee.steering, "12-CV/BCĐ", date(2024, 3, 3))  # numbers restart yearly
    register(people, committee.office, "12-CV/BCĐ", date(2025, 3, 3))  # another issuer
    assert Directive.objects.count() == 3


def test_unknown_kind_and_empty_subject_are_refused(people: People, committee: Committee) -> None:
    with pytest.raises(ValidationError) as exc:
        register(people, committee.steering, "1/X", date(2025, 3, 3), kind="sac_lenh", subject="")
    assert set(exc.value.message_dict) == {"kind", "subject"}


def test_a_missing_task_is_refused(people: People, committee: Committee) -> None:
    with pytest.raises(ValidationError) as exc:
        register(people, committee.steering, "1/X", date(2025, 3, 3), tasks=[Task(pk=999_999)])
    assert exc.value.message_dict == {
        "tasks": ["Có nhiệm vụ không tồn tại hoặc bạn không được xem."]
    }
    assert not Directive.objects.exists()


@pytest.mark.parametrize(
    ("person", "denied"),
    [
        ("reporter", Http404),  # the Steering Committee is out of a commune's sight
        ("head", Http404),
        ("communes_admin", Http404),
        ("province_viewer", PermissionDenied),  # sees it, may not write
    ],
)
def test_only_programme_managers_register(
    people: People, committee: Committee, person: str, denied: type[Exception]
) -> None:
    actor = getattr(people, person)
    with pytest.raises(denied):
        services.create_directive(
            actor=actor, issuer=committee.steering, number="1/X", issued_on=date(2025, 3, 3),
            kind=Kind.NOTICE, subject="Thông báo",
        )  # fmt: skip
    directive = register(people, committee.steering, "2/X", date(2025, 3, 3))
    with pytest.raises(denied):
        services.update_directive(actor=actor, directive=directive, subject="Đổi")
    with pytest.raises(denied):
        services.delete_directive(actor=actor, directive=directive)
    directive.refresh_from_db()
    assert directive.subject == "Công văn 2/X" and Directive.objects.count() == 1


def test_a_reporter_may_not_register_for_its_own_commune(people: People, tree: Tree) -> None:
    with pytest.raises(PermissionDenied):
        services.create_directive(
            actor=people.reporter, issuer=tree.commune, number="1/KH-UBND",
            issued_on=date(2025, 3, 3), kind=Kind.PLAN, subject="Kế hoạch",
        )  # fmt: skip
    assert not Directive.objects.exists()


def test_update_refuses_unknown_fields(people: People, committee: Committee) -> None:
    directive = register(people, committee.steering, "2/X", date(2025, 3, 3))
    with pytest.raises(ValueError, match="entered_by"):
        services.update_directive(actor=people.standing, directive=directive, entered_by=None)


def test_file_is_checked_replaced_and_removed_after_commit(
    people: People, committee: Committee, media: Any, django_capture_on_commit_callbacks: Any
) -> None:
    upload = SimpleUploadedFile("Công văn 12.pdf", PDF)
    directive = register(people, committee.steering, "12/X", date(2025, 3, 3), upload=upload)
    assert directive.original_name == "Công văn 12.pdf"
    first = media / directive.file.name
    assert first.read_bytes() == PDF and "Công" not in directive.file.name  # generated name
    with django_capture_on_commit_callbacks(execute=True):
        services.update_directive(
            actor=people.standing, directive=directive, upload=SimpleUploadedFile("b.pdf", PDF)
        )
    directive.refresh_from_db()
    assert directive.original_name == "b.pdf" and not first.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_directive(actor=people.standing, directive=directive, remove_file=True)
    directive.refresh_from_db()
    assert not directive.file and not list(media.rglob("*.pdf"))


def test_a_renamed_executable_is_refused(people: People, committee: Committee, media: Any) -> None:
    upload = SimpleUploadedFile("cong-van.pdf", b"MZ\x90\x00\x03\x00\x00\x00")
    with pytest.raises(ValidationError) as exc:
        register(people, committee.steering, "12/X", date(2025, 3, 3), upload=upload)
    assert exc.value.message_dict["file"][0].startswith("Chỉ nhận tệp PDF, DOCX")
    assert not Directive.objects.exists() and not list(media.rglob("*"))


def test_delete_removes_the_file_after_commit(
    people: People, committee: Committee, media: Any, django_capture_on_commit_callbacks: Any
) -> None:
    upload = SimpleUploadedFile("a.pdf", PDF)
    directive = register(people, committee.steering, "12/X", date(2025, 3, 3), upload=upload)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_directive(actor=people.standing, directive=directive)
    assert not Directive.objects.exists() and not list(media.rglob("*.pdf"))


def test_a_file_stored_by_a_failed_change_is_deleted(
    people: People, committee: Committee, media: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise IntegrityError("a clash found on saving the links")

    monkeypatch.setattr(QuerySet, "bulk_create", refuse)  # the links are written after the file
    upload = SimpleUploadedFile("a.pdf", PDF)
    with pytest.raises(IntegrityError):
        register(
            people, committee.steering, "12/X", date(2025, 3, 3),
            upload=upload, tasks=[committee.dept_task],
        )  # fmt: skip
    assert not Directive.objects.exists() and not list(media.rglob("*.pdf"))
