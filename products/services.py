"""Every write to products: one transaction each, the permission checked inside (org.access),
each state change one move refusing a wrong state and stored as a ProductTransition, the people
concerned told once the transaction commits (products.jobs).

Who does what: the unit's own people register (its reporter writes and sends, its head approves
or returns) — nobody above sends or approves for a unit; the standing office opens the year's
registration window, accepts or returns, and evaluates what was delivered. A draft may also be
written by the standing office for a unit (the XLSX import of a province's collected sheets):
the unit still sends it up itself."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from indicators.models import Indicator
from nq57.uploads import checked_upload
from org import access
from org.access import Action
from org.models import Unit, User
from products.jobs import notify_move, notify_without_product
from products.models import (
    EDITABLE_STATES,
    REGISTERED_STATES,
    Disbursement,
    Milestone,
    Product,
    ProductReminder,
    ProductState,
    ProductTransition,
    Rating,
    RegistrationWindow,
)
from tasks.models import Task
from tasks.queries import tasks_visible_to


class WrongState(ValidationError):
    """The move does not start from the product's current state; nothing was changed."""


class StaleProduct(Exception):
    """Someone saved the product after this form was opened; nothing was written."""


def _day(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _vnd(amount: Decimal) -> str:
    """229.413.000, as Vietnamese write a sum of money."""
    return number_format(amount, 0, force_grouping=True)


# --- the registration window -----------------------------------------------------------------


@transaction.atomic
def open_window(
    *, actor: User, year: int, opens_on: date, closes_on: date, note: str = ""
) -> RegistrationWindow:
    """Open (or change the dates of) the year's registration window."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("Ngày kết thúc trước ngày bắt đầu.")})
    window, _created = RegistrationWindow.objects.update_or_create(
        year=year,
        defaults={"opens_on": opens_on, "closes_on": closes_on, "note": note, "opened_by": actor},
    )
    return window


def _check_window(year: int) -> None:
    window = RegistrationWindow.objects.filter(year=year).first()
    if window is None:
        raise ValidationError(
            _("Cơ quan thường trực chưa mở đợt đăng ký sản phẩm năm %(year)s.") % {"year": year}
        )
    if not window.is_open():
        raise ValidationError(
            _("Đợt đăng ký sản phẩm năm %(year)s mở từ %(first)s đến %(last)s.")
            % {"year": year, "first": _day(window.opens_on), "last": _day(window.closes_on)}
        )


# --- registration ----------------------------------------------------------------------------

FIELDS = (
    "title",
    "description",
    "expected_result",
    "beneficiaries",
    "measure",
    "measure_unit",
    "baseline",
    "target",
    "area",
    "budget",
    "fund_source",
    "owner_name",
    "owner_title",
    "due_on",
)


@dataclass(frozen=True)
class MilestoneInput:
    title: str
    due_on: date


def _check(
    actor: User,
    product: Product,
    tasks: Sequence[Task] | None,
    milestones: Sequence[MilestoneInput] | None,
) -> None:
    """Every problem of a registration at once, by field."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    try:
        # The constraints repeat the fields' validators (budget ≥ 0): their errors by field only.
        product.full_clean(
            exclude=["unit", "area", "created_by", "code"], validate_constraints=False
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            for message in messages:
                add(field, message)
    due = product.due_on
    if isinstance(due, date) and due.year != product.year:
        add("due_on", _("Hạn hoàn thành phải trong năm %(year)s.") % {"year": product.year})
    if product.measure and product.target is None:
        add("target", _("Nêu giá trị mục tiêu của chỉ số đo kết quả."))
    if (product.baseline is not None or product.target is not None) and not product.measure:
        add("measure", _("Nêu chỉ số đo kết quả của giá trị ban đầu và mục tiêu."))
    if tasks:
        wanted = {t.pk for t in tasks}
        seen = set(tasks_visible_to(actor).filter(pk__in=wanted).values_list("pk", flat=True))
        if wanted - seen:
            add("tasks", _("Có nhiệm vụ không tồn tại hoặc bạn không được xem."))
    for milestone in milestones or ():
        if not milestone.title.strip():
            add("milestones", _("Mốc phải có nội dung."))
        elif isinstance(due, date) and milestone.due_on > due:
            add(
                "milestones",
                _("Mốc “%(title)s” (%(day)s) sau hạn hoàn thành sản phẩm.")
                % {"title": milestone.title, "day": _day(milestone.due_on)},
            )
    if errors:
        raise ValidationError(errors)


def _next_code(unit: Unit, year: int) -> str:
    taken = set(
        Product.objects.filter(unit=unit, year=year).values_list("code", flat=True)
    )  # the unit's few products: numbered after the highest, never reusing a code
    number = len(taken) + 1
    while f"{year}-{unit.code}-{number:02d}" in taken:
        number += 1
    return f"{year}-{unit.code}-{number:02d}"


def _set_links(
    product: Product,
    tasks: Sequence[Task] | None,
    indicators: Sequence[Indicator] | None,
    milestones: Sequence[MilestoneInput] | None,
) -> None:
    if tasks is not None:
        product.tasks.set(tasks)
    if indicators is not None:
        product.indicators.set(indicators)
    if milestones is not None:
        product.milestones.all().delete()
        Milestone.objects.bulk_create(
            Milestone(product=product, order=i, title=m.title.strip(), due_on=m.due_on)
            for i, m in enumerate(milestones)
        )


@transaction.atomic
def create_product(
    *,
    actor: User,
    unit: Unit,
    year: int,
    tasks: Sequence[Task] = (),
    indicators: Sequence[Indicator] = (),
    milestones: Sequence[MilestoneInput] = (),
    **fields: Any,
) -> Product:
    """A draft registration of the unit's product for the year."""
    access.authorize(actor, Action.REPORT, unit)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"not product fields: {sorted(unknown)}")
    product = Product(unit=unit, year=year, created_by=actor, **fields)
    _check(actor, product, tasks, milestones)
    product.code = _next_code(unit, year)
    product.save()
    _set_links(product, tasks, indicators, milestones)
    return product


def _locked(product: Product) -> Product:
    return Product.objects.select_for_update().select_related("unit").get(pk=product.pk)


@transaction.atomic
def update_product(
    *,
    actor: User,
    product: Product,
    version: int,
    tasks: Sequence[Task] | None = None,
    indicators: Sequence[Indicator] | None = None,
    milestones: Sequence[MilestoneInput] | None = None,
    **changes: Any,
) -> Product:
    """Change a registration the unit still holds (a draft or returned). A form opened before
    someone else's save is refused."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValueError(f"not product fields: {sorted(unknown)}")
    product = _locked(product)
    access.authorize(actor, Action.REPORT, product.unit)
    if product.state not in EDITABLE_STATES:
        raise WrongState(_("Sản phẩm đã gửi lên; chỉ sửa được khi đang soạn hoặc bị trả lại."))
    if product.version != version:
        raise StaleProduct
    for name, value in changes.items():
        setattr(product, name, value)
    _check(actor, product, tasks, milestones)
    product.version += 1
    product.save()
    _set_links(product, tasks, indicators, milestones)
    return product


# --- moves -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str
    action: Action
    own_unit: bool = False  # the unit's own steps: nobody above takes them for it
    needs_comment: bool = False
    needs_window: bool = False  # sending a registration up happens in the year's window


MOVES = {
    "submit": Move(
        EDITABLE_STATES, ProductState.SUBMITTED, Action.REPORT, own_unit=True, needs_window=True
    ),
    "approve": Move(
        frozenset({ProductState.SUBMITTED}),
        ProductState.APPROVED,
        Action.APPROVE,
        own_unit=True,
        needs_window=True,
    ),
    "return_to_unit": Move(
        frozenset({ProductState.SUBMITTED}),
        ProductState.RETURNED,
        Action.APPROVE,
        own_unit=True,
        needs_comment=True,
    ),
    "accept": Move(
        frozenset({ProductState.APPROVED}), ProductState.ACCEPTED, Action.MANAGE_PROGRAMME
    ),
    "return_from_office": Move(
        frozenset({ProductState.APPROVED}),
        ProductState.RETURNED,
        Action.MANAGE_PROGRAMME,
        needs_comment=True,
    ),
    "deliver": Move(
        frozenset({ProductState.ACCEPTED}), ProductState.DELIVERED, Action.REPORT, own_unit=True
    ),
    "return_delivery": Move(
        frozenset({ProductState.DELIVERED}),
        ProductState.ACCEPTED,
        Action.MANAGE_PROGRAMME,
        needs_comment=True,
    ),
    "evaluate": Move(
        frozenset({ProductState.DELIVERED}),
        ProductState.EVALUATED,
        Action.MANAGE_PROGRAMME,
        needs_comment=True,
    ),
}


def _move(actor: User, product: Product, name: str, comment: str = "") -> Product:
    move = MOVES[name]
    product = _locked(product)
    authorize = access.authorize_own if move.own_unit else access.authorize
    authorize(actor, move.action, product.unit)
    if product.state not in move.sources:
        message = _("Không thể thực hiện khi sản phẩm đang ở trạng thái “%(state)s”.")
        raise WrongState(message % {"state": product.get_state_display()})
    if move.needs_comment and not comment.strip():
        raise ValidationError({"comment": _("Phải ghi ý kiến.")})
    if move.needs_window:
        _check_window(product.year)
    step = ProductTransition.objects.create(
        product=product,
        from_state=product.state,
        to_state=move.target,
        actor=actor,
        comment=comment.strip(),
    )
    product.state = move.target
    product.version += 1
    product.save(update_fields=["state", "version"])
    transaction.on_commit(partial(notify_move.enqueue, step.pk))
    return product


@transaction.atomic
def submit(*, actor: User, product: Product) -> Product:
    """The unit's reporter sends the registration to its head."""
    return _move(actor, product, "submit")


@transaction.atomic
def approve(*, actor: User, product: Product) -> Product:
    """The unit's head sends it up to the standing office."""
    return _move(actor, product, "approve")


@transaction.atomic
def return_product(*, actor: User, product: Product, comment: str) -> Product:
    """Back to the unit with a comment: by its head before approval, by the office after it."""
    stored = Product.objects.select_for_update().values_list("state", flat=True).get(pk=product.pk)
    name = "return_to_unit" if stored == ProductState.SUBMITTED else "return_from_office"
    return _move(actor, product, name, comment)


@transaction.atomic
def accept(*, actor: User, product: Product, comment: str = "") -> Product:
    return _move(actor, product, "accept", comment)


@dataclass(frozen=True)
class Delivery:
    delivered_on: date
    achieved: Decimal | None = None
    evidence_number: str = ""
    evidence_date: date | None = None
    evidence_link: str = ""
    upload: UploadedFile | None = None


@transaction.atomic
def deliver(*, actor: User, product: Product, delivery: Delivery, comment: str = "") -> Product:
    """The unit reports the product done, with its evidence: a file (type and size checked), a
    document's number and date, or a link — at least one of them."""
    locked = _locked(product)
    access.authorize_own(actor, Action.REPORT, locked.unit)
    errors: dict[str, list[str]] = {}
    if delivery.delivered_on > timezone.localdate():
        errors["delivered_on"] = [_("Ngày hoàn thành không được sau hôm nay.")]
    if not (delivery.upload or delivery.evidence_number.strip() or delivery.evidence_link):
        errors["evidence_number"] = [_("Phải có minh chứng: tệp, số văn bản hoặc đường dẫn.")]
    if delivery.evidence_number.strip() and delivery.evidence_date is None:
        errors["evidence_date"] = [_("Nêu ngày của văn bản minh chứng.")]
    original = ""
    if delivery.upload is not None:
        try:
            original = checked_upload(delivery.upload)
        except forms.ValidationError as exc:
            errors["evidence_file"] = exc.messages
    if errors:
        raise ValidationError(errors)
    moved = _move(actor, locked, "deliver", comment)
    moved.delivered_on, moved.achieved = delivery.delivered_on, delivery.achieved
    moved.evidence_number = delivery.evidence_number.strip()
    moved.evidence_date, moved.evidence_link = delivery.evidence_date, delivery.evidence_link
    if delivery.upload is not None:
        replaced = moved.evidence_file.name
        moved.evidence_file, moved.evidence_name = delivery.upload, original  # type: ignore[assignment]
        if replaced:
            storage = moved.evidence_file.storage
            transaction.on_commit(lambda: storage.delete(replaced))
    moved.save()
    return moved


@transaction.atomic
def return_delivery(*, actor: User, product: Product, comment: str) -> Product:
    """The evidence does not show the product done: back to the unit, still accepted."""
    return _move(actor, product, "return_delivery", comment)


@transaction.atomic
def evaluate(*, actor: User, product: Product, rating: str, comment: str) -> Product:
    """The standing office's verdict on what was delivered (đạt / chưa đạt / vượt), with a
    comment."""
    if rating not in Rating.values:
        raise ValidationError({"rating": _("Chọn mức đánh giá.")})
    moved = _move(actor, product, "evaluate", comment)
    moved.rating, moved.rating_comment = rating, comment.strip()
    moved.evaluated_at = timezone.now()
    moved.save(update_fields=["rating", "rating_comment", "evaluated_at"])
    return moved


# --- milestones and money --------------------------------------------------------------------


def _registered(actor: User, product: Product) -> Product:
    product = _locked(product)
    access.authorize_own(actor, Action.REPORT, product.unit)
    if product.state not in REGISTERED_STATES:
        raise WrongState(_("Chỉ cập nhật mốc và giải ngân khi sản phẩm đã được chấp nhận."))
    return product


@transaction.atomic
def complete_milestone(*, actor: User, milestone: Milestone, done_on: date) -> Milestone:
    """The unit says the milestone was done on `done_on` (not after today); said once."""
    _registered(actor, milestone.product)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.done_on is not None:
        raise WrongState(_("Mốc này đã được ghi nhận hoàn thành."))
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("Ngày hoàn thành không được sau hôm nay.")})
    milestone.done_on, milestone.done_recorded_at = done_on, timezone.now()
    milestone.save(update_fields=["done_on", "done_recorded_at"])
    return milestone


