"""How products read on the pages: sums of money as Vietnamese write them, a colour per state."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from products.models import ProductState
from products.queries import AreaDelivery, DeliveryOverview

register = template.Library()

_STATE_CLASSES: dict[str, str] = {
    ProductState.DRAFT: "text-bg-secondary",
    ProductState.SUBMITTED: "text-bg-info",
    ProductState.APPROVED: "text-bg-info",
    ProductState.RETURNED: "text-bg-warning",
    ProductState.ACCEPTED: "text-bg-primary",
    ProductState.DELIVERED: "text-bg-primary",
    ProductState.EVALUATED: "text-bg-success",
}


@register.filter
def vnd(value: Decimal | int | None) -> str:
    """229.413.000."""
    if value is None:
        return ""
    return number_format(value, 0, force_grouping=True)


@register.filter
def state_class(state: str) -> str:
    return _STATE_CLASSES.get(state, "text-bg-secondary")


@register.filter
def area_url(row: AreaDelivery, overview: DeliveryOverview) -> str:
    """The registered products of the overview's row, as a list."""
    return overview.url(row)
