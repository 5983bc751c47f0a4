"""Badges and labels for tasks, and links that keep the page's filters."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from tasks.queries import TaskFilter
from tasks.timeliness import Colour, Status, Verdict

register = template.Library()

COLOURS = {Colour.GREEN: "success", Colour.YELLOW: "warning", Colour.RED: "danger"}


@register.simple_tag
def verdict_badge(verdict: Verdict | None) -> SafeString:
    """The timeliness in words on a badge of its colour (the colour is decoration: the words
    say it, "có nguy cơ chậm" included)."""
    if verdict is None:
        return format_html('<span class="text-muted">{}</span>', _("Đã đưa ra khỏi nhiệm vụ"))
    label: object = verdict.timeliness.label
    if verdict.colour == Colour.YELLOW:
        label = format_html("{} · {}", label, _("có nguy cơ chậm"))
    return format_html(
        '<span class="badge text-bg-{}" data-testid="colour">{}</span>',
        COLOURS[verdict.colour],
        label,
    )


@register.simple_tag
def task_list_url(flt: TaskFilter, **params: object) -> str:
    """The task list of `flt`, with `params` (state, as_of, sort...): TaskFilter.url."""
    return flt.url(**params)  # type: ignore[arg-type]


@register.filter
def deadline_text(deadline: date | None) -> str:
    return date_format(deadline, "SHORT_DATE_FORMAT") if deadline else str(_("Thường xuyên"))


@register.filter
def status_label(value: str | None) -> str:
    return str(Status(value).label) if value else str(Status.NOT_STARTED.label)
