"""A product's way up and back down through the services: each move one service refusing a
wrong state and the wrong person, the window, evidence, the money, reminders; people told on
commit; every refusal leaves the product as it was."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from notifications.models import Notification
from products import services
from products.models import Product, ProductReminder, ProductState, ProductTransition, Rating
from products.services import Delivery
from products.tests.conftest import Cast, accepted, register

pytestmark = pytest.mark.django_db


def state(product: Product) -> str:
    return Product.objects.get(pk=product.pk).state


def test_registration_is_checked_field_by_field(cast: Cast) -> None:
    with pytest.raises(ValidationError) as refused:
        register(
            cast.people.reporter,
            title="",
            due_on=date(2027, 1, 10),
            target=None,
            budget=Decimal(-1),
            milestones=[services.MilestoneInput("Sau hạn", date(2027, 2, 1))],
        )
    errors = refused.value.message_dict
    assert set(errors) == {"title", "due_on", "target", "budget", "milestones"}
    assert errors["due_on"] == ["Hạn hoàn thành phải trong năm 2026."]
    assert not Product.objects.exists()


def test_who_registers(cast: Cast) -> None:
    people = cast.people
    with pytest.raises(Http404):  # another unit is out of the reporter's sight
        register(people.reporter, unit=people.other_reporter.unit)
    with pytest.raises(PermissionDenied):  # the head approves, it does not write
        register(people.head)
    drafted = register(people.standing, unit=people.reporter.unit)  # a draft on its behalf
    assert drafted.code == "2026-16681-01" and register(people.reporter).code == "2026-16681-02"
    with pytest.raises(PermissionDenied):  # but only the unit sends it up
        services.submit(actor=people.standing, product=drafted)
    assert state(drafted) == ProductState.DRAFT


def test_the_way_up_each_move_from_its_state_only(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    people = cast.people
    product = register(people.reporter)
    for move, actor in ((services.approve, people.head), (services.accept, people.standing)):
        with pytest.raises(services.WrongState):
            move(actor=actor, product=product)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(actor=people.reporter, product=product)
    assert Notification.objects.get(recipient=people.head).url == f"/products/{product.pk}/"
    with pytest.raises(PermissionDenied):  # the unit's reporter does not approve
        services.approve(actor=people.reporter, product=product)
    with pytest.raises(Http404):  # another unit's head does not even see it
        services.approve(actor=cast.head_b, product=product)
    with pytest.raises(ValidationError):  # a return needs a comment
        services.return_product(actor=people.head, product=product, comment=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.return_product(actor=people.head, product=product, comment="Bổ sung chỉ số")
    assert state(product) == ProductState.RETURNED
    told = Notification.objects.get(recipient=people.reporter)
    assert "Bổ sung chỉ số" in told.text and len(mail.outbox) == 3  # the head, then both
    services.update_product(actor=people.reporter, product=product, version=2, target=Decimal(600))
    services.submit(actor=people.reporter, product=product)
    services.approve(actor=people.head, product=product)
    with pytest.raises(PermissionDenied):
        services.accept(actor=people.head, product=product)
    services.accept(actor=people.standing, product=product)
    moves = ProductTransition.objects.filter(product=product).values_list("to_state", flat=True)
    assert list(moves) == ["submitted", "returned", "submitted", "approved", "accepted"]


def test_the_window_gates_sending_up(cast: Cast) -> None:
    people = cast.people
    product = register(people.reporter)
    with time_machine.travel("2026-01-20 09:00 +0700"), pytest.raises(ValidationError) as refused:
        services.submit(actor=people.reporter, product=product)
    assert "mở từ 01/10/2025 đến 15/01/2026" in refused.value.messages[0]
    other = register(people.reporter, year=2027, due_on=date(2027, 6, 30), milestones=[])
    with pytest.raises(ValidationError) as closed:
        services.submit(actor=people.reporter, product=other)
    assert closed.value.messages == ["Cơ quan thường trực chưa mở đợt đăng ký sản phẩm năm 2027."]
    assert state(product) == state(other) == ProductState.DRAFT
    with pytest.raises(PermissionDenied):
        services.open_window(
            actor=people.reporter, year=2027, opens_on=date(2026, 1, 1), closes_on=date(2026, 2, 1)
        )


def test_a_stale_form_is_refused(cast: Cast) -> None:
    product = register(cast.people.reporter)
    services.update_product(actor=cast.people.reporter, product=product, version=0, title="Mới")
    with pytest.raises(services.StaleProduct):
        services.update_product(actor=cast.people.reporter, product=product, version=0, title="Cũ")
    assert Product.objects.get(pk=product.pk).title == "Mới"


def test_delivery_needs_evidence_and_checks_the_file(
    cast: Cast, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    people = cast.people
    product = accepted(cast)
    with pytest.raises(ValidationError) as refused:
        services.deliver(
            actor=people.reporter,
            product=product,
            delivery=Delivery(delivered_on=date(2025, 10, 1)),
        )
    assert "Phải có minh chứng" in str(refused.value)
    fake = SimpleUploadedFile("bien-ban.pdf", b"MZ not a pdf", "application/pdf")
    with pytest.raises(ValidationError) as bad_file:
        services.deliver(
            actor=people.reporter,
            product=product,
            delivery=Delivery(delivered_on=date(2025, 10, 1), upload=fake),
        )
    assert bad_file.value.message_dict["evidence_file"] == [
        "Chỉ nhận tệp PDF, DOCX, XLSX, JPG, JPEG, PNG."
    ]
    with pytest.raises(PermissionDenied):  # the office evaluates, the unit delivers
        services.deliver(
            actor=people.standing,
            product=product,
            delivery=Delivery(delivered_on=date(2025, 10, 1), evidence_link="https://x.vn"),
        )
    assert state(product) == ProductState.ACCEPTED and not list(tmp_path.iterdir())
    pdf = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 ok", "application/pdf")
    services.deliver(
        actor=people.reporter,
        product=product,
        delivery=Delivery(
            delivered_on=date(2025, 10, 1),
            achieved=Decimal(620),
            upload=pdf,
            evidence_number="12/BC",
            evidence_date=date(2025, 10, 1),
        ),
    )
    delivered = Product.objects.get(pk=product.pk)
    assert (
        delivered.evidence_name == "bien-ban.pdf" and delivered.evidence_file.name != "bien-ban.pdf"
    )
    with pytest.raises(ValidationError):
        services.evaluate(actor=people.standing, product=product, rating=Rating.MET, comment="")
    services.evaluate(
        actor=people.standing, product=product, rating=Rating.EXCEEDED, comment="Vượt mục tiêu"
    )
    evaluated = Product.objects.get(pk=product.pk)
    assert (evaluated.state, evaluated.rating) == (ProductState.EVALUATED, Rating.EXCEEDED)


def test_milestones_once_and_money_within_the_budget(cast: Cast) -> None:
    people = cast.people
    draft = register(people.reporter)
    with pytest.raises(services.WrongState):
        services.complete_milestone(
            actor=people.reporter, milestone=draft.milestones.first(), done_on=date(2025, 10, 1)
        )
    product = accepted(cast, title="Khác")
    first = product.milestones.first()
    with pytest.raises(ValidationError):
        services.complete_milestone(
            actor=people.reporter, milestone=first, done_on=date(2025, 10, 3)
        )
    services.complete_milestone(actor=people.reporter, milestone=first, done_on=date(2025, 10, 1))
    with pytest.raises(services.WrongState):
        services.complete_milestone(
            actor=people.reporter, milestone=first, done_on=date(2025, 10, 2)
        )
    services.add_disbursement(
        actor=people.reporter, product=product, on=date(2025, 9, 1), amount=Decimal(150_000_000)
    )
    with pytest.raises(ValidationError) as over:
        services.add_disbursement(
            actor=people.reporter, product=product, on=date(2025, 9, 2), amount=Decimal(60_000_000)
        )
    assert over.value.message_dict["amount"] == [
        "Tổng giải ngân (210.000.000 đồng) vượt kinh phí (200.000.000 đồng)."
    ]
    with pytest.raises(PermissionDenied):
        services.add_disbursement(
            actor=people.head, product=product, on=date(2025, 9, 2), amount=Decimal(1)
        )
    assert product.disbursements.count() == 1


def test_reminders_once_a_day(cast: Cast, django_capture_on_commit_callbacks: Any) -> None:
    people = cast.people
    units = [people.reporter.unit, people.other_reporter.unit]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_without_product(actor=people.standing, year=2026, units=units) == 2
        assert services.remind_without_product(actor=people.standing, year=2026, units=units) == 0
    told = Notification.objects.filter(text__contains="chưa có sản phẩm năm 2026")
    assert set(told.values_list("recipient__username", flat=True)) == {"bc", "ldx", "bc2", "ldx2"}
    with pytest.raises(PermissionDenied):
        services.remind_without_product(actor=people.province_viewer, year=2026, units=units)
    assert ProductReminder.objects.count() == 2
