"""Where a statement's figures come from: the URLs of the lists and pages behind them, as of the
report's date. `task_list_url` is the one place a figure's task filter becomes a link to the
task list."""

from __future__ import annotations

from datetime import date

from django.utils.http import urlencode

from documents.wording import day
from nq57.links import cached_reverse
from org.models import Unit
from periods.models import Period
from tasks.queries import TaskFilter


def task_list_url(
    *,
    as_of: date,
    unit: Unit,
    state: str = "total",
    source: str | None = None,
    year: int | None = None,
) -> str:
    """The task list (tasks:task_list) of `unit`'s tree as of `as_of`, narrowed to a source and
    a year, showing the tasks in `state` (a TaskStats key: total, completed, on_time, …)."""
    task_filter = TaskFilter(unit=unit, subtree=True, source=source, year=year)
    return task_filter.url(as_of=as_of, state=state)


def task_page_url(code: str, as_of: date) -> str:
    """A task's own page as of the date (its assignees, each one's state)."""
    return f"{cached_reverse('tasks:task_detail', code)}?{urlencode({'as_of': day(as_of)})}"


def _indicator_query(period: Period, unit: Unit, as_of: date | None) -> str:
    query = {"period": period.code, "unit": unit.code}
    if as_of is not None:
        query["as_of"] = day(as_of)
    return urlencode(query)


def indicator_url(code: str, period: Period, unit: Unit, as_of: date | None = None) -> str:
    """An indicator's page for the period and the unit's tree, its figures as stored at the end
    of `as_of` (None: now)."""
    query = _indicator_query(period, unit, as_of)
    return f"{cached_reverse('indicators:detail', code)}?{query}"


def indicator_list_url(period: Period, unit: Unit, as_of: date | None = None) -> str:
    """All the indicators for the period and the unit's tree, as of `as_of` (None: now)."""
    return f"{cached_reverse('indicators:list')}?{_indicator_query(period, unit, as_of)}"
