from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from django import template
from django.http import QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from dashboard.queries import UnitRow
from indicators.templatetags.indicator_ui import vn_decimal
from nq57.links import cached_reverse

register = template.Library()


def task_list_href(query: QueryDict, **extra: Any) -> str:
    """The task list behind a figure: the dashboard's filters and date (`query`), plus the
    figure's own state, area, source, year, unit or date; None keeps the dashboard's own value."""
    params = {key: str(value) for key, value in query.items()}  # single-valued filters
    params.update((key, str(value)) for key, value in extra.items() if value is not None)
    encoded = "&".join(_pair(key, value) for key, value in params.items())
    return f"{cached_reverse('tasks:task_list')}?{encoded}"


@lru_cache(maxsize=4096)
def _pair(key: str, value: str) -> str:
    """One "key=value" encoded once: the links of a page repeat the same few hundred pairs
    (its date, unit codes, states), and quoting them was a tenth of its rendering."""
    return urlencode({key: value})


@register.simple_tag(takes_context=True)
def tasks_href(context: dict[str, Any], **extra: Any) -> str:
    return task_list_href(context["task_query"], **extra)


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
    code, counts, query = row.unit.code, row.counts, context["task_query"]
    drill["unit"] = code  # the dashboard again, one level down
    pct = counts.pct_on_time
    return (
        code,
        row.rank or "—",
        f"{context['request'].path}?{drill.urlencode()}",
        row.unit.name,
        task_list_href(query, unit=code),
        vn_decimal(counts.total),
        task_list_href(query, unit=code, state="completed"),
        vn_decimal(counts.completed),
        task_list_href(query, unit=code, state="not_on_time"),
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
