from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict
from django.urls import reverse

register = template.Library()


def task_list_href(query: QueryDict, **extra: Any) -> str:
    """The task list behind a figure: the dashboard's filters and date (`query`), plus the
    figure's own state, area, source, year, unit or date; None keeps the dashboard's own value."""
    query = query.copy()
    for key, value in extra.items():
        if value is not None:
            query[key] = str(value)
    return f"{reverse('tasks:task_list')}?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def tasks_href(context: dict[str, Any], **extra: Any) -> str:
    return task_list_href(context["task_query"], **extra)
