from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.http import QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from dashboard.queries import UnitRow
from indicators.templatetags.indicator_ui import vn_decimal
from nq57.links import cached_reverse
from tasks.timeliness import Group

register = template.Library()


@register.simple_tag(takes_context=True)
def tasks_href(context: dict[str, Any], **params: Any) -> str:
    """The task list behind a figure: the dashboard's filter (`task_filter`) as of its date,
    with the figure's own state, area, source, year, unit or date."""
    return task_link(context, **params)


def task_link(context: dict[str, Any], **params: Any) -> str:
    params.setdefault("as_of", context["board"].filters.as_of)
    return context["task_filter"].url(**params)  # type: ignore[no-any-return]


_UNIT_ROW = (
    '<tr data-testid="unit-row" data-unit="{}"><td class="d-none d-sm-table-cell">{}</td>'
    '<td><a href="{}">{}</a></td>'
    '<td class="text-end"><a href="{}" data-testid="unit-total">{}</a></td>'
    '<td class="text-end d-none d-sm-table-cell"><a href="{}" class="link-primary" '
    'data-testid="unit-completed">{}</a></td>'
    '<td class="text-end"><a href="{}" class="link-danger" data-testid="unit-not_on_time">{}</a>'
    '</td><td class="text-end">{}</td><td class="d-none d-sm-table-cell">{}</td></tr>'
)


@register.simple_tag(takes_context=True)
def unit_rows(context: dict[str, Any], rows: list[UnitRow]) -> SafeString:
    """The rows of a unit table, built here rather than by the template engine: a province's
    communes are some 130 rows of seven cells and five links, which the engine took 18 ms to
    render (a sixth of a freshly computed province dashboard), this a few."""
    drill = context["request"].GET.copy()
    return format_html_join("", _UNIT_ROW, (_unit_cells(context, drill, row) for row in rows))


def _unit_cells(context: dict[str, Any], drill: QueryDict, row: UnitRow) -> tuple[Any, ...]:
    code, counts = row.unit.code, row.counts
    drill["unit"] = code  # the dashboard again, one level down
    pct = counts.pct_on_time
    return (
        code,
        row.rank or "—",
        f"{context['request'].path}?{drill.urlencode()}",
        row.unit.name,
        task_link(context, unit=code),
        vn_decimal(counts.total),
        task_link(context, unit=code, state=Group.COMPLETED.value),
        vn_decimal(counts.completed),
        task_link(context, unit=code, state=Group.NOT_ON_TIME.value),
        vn_decimal(counts.not_on_time),
        "—" if pct is None else f"{vn_decimal(pct, 1)}%",
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
