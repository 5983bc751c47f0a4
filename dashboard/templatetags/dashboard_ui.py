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
    params = {key: str(value) for key, value in query.items()}  # single-valued filters
    params.update((key, str(value)) for key, value in extra.items() if value is not None)
    encoded = "&".join(_pair(key, value) for key, value in params.items())
    return f"{_task_list_path(get_script_prefix())}?{encoded}"


@lru_cache(maxsize=4096)
def _pair(key: str, value: str) -> str:
    """One "key=value" encoded once: the links of a page repeat the same few hundred pairs
    (its date, unit codes, states), and quoting them was a tenth of its rendering."""
    return urlencode({key: value})


@register.simple_tag(takes_context=True)
def tasks_href(context: dict[str, Any], **extra: Any) -> str:
    return task_list_href(context["task_query"], **extra)
