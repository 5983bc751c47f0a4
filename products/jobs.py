"""Background jobs of products, run by the django-tasks worker: telling people of each move."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from notifications.services import notify
from org.models import Role, Unit, User
from products.models import ProductState, ProductTransition

# Who hears of a move, by the state it reaches: the next one to act, or the unit when it is back
# in its hands or judged.
_UNIT_ROLES = (Role.REPORTER, Role.UNIT_HEAD)


def _people(unit: Unit, *roles: str) -> QuerySet[User]:
    return User.objects.filter(unit=unit, role__in=roles, is_active=True)


def _office() -> QuerySet[User]:
    return User.objects.filter(role=Role.STANDING_OFFICE, is_active=True)


@task()
def notify_move(transition_id: int) -> int:
    """Tell whoever acts next (or the unit, when the product comes back or is judged), in the
    app and by e-mail. Returns how many were told."""
    step = ProductTransition.objects.select_related("product__unit", "actor").get(pk=transition_id)
    product, unit = step.product, step.product.unit
    names = {
        "unit": unit.name,
        "title": product.title,
        "state": product.get_state_display(),
        "comment": step.comment,
    }
    target = step.to_state
    if target == ProductState.SUBMITTED:
        recipients = _people(unit, Role.UNIT_HEAD)
        text = _("%(unit)s trình duyệt sản phẩm “%(title)s”.") % names
    elif target in (ProductState.APPROVED, ProductState.DELIVERED):
        recipients = _office()
        text = _("%(unit)s: sản phẩm “%(title)s” — %(state)s.") % names
    else:
        recipients = _people(unit, *_UNIT_ROLES)
        text = _("Sản phẩm “%(title)s”: %(state)s.") % names
        if step.comment:
            text += " " + _("Ý kiến: %(comment)s") % names
    return notify(
        recipients=recipients,
        text=text,
        url=reverse("products:detail", args=[product.pk]),
        email_subject=_("[NQ57] Sản phẩm “%(title)s”: %(state)s") % names,
    )


@task()
def notify_without_product(year: int, unit_ids: list[int]) -> int:
    """The reminder of the board of units without a product. Returns how many were told."""
    text = _(
        "Đơn vị chưa có sản phẩm năm %(year)s được cơ quan thường trực chấp nhận. Đề nghị "
        "đăng ký ít nhất 01 sản phẩm và trình duyệt."
    ) % {"year": year}
    recipients = User.objects.filter(unit_id__in=unit_ids, role__in=_UNIT_ROLES, is_active=True)
    return notify(
        recipients=recipients,
        text=text,
        url=f"{reverse('products:list')}?year={year}",
        email_subject=_("[NQ57] Nhắc đăng ký sản phẩm năm %(year)s") % {"year": year},
    )
