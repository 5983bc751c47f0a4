from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from django import template
from django.http import QueryDict
from django.urls import get_script_prefix, reverse

register = template.Library()


@lru_cache(maxsize=8)
def _task_list_path(script_prefix: str) -> str:
    """The task list's path, reversed once per script prefix: a province's dashboard holds
    some 600 of these links, and reversing each one cost a tenth of the page's time."""
    return reverse("tasks:task_list")


def task_list_href(query: QueryDict, **extra: Any) -> str:
    """The task list behind a figure: the dashboard's filters and date (`query`), plus the
    figure's own state, area, source, year, unit or date; None keeps the dashboard's own value."""
    params = query.dict()  # the dashboard's filters are single-valued
    params.update((key, str(value)) for key, value in extra.items() if value is not None)
    return f"{_task_list_path(get_script_prefix())}?{urlencode(params)}"


@register.simple_tag(takes_context=True)
def tasks_href(context: dict[str, Any], **extra: Any) -> str:
    return task_list_href(context["task_query"], **extra)