@transaction.atomic
def add_disbursement(
    *, actor: User, product: Product, on: date, amount: Decimal, note: str = ""
) -> Disbursement:
    """Money disbursed on a day; all of it together never above the budget."""
    product = _registered(actor, product)
    errors: dict[str, list[str]] = {}
    if on > timezone.localdate():
        errors["on"] = [_("Ngày giải ngân không được sau hôm nay.")]
    if amount <= 0:
        errors["amount"] = [_("Số tiền phải lớn hơn 0.")]
    else:
        before = product.disbursements.aggregate(total=Sum("amount"))["total"] or Decimal(0)
        if before + amount > product.budget:
            errors["amount"] = [
                _("Tổng giải ngân (%(total)s đồng) vượt kinh phí (%(budget)s đồng).")
                % {"total": _vnd(before + amount), "budget": _vnd(product.budget)}
            ]
    if errors:
        raise ValidationError(errors)
    Product.objects.filter(pk=product.pk).update(version=F("version") + 1)
    return Disbursement.objects.create(
        product=product, on=on, amount=amount, note=note.strip(), entered_by=actor
    )


# --- units without a product -----------------------------------------------------------------


@transaction.atomic
def remind_without_product(*, actor: User, year: int, units: Sequence[Unit]) -> int:
    """Remind the units (their reporters and heads) that they have no product for the year yet;
    a unit is reminded at most once a day, however often this runs. Returns how many units."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    today = timezone.localdate()
    reminded = []
    for unit in units:
        _row, created = ProductReminder.objects.get_or_create(
            year=year, unit=unit, day=today, defaults={"sent_by": actor}
        )
        if created:
            reminded.append(unit.pk)
    if reminded:
        transaction.on_commit(partial(notify_without_product.enqueue, year, reminded))
    return len(reminded)
