from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.http import QueryDict
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dashboard.queries import UnitRow
from indicators.templatetags.indicator_ui import vn_decimal
from nq57.links import cached_reverse
from tasks.timeliness import Group, Timeliness

register = template.Library()


@register.simple_tag(takes_context=True)
def tasks_href(context: dict[str, Any], **params: Any) -> str:
    """The task list behind a figure: the dashboard's filter (`task_filter`) as of its date,
    with the figure's own state, area, source, year, unit or date."""
    return task_link(context, **params)


def task_link(context: dict[str, Any], **params: Any) -> str:
    params.setdefault("as_of", context["board"].filters.as_of)
    return context["task_filter"].url(**params)  # type: ignore[no-any-return]


def _cell(label: str, css: str = "", inner: str = "{}") -> str:
    """A cell of the stacked phone layout: its column's name as data-label (table-stack)."""
    return f'<td class="{css}" data-label="{escape(label)}">{inner}</td>'


def _unit_row_format() -> str:
    """The row's HTML with a {} per value, its labels translated once per language."""

    def figure(key: str) -> str:
        return f'<a href="{{}}" data-testid="unit-{key}">{{}}</a>'

    return (
        '<tr data-testid="unit-row" data-unit="{}">'
        + _cell(_("Hạng"), "stack-first text-end", '<span data-testid="rank">{}</span>')
        + '<td class="stack-title"><a href="{}">{}</a></td>'
        + _cell(_("% đúng hạn"), "stack-first text-end fw-semibold",
                '<span data-testid="unit-pct">{}</span>')
        + _cell(_("Được giao"), "text-end", figure("total"))
        + _cell(_("Hoàn thành đúng hạn"), "text-end", figure("completed_on_time"))
        + _cell(_("Hoàn thành quá hạn"), "text-end", figure("completed_late"))
        + _cell(_("Đang thực hiện trong hạn"), "text-end", figure("on_time"))
        + _cell(_("Không đúng hạn"), "text-end", figure("not_on_time"))
        + _cell(_("Báo cáo kỳ"))
        + "</tr>"
    )  # fmt: skip


@register.simple_tag(takes_context=True)
def unit_rows(context: dict[str, Any], rows: list[UnitRow]) -> SafeString:
    """The rows of a unit table, built here rather than by the template engine: a province's
    communes are some 130 rows of nine cells and six links, which the engine took 18 ms to
    render (a sixth of a freshly computed province dashboard), this a few."""
    drill = context["request"].GET.copy()
    row = _formats.setdefault(get_language(), _unit_row_format())
    return format_html_join("", row, (_unit_cells(context, drill, r) for r in rows))


_formats: dict[str | None, str] = {}


def _unit_cells(context: dict[str, Any], drill: QueryDict, row: UnitRow) -> tuple[Any, ...]:
    code, counts = row.unit.code, row.counts
    drill["unit"] = code  # the dashboard again, one level down
    pct = counts.pct_on_time

    def link(state: str | None, value: int) -> tuple[str, str]:
        params = {"unit": code} | ({"state": state} if state else {})
        return task_link(context, **params), vn_decimal(value)

    return (
        code,
        row.rank or "—",
        f"{context['request'].path}?{drill.urlencode()}",
        row.unit.name,
        "—" if pct is None else f"{vn_decimal(pct, 1)}%",
        *link(None, counts.total),
        *link(Timeliness.COMPLETED_ON_TIME.value, counts.completed_on_time),
        *link(Timeliness.COMPLETED_LATE.value, counts.completed - counts.completed_on_time),
        *link(Group.ON_TIME.value, counts.on_time),
        *link(Group.NOT_ON_TIME.value, counts.not_on_time),
        _report_cell(context, row),
    )


def _report_cell(context: dict[str, Any], row: UnitRow) -> SafeString | str:
    """The unit's report state this period, linked to the board (for who runs it) or to the
    report itself."""
    if not row.report_state:
        return "—"
    period = context["board"].period.code
    if context["board_link"]:
        board = cached_reverse("reporting:board", period)
        href = f"{board}?{urlencode({'state': row.report_state, 'q': row.unit.code})}"
    else:
        href = cached_reverse("reporting:report", period, row.unit.code)
    return format_html('<a href="{}">{}</a>', href, row.report_label)
