"""How scores read on the pages: points as Vietnamese write them, a colour per grade."""

from decimal import Decimal

from django import template

from scoring.engine import points_text
from scoring.models import Grade

register = template.Library()

_GRADE_CLASSES: dict[str, str] = {
    Grade.EXCELLENT: "text-bg-success",
    Grade.GOOD: "text-bg-primary",
    Grade.DONE: "text-bg-warning",
    Grade.NOT_DONE: "text-bg-danger",
}


@register.filter
def pts(value: Decimal | float | None) -> str:
    """8 — 8,5 — 11,11."""
    if value is None:
        return ""
    return points_text(Decimal(str(value)))


@register.filter
def grade_class(grade: str) -> str:
    return _GRADE_CLASSES.get(grade, "text-bg-secondary")


@register.filter
def signed(value: Decimal) -> str:
    """+6 — −2,5 — 0."""
    text = points_text(abs(value))
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else text)


@register.filter
def percent_of(value: float, top: float) -> int:
    """A bar's width in % (at most 100)."""
    return min(100, round(100 * value / top)) if top else 0
