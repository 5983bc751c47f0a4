"""The monthly round as the services keep it: a draft the heads contest, adjustments with a
reason (the audit trail), publication that locks the month, schemes frozen once used. Every
refusal leaves things as they were."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from notifications.models import Notification
from org.tests.conftest import People
from scoring import services
from scoring.models import (
    Adjustment,
    Contest,
    ContestState,
    Criterion,
    Fact,
    Grade,
    Line,
    Method,
    Round,
    RoundState,
    Scorecard,
)
from scoring.tests.conftest import MONTH, SCORING_TIME, Month


@pytest.fixture
def scored(
    month: Month, people: People, django_capture_on_commit_callbacks: Any
) -> Iterator[Round]:
    """The fixture's month scored as a draft, the clock at 06/10/2025 (contests until 09/10),
    what happens on commit (the heads told) run."""
    with (
        time_machine.travel(SCORING_TIME, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        round_ = services.run_round(actor=people.standing, month=MONTH)
    with time_machine.travel(SCORING_TIME, tick=False):
        yield round_


def line(unit: str, code: str) -> Line:
    return Line.objects.select_related("scorecard").get(scorecard__unit__code=unit, code=code)


def snapshot() -> list[tuple[str, Decimal, str]]:
    """Every scorecard's total and grade, every line's points: what a refusal must not change."""
    cards = [(s.unit.code, s.total, s.grade) for s in Scorecard.objects.select_related("unit")]
    lines = [(f"{x.scorecard_id}{x.code}", x.points, "") for x in Line.objects.order_by("pk")]
    return sorted(cards) + lines


@pytest.mark.django_db
def test_the_draft_tells_each_head_of_its_own_scorecard(
    scored: Round, month: Month, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    told = Notification.objects.filter(recipient__in=month.heads.values())
    assert {n.url for n in told} == {
        f"/scoring/2025-09/{code}/" for code in ("16681", "16690", "16700")
    }
    assert scored.contest_until == date(2025, 10, 9) and len(mail.outbox) == 3
    with django_capture_on_commit_callbacks(execute=True):
        services.run_round(actor=people.standing, month=MONTH)  # scored again: nobody told twice
    assert told.count() == 3 and len(mail.outbox) == 3


@pytest.mark.django_db
def test_an_adjustment_needs_a_written_reason(scored: Round, people: People) -> None:
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.adjust(
            actor=people.standing, line=line("16690", "BC"), points=Decimal(20), reason="   "
        )
    assert refused.value.message_dict == {"reason": ["Phải ghi lý do điều chỉnh."]}
    with pytest.raises(ValidationError):
        services.adjust(
            actor=people.standing,
            line=line("16690", "BC"),
            points=Decimal(21),
            reason="Quá điểm tối đa",
        )
    with pytest.raises(ValidationError):
        services.adjust(
            actor=people.standing,
            line=line("16700", "SP"),
            points=Decimal(1),
            reason="Không áp dụng",
        )
    with pytest.raises(PermissionDenied):
        services.adjust(
            actor=people.head, line=line("16681", "BC"), points=Decimal(1), reason="Tự chấm"
        )
    assert snapshot() == before and not Adjustment.objects.exists()


@pytest.mark.django_db
def test_an_adjustment_changes_the_total_and_the_grades_and_is_kept(
    scored: Round, people: People
) -> None:
    services.adjust(
        actor=people.standing,
        line=line("16690", "BC"),
        points=Decimal(20),
        reason="Báo cáo gửi qua iOffice đúng hạn",
    )
    b = Scorecard.objects.get(unit__code="16690")
    assert b.total == Decimal("65.5") and b.grade == Grade.DONE
    (adjustment,) = Adjustment.objects.all()
    assert (adjustment.before, adjustment.after, adjustment.actor) == (8, 20, people.standing)
    # The history of the line keeps who changed it from what.
    history = line("16690", "BC").history.order_by("history_date")  # type: ignore[attr-defined]
    assert [h.points for h in history] == [8, 20]
    # Scoring again keeps what a person decided.
    with time_machine.travel(SCORING_TIME, tick=False):
        services.run_round(actor=people.standing, month=MONTH)
    assert line("16690", "BC").points == 20 and line("16690", "BC").computed == 8


@pytest.mark.django_db
def test_a_head_contests_its_own_scorecard_with_evidence(
    scored: Round,
    month: Month,
    people: People,
    settings: Any,
    tmp_path: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 bien ban", "application/pdf")
    with (
        time_machine.travel(SCORING_TIME, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        contest = services.contest(
            actor=month.heads["b"],
            line=line("16690", "BC"),
            text="Đã gửi đúng hạn qua iOffice",
            upload=upload,
            link="https://ioffice.example.vn/1",
        )
    assert contest.evidence_name == "bien-ban.pdf" and contest.state == ContestState.OPEN
    office = Notification.objects.filter(recipient=people.standing, text__contains="giải trình")
    assert office.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.answer(
            actor=people.standing,
            contest=contest,
            text="Đã đối chiếu, đúng hạn.",
            points=Decimal(20),
        )
    contest.refresh_from_db()
    assert contest.state == ContestState.ANSWERED and contest.adjustments.get().after == 20
    assert Notification.objects.filter(recipient=month.heads["b"], text__contains="trả lời")


@pytest.mark.django_db
def test_contests_are_refused_to_others_and_after_the_window(
    scored: Round, month: Month, people: People
) -> None:
    target = line("16690", "BC")
    with time_machine.travel(SCORING_TIME, tick=False):
        with pytest.raises(Http404):  # another unit's head does not see it
            services.contest(actor=month.heads["a"], line=target, text="Thay đơn vị khác")
        with pytest.raises(PermissionDenied):  # the unit's reporter does not contest
            services.contest(actor=month.reporters["b"], line=target, text="Cán bộ giải trình")
        with pytest.raises(PermissionDenied):  # nor does the office, which adjusts
            services.contest(actor=people.standing, line=target, text="Thay đơn vị")
        with pytest.raises(ValidationError):
            services.contest(actor=month.heads["b"], line=target, text="  ")
    with (
        time_machine.travel(SCORING_TIME + timedelta(days=4), tick=False),
        pytest.raises(services.WrongState),
    ):
        services.contest(actor=month.heads["b"], line=target, text="Quá hạn giải trình")
    assert not Contest.objects.exists()


@pytest.mark.django_db
def test_a_published_month_cannot_change(scored: Round, month: Month, people: People) -> None:
    with time_machine.travel(SCORING_TIME, tick=False):
        contest = services.contest(actor=month.heads["b"], line=line("16690", "BC"), text="Xin xem")
        with pytest.raises(services.WrongState):  # an unanswered contest holds publication
            services.publish(actor=people.standing, round_=scored)
        services.answer(actor=people.standing, contest=contest, text="Giữ nguyên điểm.")
        with pytest.raises(PermissionDenied):
            services.publish(actor=people.head, round_=scored)
        services.publish(actor=people.standing, round_=scored)
        before = snapshot()
        refusals = [
            lambda: services.run_round(actor=people.standing, month=MONTH),
            lambda: services.adjust(
                actor=people.standing,
                line=line("16690", "BC"),
                points=Decimal(20),
                reason="Sau công bố",
            ),
            lambda: services.contest(actor=month.heads["b"], line=line("16690", "QH"), text="Sau"),
            lambda: services.publish(actor=people.standing, round_=scored),
        ]
        for refused in refusals:
            with pytest.raises(services.WrongState):
                refused()
    assert snapshot() == before
    assert Round.objects.get().state == RoundState.PUBLISHED and Contest.objects.count() == 1


@pytest.mark.django_db
def test_a_scheme_used_for_a_month_is_frozen(scored: Round, month: Month, people: People) -> None:
    scheme = month.scheme
    with pytest.raises(services.WrongState):
        services.update_scheme(actor=people.standing, scheme=scheme, name="Đổi tên")
    with pytest.raises(services.WrongState):
        services.save_criterion(
            actor=people.standing,
            scheme=scheme,
            criterion=scheme.criteria.get(code="NV"),
            max_points=Decimal(40),
        )
    with pytest.raises(services.WrongState):
        services.delete_criterion(actor=people.standing, criterion=scheme.criteria.get(code="NV"))
    with pytest.raises(ValidationError) as refused:  # a new scheme may not reach a scored month
        services.create_scheme(actor=people.standing, kind="commune", valid_from=MONTH, name="Mới")
    assert "Đã chấm điểm đến tháng 09/2025" in str(refused.value)
    assert scheme.criteria.get(code="NV").max_points == 30


@pytest.mark.django_db
def test_criteria_are_checked(month: Month, people: People) -> None:
    draft = services.create_scheme(
        actor=people.standing, kind="commune", valid_from=date(2026, 1, 1), name="2026"
    )

    def save(**fields: object) -> Criterion:
        base = {
            "code": "A",
            "name": "A",
            "fact": Fact.TASKS_ON_TIME,
            "method": Method.BANDS,
            "max_points": Decimal(10),
            "bands": [["100", "10"]],
        }
        return services.save_criterion(actor=people.standing, scheme=draft, **(base | fields))

    with pytest.raises(ValidationError) as wrong:
        save(method=Method.DEDUCT, per_item=Decimal(1))
    assert wrong.value.message_dict["method"]
    with pytest.raises(ValidationError) as too_many:
        save(bands=[["100", "12"]])
    assert too_many.value.message_dict["bands"] == ["Điểm của khung không được quá điểm tối đa."]
    with pytest.raises(ValidationError):
        save(unit_types=["so_nganh"])  # not a commune type
    with pytest.raises(PermissionDenied):
        services.save_criterion(
            actor=people.head,
            scheme=draft,
            code="B",
            name="B",
            fact=Fact.REPORTS,
            method=Method.DEDUCT,
            max_points=Decimal(5),
            per_day=Decimal(1),
        )
    assert save().code == "A" and not Criterion.objects.filter(scheme=draft, code="B").exists()
    assert services.parse_bands("90:8; 100 : 10\n70:5") == [["100", "10"], ["90", "8"], ["70", "5"]]
